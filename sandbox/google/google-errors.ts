/**
 * Google's JSON error envelope for its APIs, and the canned errors the core answers
 * itself (bad credentials, missing scope, delegation, injected faults).
 */
import type { FastifyReply } from 'fastify';
import type { GoogleErrorDetail } from './context.ts';

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  412: 'FAILED_PRECONDITION',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  501: 'UNIMPLEMENTED',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

export interface GoogleErrorBody {
  error: {
    code: number;
    message: string;
    errors: GoogleErrorDetail[];
    status: string;
  };
}

export function googleErrorBody(
  code: number,
  message: string,
  detail: GoogleErrorDetail,
  status?: string,
): GoogleErrorBody {
  const item: GoogleErrorDetail = {
    message: detail.message ?? message,
    domain: detail.domain ?? 'global',
    reason: detail.reason,
    ...(detail.location === undefined ? {} : { location: detail.location }),
    ...(detail.locationType === undefined ? {} : { locationType: detail.locationType }),
  };
  return {
    error: { code, message, errors: [item], status: status ?? STATUS_NAMES[code] ?? 'UNKNOWN' },
  };
}

export function sendGoogleError(
  reply: FastifyReply,
  code: number,
  message: string,
  detail: GoogleErrorDetail,
  status?: string,
): FastifyReply {
  return reply
    .code(code)
    .header('content-type', 'application/json; charset=UTF-8')
    .send(googleErrorBody(code, message, detail, status));
}

const SEE_CONSOLE = 'See https://developers.google.com/identity/sign-in/web/devconsole-project.';

export function sendInvalidCredentials(reply: FastifyReply, missing: boolean): FastifyReply {
  reply.header(
    'www-authenticate',
    'Bearer realm="https://accounts.google.com/", error="invalid_token"',
  );
  if (missing) {
    return sendGoogleError(
      reply,
      401,
      `Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. ${SEE_CONSOLE}`,
      {
        message: 'Login Required.',
        reason: 'required',
        location: 'Authorization',
        locationType: 'header',
      },
    );
  }
  return sendGoogleError(
    reply,
    401,
    `Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. ${SEE_CONSOLE}`,
    {
      message: 'Invalid Credentials',
      reason: 'authError',
      location: 'Authorization',
      locationType: 'header',
    },
  );
}

export function sendInsufficientScopes(reply: FastifyReply): FastifyReply {
  reply.header(
    'www-authenticate',
    'Bearer realm="https://accounts.google.com/", error="insufficient_scope"',
  );
  return sendGoogleError(reply, 403, 'Request had insufficient authentication scopes.', {
    message: 'Insufficient Permission',
    reason: 'insufficientPermissions',
  });
}

export function sendDelegationDenied(reply: FastifyReply, email: string): FastifyReply {
  return sendGoogleError(reply, 403, `Delegation denied for ${email}`, { reason: 'forbidden' });
}

/** The `errors[].reason` values a fault may answer with, and what Google says with each. */
export const FAULT_REASONS = {
  rateLimitExceeded: { domain: 'usageLimits', message: 'Rate Limit Exceeded' },
  userRateLimitExceeded: { domain: 'usageLimits', message: 'User Rate Limit Exceeded' },
  quotaExceeded: { domain: 'usageLimits', message: 'Quota Exceeded' },
  dailyLimitExceeded: { domain: 'usageLimits', message: 'Daily Limit Exceeded' },
  backendError: { domain: 'global', message: 'Backend Error' },
  internalError: { domain: 'global', message: 'Internal Error' },
  failedPrecondition: { domain: 'global', message: 'Precondition check failed.' },
} as const;
export type FaultReason = keyof typeof FAULT_REASONS;
export const FAULT_REASON_NAMES = Object.keys(FAULT_REASONS) as [FaultReason, ...FaultReason[]];

/**
 * The envelope an injected fault answers with: the usual one for the HTTP status, or, with
 * a `reason`, that reason with Google's domain and message for it.
 */
export function faultErrorBody(status: number, reason: FaultReason | null = null): GoogleErrorBody {
  if (reason !== null) {
    const { domain, message } = FAULT_REASONS[reason];
    return googleErrorBody(status, message, { domain, reason });
  }
  switch (status) {
    case 429:
      return googleErrorBody(
        429,
        "Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per user' of service 'googleapis.com' for consumer 'project_number:000000000000'.",
        { reason: 'rateLimitExceeded' },
        'RESOURCE_EXHAUSTED',
      );
    case 403:
      return googleErrorBody(403, 'Rate Limit Exceeded', {
        domain: 'usageLimits',
        reason: 'rateLimitExceeded',
      });
    case 500:
      return googleErrorBody(500, 'Backend Error', { reason: 'backendError' }, 'INTERNAL');
    case 503:
      return googleErrorBody(
        503,
        'The service is currently unavailable.',
        { reason: 'backendError' },
        'UNAVAILABLE',
      );
    case 400:
      return googleErrorBody(400, 'Bad Request', { reason: 'badRequest' });
    case 401:
      return googleErrorBody(401, 'Invalid Credentials', { reason: 'authError' });
    case 404:
      return googleErrorBody(404, 'Requested entity was not found.', { reason: 'notFound' });
    default:
      return googleErrorBody(status, status >= 500 ? 'Backend Error' : 'Request failed.', {
        reason: status >= 500 ? 'backendError' : 'failedPrecondition',
      });
  }
}
