/**
 * One refresh of one connection, safe against every other writer: read the row, serve
 * its token if it is good for a minute (or fail fast while backing off), else take the
 * refresh lease (renewed on a heartbeat while Google answers), ask Google with no
 * database connection held, and write the answer only while the lease is still ours and
 * only over the token generation that was read. Losing either means someone else acted
 * meanwhile (a reconnect, a disconnect, another refresh that found our lease run out):
 * the answer is dropped and the refresh starts over from a fresh read, which then serves
 * the newer grant or reports it gone. Each answer from Google is counted and timed by
 * outcome. The common answer (fresh tokens for an active connection) is written and the
 * lease given back in one conditional statement, which checks the same two things; the
 * rest (failures, recoveries, lost scopes) goes through a transaction holding the row.
 */
import { isTidingsError } from '../errors.ts';
import type { Vault } from '../vault/index.ts';
import {
  type FailureDeps,
  backingOff,
  handleRefreshFailure,
  inBackoff,
  servable,
} from './refresh-failure.ts';
import {
  keepLease,
  type Lease,
  releaseLease,
  takeLease,
  type Ticker,
  waitForLease,
  whileHolding,
} from './refresh-lease.ts';
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
  /** Beats the lease's heartbeat (default: a real-time interval). */
  ticker?: Ticker | undefined;
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
    // A forced refresh (the sweep's health check) nearly always goes to Google: it takes
    // the lease first, and the row the lease answers is its read (one statement fewer).
    let lease =
      request.force && round === 0 ? await takeLease(deps.db, connectionId, deps.now()) : null;
    let heartbeat: { stop(): Promise<void> } | null = null;
    try {
      const row = lease?.row ?? (await readConnection(deps.db, connectionId));
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
      lease ??= await takeLease(deps.db, connectionId, now);
      if (!lease) {
        await waitForLease(deps.db, connectionId, deps.now);
        continue;
      }
      heartbeat = keepLease(deps, connectionId, lease);
      // Someone wrote between the read and the lease (a refresh, a recorded failure): re-read.
      const moved =
        lease.row.token_version !== row.token_version ||
        lease.row.last_checked_at?.getTime() !== row.last_checked_at?.getTime();
      if (moved) continue;
      const served = await askGoogle(deps, row, bundle, request, lease);
      if (served !== 'stale') return served;
    } finally {
      await heartbeat?.stop();
      if (lease) await releaseLease(deps.db, connectionId, lease);
    }
  }
  throw notConnected(connectionId, 'This Google connection kept changing during a refresh.');
}

/** What Google answered: fresh tokens (sealed for the row already), or a failure. */
type Answer =
  | { kind: 'tokens'; result: RefreshResult; columns: TokenColumns; at: Date }
  | { kind: 'failure'; failure: TokenFailure };

type TokenColumns = Awaited<ReturnType<typeof freshTokenColumns>>;

async function askGoogle(
  deps: RefreshDeps,
  row: UsableRow,
  bundle: TokenBundle,
  request: RefreshRequest,
  lease: Lease,
): Promise<Served | 'stale'> {
  let result: RefreshResult | TokenFailure;
  const startedAt = performance.now();
  try {
    result = await deps.endpoint.refresh(bundle.refreshToken);
  } catch (error) {
    if (!(error instanceof TokenFailure)) throw error;
    result = error;
  }
  const outcome = result instanceof TokenFailure ? result.kind : 'ok';
  deps.metrics?.tokenRefreshes.inc({ outcome });
  deps.metrics?.tokenRefreshDuration.observe({ outcome }, (performance.now() - startedAt) / 1000);
  // Sealed before the row is held: the vault may read its keys from the database.
  const answer: Answer =
    result instanceof TokenFailure
      ? { kind: 'failure', failure: result }
      : await sealAnswer(deps, row, bundle, result);
  if (answer.kind === 'tokens' && row.status === 'active' && !scopeless(answer.result)) {
    if (await storeAndRelease(deps, row, answer, lease)) {
      return { accessToken: answer.result.accessToken, outcome: 'refreshed' };
    }
    deps.logger.warn(
      { connection: row.id },
      'the connection changed or its refresh lease was taken while Google answered; the answer is dropped',
    );
    return 'stale';
  }
  const recorded = await whileHolding(deps.db, row.id, lease, async (trx) => {
    try {
      return { served: await recordAnswer({ ...deps, db: trx }, row, bundle, request, answer) };
    } catch (error) {
      // An expected outcome (a broken grant, a backoff) is told once its record is committed.
      if (isTidingsError(error)) return { error };
      throw error;
    }
  });
  if (recorded === 'lost') {
    deps.logger.warn(
      { connection: row.id },
      'the refresh lease ran out while Google answered and was taken; the answer is dropped',
    );
    return 'stale';
  }
  if ('error' in recorded) throw recorded.error;
  return recorded.served;
}

/** Seals the fresh tokens (keeping the refresh token when Google sent none) for the row. */
async function sealAnswer(
  deps: RefreshDeps,
  row: UsableRow,
  bundle: TokenBundle,
  result: RefreshResult,
): Promise<Answer> {
  const at = deps.now();
  const tokens = {
    accessToken: result.accessToken,
    refreshToken: result.refreshToken ?? bundle.refreshToken,
    expiresIn: result.expiresIn,
  };
  return {
    kind: 'tokens',
    result,
    columns: await freshTokenColumns(deps.vault, row.id, tokens, at),
    at,
  };
}

/** The answer's grant covers nothing Tidings can read. */
function scopeless(result: RefreshResult): boolean {
  return result.scopes !== null && capabilitiesOf(result.scopes).length === 0;
}

/**
 * Writes fresh tokens of an active connection and gives the lease back, in one statement
 * that holds only while the lease is still ours, the token generation is the one read and
 * the connection is still active; false (nothing written) otherwise.
 */
async function storeAndRelease(
  deps: RefreshDeps,
  row: UsableRow,
  answer: Extract<Answer, { kind: 'tokens' }>,
  lease: Lease,
): Promise<boolean> {
  const { result, columns } = answer;
  const updated = await deps.db
    .updateTable('connections')
    .set((eb) => ({
      ...columns,
      token_version: eb('token_version', '+', 1),
      ...(result.scopes ? { granted_scopes: JSON.stringify(result.scopes) } : {}),
      refresh_lease: null,
      refreshing_until: null,
    }))
    .where('id', '=', row.id)
    .where('refresh_lease', '=', lease.token)
    .where('token_version', '=', row.token_version)
    .where('status', '=', 'active')
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) return false;
  lease.released = true;
  return true;
}

/** Writes Google's answer, inside the transaction that holds the lease. */
async function recordAnswer(
  deps: RefreshDeps,
  row: UsableRow,
  bundle: TokenBundle,
  request: RefreshRequest,
  answer: Answer,
): Promise<Served | 'stale'> {
  if (answer.kind === 'failure') {
    const outcome = await handleRefreshFailure(deps, row, bundle, answer.failure, request.rejected);
    return outcome.kind === 'stale'
      ? 'stale'
      : { accessToken: outcome.accessToken, outcome: 'degraded' };
  }
  const { result, columns, at } = answer;
  if (result.scopes !== null && scopeless(result)) {
    return retireScopeless(deps, row, result.scopes, at);
  }
  const written = await storeRefreshed(deps, row, result, columns);
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
 * Writes the sealed answer over the token generation that was read; false when that
 * generation moved meanwhile.
 */
async function storeRefreshed(
  deps: RefreshDeps,
  row: UsableRow,
  result: RefreshResult,
  columns: TokenColumns,
): Promise<boolean> {
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
