/**
 * What the bot keeps in the database, so every instance sees the same: the inbox of
 * updates waiting to be answered (`update-inbox.ts`) and the update ids already answered
 * (a redelivered update is answered once), what inline buttons stand
 * for when their value does not fit Telegram's 64 bytes of callback data (a page of mail
 * results, a long id), each user's chat context (what was shown and asked last, for
 * follow-ups; `chat-context.ts`), and which bot messages carry connect buttons (removed
 * once an account is connected). All but the update ids belong to one user, go with the
 * user, expire, and are read only for that user; every kind of row is pruned.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.ts';
import type { UpdateInbox } from '../transport/index.ts';
import { createUpdateInbox, inboxWaiting, pruneInbox } from './update-inbox.ts';

/** A bot message with connect buttons, and its keyboard without them (null: nothing left). */
export interface ConnectButtonsMessage {
  chatId: number;
  messageId: number;
  keyboard: unknown;
}

export interface TelegramStore {
  /**
   * True the first time an update id is seen (redelivered updates answer false). An update
   * in the inbox is first seen until it is marked answered: its chat's lease holder alone
   * answers it, and answers it again from the start if the one before it died.
   */
  firstSeen(updateId: number): Promise<boolean>;
  /**
   * Where updates wait until answered, shared by every instance. A store without one (kept
   * in memory) leaves the bot answering in the order this process received them.
   */
  inbox?: UpdateInbox;
  /** Keeps what an inline button stands for, for `ttlMs`; answers a short key to it. */
  keepButtonState(userId: string, value: unknown, ttlMs: number): Promise<string>;
  /** What was kept under `key` for this user; null when unknown, foreign or expired. */
  buttonState(userId: string, key: string): Promise<unknown>;
  /** The user's chat context as kept; null when there is none or it has expired. */
  chatContext(userId: string): Promise<unknown>;
  /** Replaces the user's chat context, whole, in one statement; it lasts `ttlMs`. */
  keepChatContext(userId: string, chatId: number, context: unknown, ttlMs: number): Promise<void>;
  /** Notes that a bot message carries connect buttons, for `ttlMs`. */
  keepConnectButtons(userId: string, message: ConnectButtonsMessage, ttlMs: number): Promise<void>;
  /** Forgets a message's connect buttons (it now shows something else). */
  forgetConnectButtons(chatId: number, messageId: number): Promise<void>;
  /** The user's messages that still carry connect buttons, forgotten as they are read. */
  takeConnectButtons(userId: string): Promise<ConnectButtonsMessage[]>;
  /**
   * Forgets update ids seen or answered before `seenBefore`, chat leases run out, and
   * expired button state, chat context and connect-button notes; answers the count.
   */
  prune(seenBefore: Date): Promise<number>;
}

/** Keys are 10 URL-safe characters (60 random bits), so callback data stays short. */
const KEY_PATTERN = /^[A-Za-z0-9_-]{10}$/;

/** A jsonb value as the driver answers it: parsed already (pg) or as text. */
function fromJson(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}

function later(now: () => Date, ms: number): Date {
  return new Date(now().getTime() + ms);
}

export function createTelegramStore(db: Kysely<Database>, now: () => Date): TelegramStore {
  return {
    inbox: createUpdateInbox(db, now),
    async firstSeen(updateId) {
      const waiting = await inboxWaiting(db, updateId);
      if (waiting !== null) return waiting;
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
          expires_at: later(now, ttlMs),
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
      const stored = fromJson(row.value) as { v?: unknown };
      return stored.v ?? null;
    },
    async chatContext(userId) {
      const row = await db
        .selectFrom('telegram_chat_context')
        .select('context')
        .where('user_id', '=', userId)
        .where('expires_at', '>', now())
        .executeTakeFirst();
      return row ? fromJson(row.context) : null;
    },
    async keepChatContext(userId, chatId, context, ttlMs) {
      const values = {
        chat_id: String(chatId),
        context: JSON.stringify(context),
        updated_at: now(),
        expires_at: later(now, ttlMs),
      };
      await db
        .insertInto('telegram_chat_context')
        .values({ user_id: userId, ...values })
        .onConflict((oc) => oc.column('user_id').doUpdateSet(values))
        .execute();
    },
    async keepConnectButtons(userId, message, ttlMs) {
      const values = {
        user_id: userId,
        keyboard: message.keyboard === null ? null : JSON.stringify(message.keyboard),
        expires_at: later(now, ttlMs),
      };
      await db
        .insertInto('telegram_connect_buttons')
        .values({ chat_id: String(message.chatId), message_id: message.messageId, ...values })
        .onConflict((oc) => oc.columns(['chat_id', 'message_id']).doUpdateSet(values))
        .execute();
    },
    async forgetConnectButtons(chatId, messageId) {
      await db
        .deleteFrom('telegram_connect_buttons')
        .where('chat_id', '=', String(chatId))
        .where('message_id', '=', messageId)
        .execute();
    },
    async takeConnectButtons(userId) {
      const rows = await db
        .deleteFrom('telegram_connect_buttons')
        .where('user_id', '=', userId)
        .returning(['chat_id', 'message_id', 'keyboard', 'expires_at'])
        .execute();
      return rows
        .filter((row) => new Date(row.expires_at).getTime() > now().getTime())
        .sort((a, b) => a.message_id - b.message_id)
        .map((row) => ({
          chatId: Number(row.chat_id),
          messageId: row.message_id,
          keyboard: row.keyboard === null ? null : fromJson(row.keyboard),
        }));
    },
    async prune(seenBefore) {
      const updates = await db
        .deleteFrom('telegram_updates')
        .where('received_at', '<', seenBefore)
        .executeTakeFirst();
      let pruned = Number(updates.numDeletedRows) + (await pruneInbox(db, seenBefore, now()));
      for (const table of [
        'telegram_button_state',
        'telegram_chat_context',
        'telegram_connect_buttons',
      ] as const) {
        const expired = await db
          .deleteFrom(table)
          .where('expires_at', '<=', now())
          .executeTakeFirst();
        pruned += Number(expired.numDeletedRows);
      }
      return pruned;
    },
  };
}
