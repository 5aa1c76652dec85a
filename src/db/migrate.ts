/**
 * Versioned migrations. Applied by `tidings migrate` and at every start; safe to run from
 * several processes at once (on PostgreSQL one session-level advisory lock serialises them,
 * and Kysely's own migration lock guards each step).
 */
import { type Kysely, type Migration, type MigrationResult, Migrator, sql } from 'kysely';
import * as initial from './migrations/0001-initial.ts';
import * as connectionsHardening from './migrations/0002-connections-hardening.ts';
import * as telegramState from './migrations/0003-telegram-state.ts';
import * as risc from './migrations/0004-risc.ts';
import type { Database } from './schema.ts';

const MIGRATIONS: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-connections-hardening': connectionsHardening,
  '0003-telegram-state': telegramState,
  '0004-risc': risc,
};

/** Any 64-bit number unique to this purpose. */
const MIGRATION_LOCK_KEY = 7_201_884_311;

export interface MigrateOutcome {
  applied: string[];
  current: string | null;
}

export async function migrateToLatest(
  db: Kysely<Database>,
  kind: 'pglite' | 'postgres',
): Promise<MigrateOutcome> {
  // Kysely looks for its tables in every schema unless told which one: a second Tidings in
  // another schema of the same database would make it skip creating its own lock table.
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => MIGRATIONS },
    migrationTableName: 'tidings_migrations',
    migrationLockTableName: 'tidings_migrations_lock',
    migrationTableSchema: rows[0]?.schema ?? 'public',
  });
  const run = async () => {
    const { error, results } = await migrator.migrateToLatest();
    const failed = results?.find((result: MigrationResult) => result.status === 'Error');
    if (error || failed) {
      throw new Error(
        `migration ${failed?.migrationName ?? ''} failed: ${(error as Error | undefined)?.message ?? 'unknown error'}`,
        { cause: error },
      );
    }
    return (results ?? []).map((result) => result.migrationName);
  };

  const applied =
    kind === 'postgres'
      ? await db.connection().execute(async (connection) => {
          await sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`.execute(connection);
          try {
            return await run();
          } finally {
            await sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`.execute(connection);
          }
        })
      : await run();

  const all = await migrator.getMigrations();
  const executed = all.filter((migration) => migration.executedAt);
  return { applied, current: executed.at(-1)?.name ?? null };
}
