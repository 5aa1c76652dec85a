/**
 * The Telegram inbox, shared by every instance: each update the bot accepts is stored
 * before Telegram is told so (a redelivered one meets its own row and is stored once), and
 * is answered from here — by whichever instance holds its chat's lease, lowest update id
 * first. Once answered, its content is erased and its id kept for as long as the seen
 * update ids are (the dedup window). A chat lease is a short claim its holder renews while
 * it works, so a holder that died holds the chat back for seconds at most.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('telegram_inbox')
    .addColumn('update_id', 'bigint', (c) => c.primaryKey())
    .addColumn('chat_key', 'text', (c) => c.notNull())
    // The update as the bot reads it (JSON text, not jsonb: any string Telegram sends fits).
    .addColumn('body', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('done_at', 'timestamptz')
    .execute();
  await sql`create index telegram_inbox_waiting on telegram_inbox (chat_key, update_id)
    where done_at is null`.execute(db);
  await db.schema
    .createIndex('telegram_inbox_done')
    .on('telegram_inbox')
    .column('done_at')
    .execute();

  await db.schema
    .createTable('telegram_chat_leases')
    .addColumn('chat_key', 'text', (c) => c.primaryKey())
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('until', 'timestamptz', (c) => c.notNull())
    .execute();
}
