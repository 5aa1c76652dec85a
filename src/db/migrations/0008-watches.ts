/**
 * New-mail alerts. A watch rule is a Gmail query of a user's on one of their connections;
 * it alerts only for mail whose history id is above the one the mailbox had when the rule
 * was made. A connection with rules has one cursor: the history id its last poll read up
 * to, when it was polled, and why its rules are paused (told once). Matches that arrive
 * in the user's quiet hours wait in `watch_held` (sender, subject and snippet, only until
 * the digest goes out).
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('watch_rules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('connection_id', 'text', (c) =>
      c.notNull().references('connections.id').onDelete('cascade'),
    )
    .addColumn('query', 'text', (c) => c.notNull())
    .addColumn('since_history_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('watch_rules_user').on('watch_rules').column('user_id').execute();
  await db.schema
    .createIndex('watch_rules_connection')
    .on('watch_rules')
    .column('connection_id')
    .execute();

  await db.schema
    .createTable('watch_cursors')
    .addColumn('connection_id', 'text', (c) =>
      c.primaryKey().references('connections.id').onDelete('cascade'),
    )
    .addColumn('history_id', 'text', (c) => c.notNull())
    .addColumn('polled_at', 'timestamptz')
    // Why the rules are paused (`reauth_required`, `not_connected`, `scope_missing`), once told.
    .addColumn('paused_reason', 'text')
    .execute();

  await db.schema
    .createTable('watch_held')
    .addColumn('connection_id', 'text', (c) =>
      c.notNull().references('connections.id').onDelete('cascade'),
    )
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('alert', 'text', (c) => c.notNull())
    .addColumn('held_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('watch_held_pk', ['connection_id', 'message_id'])
    .execute();
  await db.schema.createIndex('watch_held_user').on('watch_held').column('user_id').execute();
}
