/**
 * Per-connection memory of one process: answers that change rarely — the Gmail profile's
 * address, the Calendar time zone setting — kept for a while so a request does not ask
 * Google again each time (concurrent callers share one load; a failed load is not kept),
 * and the Gmail message metadata cache (`message-cache.ts`).
 *
 * All of it goes when the connection changes: `forgetConnection` drops what every memo of
 * the process keeps for it, and the connection's status machine calls it on every status
 * change and on disconnect (so also when its user is deleted, which disconnects first).
 * Memos register themselves weakly, so a memo nobody holds any more is not kept alive.
 */
import { createMessageCache, type MessageCache, type MessageCacheLimits } from './message-cache.ts';

export interface ConnectionMemo {
  /** The value kept for (connection, key) if younger than `ttlMs`, else `load()`'s. */
  get<T>(connectionId: string, key: string, ttlMs: number, load: () => Promise<T>): Promise<T>;
  /** Drops what is kept for a connection (after a reconnect or a disconnect). */
  forget(connectionId: string): void;
  /** Gmail message metadata kept per connection (labels kept current from history). */
  messages: MessageCache;
}

interface Entry {
  at: number;
  value: Promise<unknown>;
}

/** At most this many entries; the oldest go first. */
const MAX_ENTRIES = 10_000;

const memos = new Set<WeakRef<ConnectionMemo>>();

/**
 * Drops what every memo of this process keeps for a connection: everything, or only its
 * cached messages (`'messages'`).
 */
export function forgetConnection(connectionId: string, what: 'all' | 'messages' = 'all'): void {
  for (const ref of memos) {
    const memo = ref.deref();
    if (!memo) memos.delete(ref);
    else if (what === 'messages') memo.messages.forget(connectionId);
    else memo.forget(connectionId);
  }
}

export function createConnectionMemo(
  now: () => Date = () => new Date(),
  limits: MessageCacheLimits = {},
): ConnectionMemo {
  const entries = new Map<string, Entry>();
  const keyOf = (connectionId: string, key: string) => `${connectionId}\u0000${key}`;
  const messages = createMessageCache(now, limits);
  const memo: ConnectionMemo = {
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
      messages.forget(connectionId);
    },
    messages,
  };
  memos.add(new WeakRef(memo));
  return memo;
}
