/**
 * What the bot keeps in the database, so every instance sees the same: the update ids
 * already answered (a redelivered update is answered once) and what inline buttons stand
 * for when their value does not fit Telegram's 64 bytes of callback data (a page of mail
 * results, a long id). Button state belongs to one user, expires, and is read only by that
 * user; both kinds of rows are pruned by age.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.ts';

export interface TelegramStore {
  /** True the first time an update id is seen (redelivered updates answer false). */
  firstSeen(updateId: number): Promise<boolean>;
  /** Keeps what an inline button stands for, for `ttlMs`; answers a short key to it. */
  keepButtonState(userId: string, value: unknown, ttlMs: number): Promise<string>;
  /** What was kept under `key` for this user; null when unknown, foreign or expired. */
  buttonState(userId: string, key: string): Promise<unknown>;
  /** Forgets update ids seen before `seenBefore` and expired button state; answers the count. */
  prune(seenBefore: Date): Promise<number>;
}

/** Keys are 10 URL-safe characters (60 random bits), so callback data stays short. */
const KEY_PATTERN = /^[A-Za-z0-9_-]{10}$/;

export function createTelegramStore(db: Kysely<Database>, now: () => Date): TelegramStore {
  return {
    async firstSeen(updateId) {
      const result = await db
        .insertInto('telegram_updates')
        .values({ update_id: String(updateId), received_at: now() })
        .onConflict((oc) => oc.column('update_id').doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
    },
    async keepButtonState(userId, value, ttlMs) {
      const key = randomBytes(8).toString('base64url').slice(0, 10);
      await db
        .insertInto('telegram_button_state')
        .values({
          key,
          user_id: userId,
          // Wrapped, so a value that is itself a string is not mistaken for JSON text.
          value: JSON.stringify({ v: value ?? null }),
          expires_at: new Date(now().getTime() + ttlMs),
        })
        .execute();
      return key;
    },
    async buttonState(userId, key) {
      if (!KEY_PATTERN.test(key)) return null;
      const row = await db
        .selectFrom('telegram_button_state')
        .select('value')
        .where('key', '=', key)
        .where('user_id', '=', userId)
        .where('expires_at', '>', now())
        .executeTakeFirst();
      if (!row) return null;
      const stored = (typeof row.value === 'string' ? JSON.parse(row.value) : row.value) as {
        v?: unknown;
      };
      return stored.v ?? null;
    },
    async prune(seenBefore) {
      const updates = await db
        .deleteFrom('telegram_updates')
        .where('received_at', '<', seenBefore)
        .executeTakeFirst();
      const buttons = await db
        .deleteFrom('telegram_button_state')
        .where('expires_at', '<=', now())
        .executeTakeFirst();
      return Number(updates.numDeletedRows) + Number(buttons.numDeletedRows);
    },
  };
}
