/**
 * Connection records: created or updated from a completed Google consent, listed, picked
 * (by id, email or default), made default, and disconnected (revoked at Google, ciphertext
 * deleted, event recorded — the local deletion happens even when Google's revoke fails).
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Connection, Database } from '../db/index.ts';
import { TidingsError } from '../errors.ts';
import type { ConnectionView } from '../front-door.ts';
import type { Metrics } from '../http/metrics.ts';
import type { Logger } from '../log.ts';
import type { GoogleOidc } from '../oauth/google-oidc.ts';
import type { Vault } from '../vault/index.ts';
import { parseTokenBundle, TOKEN_PURPOSE, type TokenBundle } from './token-bundle.ts';
import { recordEvent, transition } from './transitions.ts';
import { capabilitiesOf, toConnectionView } from './views.ts';

export interface GrantInput {
  userId: string;
  subject: string;
  email: string;
  displayName: string | null;
  hostedDomain: string | null;
  scopes: string[];
  accessToken: string;
  /** Null when Google withheld it; an existing connection's refresh token is then kept. */
  refreshToken: string | null;
  expiresIn: number | null;
}

export interface ConnectionStoreDeps {
  db: Kysely<Database>;
  vault: Vault;
  oidc: () => Pick<GoogleOidc, 'revoke'> | null;
  now: () => Date;
  logger: Logger;
  metrics?: Metrics;
}

const binding = (id: string) => ({ purpose: TOKEN_PURPOSE, recordId: id });

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

  async function openBundle(row: Connection): Promise<TokenBundle | null> {
    if (!row.token_ciphertext) return null;
    try {
      return parseTokenBundle(await deps.vault.open(binding(row.id), row.token_ciphertext));
    } catch {
      return null;
    }
  }

  async function ensureDefault(userId: string): Promise<void> {
    const rows = await db
      .selectFrom('connections')
      .select(['id', 'is_default'])
      .where('user_id', '=', userId)
      .where('status', '<>', 'revoked')
      .orderBy('created_at')
      .execute();
    if (rows.length > 0 && !rows.some((row) => row.is_default)) {
      await db
        .updateTable('connections')
        .set({ is_default: true })
        .where('id', '=', rows[0]!.id)
        .execute();
    }
  }

  return {
    /** Stores a completed consent. Returns the connection and whether it was new. */
    async saveGrant(grant: GrantInput): Promise<{ connection: ConnectionView; created: boolean }> {
      const now = deps.now();
      const existing = await db
        .selectFrom('connections')
        .selectAll()
        .where('user_id', '=', grant.userId)
        .where('provider', '=', 'google')
        .where('subject', '=', grant.subject)
        .executeTakeFirst();
      const id = existing?.id ?? randomUUID();
      let refreshToken = grant.refreshToken;
      if (!refreshToken && existing)
        refreshToken = (await openBundle(existing))?.refreshToken ?? null;
      if (!refreshToken) {
        throw new TidingsError(
          'oauth_no_refresh_token',
          'Google did not hand out offline access. Remove Tidings from your Google account permissions, then connect again.',
        );
      }
      const bundle: TokenBundle = {
        accessToken: grant.accessToken,
        refreshToken,
        accessExpiresAt: grant.expiresIn === null ? null : now.getTime() + grant.expiresIn * 1000,
        tokenType: 'Bearer',
      };
      const sealed = await deps.vault.seal(binding(id), JSON.stringify(bundle));
      const columns = {
        email: grant.email,
        display_name: grant.displayName,
        hosted_domain: grant.hostedDomain,
        granted_scopes: JSON.stringify(grant.scopes),
        token_ciphertext: sealed.ciphertext,
        key_version: sealed.keyVersion,
        access_expires_at:
          bundle.accessExpiresAt === null ? null : new Date(bundle.accessExpiresAt),
        last_refreshed_at: now,
        last_checked_at: now,
        failure_count: 0,
        next_attempt_at: null,
        updated_at: now,
      };
      if (existing) {
        await db.updateTable('connections').set(columns).where('id', '=', id).execute();
        if (existing.status !== 'active') {
          await transition(db, deps, {
            connectionId: id,
            to: 'active',
            reason: 'reconnected',
            from: [existing.status],
          });
        } else {
          await recordEvent(db, deps, {
            connectionId: id,
            userId: grant.userId,
            type: 'reconnected',
            detail: { scopes: grant.scopes },
          });
        }
      } else {
        await db
          .insertInto('connections')
          .values({
            id,
            user_id: grant.userId,
            provider: 'google',
            subject: grant.subject,
            status: 'active',
            status_reason: null,
            ...columns,
          })
          .execute();
        await recordEvent(db, deps, {
          connectionId: id,
          userId: grant.userId,
          type: 'connected',
          to: 'active',
          detail: { scopes: grant.scopes },
        });
        deps.metrics?.connectionTransitions.inc({
          from: 'none',
          to: 'active',
          reason: 'connected',
        });
      }
      await ensureDefault(grant.userId);
      await db
        .insertInto('notifications')
        .values({
          user_id: grant.userId,
          connection_id: id,
          kind: 'connected',
          payload: JSON.stringify({
            email: grant.email,
            capabilities: capabilitiesOf(grant.scopes),
            scopes: grant.scopes,
          }),
          created_at: now,
        })
        .execute();
      const row = await db
        .selectFrom('connections')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      return { connection: toConnectionView(row), created: !existing };
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

    async disconnect(userId: string | null, connectionId: string): Promise<ConnectionView> {
      const row = userId
        ? await ownRow(userId, connectionId)
        : await db
            .selectFrom('connections')
            .selectAll()
            .where('id', '=', connectionId)
            .where('status', '<>', 'revoked')
            .executeTakeFirst();
      if (!row) throw new TidingsError('not_found', 'No such connection.');
      const bundle = await openBundle(row);
      let revokeError: string | null = null;
      const oidc = deps.oidc();
      if (bundle && oidc) {
        try {
          await oidc.revoke(bundle.refreshToken);
        } catch (error) {
          revokeError = (error as Error).message;
        }
      } else {
        revokeError = bundle ? 'Google client not configured' : 'no usable token to revoke';
      }
      await transition(db, deps, {
        connectionId: row.id,
        to: 'revoked',
        reason: 'user_disconnected',
        from: ['active', 'degraded', 'needs_reauth'],
        set: {
          token_ciphertext: null,
          key_version: null,
          is_default: false,
          access_expires_at: null,
          next_attempt_at: null,
        },
        detail: { revoked_at_google: revokeError === null },
      });
      if (revokeError) {
        deps.logger.warn(
          { connection: row.id, error: revokeError },
          'Google revoke failed; local tokens deleted anyway',
        );
        await recordEvent(db, deps, {
          connectionId: row.id,
          userId: row.user_id,
          type: 'revoke_failed',
          detail: { error: revokeError },
        });
      }
      await ensureDefault(row.user_id);
      const after = await db
        .selectFrom('connections')
        .selectAll()
        .where('id', '=', row.id)
        .executeTakeFirstOrThrow();
      return toConnectionView(after);
    },
  };
}

export type ConnectionStore = ReturnType<typeof createConnectionStore>;
