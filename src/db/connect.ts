/**
 * Opens the database: embedded PGlite in `DATA_DIR/pglite` when no `DATABASE_URL` is set,
 * PostgreSQL through `pg` when it is. Both speak PostgreSQL and sit behind one Kysely
 * instance, so the rest of the code never knows which it has.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { createPglitePool, type PglitePool } from './pglite-pool.ts';
import type { Database } from './schema.ts';

// bigint columns (bigserial ids) come back as strings; timestamps as Date.
pg.types.setTypeParser(20, (value) => value);

export interface DatabaseHandle {
  readonly kind: 'pglite' | 'postgres';
  readonly db: Kysely<Database>;
  /** Raw SQL for libraries that bring their own (pg-boss). */
  executeSql(text: string, values?: readonly unknown[]): Promise<{ rows: unknown[] }>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  databaseUrl: string | null;
  dataDir: string;
  /** For PostgreSQL: the schema to use (tests isolate runs this way). */
  searchPath?: string;
  poolSize?: number;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options);
  const dir = path.join(options.dataDir, 'pglite');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const pglite = await PGlite.create(dir);
  return fromPglite(createPglitePool(pglite));
}

/**
 * An in-memory PGlite database (tests, benchmarks). With `from`, a copy of another
 * in-memory database (cloning is much faster than creating one).
 */
export async function openMemoryDatabase(
  from?: PGlite,
): Promise<DatabaseHandle & { pglite: PGlite }> {
  const pglite = from ? ((await from.clone()) as PGlite) : await PGlite.create();
  return { ...fromPglite(createPglitePool(pglite)), pglite };
}

/** Wraps an open PGlite instance (tests, benchmarks). */
export function wrapPglite(pglite: PGlite): DatabaseHandle {
  return fromPglite(createPglitePool(pglite));
}

function fromPglite(pool: PglitePool): DatabaseHandle {
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: pool as unknown as pg.Pool }),
  });
  return {
    kind: 'pglite',
    db,
    executeSql: (text, values) => pool.run(text, values),
    async ping() {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}

function openPostgres(url: string, options: OpenDatabaseOptions): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 5_000,
    ...(options.searchPath ? { options: `-c search_path=${options.searchPath}` } : {}),
  });
  // An idle client that loses its server emits here; without a listener it would crash the process.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    kind: 'postgres',
    db,
    executeSql: async (text, values) => {
      const result = await pool.query(text, values ? [...values] : undefined);
      return { rows: result.rows };
    },
    async ping() {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}
