/**
 * Message metadata kept in memory per connection, so a repeat listing asks Gmail only for
 * what changed. A message's headers, snippet, dates, size and thread never change for a
 * given id in Gmail; its labels do, so they are never taken on trust: every listing that
 * uses the cache asks `history.list` for the label changes since the last one (in the
 * same batch as the `messages.list`) and applies them here, and a message whose changes
 * cannot all be seen is fetched again.
 *
 * The label rule. A kept message carries the id of the last history record that changed
 * it (`historyId`, as Gmail reports it); it reflects every change up to that record. A
 * change (history record `r`) is applied to it only when `r` is newer, so answers that
 * arrive out of order never undo a later change. The connection's `syncedTo` is a
 * history id up to which every kept message reflects every change; the next listing asks
 * for the changes after it. A message fetched while another listing moved `syncedTo` is
 * not kept (it could have missed a change in between), and the state of a connection
 * that was forgotten meanwhile is never written.
 *
 * Bounds, never written to disk:
 * - 500 messages per connection: ten pages of the largest listing (50), or twenty of the
 *   usual 25, which is more than anyone pages through before the hour is out;
 * - 8 MiB and 10,000 messages in total across connections, least recently used evicted
 *   first. A metadata message (four headers, a snippet, labels) costs about 1–2 KiB as
 *   held here (its JSON length, doubled for JavaScript's two-byte strings, plus a fixed
 *   overhead per entry), so 8 MiB holds roughly 4,000–8,000 messages: a few hundred busy
 *   users' inboxes, a small part of the process's memory budget;
 * - an hour: a message kept longer is fetched again, and a connection whose last sync is
 *   older starts over (its history may be long, or gone).
 * A connection's state is dropped on disconnect and on every status change
 * (`ConnectionMemo.forget`).
 */
import { z } from 'zod';
import type { GmailMessage } from './gmail-schemas.ts';

export const CACHE_TTL_MS = 60 * 60_000;
export const MAX_MESSAGES_PER_CONNECTION = 500;
export const MAX_MESSAGES_TOTAL = 10_000;
export const MAX_BYTES_TOTAL = 8 * 1024 * 1024;
const ENTRY_OVERHEAD_BYTES = 256;

/** The part of a `history.list` answer the cache reads. */
const HistoryMessageRef = z.object({ message: z.object({ id: z.string() }) });
const HistoryLabelChange = HistoryMessageRef.extend({ labelIds: z.array(z.string()) });
export const GmailHistoryListSchema = z.object({
  history: z
    .array(
      z.object({
        id: z.string(),
        messagesDeleted: z.array(HistoryMessageRef).optional(),
        labelsAdded: z.array(HistoryLabelChange).optional(),
        labelsRemoved: z.array(HistoryLabelChange).optional(),
      }),
    )
    .optional(),
  nextPageToken: z.string().optional(),
  historyId: z.string(),
});
export type GmailHistoryList = z.infer<typeof GmailHistoryListSchema>;

/** The history kinds a listing asks for. */
export const HISTORY_TYPES = ['labelAdded', 'labelRemoved', 'messageDeleted'] as const;

interface Entry {
  connectionId: string;
  /** Which `messages.get` it answers (format and headers). */
  shape: string;
  message: GmailMessage;
  labelIds: Set<string>;
  historyId: bigint;
  storedAt: number;
  bytes: number;
}

/** What a connection has kept; replaced (never reused) after `forget`. */
interface ConnectionState {
  entries: Map<string, Entry>;
  syncedTo: bigint | null;
  syncedAt: number;
  /** Moves on every sync applied: a fetch that saw another value is not kept. */
  version: number;
}

/** Where a listing stands: hand it back when applying history or storing messages. */
export interface CacheTicket {
  readonly state: ConnectionState;
  readonly version: number;
  /** The history id to ask changes after; null: nothing can be trusted, fetch everything. */
  readonly syncedTo: string | null;
}

