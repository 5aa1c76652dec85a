/**
 * The durable notification outbox: "tell the user once" survives restarts. Producers
 * insert rows (in the same transaction as the change they report); the bot delivers them
 * and marks them delivered.
 */
import type { Kysely } from 'kysely';
import type { Database, Notification } from '../db/index.ts';
import type { NotificationKind, OutboxItem } from '../front-door.ts';

const MAX_ATTEMPTS = 5;

function toItem(row: Notification): OutboxItem {
  const payload = typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload;
  return {
    id: String(row.id),
    userId: row.user_id,
    connectionId: row.connection_id,
    kind: row.kind as NotificationKind,
    payload: payload ?? {},
    createdAt: row.created_at,
    attempts: row.attempts,
  };
}

export function createOutbox(db: Kysely<Database>, now: () => Date) {
  return {
    async pending(limit: number): Promise<OutboxItem[]> {
      const rows = await db
        .selectFrom('notifications')
        .selectAll()
        .where('delivered_at', 'is', null)
        .where('attempts', '<', MAX_ATTEMPTS)
        .orderBy('id')
        .limit(Math.max(1, Math.min(limit, 500)))
        .execute();
      return rows.map(toItem);
    },
    async delivered(id: string): Promise<void> {
      await db
        .updateTable('notifications')
        .set({ delivered_at: now() })
        .where('id', '=', id)
        .execute();
    },
    async failed(id: string, error: string, options: { permanent?: boolean } = {}): Promise<void> {
      await db
        .updateTable('notifications')
        .set((eb) => ({
          attempts: options.permanent ? MAX_ATTEMPTS : eb('attempts', '+', 1),
          last_error: error.slice(0, 500),
        }))
        .where('id', '=', id)
        .execute();
    },
    async enqueue(item: {
      userId: string;
      kind: NotificationKind;
      payload: Record<string, unknown>;
      dedupeKey?: string;
      connectionId?: string | null;
    }): Promise<void> {
      await db
        .insertInto('notifications')
        .values({
          user_id: item.userId,
          connection_id: item.connectionId ?? null,
          kind: item.kind,
          payload: JSON.stringify(item.payload),
          dedupe_key: item.dedupeKey ?? null,
          created_at: now(),
        })
        .onConflict((oc) => oc.column('dedupe_key').doNothing())
        .execute();
    },
    async list(
      limit: number,
    ): Promise<Array<OutboxItem & { deliveredAt: Date | null; lastError: string | null }>> {
      const rows = await db
        .selectFrom('notifications')
        .selectAll()
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
      return rows.map((row) => ({
        ...toItem(row),
        deliveredAt: row.delivered_at,
        lastError: row.last_error,
      }));
    },
  };
}

export type Outbox = ReturnType<typeof createOutbox>;
