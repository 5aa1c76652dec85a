/**
 * What a failed refresh does to a connection, by kind of failure:
 * - the grant is gone (`invalid_grant`) → `needs_reauth` (revoked, or expired for a
 *   Workspace session limit), tokens deleted, one notice; never retried;
 * - Google failed (`transient`, or an answer that did not validate) → `degraded`, with a
 *   backoff that honours `Retry-After`; the current token keeps serving while it has a
 *   minute of life;
 * - Google refused our client or the request (`client`, `rejected`) → no status change,
 *   but the failure is recorded with the same backoff, so neither the sweep nor callers
 *   hammer Google with a request that will fail again.
 * Every write is conditional on the token generation the refresh read: a reconnect or a
 * disconnect that happened meanwhile wins.
 */
import { TidingsError, type ReauthReason } from '../errors.ts';
import type { Logger } from '../log.ts';
import { backoffMs } from './backoff.ts';
import type { ConnectionMetrics } from './metrics.ts';
import { NO_TOKENS, type TokenBundle } from './token-bundle.ts';
import type { TokenFailure } from './token-endpoint.ts';
import { type Db, transition } from './transitions.ts';
import { reauthError, type UsableRow } from './usable-row.ts';

/** A token handed out is valid for at least this long (degraded or not). */
export const MIN_VALIDITY_MS = 60_000;

export interface FailureDeps {
  db: Db;
  now: () => Date;
  logger: Logger;
  metrics?: ConnectionMetrics | undefined;
  random: () => number;
}

/** The token still serves for at least a minute, and is not the one Google just rejected. */
export function servable(bundle: TokenBundle, now: Date, rejected: string | null): boolean {
  return (
    bundle.accessToken !== null &&
    bundle.accessToken !== rejected &&
    bundle.accessExpiresAt !== null &&
    bundle.accessExpiresAt - now.getTime() >= MIN_VALIDITY_MS
  );
}

const NOT_CONFIGURED_SETTINGS = ['GOOGLE_CLIENT_ID', 'GOOGLE_CLIENT_SECRET'] as const;

function clientError(): TidingsError {
  return new TidingsError(
    'not_configured',
    'Google refused the OAuth client credentials; check GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET.',
    { settings: NOT_CONFIGURED_SETTINGS },
  );
}

function unavailable(connectionId: string, retryAfterMs: number): TidingsError {
  return new TidingsError(
    'provider_unavailable',
    'Google is not answering right now; try again in a moment.',
    { retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)), connectionId },
  );
}

/** The error for a connection still cooling down after a failure: no call to Google. */
export function backingOff(row: UsableRow, now: Date): TidingsError {
  if (row.failure_kind === 'client') return clientError();
  const wait = (row.next_attempt_at?.getTime() ?? now.getTime()) - now.getTime();
  return unavailable(row.id, wait);
}

/** Whether the connection is cooling down after a failure. */
export function inBackoff(row: UsableRow, now: Date): boolean {
  return row.next_attempt_at !== null && row.next_attempt_at.getTime() > now.getTime();
}

export type FailureOutcome =
  /** The write lost to a newer grant or a disconnect: re-read and start over. */
  | { kind: 'stale' }
  /** Degraded, but the current token still serves. */
  | { kind: 'served'; accessToken: string };

/** Records a failed refresh; returns or throws what the caller gets. */
export async function handleRefreshFailure(
  deps: FailureDeps,
  row: UsableRow,
  bundle: TokenBundle,
  failure: TokenFailure,
  rejected: string | null,
): Promise<FailureOutcome> {
  const now = deps.now();
  if (failure.kind === 'invalid_grant') {
    const reason: ReauthReason = failure.subtype === 'invalid_rapt' ? 'expired' : 'revoked';
    const moved = await transition(deps.db, deps, {
      connectionId: row.id,
      to: 'needs_reauth',
      reason,
      version: row.token_version,
      from: ['active', 'degraded'],
      detail: { oauth_error: failure.oauthError, subtype: failure.subtype },
      set: {
        ...NO_TOKENS,
        next_attempt_at: null,
        failure_count: 0,
        failure_kind: null,
        last_checked_at: now,
      },
    });
    if (moved === null) return { kind: 'stale' };
    deps.logger.warn(
      { connection: row.id, reason },
      'Google grant is gone; connection needs reauthorization',
    );
    throw reauthError(row, reason);
  }

  const failures = row.failure_count + 1;
  const delay = backoffMs(failures, failure.retryAfterSeconds, deps.random);
  const refused = failure.kind === 'client' || failure.kind === 'rejected';
  const backoff = {
    failure_count: failures,
    failure_kind: failure.kind,
    next_attempt_at: new Date(now.getTime() + delay),
    last_checked_at: now,
  };
  let recorded: boolean;
  if (!refused && row.status === 'active') {
    const moved = await transition(deps.db, deps, {
      connectionId: row.id,
      to: 'degraded',
      reason: 'google_unavailable',
      from: ['active'],
      version: row.token_version,
      detail: { message: failure.message },
      set: backoff,
    });
    recorded = moved !== null;
  } else {
    const written = await deps.db
      .updateTable('connections')
      .set({ ...backoff, updated_at: now })
      .where('id', '=', row.id)
      .where('token_version', '=', row.token_version)
      .where('status', 'in', ['active', 'degraded'])
      .executeTakeFirst();
    recorded = Number(written.numUpdatedRows) > 0;
  }
  if (!recorded) return { kind: 'stale' };

  if (refused) {
    deps.logger.error(
      { connection: row.id, error: failure.oauthError ?? failure.kind, retryInMs: delay },
      'Google refused the token request; will retry after a backoff',
    );
    if (failure.kind === 'client') throw clientError();
    throw unavailable(row.id, delay);
  }
  deps.logger.warn(
    { connection: row.id, failures, retryInMs: delay },
    'token refresh failed; will retry',
  );
  if (servable(bundle, now, rejected)) return { kind: 'served', accessToken: bundle.accessToken! };
  throw unavailable(row.id, delay);
}