export interface MessageCache {
  /** The connection's state for one listing (a fresh one when there was none or it aged). */
  begin(connectionId: string): CacheTicket;
  /**
   * Applies a `history.list` answer asked after `ticket.syncedTo`; the ticket to fetch
   * with afterwards. An answer with more pages drops what was kept (too much changed).
   */
  applyHistory(ticket: CacheTicket, history: GmailHistoryList): CacheTicket;
  /** Drops what a connection kept (its history could not be read). */
  reset(ticket: CacheTicket): CacheTicket;
  /** The kept messages of these ids in this shape, current labels included. */
  lookup(ticket: CacheTicket, shape: string, ids: readonly string[]): Map<string, GmailMessage>;
  /**
   * Keeps messages fetched under `ticket` (none if another sync or a forget came in
   * between). `syncedTo` starts the connection's history when it had none: a history id
   * read before these messages were fetched.
   */
  store(
    ticket: CacheTicket,
    shape: string,
    messages: readonly GmailMessage[],
    syncedTo: string | null,
  ): void;
  /** Drops everything kept for a connection. */
  forget(connectionId: string): void;
  /** Messages and estimated bytes held, in total and for one connection. */
  size(connectionId?: string): { messages: number; bytes: number };
}

export interface MessageCacheLimits {
  perConnection?: number;
  totalMessages?: number;
  totalBytes?: number;
  ttlMs?: number;
}

function historyNumber(id: string | undefined): bigint | null {
  return id !== undefined && /^\d{1,20}$/.test(id) ? BigInt(id) : null;
}

