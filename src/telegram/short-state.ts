/**
 * Server-side state behind inline buttons. Telegram allows 64 bytes of callback data, so
 * anything longer (page tokens, queries) is kept here under a short random key. The store
 * is bounded (oldest entries leave first) and entries expire, so a button pressed days
 * later finds nothing and the bot answers that it has expired.
 */
import { randomBytes } from 'node:crypto';

export interface ShortState<T> {
  /** Stores a value and returns its key (10 URL-safe characters). */
  put(value: T): string;
  /** The value, or undefined when unknown, evicted or expired. */
  get(key: string): T | undefined;
  readonly size: number;
}

export function createShortState<T>(options: {
  max: number;
  ttlMs: number;
  now: () => Date;
}): ShortState<T> {
  const entries = new Map<string, { value: T; expiresAt: number }>();
  return {
    put(value) {
      const key = randomBytes(8).toString('base64url').slice(0, 10);
      entries.set(key, { value, expiresAt: options.now().getTime() + options.ttlMs });
      while (entries.size > options.max) {
        const oldest = entries.keys().next();
        if (oldest.done) break;
        entries.delete(oldest.value);
      }
      return key;
    },
    get(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.expiresAt <= options.now().getTime()) {
        entries.delete(key);
        return undefined;
      }
      return entry.value;
    },
    get size() {
      return entries.size;
    },
  };
}
