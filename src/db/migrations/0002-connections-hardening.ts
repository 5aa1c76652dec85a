/**
 * Connections hardening: a token generation that every write of a token bundle bumps (a
 * refresh writes only over the generation it read, so it never clobbers a reconnect or
 * resurrects a disconnect), a refresh lease row (one refresh per connection across
 * processes without holding a database connection during the call to Google), the kind
 * of the last refresh failure, a delivery claim on notifications, and indexes for
 * sweeping expired one-time values.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('connections')
    .addColumn('token_version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('refresh_lease', 'text')
    .addColumn('refreshing_until', 'timestamptz')
    .addColumn('failure_kind', 'text')
    .execute();

  await db.schema.alterTable('notifications').addColumn('claimed_until', 'timestamptz').execute();

  await db.schema
    .createIndex('connect_tickets_expires')
    .on('connect_tickets')
    .column('expires_at')
    .execute();
  await db.schema
    .createIndex('oauth_states_expires')
    .on('oauth_states')
    .column('expires_at')
    .execute();
}
