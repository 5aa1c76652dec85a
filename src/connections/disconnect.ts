/**
 * Disconnecting: the grant is revoked at Google, the ciphertext deleted and the event
 * recorded — the local deletion happens even when Google's revoke fails, and that failure
 * is recorded in the same transaction as the status change. The refresh lease is taken
 * first (and renewed on a heartbeat while Google revokes), so a refresh still at Google
 * finishes before the grant goes, and none can start meanwhile: a late `invalid_grant`
 * can never be taken for a broken grant. The disconnect itself goes ahead even if its
 * lease was lost: the person asked for it, and the revoked row ends any refresh's writes.
 * What the process keeps in memory for the connection (message metadata, profile, time
 * zone) is dropped by the status change, and again once it has committed, so a listing
 * that ran meanwhile leaves nothing behind.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.ts';
import { TidingsError } from '../errors.ts';
import { forgetConnection } from '../google/connection-memo.ts';
import { dropHeldToken } from './held-tokens.ts';
import type { Logger } from '../log.ts';
import type { Vault } from '../vault/index.ts';
import type { ConnectionMetrics } from './metrics.ts';
import { keepLease, releaseLease, type Ticker, takeLeaseWaiting } from './refresh-lease.ts';
import { ensureDefault, lockUser } from './save-grant.ts';
import { NO_TOKENS, openTokenBundle } from './token-bundle.ts';
import { type TokenEndpoint, TokenFailure } from './token-endpoint.ts';
import { recordEvent, transition } from './transitions.ts';
import { readConnection } from './usable-row.ts';

export interface DisconnectDeps {
  db: Kysely<Database>;
  vault: Pick<Vault, 'open'>;
  /** Google's revocation endpoint; null when no Google client is configured. */
  endpoint: () => Pick<TokenEndpoint, 'revoke'> | null;
  now: () => Date;
  logger: Logger;
  metrics?: ConnectionMetrics | undefined;
  /** Beats the refresh lease's heartbeat (default: a real-time interval). */
  ticker?: Ticker | undefined;
}

export interface DisconnectOutcome {
  /** Google confirmed the grant is gone (or already was). */
  revokedAtGoogle: boolean;
  /** Why it was not, in words without secrets. */
  revokeError: string | null;
}

async function revokeAtGoogle(deps: DisconnectDeps, connectionId: string): Promise<string | null> {
  const row = await readConnection(deps.db, connectionId);
  if (!row?.token_ciphertext) return 'no usable token to revoke';
  const bundle = await openTokenBundle(deps.vault, row.id, row.token_ciphertext);
  if (bundle === 'corrupt') return 'no usable token to revoke';
  const endpoint = deps.endpoint();
  if (!endpoint) return 'Google client not configured';
  try {
    await endpoint.revoke(bundle.refreshToken);
    return null;
  } catch (error) {
    if (error instanceof TokenFailure) return error.message;
    throw error;
  }
}

export async function disconnectConnection(
  deps: DisconnectDeps,
  connectionId: string,
): Promise<DisconnectOutcome> {
  const lease = await takeLeaseWaiting(deps.db, connectionId, deps.now);
  const heartbeat = lease ? keepLease(deps, connectionId, lease) : null;
  try {
    const row = await readConnection(deps.db, connectionId);
    if (!row || row.status === 'revoked')
      throw new TidingsError('not_found', 'No such connection.');
    const revokeError = await revokeAtGoogle(deps, connectionId);
    await deps.db.transaction().execute(async (trx) => {
      await lockUser(trx, row.user_id);
      await transition(trx, deps, {
        connectionId,
        to: 'revoked',
        reason: 'user_disconnected',
        from: ['active', 'degraded', 'needs_reauth'],
        set: {
          ...NO_TOKENS,
          is_default: false,
          access_expires_at: null,
          next_attempt_at: null,
          refresh_lease: null,
          refreshing_until: null,
        },
        detail: { revoked_at_google: revokeError === null },
      });
      if (revokeError) {
        await recordEvent(trx, deps, {
          connectionId,
          userId: row.user_id,
          type: 'revoke_failed',
          detail: { error: revokeError },
        });
      }
      await ensureDefault(trx, row.user_id);
    });
    forgetConnection(connectionId);
    dropHeldToken(connectionId);
    if (revokeError) {
      deps.logger.warn(
        { connection: connectionId, error: revokeError },
        'Google revoke failed; local tokens deleted anyway',
      );
    }
    return { revokedAtGoogle: revokeError === null, revokeError };
  } finally {
    await heartbeat?.stop();
    if (lease) await releaseLease(deps.db, connectionId, lease);
  }
}
