/**
 * What the Telegram chat keeps briefly, shared by every instance: each user's chat context
 * (the last list shown, day, mail search and person, and the last few questions), which
 * expires 15 minutes after the last exchange; and which of the bot's messages carry a
 * connect button, so those buttons can be removed once an account is connected. Both go
 * with the user, and are pruned once expired.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('telegram_chat_context')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('chat_id', 'text', (c) => c.notNull())
    .addColumn('context', 'jsonb', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('telegram_chat_context_expires')
    .on('telegram_chat_context')
    .column('expires_at')
    .execute();

  await db.schema
    .createTable('telegram_connect_buttons')
    .addColumn('chat_id', 'text', (c) => c.notNull())
    .addColumn('message_id', 'integer', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    // The message's keyboard without its connect buttons; null when nothing else is left.
    .addColumn('keyboard', 'jsonb')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('telegram_connect_buttons_pkey', ['chat_id', 'message_id'])
    .execute();
  await db.schema
    .createIndex('telegram_connect_buttons_user')
    .on('telegram_connect_buttons')
    .column('user_id')
    .execute();
  await db.schema
    .createIndex('telegram_connect_buttons_expires')
    .on('telegram_connect_buttons')
    .column('expires_at')
    .execute();
}
