/**
 * One refresh of one connection, safe against every other writer: read the row, serve
 * its token if it is good for a minute (or fail fast while backing off), else take the
 * refresh lease, ask Google with no database connection held, and write the answer only
 * over the token generation that was read. Losing that compare-and-set means someone
 * else wrote meanwhile (a reconnect, a disconnect, another refresh): start over from a
 * fresh read, which then serves the newer grant or reports it gone.
 */
import type { Vault } from '../vault/index.ts';
import {
  type FailureDeps,
  backingOff,
  handleRefreshFailure,
  inBackoff,
  servable,
} from './refresh-failure.ts';
import { releaseLease, takeLease, waitForLease } from './refresh-lease.ts';
import { freshTokenColumns } from './fresh-tokens.ts';
import { fillDigest } from './refresh-token-digest.ts';
import { NO_TOKENS, openTokenBundle, type TokenBundle } from './token-bundle.ts';
import { type RefreshResult, type TokenEndpoint, TokenFailure } from './token-endpoint.ts';
import { inTransaction, transition } from './transitions.ts';
import {
  assertUsable,
  notConnected,
  readConnection,
  reauthError,
  type UsableRow,
} from './usable-row.ts';
import { capabilitiesOf } from './views.ts';

export interface RefreshDeps extends FailureDeps {
  vault: Pick<Vault, 'open' | 'seal'>;
  endpoint: Pick<TokenEndpoint, 'refresh'>;
}

export interface RefreshRequest {
  /** Refresh even though the token is still good (the sweep's health check). */
  force: boolean;
  /** Google rejected this access token: never serve it again. */
  rejected: string | null;
  /**
   * Force only while the connection was last checked at this instant (null: never), i.e.
   * it is still as due as when the sweep picked it. Default: the first read's value, so a
   * forced refresh that waited behind another one does not ask Google a second time.
   */
  expectCheckedAt?: Date | null;
}

export interface Served {
  accessToken: string;
  outcome: 'fresh' | 'refreshed' | 'degraded';
}

/** Re-reads after losing a race; more than this many losses in a row is a hot row. */
const MAX_ROUNDS = 6;

/**
 * Opens the bundle; a corrupt one moves the connection to needs_reauth (once). A bundle
 * written before refresh-token digests were kept gets its digest now.
 */
export async function openOrRetire(
  deps: RefreshDeps,
  row: UsableRow,
): Promise<TokenBundle | 'stale'> {
  const opened = await openTokenBundle(deps.vault, row.id, row.token_ciphertext);
  if (opened !== 'corrupt') {
    if (row.refresh_token_digest === null) await fillDigest(deps.db, row, opened.refreshToken);
    return opened;
  }
  deps.logger.error({ connection: row.id }, 'token bundle does not open; it is discarded');
  const moved = await transition(deps.db, deps, {
    connectionId: row.id,
    to: 'needs_reauth',
    reason: 'corrupt',
    version: row.token_version,
    set: NO_TOKENS,
  });
  if (moved === null) return 'stale';
  throw reauthError(row, 'corrupt');
}

export async function refreshConnection(
  deps: RefreshDeps,
  connectionId: string,
  request: RefreshRequest,
): Promise<Served> {
  let expected: number | null | undefined =
    request.expectCheckedAt === undefined
      ? undefined
      : (request.expectCheckedAt?.getTime() ?? null);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const row = await readConnection(deps.db, connectionId);
    assertUsable(row, connectionId);
    const checkedAt = row.last_checked_at?.getTime() ?? null;
    if (expected === undefined) expected = checkedAt;
    const bundle = await openOrRetire(deps, row);
    if (bundle === 'stale') continue;
    const now = deps.now();
    const force = request.force && checkedAt === expected;
    if (!force && servable(bundle, now, request.rejected)) {
      return { accessToken: bundle.accessToken!, outcome: 'fresh' };
    }
    if (inBackoff(row, now)) {
      if (servable(bundle, now, request.rejected)) {
        return {
          accessToken: bundle.accessToken!,
          outcome: row.status === 'degraded' ? 'degraded' : 'fresh',
        };
      }
      throw backingOff(row, now);
    }
    const lease = await takeLease(deps.db, connectionId, now);
    if (!lease) {
      await waitForLease(deps.db, connectionId, deps.now);
      continue;
    }
    try {
      // Someone wrote between the read and the lease (a refresh, a recorded failure): re-read.
      const moved =
        lease.row.token_version !== row.token_version ||
        lease.row.last_checked_at?.getTime() !== row.last_checked_at?.getTime();
      if (moved) continue;
      const served = await askGoogle(deps, row, bundle, request);
      if (served !== 'stale') return served;
    } finally {
      await releaseLease(deps.db, connectionId, lease);
    }
  }
  throw notConnected(connectionId, 'This Google connection kept changing during a refresh.');
}

