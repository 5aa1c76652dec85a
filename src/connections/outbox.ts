/**
 * The durable notification outbox: "tell the user once" survives restarts. Producers
 * insert rows (in the same transaction as the change they report); a deliverer claims a
 * batch for a while (`claimed_until`; `for update skip locked`, so two instances never
 * claim the same row), sends it, and marks each row delivered or failed. A claim whose
 * deliverer died runs out and the rows are claimed again. Deliveries are counted by
 * outcome when a counter is given, and the backlog can be read for the metrics.
 */
import { type Kysely, sql } from 'kysely';
import type { Database, Notification } from '../db/index.ts';
import {
  insertNotification,
  type NewNotification,
  type NotificationKind,
  type OutboxItem,
} from './notifications.ts';

const MAX_ATTEMPTS = 5;
/** Notifications that quote mail: their payload is erased once sent or given up. */
const MAIL_CONTENT_KINDS: readonly NotificationKind[] = ['watch_alert', 'watch_digest'];
/** Long enough to send a batch (Telegram allows about one message per second per chat). */
export const CLAIM_MS = 5 * 60_000;

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

export interface OutboxEntry extends OutboxItem {
  deliveredAt: Date | null;
  lastError: string | null;
}

export interface Outbox {
  /** Undelivered items that still have attempts left, oldest first. */
  pending(limit: number): Promise<OutboxItem[]>;
  /** Claims undelivered items for a while, so no other instance delivers them meanwhile. */
  claim(limit: number): Promise<OutboxItem[]>;
  delivered(id: string): Promise<void>;
  /** Counts a failed attempt; `permanent` (blocked bot, user gone) stops further attempts. */
  failed(id: string, error: string, options?: { permanent?: boolean }): Promise<void>;
  /** Queues a notification (e.g. a briefing); `dedupeKey` makes it happen once. */
  enqueue(item: NewNotification): Promise<void>;
  /** The newest entries, delivered or not (the admin listing). */
  list(limit: number): Promise<OutboxEntry[]>;
}

/** Counts deliveries by outcome: `delivered`, `failed` (tried again later), `dropped`. */
export interface OutboxMetrics {
  outboxDeliveries: { inc(labels: { outcome: 'delivered' | 'failed' | 'dropped' }): void };
}

/** What waits to be delivered: how many notifications, and when the oldest was queued. */
export async function outboxBacklog(
  db: Kysely<Database>,
): Promise<{ pending: number; oldest: Date | null }> {
  const row = await db
    .selectFrom('notifications')
    .select((eb) => [
      eb.fn.countAll<string | number>().as('pending'),
      eb.fn.min('created_at').as('oldest'),
    ])
    .where('delivered_at', 'is', null)
    .where('attempts', '<', MAX_ATTEMPTS)
    .executeTakeFirst();
  const oldest = row?.oldest ?? null;
  return {
    pending: Number(row?.pending ?? 0),
    oldest: oldest === null ? null : new Date(oldest),
  };
}

export function createOutbox(
  db: Kysely<Database>,
  now: () => Date,
  metrics?: OutboxMetrics,
): Outbox {
  return {
    async pending(limit) {
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
    /** Claims up to `limit` undelivered rows, oldest first, for `CLAIM_MS`. */
    async claim(limit) {
      const at = now();
      const until = new Date(at.getTime() + CLAIM_MS);
      const size = Math.max(1, Math.min(limit, 500));
      const { rows } = await sql<Notification>`
        update notifications set claimed_until = ${until}
        where id in (
          select id from notifications
          where delivered_at is null and attempts < ${MAX_ATTEMPTS}
            and (claimed_until is null or claimed_until <= ${at})
          order by id
          limit ${size}
          for update skip locked)
        returning *`.execute(db);
      return rows.map(toItem).sort((a, b) => Number(a.id) - Number(b.id));
    },
    async delivered(id) {
      await db
        .updateTable('notifications')
        .set({
          delivered_at: now(),
          claimed_until: null,
          // Mail content (a watch alert's sender, subject, snippet) is kept only until sent.
          payload: sql`case when kind in (${sql.join([...MAIL_CONTENT_KINDS])}) then '{}'::jsonb else payload end`,
        })
        .where('id', '=', id)
        .execute();
      metrics?.outboxDeliveries.inc({ outcome: 'delivered' });
    },
    async failed(id, error, options = {}) {
      const row = await db
        .updateTable('notifications')
        .set((eb) => ({
          attempts: options.permanent ? MAX_ATTEMPTS : eb('attempts', '+', 1),
          last_error: error.slice(0, 500),
          claimed_until: null,
        }))
        .where('id', '=', id)
        .returning('attempts')
        .executeTakeFirst();
      if (row) {
        const outcome = row.attempts >= MAX_ATTEMPTS ? 'dropped' : 'failed';
        metrics?.outboxDeliveries.inc({ outcome });
        // Given up: what a watch alert quoted from the mail goes, as after a delivery.
        if (outcome === 'dropped') {
          await db
            .updateTable('notifications')
            .set({ payload: sql`'{}'::jsonb` })
            .where('id', '=', id)
            .where('kind', 'in', [...MAIL_CONTENT_KINDS])
            .execute();
        }
      }
    },
    async enqueue(item) {
      await insertNotification(db, item, now());
    },
    async list(limit) {
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

/**
 * Forgets every claim: only for a process that has just opened a database nobody else can
 * have open (the embedded one), where any claim was left by a deliverer that is gone.
 * Answers how many there were.
 */
export async function clearAllClaims(db: Kysely<Database>): Promise<number> {
  const cleared = await db
    .updateTable('notifications')
    .set({ claimed_until: null })
    .where('claimed_until', 'is not', null)
    .where('delivered_at', 'is', null)
    .executeTakeFirst();
  return Number(cleared.numUpdatedRows);
}
