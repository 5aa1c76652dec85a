/**
 * Reading one connection for the broker, and the typed errors a caller acts on when it
 * cannot serve: `not_connected` (gone or disconnected) and `reauth_required` with reason.
 */
import type { Connection } from '../db/index.ts';
import { type ReauthReason, TidingsError } from '../errors.ts';
import type { Db } from './transitions.ts';

export type UsableRow = Connection & { token_ciphertext: string };

export function readConnection(db: Db, connectionId: string): Promise<Connection | undefined> {
  return db.selectFrom('connections').selectAll().where('id', '=', connectionId).executeTakeFirst();
}

export function reauthError(
  row: Pick<Connection, 'id' | 'email'>,
  reason: ReauthReason,
): TidingsError {
  return new TidingsError(
    'reauth_required',
    `The Google connection for ${row.email} needs to be reconnected.`,
    { reason, connectionId: row.id },
  );
}

export function notConnected(connectionId: string, message?: string): TidingsError {
  return new TidingsError('not_connected', message ?? 'This Google connection no longer exists.', {
    connectionId,
  });
}

/** Throws unless the row can hand out tokens (it exists, is not revoked or broken). */
export function assertUsable(
  row: Connection | undefined,
  connectionId: string,
): asserts row is UsableRow {
  if (row?.status === 'needs_reauth') {
    throw reauthError(row, (row.status_reason ?? 'revoked') as ReauthReason);
  }
  if (!row || row.status === 'revoked' || row.token_ciphertext === null) {
    throw notConnected(connectionId);
  }
}
