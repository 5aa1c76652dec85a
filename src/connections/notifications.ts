/**
 * Notifications: what the user is told once, whatever happens next (a connection broke, an
 * account was connected, the daily briefing). They are written to the `notifications`
 * table, the outbox, by `insertNotification` alone, inside the transaction of the change
 * they report; the front doors deliver them (`outbox.ts`).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.ts';

export type NotificationKind =
  | 'connection_broken'
  | 'connected'
  | 'briefing'
  /** A new message matched a watch rule: `{ alert }` (sender, subject, snippet, link). */
  | 'watch_alert'
  /** Alerts held through the quiet hours: `{ alerts }`. */
  | 'watch_digest'
  /** A connection's watch rules stopped: `{ email, reason, watches }`. */
  | 'watch_paused';

export interface OutboxItem {
  id: string;
  userId: string;
  connectionId: string | null;
  kind: NotificationKind;
  /** For `connection_broken`: { email, reason: ReauthReason }; `connected`: { email, capabilities }. */
  payload: Record<string, unknown>;
  createdAt: Date;
  attempts: number;
}

export interface NewNotification {
  userId: string;
  connectionId?: string | null;
  kind: NotificationKind;
  payload: Record<string, unknown>;
  /** Makes the notification happen once: a second one with the same key is dropped. */
  dedupeKey?: string;
}

/** Queues one notification; `db` may be a transaction, so it lands with the change it reports. */
export async function insertNotification(
  db: Kysely<Database>,
  item: NewNotification,
  createdAt: Date,
): Promise<void> {
  await db
    .insertInto('notifications')
    .values({
      user_id: item.userId,
      connection_id: item.connectionId ?? null,
      kind: item.kind,
      payload: JSON.stringify(item.payload),
      dedupe_key: item.dedupeKey ?? null,
      created_at: createdAt,
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .execute();
}
