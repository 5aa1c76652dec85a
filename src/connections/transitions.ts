/**
 * The connection status machine (DESIGN.md): active ⇄ degraded → needs_reauth → active
 * (reconnect), anything → revoked. Every change writes a `connection_events` row and a
 * metric; entering `needs_reauth` queues exactly one notification, because only the one
 * writer whose conditional update moved the row performs the side effects.
 */
import type { Kysely, Transaction } from 'kysely';
import type { ConnectionStatus, Database } from '../db/index.ts';
import type { Metrics } from '../http/metrics.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface TransitionInput {
  connectionId: string;
  to: ConnectionStatus;
  reason: string | null;
  /** Only move from these statuses (default: any but `revoked` and `to`). */
  from?: readonly ConnectionStatus[];
  detail?: Record<string, unknown>;
  /** Extra columns to write in the same statement. */
  set?: Record<string, unknown>;
}

export interface TransitionDeps {
  metrics?: Metrics | undefined;
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
  const before = await db
    .selectFrom('connections')
    .select(['status', 'user_id', 'email'])
    .where('id', '=', input.connectionId)
    .executeTakeFirst();
  if (!before || !allowed.includes(before.status)) return null;
  const moved = await db
    .updateTable('connections')
    .set({ ...input.set, status: input.to, status_reason: input.reason, updated_at: deps.now() })
    .where('id', '=', input.connectionId)
    .where('status', '=', before.status)
    .executeTakeFirst();
  if (Number(moved.numUpdatedRows) === 0) return null;
  await recordEvent(db, deps, {
    connectionId: input.connectionId,
    userId: before.user_id,
    type: 'status_changed',
    from: before.status,
    to: input.to,
    reason: input.reason,
    detail: input.detail ?? {},
  });
  deps.metrics?.connectionTransitions.inc({
    from: before.status,
    to: input.to,
    reason: input.reason ?? 'none',
  });
  if (input.to === 'needs_reauth') {
    await db
      .insertInto('notifications')
      .values({
        user_id: before.user_id,
        connection_id: input.connectionId,
        kind: 'connection_broken',
        payload: JSON.stringify({ email: before.email, reason: input.reason }),
      })
      .execute();
  }
  return before.status;
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
