/**
 * The one error type of Tidings. Every failure a caller can act on carries a stable
 * `code` from a closed union (DESIGN.md, "Error codes"); each front door translates the
 * code in exactly one exhaustive switch (HTTP problem, MCP error, Telegram sentence).
 *
 * Messages never contain a token, code, key or secret.
 */

export const ERROR_CODES = [
  'not_connected',
  'reauth_required',
  'scope_missing',
  'provider_unavailable',
  'provider_rate_limited',
  /** Tidings' own database is not answering (a restart, an outage): retry in a moment. */
  'database_unavailable',
  'not_found',
  'invalid_request',
  'unauthorized',
  'forbidden',
  'not_configured',
  'oauth_state_invalid',
  'oauth_state_expired',
  'oauth_access_denied',
  'oauth_code_invalid',
  'oauth_no_refresh_token',
  'oauth_identity_invalid',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export const REAUTH_REASONS = ['revoked', 'expired', 'scope_missing', 'corrupt'] as const;

export type ReauthReason = (typeof REAUTH_REASONS)[number];

/** A stored status reason as a reauth reason; anything else reads as `revoked`. */
export function reauthReasonOf(reason: string | null): ReauthReason {
  return REAUTH_REASONS.find((known) => known === reason) ?? 'revoked';
}

export interface ErrorDetails {
  /** For `reauth_required`. */
  reason?: ReauthReason;
  /** For `scope_missing`: the scopes that would be needed. */
  scopes?: readonly string[];
  /** For `invalid_request`: which field is wrong (a JSON pointer-ish path). */
  field?: string;
  /** For `provider_rate_limited` / `provider_unavailable` / `database_unavailable`: seconds to wait. */
  retryAfterSeconds?: number;
  /** For `not_configured`: the settings to add. */
  settings?: readonly string[];
  /** For connection-scoped failures. */
  connectionId?: string;
}

export class TidingsError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails;

  constructor(
    code: ErrorCode,
    message: string,
    details: ErrorDetails = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'TidingsError';
    this.code = code;
    this.details = details;
  }
}

export function isTidingsError(value: unknown, code?: ErrorCode): value is TidingsError {
  return value instanceof TidingsError && (code === undefined || value.code === code);
}
