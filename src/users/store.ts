/**
 * The user store: creates, finds, updates and removes user records. Telegram sign-ups go
 * through `ensureTelegramUser`, which is safe against two first messages at once.
 *
 * `getRecent` serves the hot path of a capability run from a read of the last few
 * seconds: an update or removal in this process forgets every remembered record at once
 * (whichever store made it); one made by another process is seen within
 * `RECENT_USER_TTL_MS`. A removal also forgets every verified API key.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.ts';
import { TidingsError } from '../errors.ts';
import { toUserRecord, type UserRecord, type UserSettings } from './user.ts';

/** How long `getRecent` may answer from an earlier read. */
export const RECENT_USER_TTL_MS = 5_000;
const MAX_RECENT_USERS = 10_000;

/** Bumped by every update or removal in this process: records read before it are void. */
let userWrites = 0;

export interface UserStore {
  create(input: { displayName: string; telegramUserId?: string | null }): Promise<UserRecord>;
  get(userId: string): Promise<UserRecord | null>;
  /**
   * `get`, possibly from a read of the last `RECENT_USER_TTL_MS` (never one older than a
   * write to users made in this process).
   */
  getRecent(userId: string): Promise<UserRecord | null>;
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

export interface UserStoreOptions {
  /** Milliseconds on a monotonic clock (default `performance.now`). */
  clock?: () => number;
}

export function createUserStore(db: Kysely<Database>, options: UserStoreOptions = {}): UserStore {
  const clock = options.clock ?? (() => performance.now());
  const recent = new Map<string, { record: UserRecord; at: number; writes: number }>();

  function wrote(): void {
    userWrites++;
  }

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
    async getRecent(userId) {
      const at = clock();
      const entry = recent.get(userId);
      if (entry && entry.writes === userWrites && at - entry.at < RECENT_USER_TTL_MS) {
        return entry.record;
      }
      const writesBefore = userWrites;
      const record = await store.get(userId);
      if (record && writesBefore === userWrites) {
        if (recent.size >= MAX_RECENT_USERS) recent.clear();
        recent.set(userId, { record, at, writes: writesBefore });
      } else recent.delete(userId);
      return record;
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
      wrote();
      const row = await db
        .updateTable('users')
        .set(values)
        .where('id', '=', userId)
        .returningAll()
        .executeTakeFirstOrThrow()
        .finally(wrote);
      return toUserRecord(row);
    },
    async remove(userId) {
      wrote();
      try {
        await db.deleteFrom('users').where('id', '=', userId).execute();
      } finally {
        wrote();
      }
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
