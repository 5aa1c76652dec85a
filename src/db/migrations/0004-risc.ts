/**
 * Cross-Account Protection (RISC): the security event tokens already received, by `jti`,
 * so a redelivered one does nothing twice (pruned by age); the Google identifier of each
 * connection's refresh token, so a `token-revoked` event finds its connection without
 * opening every token bundle; and when the current grant was stored, so an event issued
 * before a reconnect does not retire the newer grant.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('risc_events')
    .addColumn('jti', 'text', (c) => c.primaryKey())
    // What each event of the token was and what became of it; never a subject or a token.
    .addColumn('events', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('risc_events_received')
    .on('risc_events')
    .column('received_at')
    .execute();

  await db.schema
    .alterTable('connections')
    .addColumn('refresh_token_digest', 'text')
    .addColumn('granted_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('connections_refresh_token_digest')
    .on('connections')
    .column('refresh_token_digest')
    .execute();
}
