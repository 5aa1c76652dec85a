/**
 * The credential broker: hands out Google access tokens valid for at least a minute, and
 * refreshes them when needed — one refresh per connection at a time inside this process
 * (a shared promise) and across processes (a PostgreSQL advisory lock, then a re-read:
 * whoever waited finds the fresh token). Failures move the connection through the status
 * machine; a refresh never resurrects a connection that was disconnected meanwhile.
 */
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Connection, Database } from '../db/index.ts';
import { TidingsError, type ReauthReason } from '../errors.ts';
import type { TokenSource } from '../google/index.ts';
import type { Metrics } from '../http/metrics.ts';
import type { Logger } from '../log.ts';
import type { GoogleOidc, TokenFailure } from '../oauth/google-oidc.ts';
import { translateTokenError } from '../oauth/google-oidc.ts';
import type { Vault } from '../vault/index.ts';
import { parseTokenBundle, TOKEN_PURPOSE, type TokenBundle } from './token-bundle.ts';
import { transition } from './transitions.ts';

/** A token handed out is valid for at least this long. */
export const MIN_VALIDITY_MS = 60_000;
/** A degraded connection keeps serving a token with at least this much life left. */
const DEGRADED_MIN_VALIDITY_MS = 5_000;
const LAST_USED_WRITE_INTERVAL_MS = 60_000;
const BACKOFF_BASE_MS = 30_000;
const BACKOFF_MAX_MS = 60 * 60_000;

export interface BrokerDeps {
  db: Kysely<Database>;
  /** PostgreSQL needs the cross-process lock; embedded PGlite is one process. */
  kind: 'pglite' | 'postgres';
  vault: Vault;
  oidc: Pick<GoogleOidc, 'refresh'>;
  now: () => Date;
  logger: Logger;
  metrics?: Metrics;
  random?: () => number;
}

export type RefreshOutcome = 'refreshed' | 'fresh' | 'needs_reauth' | 'degraded' | 'not_connected';

export interface Broker extends TokenSource {
  /** Refreshes now (the sweep's health check); never throws for expected outcomes. */
  refresh(connectionId: string, options?: { force?: boolean }): Promise<RefreshOutcome>;
}

type Db = Kysely<Database> | Transaction<Database>;

interface RefreshRequest {
  force: boolean;
  /** Google rejected this access token: refresh unless the stored one is already another. */
  rejected: string | null;
}

