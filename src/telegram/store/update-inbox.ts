/**
 * The inbox in the database (`telegram_inbox`, `telegram_chat_leases`): what the worker in
 * `transport/inbox-worker.ts` needs, in single statements. An update is stored once (its
 * id is the key, so a redelivery stores nothing); a chat is answered by whoever holds its
 * lease, which is taken only when free or run out, renewed by its holder, and given back;
 * the chat's lowest update not yet answered is begun (its attempts counted) and then
 * marked done, which erases its content and keeps its id for the dedup window.
 */
import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/index.ts';
import type { ChatLease, InboxEntry, NewInboxEntry, UpdateInbox } from '../transport/index.ts';

function later(now: () => Date, ms: number): Date {
  return new Date(now().getTime() + ms);
}

export function createUpdateInbox(db: Kysely<Database>, now: () => Date): UpdateInbox {
  return {
    async add(entries) {
      if (entries.length === 0) return 0;
      const received = now();
      const result = await db
        .insertInto('telegram_inbox')
        .values(
          entries.map((entry: NewInboxEntry) => ({
            update_id: String(entry.updateId),
            chat_key: entry.chatKey,
            body: JSON.stringify(entry.update),
            received_at: received,
          })),
        )
        .onConflict((oc) => oc.column('update_id').doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0);
    },

    async takeChat(chatKey, leaseMs) {
      const token = randomUUID();
      const at = now();
      const until = new Date(at.getTime() + leaseMs);
      const { rows } = await sql<{ holder: string }>`
        insert into telegram_chat_leases (chat_key, holder, until)
        values (${chatKey}, ${token}, ${until})
        on conflict (chat_key) do update set holder = excluded.holder, until = excluded.until
          where telegram_chat_leases.until <= ${at}
        returning holder`.execute(db);
      return rows[0]?.holder === token ? { chatKey, token } : null;
    },

    async renewChat(lease: ChatLease, leaseMs) {
      const renewed = await db
        .updateTable('telegram_chat_leases')
        .set({ until: later(now, leaseMs) })
        .where('chat_key', '=', lease.chatKey)
        .where('holder', '=', lease.token)
        .executeTakeFirst();
      return Number(renewed.numUpdatedRows) > 0;
    },

    async releaseChat(lease) {
      await db
        .deleteFrom('telegram_chat_leases')
        .where('chat_key', '=', lease.chatKey)
        .where('holder', '=', lease.token)
        .execute();
    },

    async beginNext(chatKey) {
      const { rows } = await sql<{ update_id: string; body: string | null; attempts: number }>`
        update telegram_inbox set attempts = attempts + 1
        where update_id = (
          select update_id from telegram_inbox
          where chat_key = ${chatKey} and done_at is null
          order by update_id limit 1)
        returning update_id, body, attempts`.execute(db);
      const row = rows[0];
      if (!row) return null;
      const entry: InboxEntry = {
        updateId: Number(row.update_id),
        chatKey,
        update: row.body === null ? null : (JSON.parse(row.body) as unknown),
        attempts: row.attempts,
      };
      return entry;
    },

    async done(updateId) {
      await db
        .updateTable('telegram_inbox')
        .set({ done_at: now(), body: null })
        .where('update_id', '=', String(updateId))
        .where('done_at', 'is', null)
        .execute();
    },

    async waitingChats(limit) {
      const { rows } = await sql<{ chat_key: string }>`
        select distinct i.chat_key from telegram_inbox i
        where i.done_at is null
          and not exists (
            select 1 from telegram_chat_leases l
            where l.chat_key = i.chat_key and l.until > ${now()})
        limit ${Math.max(1, limit)}`.execute(db);
      return rows.map((row) => row.chat_key);
    },

    async hasWaiting(chatKey) {
      const row = await db
        .selectFrom('telegram_inbox')
        .select('update_id')
        .where('chat_key', '=', chatKey)
        .where('done_at', 'is', null)
        .limit(1)
        .executeTakeFirst();
      return row !== undefined;
    },
  };
}

/**
 * Whether the inbox holds this update and it is not answered yet (true), answered
 * already (false), or does not hold it at all (null).
 */
export async function inboxWaiting(
  db: Kysely<Database>,
  updateId: number,
): Promise<boolean | null> {
  const row = await db
    .selectFrom('telegram_inbox')
    .select('done_at')
    .where('update_id', '=', String(updateId))
    .executeTakeFirst();
  return row ? row.done_at === null : null;
}

/** Forgets answered updates done before `before` and leases run out; answers the count. */
export async function pruneInbox(db: Kysely<Database>, before: Date, at: Date): Promise<number> {
  const answered = await db
    .deleteFrom('telegram_inbox')
    .where('done_at', '<', before)
    .executeTakeFirst();
  const leases = await db
    .deleteFrom('telegram_chat_leases')
    .where('until', '<=', at)
    .executeTakeFirst();
  return Number(answered.numDeletedRows) + Number(leases.numDeletedRows);
}

/**
 * Forgets every chat lease: only for a process that has just opened a database nobody
 * else can have open (the embedded one), where every lease was left by a process that is
 * gone. Answers how many there were.
 */
export async function releaseAllChatLeases(db: Kysely<Database>): Promise<number> {
  const released = await db.deleteFrom('telegram_chat_leases').executeTakeFirst();
  return Number(released.numDeletedRows);
}
