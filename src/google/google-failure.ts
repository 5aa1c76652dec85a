/**
 * The one translation point between Google's HTTP answers (and fetch's failures) and
 * Tidings' error codes. Messages name the operation and Google's reason, never a URL,
 * header or token.
 */
import { TidingsError } from '../errors.ts';
import { SCOPE_NEEDS } from './scopes.ts';

/** Everything that can go wrong talking to Google, before it becomes a TidingsError. */
export type GoogleFailure =
  | { kind: 'network'; operation: string; cause: unknown }
  | { kind: 'timeout'; operation: string; timeoutMs: number }
  | { kind: 'invalid_response'; operation: string; problem: string }
  | {
      kind: 'http';
      operation: string;
      status: number;
      /** First `errors[].reason` of Google's envelope, or '' when absent. */
      reason: string;
      /** Google's human message, already shortened. */
      message: string;
      /** Parsed `Retry-After`, if Google sent one. */
      retryAfterSeconds: number | null;
      /** True when a refreshed token was rejected too. */
      afterRefresh?: boolean;
    };

export const RATE_LIMIT_REASONS: readonly string[] = ['rateLimitExceeded', 'userRateLimitExceeded'];
const QUOTA_REASONS: readonly string[] = ['dailyLimitExceeded', 'quotaExceeded'];
const RETRYABLE_STATUS: readonly number[] = [429, 500, 502, 503, 504];

/** Whether another attempt may succeed (transient server trouble or a rate limit). */
export function isRetryable(failure: GoogleFailure): boolean {
  if (failure.kind === 'network' || failure.kind === 'timeout') return true;
  if (failure.kind !== 'http') return false;
  if (RETRYABLE_STATUS.includes(failure.status)) return true;
  return failure.status === 403 && RATE_LIMIT_REASONS.includes(failure.reason);
}

function isRateLimit(failure: GoogleFailure & { kind: 'http' }): boolean {
  return (
    failure.status === 429 ||
    (failure.status === 403 && RATE_LIMIT_REASONS.includes(failure.reason))
  );
}

function scopeFor(operation: string): readonly string[] {
  if (operation.startsWith('gmail.')) return SCOPE_NEEDS.gmail;
  if (operation.startsWith('calendar.')) return SCOPE_NEEDS.calendar;
  return [];
}

/** Turns a failure into the error every front door understands. */
export function translateGoogleFailure(failure: GoogleFailure): TidingsError {
  const op = failure.operation;
  switch (failure.kind) {
    case 'network':
      return new TidingsError(
        'provider_unavailable',
        `Google could not be reached (${op})`,
        {},
        {
          cause: failure.cause,
        },
      );
    case 'timeout':
      return new TidingsError(
        'provider_unavailable',
        `Google did not answer within ${failure.timeoutMs} ms (${op})`,
      );
    case 'invalid_response':
      return new TidingsError(
        'provider_unavailable',
        `Google answered ${op} with an unexpected shape: ${failure.problem}`,
      );
    case 'http':
      return translateHttp(failure);
    default: {
      const unreachable: never = failure;
      throw new Error(`unknown failure ${String(unreachable)}`);
    }
  }
}

/** What a rate-limit answer without `Retry-After` tells the caller to wait, in seconds. */
const RATE_LIMIT_RETRY_SECONDS = 5;

function translateHttp(failure: GoogleFailure & { kind: 'http' }): TidingsError {
  const { operation: op, status, reason } = failure;
  const said = `Google answered ${status}${reason ? ` (${reason})` : ''} to ${op}`;
  const withMessage = failure.message ? `${said}: ${failure.message}` : said;
  if (status === 401) {
    return new TidingsError('reauth_required', `${said}; the refreshed token was refused too`, {
      reason: 'revoked',
    });
  }
  if (isRateLimit(failure) || (status === 403 && QUOTA_REASONS.includes(reason))) {
    // Gmail's refusals for concurrency and its quota 403s carry no `Retry-After`; a caller
    // is still told when to try again.
    return new TidingsError('provider_rate_limited', said, {
      retryAfterSeconds: failure.retryAfterSeconds ?? RATE_LIMIT_RETRY_SECONDS,
    });
  }
  if (status === 403 && reason === 'insufficientPermissions') {
    return new TidingsError('scope_missing', said, { scopes: scopeFor(op) });
  }
  if (status === 403) return new TidingsError('forbidden', withMessage);
  if (status === 404 || status === 410) return new TidingsError('not_found', said);
  if (status === 400) return new TidingsError('invalid_request', withMessage);
  const details =
    failure.retryAfterSeconds === null ? {} : { retryAfterSeconds: failure.retryAfterSeconds };
  if (status >= 500) return new TidingsError('provider_unavailable', said, details);
  return new TidingsError('invalid_request', withMessage);
}
