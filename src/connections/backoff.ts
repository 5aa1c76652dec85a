/**
 * The cool-down after a failed refresh: exponential in the number of failures in a row
 * (30 s, 1 min, 2 min … capped at an hour), with full jitter over its upper half so that
 * many connections failing together do not retry together, and never shorter than the
 * `Retry-After` Google asked for.
 */

export const BACKOFF_BASE_MS = 30_000;
export const BACKOFF_MAX_MS = 60 * 60_000;

/** Milliseconds to wait after the `failures`-th failure in a row (1 for the first). */
export function backoffMs(
  failures: number,
  retryAfterSeconds: number | null,
  random: () => number,
): number {
  const exponential = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, failures - 1));
  const jittered = Math.round(exponential / 2 + random() * (exponential / 2));
  return Math.max(jittered, (retryAfterSeconds ?? 0) * 1000);
}
