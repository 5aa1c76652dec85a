/**
 * Connection records: created or updated from a completed Google consent
 * (`save-grant.ts`), listed, picked (by id, email or default), made default, and
 * disconnected (`disconnect.ts`).
 */
import type { Kysely } from 'kysely';
import type { Connection, ConnectionEvent, Database } from '../db/index.ts';
import { TidingsError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { Vault } from '../vault/index.ts';
import { type DisconnectOutcome, disconnectConnection } from './disconnect.ts';
import type { ConnectionMetrics } from './metrics.ts';
import { type GrantInput, saveGrant } from './save-grant.ts';
import type { TokenEndpoint } from './token-endpoint.ts';
import { type ConnectionView, toConnectionView } from './views.ts';

export type { GrantInput } from './save-grant.ts';

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
      const { id, created } = await saveGrant(deps, grant);
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
      const rows = await store.list(userId);
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
    },

    async setDefault(userId, connectionId) {
      await ownRow(userId, connectionId);
      await db.transaction().execute(async (trx) => {
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
      });
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
      const outcome = await disconnectConnection(deps, row.id);
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
