/**
 * The shared parts of the `/v1` OpenAPI document: the RFC 9457 problem schema (with the
 * stable codes), the problem responses with one example per code a client can meet, and
 * the bearer security scheme. Schemas come from zod through `z.toJSONSchema`.
 */
import { z } from 'zod';
import { ERROR_CODES } from '../../errors.ts';

export { type JsonSchema, jsonSchemaOf } from '../../common/index.ts';

export const ProblemSchema = z
  .object({
    type: z.string().describe('https://tidings.dev/problems/<code>'),
    title: z.string(),
    status: z.number().int(),
    code: z
      .enum([...ERROR_CODES, 'internal_error', 'payload_too_large', 'rate_limited'])
      .describe('Stable: branch on this, not on title or detail'),
    detail: z.string(),
    instance: z.string().optional(),
    reason: z.enum(['revoked', 'expired', 'scope_missing', 'corrupt']).optional(),
    scopes: z.array(z.string()).optional().describe('scope_missing: the scopes needed'),
    field: z.string().optional().describe('invalid_request: the parameter that is wrong'),
    retry_after: z.number().optional().describe('Seconds to wait (also in Retry-After)'),
    settings: z.array(z.string()).optional().describe('not_configured: settings to add'),
    connection: z.string().optional(),
  })
  .describe('RFC 9457 problem details, served as application/problem+json');

function problem(code: string, status: number, title: string, detail: string, extra = {}) {
  return {
    summary: code,
    value: { type: `https://tidings.dev/problems/${code}`, title, status, code, detail, ...extra },
  };
}

const REF = { $ref: '#/components/schemas/Problem' };

function response(description: string, examples: Record<string, unknown>, retryAfter = false) {
  return {
    description,
    ...(retryAfter
      ? {
          headers: {
            'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } },
          },
        }
      : {}),
    content: { 'application/problem+json': { schema: REF, examples } },
  };
}

/** Problem responses by HTTP status, referenced by every operation that can answer them. */
export const PROBLEM_RESPONSES = {
  BadRequest: response('Invalid request: `field` names the parameter that is wrong', {
    invalid_request: problem(
      'invalid_request',
      400,
      'Invalid request',
      'pageSize: Too big: expected number to be <=50',
      { field: 'pageSize' },
    ),
  }),
  Unauthorized: response('Missing, unknown or revoked API key (with WWW-Authenticate: Bearer)', {
    unauthorized: problem(
      'unauthorized',
      401,
      'Unauthorized',
      'The API key is unknown or has been revoked.',
    ),
  }),
  Forbidden: response('The Google connection lacks a permission, or Google refused the call', {
    scope_missing: problem(
      'scope_missing',
      403,
      'The Google connection lacks a permission',
      'calendar.agenda needs access to Google Calendar',
      { scopes: ['https://www.googleapis.com/auth/calendar.readonly'] },
    ),
    forbidden: problem(
      'forbidden',
      403,
      'Forbidden',
      'Google answered 403 (domainPolicy) to gmail.labels.list: The domain administrators have disabled Gmail apps.',
    ),
  }),
  NotFound: response('No such message, thread, watch or connection of this user', {
    not_found: problem('not_found', 404, 'Not found', 'No connection matches that id or email'),
  }),
  Conflict: response(
    'The user has no usable Google connection',
    {
      not_connected: problem(
        'not_connected',
        409,
        'No Google account connected',
        'Connect a Google account first: POST /v1/connect-links',
      ),
      reauth_required: problem(
        'reauth_required',
        409,
        'The Google connection needs to be reconnected',
        'Google no longer accepts this connection',
        { reason: 'revoked' },
      ),
    },
    false,
  ),
  PayloadTooLarge: response('The request body is larger than the endpoint accepts', {
    payload_too_large: problem(
      'payload_too_large',
      413,
      'Payload too large',
      'The request body is larger than this endpoint accepts.',
    ),
  }),
  TooManyRequests: response(
    'Rate limited: this key or, without a valid key, this address (rate_limited), or Google (provider_rate_limited)',
    {
      rate_limited: problem(
        'rate_limited',
        429,
        'Too many requests',
        'Slow down: too many requests with this key.',
        { retry_after: 42 },
      ),
      provider_rate_limited: problem(
        'provider_rate_limited',
        429,
        'Google rate limit reached',
        'Google answered 429 to gmail.messages.list',
        { retry_after: 30 },
      ),
    },
    true,
  ),
  BadGateway: response('Google could not be reached or failed', {
    provider_unavailable: problem(
      'provider_unavailable',
      502,
      'Google is unavailable',
      'Google answered 503 to gmail.labels.list',
    ),
  }),
  ServiceUnavailable: response('Google is not configured on this server', {
    not_configured: problem(
      'not_configured',
      503,
      'Not configured',
      'Google sign-in is not set up on this server.',
      { settings: ['GOOGLE_CLIENT_ID', 'GOOGLE_CLIENT_SECRET'] },
    ),
  }),
} as const;

export type ProblemResponseName = keyof typeof PROBLEM_RESPONSES;

/** `{ '400': { $ref: …BadRequest }, … }` for the named problem responses. */
export function problemRefs(
  entries: ReadonlyArray<readonly [string, ProblemResponseName]>,
): Record<string, { $ref: string }> {
  return Object.fromEntries(
    entries.map(([status, name]) => [status, { $ref: `#/components/responses/${name}` }]),
  );
}

export const SECURITY_SCHEMES = {
  bearerAuth: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'tid_<prefix>_<secret>',
    description: 'A per-user API key: tidings api-keys create <user id>. Shown once.',
  },
} as const;
