/**
 * Retry timing: exponential backoff with full jitter, and Google's `Retry-After` header
 * (delta seconds or an HTTP date) when it sends one.
 */

export interface BackoffPolicy {
  /** Delay ceiling of the first retry, doubled each attempt. */
  baseMs: number;
  /** Largest computed backoff delay. */
  maxMs: number;
  /** A `Retry-After` longer than this is not waited for: the caller gets the error. */
  retryAfterCapSeconds: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = {
  baseMs: 500,
  maxMs: 8_000,
  retryAfterCapSeconds: 30,
};

/** Full jitter: a uniformly random delay between 0 and base·2^attempt (capped). */
export function backoffDelayMs(
  policy: BackoffPolicy,
  attempt: number,
  random: () => number,
): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

/** Seconds to wait from a `Retry-After` value, or null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: Date): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.ceil((at - now.getTime()) / 1000));
}
