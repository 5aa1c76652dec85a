/**
 * The user store: creates, finds, updates and removes user records. Telegram sign-ups go
 * through `ensureTelegramUser`, which is safe against two first messages at once.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.ts';
import { TidingsError } from '../errors.ts';
import { toUserRecord, type UserRecord, type UserSettings } from './user.ts';

export interface UserStore {
  create(input: { displayName: string; telegramUserId?: string | null }): Promise<UserRecord>;
  get(userId: string): Promise<UserRecord | null>;
  byTelegramId(telegramUserId: string): Promise<UserRecord | null>;
  ensureTelegramUser(telegramUserId: string, displayName: string): Promise<UserRecord>;
  update(
    userId: string,
    patch: { timeZone?: string | null; locale?: string | null; settings?: UserSettings },
  ): Promise<UserRecord>;
  remove(userId: string): Promise<void>;
  /** Users with a daily briefing set. */
  withBriefing(): Promise<UserRecord[]>;
  /** Every user, oldest first. */
  list(): Promise<UserRecord[]>;
}

const DISPLAY_NAME_MAX = 200;

export function createUserStore(db: Kysely<Database>): UserStore {
  const store: UserStore = {
    async create({ displayName, telegramUserId = null }) {
      const name = displayName.trim().slice(0, DISPLAY_NAME_MAX);
      if (!name)
        throw new TidingsError('invalid_request', 'a user needs a name', { field: 'name' });
      if (telegramUserId !== null && !/^\d{1,20}$/.test(telegramUserId)) {
        throw new TidingsError('invalid_request', 'a Telegram user id is a number', {
          field: 'telegram-id',
        });
      }
      const row = await db
        .insertInto('users')
        .values({
          id: randomUUID(),
          display_name: name,
          telegram_user_id: telegramUserId,
          settings: '{}',
        })
        .returningAll()
        .executeTakeFirstOrThrow()
        .catch((error: { code?: string }) => {
          if (error.code === '23505') {
            throw new TidingsError('invalid_request', 'that Telegram account already has a user', {
              field: 'telegram-id',
            });
          }
          throw error;
        });
      return toUserRecord(row);
    },
    async get(userId) {
      const row = await db
        .selectFrom('users')
        .selectAll()
        .where('id', '=', userId)
        .executeTakeFirst();
      return row ? toUserRecord(row) : null;
    },
    async byTelegramId(telegramUserId) {
      const row = await db
        .selectFrom('users')
        .selectAll()
        .where('telegram_user_id', '=', telegramUserId)
        .executeTakeFirst();
      return row ? toUserRecord(row) : null;
    },
    async ensureTelegramUser(telegramUserId, displayName) {
      const existing = await store.byTelegramId(telegramUserId);
      if (existing) return existing;
      await db
        .insertInto('users')
        .values({
          id: randomUUID(),
          display_name: displayName.trim().slice(0, DISPLAY_NAME_MAX) || 'Telegram user',
          telegram_user_id: telegramUserId,
          settings: '{}',
        })
        .onConflict((oc) => oc.column('telegram_user_id').doNothing())
        .execute();
      const row = await store.byTelegramId(telegramUserId);
      if (!row) throw new Error('user vanished right after it was created');
      return row;
    },
    async update(userId, patch) {
      const current = await store.get(userId);
      if (!current) throw new TidingsError('not_found', 'no such user');
      const values: { time_zone?: string | null; locale?: string | null; settings?: string } = {};
      if (patch.timeZone !== undefined) values.time_zone = patch.timeZone;
      if (patch.locale !== undefined) values.locale = patch.locale;
      if (patch.settings !== undefined)
        values.settings = JSON.stringify({ ...current.settings, ...patch.settings });
      if (Object.keys(values).length === 0) return current;
      const row = await db
        .updateTable('users')
        .set(values)
        .where('id', '=', userId)
        .returningAll()
        .executeTakeFirstOrThrow();
      return toUserRecord(row);
    },
    async remove(userId) {
      await db.deleteFrom('users').where('id', '=', userId).execute();
    },
    async withBriefing() {
      const rows = await db
        .selectFrom('users')
        .selectAll()
        .where((eb) => eb(eb.ref('settings', '->>').key('briefingTime' as never), 'is not', null))
        .execute();
      return rows.map(toUserRecord);
    },
    async list() {
      const rows = await db.selectFrom('users').selectAll().orderBy('created_at').execute();
      return rows.map(toUserRecord);
    },
  };
  return store;
}
