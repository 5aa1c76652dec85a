/**
 * Connection records: created or updated from a completed Google consent
 * (`save-grant.ts`), listed, picked (by id, email or default), made default, and
 * disconnected (`disconnect.ts`).
 *
 * `resolveRecent` picks from a listing of the last few seconds, for a capability run whose
 * token read (the broker's) checks the connection's status again: a status change made
 * elsewhere can only make the run fail the way a fresh read would. A consent, a default
 * change or a disconnect in this process forgets every remembered listing at once; one
 * made by another process is seen within `RECENT_CONNECTIONS_TTL_MS`.
 */
import type { Kysely } from 'kysely';
import type { Connection, ConnectionEvent, Database } from '../db/index.ts';
import { TidingsError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { Vault } from '../vault/index.ts';
import { type DisconnectOutcome, disconnectConnection } from './disconnect.ts';
import { dropHeldToken } from './held-tokens.ts';
import type { ConnectionMetrics } from './metrics.ts';
import { type GrantInput, saveGrant } from './save-grant.ts';
import type { TokenEndpoint } from './token-endpoint.ts';
import { type ConnectionView, toConnectionView } from './views.ts';

export type { GrantInput } from './save-grant.ts';

/** How long `resolveRecent` may pick from an earlier listing. */
export const RECENT_CONNECTIONS_TTL_MS = 5_000;
const MAX_RECENT_LISTINGS = 10_000;

/** Bumped by every consent, default change and disconnect in this process. */
let connectionWrites = 0;

/** Around a write to connections: listings read before it finished are void. */
async function writing<T>(write: () => Promise<T>): Promise<T> {
  connectionWrites++;
  try {
    return await write();
  } finally {
    connectionWrites++;
  }
}

export interface ConnectionStoreDeps {
  db: Kysely<Database>;
  vault: Pick<Vault, 'open' | 'seal'>;
  /** Google's revocation endpoint; null when no Google client is configured. */
  endpoint: () => Pick<TokenEndpoint, 'revoke'> | null;
  now: () => Date;
  logger: Logger;
  metrics?: ConnectionMetrics | undefined;
}

export interface ConnectionStore {
  /** Stores a completed consent. Returns the connection and whether it was new. */
  saveGrant(grant: GrantInput): Promise<{ connection: ConnectionView; created: boolean }>;
  /** The user's connections that are not revoked, oldest first. */
  list(userId: string): Promise<ConnectionView[]>;
  /** Every connection of every user, revoked ones too (the admin listing). */
  listAll(): Promise<ConnectionView[]>;
  /** By id or email, belonging to the user; else the default. Throws not_connected / not_found. */
  resolve(userId: string, selector?: string | null): Promise<ConnectionView>;
  /**
   * `resolve` from a listing of the last `RECENT_CONNECTIONS_TTL_MS` (never one older than
   * a consent, default change or disconnect made in this process). Only for callers that
   * read the connection's status again before using it (the broker does).
   */
  resolveRecent(userId: string, selector?: string | null): Promise<ConnectionView>;
  setDefault(userId: string, connectionId: string): Promise<ConnectionView>;
  /**
   * Revokes at Google (best effort), deletes the ciphertext, records what happened; with a
   * null user, any user's connection (the admin command).
   */
  disconnect(
    userId: string | null,
    connectionId: string,
  ): Promise<DisconnectOutcome & { connection: ConnectionView }>;
  /** The history of one connection, oldest first. */
  events(connectionId: string): Promise<ConnectionEvent[]>;
}

export function createConnectionStore(deps: ConnectionStoreDeps): ConnectionStore {
  const { db } = deps;
  const recent = new Map<string, { rows: ConnectionView[]; at: number; writes: number }>();

  async function recentList(userId: string): Promise<ConnectionView[]> {
    const at = deps.now().getTime();
    const entry = recent.get(userId);
    if (
      entry &&
      entry.writes === connectionWrites &&
      at >= entry.at &&
      at - entry.at < RECENT_CONNECTIONS_TTL_MS
    ) {
      return entry.rows;
    }
    const writesBefore = connectionWrites;
    const rows = await store.list(userId);
    if (writesBefore === connectionWrites) {
      if (recent.size >= MAX_RECENT_LISTINGS) recent.clear();
      recent.set(userId, { rows, at, writes: writesBefore });
    } else recent.delete(userId);
    return rows;
  }

  function pick(rows: ConnectionView[], selector?: string | null): ConnectionView {
    if (selector) {
      const wanted = selector.trim().toLowerCase();
      const match = rows.find((row) => row.id === selector || row.email.toLowerCase() === wanted);
      if (!match)
        throw new TidingsError('not_found', 'No connection of yours matches that id or email.', {
          field: 'connection',
        });
      return match;
    }
    const chosen = rows.find((row) => row.isDefault) ?? rows[0];
    if (!chosen) throw new TidingsError('not_connected', 'No Google account is connected yet.');
    return chosen;
  }

  async function ownRow(userId: string, connectionId: string): Promise<Connection> {
    const row = await db
      .selectFrom('connections')
      .selectAll()
      .where('id', '=', connectionId)
      .where('user_id', '=', userId)
      .where('status', '<>', 'revoked')
      .executeTakeFirst();
    if (!row) throw new TidingsError('not_found', 'No such connection for this user.');
    return row;
  }

  const store: ConnectionStore = {
    async saveGrant(grant) {
      const { id, created } = await writing(() => saveGrant(deps, grant));
      const row = await db
        .selectFrom('connections')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      return { connection: toConnectionView(row), created };
    },

    async list(userId) {
      const rows = await db
        .selectFrom('connections')
        .selectAll()
        .where('user_id', '=', userId)
        .where('status', '<>', 'revoked')
        .orderBy('created_at')
        .execute();
      return rows.map(toConnectionView);
    },

    async listAll() {
      const rows = await db.selectFrom('connections').selectAll().orderBy('created_at').execute();
      return rows.map(toConnectionView);
    },

    async resolve(userId, selector) {
      return pick(await store.list(userId), selector);
    },

    async resolveRecent(userId, selector) {
      return pick(await recentList(userId), selector);
    },

    async setDefault(userId, connectionId) {
      await ownRow(userId, connectionId);
      await writing(() =>
        db.transaction().execute(async (trx) => {
          await trx
            .updateTable('connections')
            .set({ is_default: false })
            .where('user_id', '=', userId)
            .execute();
          await trx
            .updateTable('connections')
            .set({ is_default: true })
            .where('id', '=', connectionId)
            .execute();
        }),
      );
      return toConnectionView(await ownRow(userId, connectionId));
    },

    async disconnect(userId, connectionId) {
      const row = userId
        ? await ownRow(userId, connectionId)
        : await db
            .selectFrom('connections')
            .selectAll()
            .where('id', '=', connectionId)
            .where('status', '<>', 'revoked')
            .executeTakeFirst();
      if (!row) throw new TidingsError('not_found', 'No such connection.');
      const outcome = await writing(() => disconnectConnection(deps, row.id)).finally(() =>
        dropHeldToken(row.id),
      );
      const after = await db
        .selectFrom('connections')
        .selectAll()
        .where('id', '=', row.id)
        .executeTakeFirstOrThrow();
      return { ...outcome, connection: toConnectionView(after) };
    },

    async events(connectionId) {
      return db
        .selectFrom('connection_events')
        .selectAll()
        .where('connection_id', '=', connectionId)
        .orderBy('id')
        .execute();
    },
  };
  return store;
}