export function createBroker(deps: BrokerDeps): Broker {
  const inFlight = new Map<string, Promise<string>>();
  const lastUsedWritten = new Map<string, number>();
  const random = deps.random ?? Math.random;

  const binding = (connectionId: string) => ({ purpose: TOKEN_PURPOSE, recordId: connectionId });

  async function readRow(db: Db, connectionId: string): Promise<Connection | undefined> {
    return db
      .selectFrom('connections')
      .selectAll()
      .where('id', '=', connectionId)
      .executeTakeFirst();
  }

  function assertUsable(
    row: Connection | undefined,
    connectionId: string,
  ): asserts row is Connection & { token_ciphertext: string } {
    if (!row || row.status === 'revoked' || row.token_ciphertext === null) {
      if (row?.status === 'needs_reauth') throwReauth(row);
      throw new TidingsError('not_connected', 'This Google connection no longer exists.', {
        connectionId,
      });
    }
    if (row.status === 'needs_reauth') throwReauth(row);
  }

  function throwReauth(row: Connection): never {
    const reason = (row.status_reason ?? 'revoked') as ReauthReason;
    throw new TidingsError(
      'reauth_required',
      `The Google connection for ${row.email} needs to be reconnected.`,
      {
        reason,
        connectionId: row.id,
      },
    );
  }

  async function openBundle(
    db: Db,
    row: Connection & { token_ciphertext: string },
  ): Promise<TokenBundle> {
    let bundle: TokenBundle | null = null;
    try {
      bundle = parseTokenBundle(await deps.vault.open(binding(row.id), row.token_ciphertext));
    } catch (error) {
      deps.logger.error(
        {
          connection: row.id,
          err: { name: (error as Error).name, message: (error as Error).message },
        },
        'token bundle does not open',
      );
    }
    if (!bundle) {
      await transition(db, deps, {
        connectionId: row.id,
        to: 'needs_reauth',
        reason: 'corrupt',
        set: { token_ciphertext: null, key_version: null },
      });
      throw new TidingsError(
        'reauth_required',
        `The Google connection for ${row.email} needs to be reconnected.`,
        {
          reason: 'corrupt',
          connectionId: row.id,
        },
      );
    }
    return bundle;
  }

  function validFor(bundle: TokenBundle, ms: number): boolean {
    return (
      bundle.accessToken !== null &&
      bundle.accessExpiresAt !== null &&
      bundle.accessExpiresAt - deps.now().getTime() >= ms
    );
  }

  function touch(connectionId: string): void {
    const at = deps.now().getTime();
    if (at - (lastUsedWritten.get(connectionId) ?? 0) < LAST_USED_WRITE_INTERVAL_MS) return;
    lastUsedWritten.set(connectionId, at);
    deps.db
      .updateTable('connections')
      .set({ last_used_at: new Date(at) })
      .where('id', '=', connectionId)
      .execute()
      .catch((error: Error) =>
        deps.logger.warn(
          { connection: connectionId, err: error.message },
          'could not record last use',
        ),
      );
  }

  async function withRefreshLock<T>(
    connectionId: string,
    work: (db: Db) => Promise<T>,
  ): Promise<T> {
    if (deps.kind === 'pglite') return work(deps.db);
    // Expected failures are thrown after the commit, so the status change they wrote stays.
    const outcome = await deps.db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(hashtextextended(${`tidings-refresh:${connectionId}`}, 0))`.execute(
        trx,
      );
      try {
        return { value: await work(trx) };
      } catch (error) {
        if (error instanceof TidingsError) return { error };
        throw error;
      }
    });
    if ('error' in outcome) throw outcome.error;
    return outcome.value;
  }

  function backoffMs(failures: number, failure: TokenFailure): number {
    const exponential = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, failures - 1));
    const jittered = exponential / 2 + random() * (exponential / 2);
    return Math.max(jittered, (failure.retryAfterSeconds ?? 0) * 1000);
  }

  async function refreshNow(connectionId: string, request: RefreshRequest): Promise<string> {
    return withRefreshLock(connectionId, async (db) => {
      const row = await readRow(db, connectionId);
      assertUsable(row, connectionId);
      const bundle = await openBundle(db, row);
      if (!request.force && validFor(bundle, MIN_VALIDITY_MS)) {
        if (request.rejected === null || bundle.accessToken !== request.rejected)
          return bundle.accessToken!;
      }
      let result: Awaited<ReturnType<GoogleOidc['refresh']>>;
      try {
        result = await deps.oidc.refresh(bundle.refreshToken);
      } catch (error) {
        const failure = translateTokenError(error);
        deps.metrics?.tokenRefreshes.inc({ outcome: failure.kind });
        return handleFailure(db, row, bundle, failure);
      }
      deps.metrics?.tokenRefreshes.inc({ outcome: 'ok' });
      const now = deps.now();
      const next: TokenBundle = {
        accessToken: result.accessToken,
        refreshToken: result.refreshToken ?? bundle.refreshToken,
        accessExpiresAt: result.expiresIn === null ? null : now.getTime() + result.expiresIn * 1000,
        tokenType: 'Bearer',
      };
      const sealed = await deps.vault.seal(binding(connectionId), JSON.stringify(next));
      const written = await db
        .updateTable('connections')
        .set({
          token_ciphertext: sealed.ciphertext,
          key_version: sealed.keyVersion,
          access_expires_at: next.accessExpiresAt === null ? null : new Date(next.accessExpiresAt),
          last_refreshed_at: now,
          last_checked_at: now,
          failure_count: 0,
          next_attempt_at: null,
          updated_at: now,
          ...(result.scopes ? { granted_scopes: JSON.stringify(result.scopes) } : {}),
        })
        .where('id', '=', connectionId)
        .where('status', 'in', ['active', 'degraded'])
        .executeTakeFirst();
      if (Number(written.numUpdatedRows) === 0) {
        // Disconnected (or broken) while Google answered: never bring it back.
        const after = await readRow(db, connectionId);
        assertUsable(after, connectionId);
        throw new TidingsError(
          'not_connected',
          'This Google connection changed during a refresh.',
          { connectionId },
        );
      }
      if (row.status === 'degraded') {
        await transition(db, deps, {
          connectionId,
          to: 'active',
          reason: 'recovered',
          from: ['degraded'],
        });
      }
      return next.accessToken!;
    });
  }

  async function handleFailure(
    db: Db,
    row: Connection,
    bundle: TokenBundle,
    failure: TokenFailure,
  ): Promise<string> {
    if (failure.kind === 'invalid_grant') {
      const reason: ReauthReason = failure.subtype === 'invalid_rapt' ? 'expired' : 'revoked';
      const moved = await transition(db, deps, {
        connectionId: row.id,
        to: 'needs_reauth',
        reason,
        detail: { oauth_error: failure.oauthError, subtype: failure.subtype },
        set: {
          token_ciphertext: null,
          key_version: null,
          next_attempt_at: null,
          last_checked_at: deps.now(),
        },
      });
      if (moved === null) {
        // Disconnected while Google answered: report that, not a broken grant.
        assertUsable(await readRow(db, row.id), row.id);
      }
      deps.logger.warn(
        { connection: row.id, reason },
        'Google grant is gone; connection needs reauthorization',
      );
      throw new TidingsError(
        'reauth_required',
        `The Google connection for ${row.email} needs to be reconnected.`,
        {
          reason,
          connectionId: row.id,
        },
      );
    }
    if (failure.kind === 'client') {
      deps.logger.error(
        { connection: row.id, error: failure.oauthError },
        'Google refused our OAuth client',
      );
      throw new TidingsError(
        'not_configured',
        'Google refused the OAuth client credentials; check GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET.',
        {
          settings: ['GOOGLE_CLIENT_ID', 'GOOGLE_CLIENT_SECRET'],
        },
      );
    }
    const failures = row.failure_count + 1;
    const delay = backoffMs(failures, failure);
    const nextAttempt = new Date(deps.now().getTime() + delay);
    const moved = await transition(db, deps, {
      connectionId: row.id,
      to: 'degraded',
      reason: 'google_unavailable',
      from: ['active'],
      detail: { message: failure.message },
      set: { failure_count: failures, next_attempt_at: nextAttempt },
    });
    if (moved === null) {
      await db
        .updateTable('connections')
        .set({ failure_count: failures, next_attempt_at: nextAttempt, updated_at: deps.now() })
        .where('id', '=', row.id)
        .where('status', 'in', ['active', 'degraded'])
        .execute();
    }
    deps.logger.warn(
      { connection: row.id, failures, retryInMs: Math.round(delay) },
      'token refresh failed; will retry',
    );
    if (validFor(bundle, DEGRADED_MIN_VALIDITY_MS)) return bundle.accessToken!;
    throw new TidingsError(
      'provider_unavailable',
      'Google is not answering right now; try again in a moment.',
      {
        retryAfterSeconds: Math.ceil(Math.max(failure.retryAfterSeconds ?? 0, 5)),
        connectionId: row.id,
      },
    );
  }

  function singleFlight(connectionId: string, request: RefreshRequest): Promise<string> {
    const running = inFlight.get(connectionId);
    if (running) return running;
    const promise = refreshNow(connectionId, request).finally(() => inFlight.delete(connectionId));
    inFlight.set(connectionId, promise);
    return promise;
  }

  return {
    async accessToken(connectionId) {
      const row = await readRow(deps.db, connectionId);
      assertUsable(row, connectionId);
      const bundle = await openBundle(deps.db, row);
      touch(connectionId);
      if (validFor(bundle, MIN_VALIDITY_MS)) return bundle.accessToken!;
      return singleFlight(connectionId, { force: false, rejected: null });
    },
    async refreshAfterRejection(connectionId, rejected) {
      return singleFlight(connectionId, { force: false, rejected });
    },
    async refresh(connectionId, options = {}) {
      try {
        const before = await readRow(deps.db, connectionId);
        await singleFlight(connectionId, { force: options.force ?? false, rejected: null });
        const after = await readRow(deps.db, connectionId);
        if (after?.status === 'degraded') return 'degraded';
        return after?.last_refreshed_at?.getTime() !== before?.last_refreshed_at?.getTime()
          ? 'refreshed'
          : 'fresh';
      } catch (error) {
        if (error instanceof TidingsError) {
          if (error.code === 'reauth_required') return 'needs_reauth';
          if (error.code === 'not_connected') return 'not_connected';
          if (error.code === 'provider_unavailable') return 'degraded';
        }
        throw error;
      }
    },
  };
}
