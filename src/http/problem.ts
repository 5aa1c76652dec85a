/**
 * Our error codes as RFC 9457 problem responses: one exhaustive switch, checked by the
 * compiler. The body carries the stable `code` and only data a client acts on.
 */
import type { FastifyReply } from 'fastify';
import type { ErrorCode, TidingsError } from '../errors.ts';

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: ErrorCode | 'internal_error' | 'payload_too_large' | 'rate_limited';
  detail: string;
  instance?: string;
  [extension: string]: unknown;
}

export function statusOf(code: ErrorCode): number {
  switch (code) {
    case 'invalid_request':
    case 'oauth_state_invalid':
    case 'oauth_state_expired':
    case 'oauth_access_denied':
    case 'oauth_code_invalid':
    case 'oauth_no_refresh_token':
    case 'oauth_identity_invalid':
      return 400;
    case 'unauthorized':
      return 401;
    case 'forbidden':
    case 'scope_missing':
      return 403;
    case 'not_found':
      return 404;
    case 'not_connected':
    case 'reauth_required':
      return 409;
    case 'provider_rate_limited':
      return 429;
    case 'provider_unavailable':
      return 502;
    case 'not_configured':
    case 'database_unavailable':
      return 503;
    default: {
      const unreachable: never = code;
      return unreachable;
    }
  }
}

const TITLES: Record<ErrorCode, string> = {
  not_connected: 'No Google account connected',
  reauth_required: 'The Google connection needs to be reconnected',
  scope_missing: 'The Google connection lacks a permission',
  provider_unavailable: 'Google is unavailable',
  provider_rate_limited: 'Google rate limit reached',
  database_unavailable: 'The database is unavailable',
  not_found: 'Not found',
  invalid_request: 'Invalid request',
  unauthorized: 'Unauthorized',
  forbidden: 'Forbidden',
  not_configured: 'Not configured',
  oauth_state_invalid: 'The sign-in link is invalid',
  oauth_state_expired: 'The sign-in link has expired',
  oauth_access_denied: 'Access was not granted',
  oauth_code_invalid: 'The authorization code was rejected',
  oauth_no_refresh_token: 'Google returned no refresh token',
  oauth_identity_invalid: 'The Google identity could not be verified',
};

export function problemOf(error: TidingsError, instance?: string): Problem {
  const problem: Problem = {
    type: `https://tidings.dev/problems/${error.code}`,
    title: TITLES[error.code],
    status: statusOf(error.code),
    code: error.code,
    detail: error.message,
  };
  if (instance) problem.instance = instance;
  const { reason, scopes, field, retryAfterSeconds, settings, connectionId } = error.details;
  if (reason) problem.reason = reason;
  if (scopes) problem.scopes = scopes;
  if (field) problem.field = field;
  if (retryAfterSeconds !== undefined) problem.retry_after = retryAfterSeconds;
  if (settings) problem.settings = settings;
  if (connectionId) problem.connection = connectionId;
  return problem;
}

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  if (typeof problem.retry_after === 'number')
    reply.header('retry-after', String(problem.retry_after));
  return reply.status(problem.status).type('application/problem+json').send(problem);
}
