/**
 * Per-user rate limiting for incoming messages and button presses: a fixed number per
 * sliding window. The first update over the limit is told so once; further ones in the
 * same window are dropped silently, so a flood never turns into a flood of replies.
 */

export type RateDecision = 'allow' | 'limit_notify' | 'limit_quiet';

export interface RateLimiter {
  check(key: string): RateDecision;
}

export function createRateLimiter(options: {
  limit: number;
  windowMs: number;
  now: () => Date;
  /** How many users are tracked at most; the least recently seen leave first. */
  maxKeys?: number;
}): RateLimiter {
  const maxKeys = options.maxKeys ?? 10_000;
  const seen = new Map<string, { hits: number[]; notified: boolean }>();
  return {
    check(key) {
      const now = options.now().getTime();
      const entry = seen.get(key) ?? { hits: [], notified: false };
      seen.delete(key);
      seen.set(key, entry);
      if (seen.size > maxKeys) {
        const oldest = seen.keys().next();
        if (!oldest.done) seen.delete(oldest.value);
      }
      entry.hits = entry.hits.filter((at) => at > now - options.windowMs);
      if (entry.hits.length < options.limit) {
        entry.hits.push(now);
        entry.notified = false;
        return 'allow';
      }
      if (entry.notified) return 'limit_quiet';
      entry.notified = true;
      return 'limit_notify';
    },
  };
}
