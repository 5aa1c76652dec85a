/**
 * Connection records: created or updated from a completed Google consent
 * (`save-grant.ts`), listed, picked (by id, email or default), made default, and
 * disconnected (`disconnect.ts`).
 */
import type { Kysely } from 'kysely';
import type { Connection, Database } from '../db/index.ts';
import { TidingsError } from '../errors.ts';
import type { ConnectionView } from '../front-door.ts';
import type { Logger } from '../log.ts';
import type { Vault } from '../vault/index.ts';
import { type DisconnectOutcome, disconnectConnection } from './disconnect.ts';
import type { ConnectionMetrics } from './metrics.ts';
import { type GrantInput, saveGrant } from './save-grant.ts';
import type { TokenEndpoint } from './token-endpoint.ts';
import { toConnectionView } from './views.ts';

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

export function createConnectionStore(deps: ConnectionStoreDeps) {
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

  return {
    /** Stores a completed consent. Returns the connection and whether it was new. */
    async saveGrant(grant: GrantInput): Promise<{ connection: ConnectionView; created: boolean }> {
      const { id, created } = await saveGrant(deps, grant);
      const row = await db
        .selectFrom('connections')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      return { connection: toConnectionView(row), created };
    },

    async list(userId: string): Promise<ConnectionView[]> {
      const rows = await db
        .selectFrom('connections')
        .selectAll()
        .where('user_id', '=', userId)
        .where('status', '<>', 'revoked')
        .orderBy('created_at')
        .execute();
      return rows.map(toConnectionView);
    },

    async listAll(): Promise<ConnectionView[]> {
      const rows = await db.selectFrom('connections').selectAll().orderBy('created_at').execute();
      return rows.map(toConnectionView);
    },

    async resolve(userId: string, selector?: string | null): Promise<ConnectionView> {
      const rows = await this.list(userId);
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

    async setDefault(userId: string, connectionId: string): Promise<ConnectionView> {
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

    /** Revokes at Google (best effort), deletes the ciphertext, records what happened. */
    async disconnect(
      userId: string | null,
      connectionId: string,
    ): Promise<DisconnectOutcome & { connection: ConnectionView }> {
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
  };
}

export type ConnectionStore = ReturnType<typeof createConnectionStore>;
