/**
 * A connect ticket issued in the Telegram chat remembers the Telegram user it was issued
 * to: the link then opens only with Telegram's signed login data for that user (a
 * `login_url` button), so a forwarded link cannot join someone else's Google account to
 * the account that asked for it. Null for links made by the API, MCP or the admin CLI.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('connect_tickets').addColumn('telegram_user_id', 'text').execute();
}
