/**
 * Per-connection answers that change rarely — the Gmail profile's address, the Calendar
 * time zone setting — kept for a while so a request does not ask Google again each
 * time. Concurrent callers share one load; a failed load is not kept.
 */

export interface ConnectionMemo {
  /** The value kept for (connection, key) if younger than `ttlMs`, else `load()`'s. */
  get<T>(connectionId: string, key: string, ttlMs: number, load: () => Promise<T>): Promise<T>;
  /** Drops what is kept for a connection (after a reconnect or a disconnect). */
  forget(connectionId: string): void;
}

interface Entry {
  at: number;
  value: Promise<unknown>;
}

/** At most this many entries; the oldest go first. */
const MAX_ENTRIES = 10_000;

export function createConnectionMemo(now: () => Date = () => new Date()): ConnectionMemo {
  const entries = new Map<string, Entry>();
  const keyOf = (connectionId: string, key: string) => `${connectionId}\u0000${key}`;
  return {
    get<T>(connectionId: string, key: string, ttlMs: number, load: () => Promise<T>) {
      const id = keyOf(connectionId, key);
      const at = now().getTime();
      const kept = entries.get(id);
      if (kept && at - kept.at < ttlMs && at >= kept.at) return kept.value as Promise<T>;
      const value = load();
      entries.delete(id);
      entries.set(id, { at, value });
      if (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value as string);
      value.catch(() => {
        if (entries.get(id)?.value === value) entries.delete(id);
      });
      return value;
    },
    forget(connectionId) {
      const prefix = `${connectionId}\u0000`;
      for (const id of [...entries.keys()]) if (id.startsWith(prefix)) entries.delete(id);
    },
  };
}
