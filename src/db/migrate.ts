/**
 * Versioned migrations, applied in name order by `tidings migrate` and at every start.
 * Safe from several processes at once: on PostgreSQL a session-level advisory lock
 * serialises them (PGlite is one process by design), and each migration commits together
 * with its record, so a failed one leaves nothing half-applied.
 *
 * A few lines of our own rather than Kysely's Migrator: its checks for its own tables list
 * every table of every schema in the database, which fails when another schema is dropped
 * at that moment and is fooled by a neighbour schema's tables. The record table keeps the
 * Migrator's layout, so databases it migrated carry on.
 */
import { readFileSync } from 'node:fs';
import { type Kysely, type Migration, sql } from 'kysely';
import * as initial from './migrations/0001-initial.ts';
import * as connectionsHardening from './migrations/0002-connections-hardening.ts';
import * as telegramState from './migrations/0003-telegram-state.ts';
import * as risc from './migrations/0004-risc.ts';
import * as connectTicketBinding from './migrations/0005-connect-ticket-binding.ts';
import * as chatContext from './migrations/0006-chat-context.ts';
import * as telegramInbox from './migrations/0007-telegram-inbox.ts';
import * as watches from './migrations/0008-watches.ts';
import type { Database } from './schema.ts';

const MIGRATIONS: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-connections-hardening': connectionsHardening,
  '0003-telegram-state': telegramState,
  '0004-risc': risc,
  '0005-connect-ticket-binding': connectTicketBinding,
  '0006-chat-context': chatContext,
  '0007-telegram-inbox': telegramInbox,
  '0008-watches': watches,
};

/**
 * Names and source of every migration: what a database migrated by this version holds
 * (the embedded template is keyed by it). The files are read as written, so every way of
 * running the code (type stripping, a test runner's transform) gets the same answer.
 */
export function migrationFingerprint(): string {
  return Object.keys(MIGRATIONS)
    .sort()
    .map(
      (name) =>
        `${name}\n${readFileSync(new URL(`./migrations/${name}.ts`, import.meta.url), 'utf8')}`,
    )
    .join('\n');
}

/** Any 64-bit number unique to this purpose. */
const MIGRATION_LOCK_KEY = 7_201_884_311;

export interface MigrateOutcome {
  applied: string[];
  current: string | null;
}

async function applyPending(db: Kysely<Database>): Promise<MigrateOutcome> {
  await sql`create table if not exists tidings_migrations (
    name varchar(255) not null primary key,
    timestamp varchar(255) not null
  )`.execute(db);
  const { rows } = await sql<{ name: string }>`
    select name from tidings_migrations order by name`.execute(db);
  const done = rows.map((row) => row.name);
  const known = Object.keys(MIGRATIONS).sort();
  const unknown = done.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new Error(
      `the database has migrations this version of Tidings does not know (${unknown.join(', ')}): a newer version has run on it`,
    );
  }
  const last = done.at(-1);
  const pending = known.filter((name) => !done.includes(name));
  const early = pending.filter((name) => last !== undefined && name < last);
  if (early.length > 0) {
    throw new Error(
      `migration ${early.join(', ')} comes before ${last}, which is already applied: migrations must only be added at the end`,
    );
  }
  for (const name of pending) {
    try {
      await db.transaction().execute(async (trx) => {
        await MIGRATIONS[name]!.up(trx);
        await sql`insert into tidings_migrations (name, timestamp)
          values (${name}, ${new Date().toISOString()})`.execute(trx);
      });
    } catch (error) {
      throw new Error(`migration ${name} failed: ${(error as Error).message}`, { cause: error });
    }
  }
  return { applied: pending, current: pending.at(-1) ?? last ?? null };
}

export async function migrateToLatest(
  db: Kysely<Database>,
  kind: 'pglite' | 'postgres',
): Promise<MigrateOutcome> {
  if (kind === 'pglite') return applyPending(db);
  return db.connection().execute(async (connection) => {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`.execute(connection);
    try {
      return await applyPending(connection);
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`.execute(connection);
    }
  });
}
