/**
 * The connection status machine (DESIGN.md): active ⇄ degraded → needs_reauth → active
 * (reconnect), anything → revoked. Every change writes a `connection_events` row and a
 * metric; entering `needs_reauth` queues exactly one notification, because only the one
 * writer whose conditional update moved the row performs the side effects. The status
 * change, its event and its notification are one transaction: a crash between them
 * loses none of them, and every move bumps the row's token generation. A move also drops
 * what this process keeps in memory for the connection (profile, time zone, message
 * metadata; `forgetConnection`), so nothing read under the old status outlives it.
 */
import type { Kysely, Transaction } from 'kysely';
import type { ConnectionStatus, Database } from '../db/index.ts';
import { forgetConnection } from '../google/connection-memo.ts';
import { dropHeldToken } from './held-tokens.ts';
import type { ConnectionMetrics } from './metrics.ts';
import { insertNotification } from './notifications.ts';

export type Db = Kysely<Database> | Transaction<Database>;

/** Runs `work` in the caller's transaction, or in a new one. */
export function inTransaction<T>(
  db: Db,
  work: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  return db.isTransaction
    ? work(db as Transaction<Database>)
    : db.transaction().execute((trx) => work(trx));
}

export interface TransitionInput {
  connectionId: string;
  to: ConnectionStatus;
  reason: string | null;
  /** Only move from these statuses (default: any but `revoked` and `to`). */
  from?: readonly ConnectionStatus[];
  /** Only move while the row still holds this token generation (compare-and-set). */
  version?: number;
  detail?: Record<string, unknown>;
  /** Extra columns to write in the same statement. */
  set?: Record<string, unknown>;
  /** Extra fields for the `needs_reauth` notification (what the person is told, and why). */
  notice?: Record<string, unknown>;
}

export interface TransitionDeps {
  metrics?: ConnectionMetrics | undefined;
  now: () => Date;
}

/** Moves a connection; returns the previous status, or null when nothing moved. */
export async function transition(
  db: Db,
  deps: TransitionDeps,
  input: TransitionInput,
): Promise<ConnectionStatus | null> {
  const allowed =
    input.from ?? (['active', 'degraded', 'needs_reauth'] as const).filter((s) => s !== input.to);
  if (allowed.length === 0) return null;
  const moved = await inTransaction(db, async (trx) => {
    const before = await trx
      .selectFrom('connections')
      .select(['status', 'user_id', 'email', 'token_version'])
      .where('id', '=', input.connectionId)
      .executeTakeFirst();
    if (!before || !allowed.includes(before.status)) return null;
    if (input.version !== undefined && before.token_version !== input.version) return null;
    const updated = await trx
      .updateTable('connections')
      .set((eb) => ({
        ...input.set,
        status: input.to,
        status_reason: input.reason,
        token_version: eb('token_version', '+', 1),
        updated_at: deps.now(),
      }))
      .where('id', '=', input.connectionId)
      .where('status', '=', before.status)
      .where('token_version', '=', before.token_version)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) return null;
    await recordEvent(trx, deps, {
      connectionId: input.connectionId,
      userId: before.user_id,
      type: 'status_changed',
      from: before.status,
      to: input.to,
      reason: input.reason,
      detail: input.detail ?? {},
    });
    if (input.to === 'needs_reauth') {
      await insertNotification(
        trx,
        {
          userId: before.user_id,
          connectionId: input.connectionId,
          kind: 'connection_broken',
          payload: { ...input.notice, email: before.email, reason: input.reason },
        },
        deps.now(),
      );
    }
    return before.status;
  });
  if (moved !== null) {
    forgetConnection(input.connectionId);
    dropHeldToken(input.connectionId);
    deps.metrics?.connectionTransitions.inc({
      from: moved,
      to: input.to,
      reason: input.reason ?? 'none',
    });
  }
  return moved;
}

export interface EventInput {
  connectionId: string;
  userId: string;
  type: string;
  from?: string | null;
  to?: string | null;
  reason?: string | null;
  detail?: Record<string, unknown>;
}

export async function recordEvent(db: Db, deps: TransitionDeps, event: EventInput): Promise<void> {
  await db
    .insertInto('connection_events')
    .values({
      connection_id: event.connectionId,
      user_id: event.userId,
      type: event.type,
      from_status: event.from ?? null,
      to_status: event.to ?? null,
      reason: event.reason ?? null,
      detail: JSON.stringify(event.detail ?? {}),
      created_at: deps.now(),
    })
    .execute();
}
