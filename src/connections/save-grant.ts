/**
 * Storing a completed Google consent: a new connection, or the same Google account again
 * (same `sub`) updating its connection. One transaction writes the row, its status change
 * or event, the default choice and the "connected" notice; the vault seals outside it.
 * Concurrent consents for one account are safe: one user's consents are serialised by a
 * lock on the user row, the insert yields to an existing row (`on conflict do nothing`),
 * and a writer whose reading went stale reads again and becomes a reconnect — never a
 * 500, never a half-written record. Every write bumps the token generation, so a refresh
 * still at Google with the previous grant cannot write over this one.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Connection, Database } from '../db/index.ts';
import { TidingsError } from '../errors.ts';
import type { Vault } from '../vault/index.ts';
import type { ConnectionMetrics } from './metrics.ts';
import { refreshTokenDigest } from './refresh-token-digest.ts';
import { openTokenBundle, sealTokenBundle, type TokenBundle } from './token-bundle.ts';
import { recordEvent, transition } from './transitions.ts';
import { capabilitiesOf } from './views.ts';

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

export interface SaveGrantDeps {
  db: Kysely<Database>;
  vault: Pick<Vault, 'open' | 'seal'>;
  now: () => Date;
  metrics?: ConnectionMetrics | undefined;
}

const MAX_ROUNDS = 5;

/** The user's connections get exactly one default while any is live. */
export async function ensureDefault(db: Transaction<Database>, userId: string): Promise<void> {
  const rows = await db
    .selectFrom('connections')
    .select(['id', 'is_default'])
    .where('user_id', '=', userId)
    .where('status', '<>', 'revoked')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  if (rows.length > 0 && !rows.some((row) => row.is_default)) {
    await db
      .updateTable('connections')
      .set({ is_default: true })
      .where('id', '=', rows[0]!.id)
      .execute();
  }
}

/** Serialises one user's connection writes (default choice) inside a transaction. */
export async function lockUser(db: Transaction<Database>, userId: string): Promise<void> {
  await db.selectFrom('users').select('id').where('id', '=', userId).forUpdate().execute();
}

function findExisting(db: Kysely<Database> | Transaction<Database>, grant: GrantInput) {
  return db
    .selectFrom('connections')
    .selectAll()
    .where('user_id', '=', grant.userId)
    .where('provider', '=', 'google')
    .where('subject', '=', grant.subject)
    .executeTakeFirst();
}

async function keptRefreshToken(
  deps: SaveGrantDeps,
  existing: Connection | undefined,
): Promise<string | null> {
  if (!existing?.token_ciphertext) return null;
  const opened = await openTokenBundle(deps.vault, existing.id, existing.token_ciphertext);
  return opened === 'corrupt' ? null : opened.refreshToken;
}

/** Stores a completed consent. Returns the connection id and whether it was new. */
export async function saveGrant(
  deps: SaveGrantDeps,
  grant: GrantInput,
): Promise<{ id: string; created: boolean }> {
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const now = deps.now();
    const existing = await findExisting(deps.db, grant);
    const refreshToken = grant.refreshToken ?? (await keptRefreshToken(deps, existing));
    if (!refreshToken) {
      throw new TidingsError(
        'oauth_no_refresh_token',
        'Google did not hand out offline access. Remove Tidings from your Google account permissions, then connect again.',
      );
    }
    const id = existing?.id ?? randomUUID();
    const bundle: TokenBundle = {
      accessToken: grant.accessToken,
      refreshToken,
      accessExpiresAt: grant.expiresIn === null ? null : now.getTime() + grant.expiresIn * 1000,
      tokenType: 'Bearer',
    };
    const sealed = await sealTokenBundle(deps.vault, id, bundle);
    const columns = {
      email: grant.email,
      display_name: grant.displayName,
      hosted_domain: grant.hostedDomain,
      granted_scopes: JSON.stringify(grant.scopes),
      token_ciphertext: sealed.ciphertext,
      key_version: sealed.keyVersion,
      refresh_token_digest: refreshTokenDigest(refreshToken),
      granted_at: now,
      access_expires_at: bundle.accessExpiresAt === null ? null : new Date(bundle.accessExpiresAt),
      last_refreshed_at: now,
      last_checked_at: now,
      failure_count: 0,
      failure_kind: null,
      next_attempt_at: null,
      updated_at: now,
    };
    const stored = await deps.db.transaction().execute(async (trx) => {
      await lockUser(trx, grant.userId);
      const current = await findExisting(trx, grant);
      // Sealed for another id, or the kept refresh token may be stale: read again.
      if (current && current.id !== id) return false;
      if (current && !grant.refreshToken && current.token_version !== existing?.token_version)
        return false;
      if (current?.status === 'active') {
        await trx
          .updateTable('connections')
          .set((eb) => ({ ...columns, token_version: eb('token_version', '+', 1) }))
          .where('id', '=', id)
          .execute();
        await recordEvent(trx, deps, {
          connectionId: id,
          userId: grant.userId,
          type: 'reconnected',
          detail: { scopes: grant.scopes },
        });
      } else if (current) {
        const moved = await transition(trx, deps, {
          connectionId: id,
          to: 'active',
          reason: 'reconnected',
          from: [current.status],
          set: columns,
        });
        if (moved === null) return false;
      } else {
        const inserted = await trx
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
          .onConflict((oc) => oc.columns(['user_id', 'provider', 'subject']).doNothing())
          .returning('id')
          .executeTakeFirst();
        if (!inserted) return false;
        await recordEvent(trx, deps, {
          connectionId: id,
          userId: grant.userId,
          type: 'connected',
          to: 'active',
          detail: { scopes: grant.scopes },
        });
      }
      await ensureDefault(trx, grant.userId);
      await trx
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
      return current ? 'updated' : 'created';
    });
    if (stored === false) continue;
    if (stored === 'created') {
      deps.metrics?.connectionTransitions.inc({ from: 'none', to: 'active', reason: 'connected' });
    }
    return { id, created: stored === 'created' };
  }
  throw new Error('the connection kept changing while a consent was stored');
}
