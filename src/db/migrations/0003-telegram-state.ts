/**
 * Telegram state every instance shares: what an inline button stands for when its value
 * does not fit Telegram's 64 bytes of callback data (pages of mail results, long ids), so
 * a button sent by one instance works when another one receives the press; and an index
 * to prune the seen update ids by age.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('telegram_button_state')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('value', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('telegram_button_state_expires')
    .on('telegram_button_state')
    .column('expires_at')
    .execute();
  await db.schema
    .createIndex('telegram_updates_received')
    .on('telegram_updates')
    .column('received_at')
    .execute();
}
