/**
 * The credential broker: hands out Google access tokens valid for at least a minute, and
 * refreshes them when needed — one refresh per connection at a time inside this process
 * (a shared promise) and across processes (the refresh lease, then a re-read: whoever
 * waited finds the fresh token). Failures move the connection through the status
 * machine; a refresh never resurrects a disconnected connection nor overwrites a newer
 * grant (`refresh-connection.ts`). The connection's row is read on every request (its
 * status decides), but a token already opened from that very row is served from memory
 * (`held-tokens.ts`) instead of being decrypted again.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.ts';
import { isTidingsError, type TidingsError } from '../errors.ts';
import type { TokenSource } from '../google/index.ts';
import type { Logger } from '../log.ts';
import type { Vault } from '../vault/index.ts';
import { createHeldTokens, dropHeldToken } from './held-tokens.ts';
import type { ConnectionMetrics } from './metrics.ts';
import {
  openOrRetire,
  type RefreshRequest,
  refreshConnection,
  type Served,
} from './refresh-connection.ts';
import { MIN_VALIDITY_MS, servable } from './refresh-failure.ts';
import type { Ticker } from './refresh-lease.ts';
import type { TokenEndpoint } from './token-endpoint.ts';
import { assertUsable, readConnection } from './usable-row.ts';

export { MIN_VALIDITY_MS } from './refresh-failure.ts';

const LAST_USED_WRITE_INTERVAL_MS = 60_000;

export interface BrokerDeps {
  db: Kysely<Database>;
  vault: Pick<Vault, 'open' | 'seal'>;
  /** Google's token endpoint; one that throws `not_configured` when no client is set up. */
  endpoint: Pick<TokenEndpoint, 'refresh'>;
  now: () => Date;
  logger: Logger;
  metrics?: ConnectionMetrics;
  random?: () => number;
  /** Beats the refresh lease's heartbeat (default: a real-time interval). */
  ticker?: Ticker;
}

export type RefreshOutcome =
  | 'refreshed'
  | 'fresh'
  | 'needs_reauth'
  | 'degraded'
  | 'not_connected'
  /** Google refused our client or the request; recorded, retried after a backoff. */
  | 'refused'
  /** No Google client is configured on this server: nothing was tried or recorded. */
  | 'not_configured';

export interface RefreshOptions {
  /** Ask Google even though the token is still good (a health check). */
  force?: boolean;
  /** With `force`: only if the connection was last checked at this instant (still due). */
  expectCheckedAt?: Date | null;
}

export interface Broker extends TokenSource {
  /** Refreshes now (the sweep's work); never throws for expected outcomes. */
  refresh(connectionId: string, options?: RefreshOptions): Promise<RefreshOutcome>;
}

export function createBroker(deps: BrokerDeps): Broker {
  const inFlight = new Map<string, Promise<Served>>();
  const lastUsedWritten = new Map<string, number>();
  const refreshDeps = { ...deps, random: deps.random ?? Math.random };
  const held = createHeldTokens();

  function touch(connectionId: string): void {
    const at = deps.now().getTime();
    if (at - (lastUsedWritten.get(connectionId) ?? 0) < LAST_USED_WRITE_INTERVAL_MS) return;
    lastUsedWritten.set(connectionId, at);
    if (lastUsedWritten.size > 100_000) lastUsedWritten.clear();
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

  /** One flight per connection and kind of request inside this process. */
  function singleFlight(connectionId: string, request: RefreshRequest): Promise<Served> {
    const key = `${connectionId}\u0000${request.force ? 'force' : ''}\u0000${request.rejected ?? ''}`;
    const running = inFlight.get(key);
    if (running) return running;
    // Whatever a refresh round did (new tokens, a failure, a status change), the token
    // held for the connection is not to be served again.
    dropHeldToken(connectionId);
    const promise = refreshConnection(refreshDeps, connectionId, request).finally(() => {
      inFlight.delete(key);
      dropHeldToken(connectionId);
    });
    inFlight.set(key, promise);
    return promise;
  }

  async function failureOutcome(
    connectionId: string,
    error: TidingsError,
  ): Promise<RefreshOutcome> {
    if (error.code === 'reauth_required') return 'needs_reauth';
    if (error.code === 'not_connected') return 'not_connected';
    const row = await readConnection(deps.db, connectionId);
    const recorded = row?.failure_kind === 'client' || row?.failure_kind === 'rejected';
    if (recorded) return 'refused';
    if (error.code === 'not_configured') return 'not_configured';
    return 'degraded';
  }

  return {
    async accessToken(connectionId) {
      const row = await readConnection(deps.db, connectionId);
      try {
        assertUsable(row, connectionId);
      } catch (error) {
        held.drop(connectionId);
        throw error;
      }
      touch(connectionId);
      const now = deps.now().getTime();
      const kept = held.get(connectionId, row.token_ciphertext, row.token_version);
      if (kept && kept.accessExpiresAt - now >= MIN_VALIDITY_MS) return kept.accessToken;
      held.drop(connectionId);
      const bundle = await openOrRetire(refreshDeps, row);
      if (bundle !== 'stale' && servable(bundle, new Date(now), null)) {
        held.hold(connectionId, {
          ciphertext: row.token_ciphertext,
          tokenVersion: row.token_version,
          accessToken: bundle.accessToken!,
          accessExpiresAt: bundle.accessExpiresAt!,
        });
        return bundle.accessToken!;
      }
      return (await singleFlight(connectionId, { force: false, rejected: null })).accessToken;
    },
    async refreshAfterRejection(connectionId, rejected) {
      return (await singleFlight(connectionId, { force: false, rejected })).accessToken;
    },
    async refresh(connectionId, options = {}) {
      try {
        const served = await singleFlight(connectionId, {
          force: options.force ?? false,
          rejected: null,
          ...(options.expectCheckedAt !== undefined
            ? { expectCheckedAt: options.expectCheckedAt }
            : {}),
        });
        return served.outcome;
      } catch (error) {
        if (
          isTidingsError(error) &&
          ['reauth_required', 'not_connected', 'provider_unavailable', 'not_configured'].includes(
            error.code,
          )
        ) {
          return failureOutcome(connectionId, error);
        }
        throw error;
      }
    },
  };
}
