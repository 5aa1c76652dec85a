/**
 * Which broken connections a person has just been told about in an answer ("I can't reach
 * your Google account … Reconnect"), so that the outbox's notice about the same break,
 * queued while that question was being answered, is not sent right after it. Kept in this
 * process for a few minutes, bounded: with several instances the notice may still come
 * from another one.
 */

export interface RecentNotices {
  /** Notes that the person was told, now, that this connection needs reconnecting. */
  told(connectionId: string): void;
  /** True when they were told within the last few minutes. */
  wasTold(connectionId: string): boolean;
}

export function createRecentNotices(options: {
  now: () => Date;
  ttlMs?: number;
  max?: number;
}): RecentNotices {
  const ttlMs = options.ttlMs ?? 10 * 60_000;
  const max = options.max ?? 10_000;
  const told = new Map<string, number>();
  return {
    told(connectionId) {
      told.delete(connectionId);
      told.set(connectionId, options.now().getTime());
      if (told.size > max) {
        const oldest = told.keys().next();
        if (!oldest.done) told.delete(oldest.value);
      }
    },
    wasTold(connectionId) {
      const at = told.get(connectionId);
      return at !== undefined && options.now().getTime() - at < ttlMs;
    },
  };
}