export function createMessageCache(
  now: () => Date = () => new Date(),
  limits: MessageCacheLimits = {},
): MessageCache {
  const perConnection = limits.perConnection ?? MAX_MESSAGES_PER_CONNECTION;
  const totalMessages = limits.totalMessages ?? MAX_MESSAGES_TOTAL;
  const totalBytes = limits.totalBytes ?? MAX_BYTES_TOTAL;
  const ttlMs = limits.ttlMs ?? CACHE_TTL_MS;
  const connections = new Map<string, ConnectionState>();
  /** Every entry, least recently used first; key: connection id, NUL, message id. */
  const lru = new Map<string, Entry>();
  let bytes = 0;

  const keyOf = (connectionId: string, id: string) => `${connectionId}\u0000${id}`;
  /** The connection each state belongs to. */
  const owners = new WeakMap<ConnectionState, string>();
  const connectionOf = (ticket: CacheTicket) => owners.get(ticket.state) ?? '';
  /** Whether the ticket's state is still the connection's (not forgotten or started over). */
  const live = (ticket: CacheTicket) => connections.get(connectionOf(ticket)) === ticket.state;
  const young = (since: number, at: number) => at - since < ttlMs && at >= since;

  const drop = (entry: Entry, id: string) => {
    const key = keyOf(entry.connectionId, id);
    if (lru.get(key) !== entry) return;
    lru.delete(key);
    connections.get(entry.connectionId)?.entries.delete(id);
    bytes -= entry.bytes;
  };
  const fresh = (connectionId: string): ConnectionState => {
    const old = connections.get(connectionId);
    if (old) for (const [id, entry] of old.entries) drop(entry, id);
    const state: ConnectionState = {
      entries: new Map(),
      syncedTo: null,
      syncedAt: 0,
      version: 0,
    };
    connections.set(connectionId, state);
    owners.set(state, connectionId);
    return state;
  };
  const ticketOf = (state: ConnectionState): CacheTicket => ({
    state,
    version: state.version,
    syncedTo: state.syncedTo === null ? null : String(state.syncedTo),
  });
  const idOfKey = (key: string) => key.slice(key.indexOf('\u0000') + 1);

  return {
    begin(connectionId) {
      const at = now().getTime();
      const state = connections.get(connectionId);
      if (!state || (state.syncedTo !== null && !young(state.syncedAt, at)))
        return ticketOf(fresh(connectionId));
      return ticketOf(state);
    },
    applyHistory(ticket, history) {
      if (!live(ticket)) return ticket;
      const { state } = ticket;
      const to = historyNumber(history.historyId);
      if (history.nextPageToken !== undefined || to === null)
        return ticketOf(fresh(connectionOf(ticket)));
      for (const record of history.history ?? []) {
        const at = historyNumber(record.id);
        if (at === null) return ticketOf(fresh(connectionOf(ticket)));
        const changed = new Set<string>();
        for (const { message } of record.messagesDeleted ?? []) {
          const entry = state.entries.get(message.id);
          if (entry) drop(entry, message.id);
        }
        const change = (items: typeof record.labelsAdded, add: boolean) => {
          for (const { message, labelIds } of items ?? []) {
            const entry = state.entries.get(message.id);
            if (!entry || entry.historyId >= at) continue;
            changed.add(message.id);
            for (const label of labelIds) {
              if (add) entry.labelIds.add(label);
              else entry.labelIds.delete(label);
            }
          }
        };
        change(record.labelsAdded, true);
        change(record.labelsRemoved, false);
        for (const id of changed) {
          const entry = state.entries.get(id);
          if (entry) entry.historyId = at;
        }
      }
      if (state.syncedTo === null || to > state.syncedTo) state.syncedTo = to;
      state.syncedAt = now().getTime();
      state.version += 1;
      return ticketOf(state);
    },
    reset(ticket) {
      return live(ticket) ? ticketOf(fresh(connectionOf(ticket))) : ticket;
    },
    lookup(ticket, shape, ids) {
      const found = new Map<string, GmailMessage>();
      if (!live(ticket)) return found;
      const connectionId = connectionOf(ticket);
      const at = now().getTime();
      for (const id of ids) {
        const entry = ticket.state.entries.get(id);
        if (!entry || entry.shape !== shape) continue;
        if (!young(entry.storedAt, at)) {
          drop(entry, id);
          continue;
        }
        // Most recently used: to the end of both orders.
        const key = keyOf(connectionId, id);
        lru.delete(key);
        lru.set(key, entry);
        ticket.state.entries.delete(id);
        ticket.state.entries.set(id, entry);
        found.set(id, { ...entry.message, labelIds: [...entry.labelIds] });
      }
      return found;
    },
    store(ticket, shape, messages, syncedTo) {
      if (!live(ticket) || ticket.state.version !== ticket.version) return;
      const { state } = ticket;
      const connectionId = connectionOf(ticket);
      const at = now().getTime();
      if (state.syncedTo === null) {
        const start = historyNumber(syncedTo ?? undefined);
        if (start === null) return;
        state.syncedTo = start;
        state.syncedAt = at;
        state.version += 1;
      }
      for (const message of messages) {
        const historyId = historyNumber(message.historyId);
        if (historyId === null) continue;
        const { labelIds, ...rest } = message;
        const size = JSON.stringify(rest).length * 2 + ENTRY_OVERHEAD_BYTES;
        const old = state.entries.get(message.id);
        if (old) drop(old, message.id);
        const entry: Entry = {
          connectionId,
          shape,
          message: rest,
          labelIds: new Set(labelIds ?? []),
          historyId,
          storedAt: at,
          bytes: size,
        };
        state.entries.set(message.id, entry);
        lru.set(keyOf(connectionId, message.id), entry);
        bytes += size;
        while (state.entries.size > perConnection) {
          const [id, oldest] = state.entries.entries().next().value as [string, Entry];
          drop(oldest, id);
        }
      }
      // Expired first, then least recently used, until within the totals.
      for (const [key, entry] of lru) {
        if (young(entry.storedAt, at) && lru.size <= totalMessages && bytes <= totalBytes) break;
        drop(entry, idOfKey(key));
      }
    },
    forget(connectionId) {
      if (connections.has(connectionId)) {
        fresh(connectionId);
        connections.delete(connectionId);
      }
    },
    size(connectionId) {
      if (connectionId === undefined) return { messages: lru.size, bytes };
      let held = 0;
      const entries = connections.get(connectionId)?.entries;
      for (const entry of entries?.values() ?? []) held += entry.bytes;
      return { messages: entries?.size ?? 0, bytes: held };
    },
  };
}