async function askGoogle(
  deps: RefreshDeps,
  row: UsableRow,
  bundle: TokenBundle,
  request: RefreshRequest,
): Promise<Served | 'stale'> {
  let result: RefreshResult;
  try {
    result = await deps.endpoint.refresh(bundle.refreshToken);
  } catch (error) {
    if (!(error instanceof TokenFailure)) throw error;
    deps.metrics?.tokenRefreshes.inc({ outcome: error.kind });
    const outcome = await handleRefreshFailure(deps, row, bundle, error, request.rejected);
    return outcome.kind === 'stale'
      ? 'stale'
      : { accessToken: outcome.accessToken, outcome: 'degraded' };
  }
  deps.metrics?.tokenRefreshes.inc({ outcome: 'ok' });
  const now = deps.now();
  if (result.scopes !== null && capabilitiesOf(result.scopes).length === 0) {
    return retireScopeless(deps, row, result.scopes, now);
  }
  const written = await storeRefreshed(deps, row, bundle, result, now);
  if (!written) return 'stale';
  return { accessToken: result.accessToken, outcome: 'refreshed' };
}

/** The grant now covers nothing Tidings can read: tell the person once. */
async function retireScopeless(
  deps: RefreshDeps,
  row: UsableRow,
  scopes: string[],
  now: Date,
): Promise<'stale'> {
  const moved = await transition(deps.db, deps, {
    connectionId: row.id,
    to: 'needs_reauth',
    reason: 'scope_missing',
    version: row.token_version,
    from: ['active', 'degraded'],
    detail: { scopes },
    set: {
      ...NO_TOKENS,
      granted_scopes: JSON.stringify(scopes),
      next_attempt_at: null,
      failure_count: 0,
      failure_kind: null,
      last_checked_at: now,
    },
  });
  if (moved === null) return 'stale';
  throw reauthError(row, 'scope_missing');
}

/**
 * Seals Google's answer (keeping the refresh token when Google sent none) and writes it
 * over the token generation that was read; false when that generation moved meanwhile.
 */
async function storeRefreshed(
  deps: RefreshDeps,
  row: UsableRow,
  bundle: TokenBundle,
  result: RefreshResult,
  now: Date,
): Promise<boolean> {
  const columns = await freshTokenColumns(
    deps.vault,
    row.id,
    {
      accessToken: result.accessToken,
      refreshToken: result.refreshToken ?? bundle.refreshToken,
      expiresIn: result.expiresIn,
    },
    now,
  );
  return inTransaction(deps.db, async (trx) => {
    const updated = await trx
      .updateTable('connections')
      .set((eb) => ({
        ...columns,
        token_version: eb('token_version', '+', 1),
        ...(result.scopes ? { granted_scopes: JSON.stringify(result.scopes) } : {}),
      }))
      .where('id', '=', row.id)
      .where('token_version', '=', row.token_version)
      .where('status', 'in', ['active', 'degraded'])
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) return false;
    if (row.status === 'degraded') {
      await transition(trx, deps, {
        connectionId: row.id,
        to: 'active',
        reason: 'recovered',
        from: ['degraded'],
      });
    }
    return true;
  });
}
