/**
 * Every database test runs on PGlite and, when DATABASE_URL is set, on PostgreSQL: the
 * same test body in a loop over `DATABASES`. PostgreSQL tests get a schema of their own,
 * dropped afterwards, so parallel runs never see each other.
 */
import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { beforeAll } from 'vitest';
import {
  type DatabaseHandle,
  migrateToLatest,
  openDatabase,
  openMemoryDatabase,
  wrapPglite,
} from '../../src/db/index.ts';

export interface TestDatabase {
  name: 'pglite' | 'postgres';
  /** Opens a fresh, empty, migrated database. `close()` drops it. */
  open(options?: { migrate?: boolean }): Promise<TestDatabaseHandle>;
}

export interface TestDatabaseHandle extends DatabaseHandle {
  /** PostgreSQL: the private schema (also used for pg-boss); PGlite: null. */
  schema: string | null;
  /** Opens a second, independent handle on the same database (a "second process"). */
  openAnother(): Promise<DatabaseHandle>;
}

const url = process.env.DATABASE_URL ?? null;

/** One empty and one migrated PGlite per worker; tests get clones of them. */
let templates: Promise<{ empty: PGlite; migrated: PGlite }> | null = null;

function pgliteTemplates() {
  templates ??= (async () => {
    const empty = await PGlite.create();
    const migrated = (await empty.clone()) as PGlite;
    const handle = wrapPglite(migrated);
    await migrateToLatest(handle.db, handle.kind);
    return { empty, migrated };
  })();
  return templates;
}

/**
 * The templates are made before a file's first test, under a hook's generous timeout, so
 * no single test pays for (and times out on) an embedded cluster's start on a busy machine.
 * A file whose tests are all skipped runs no hook and makes none; the few files that run on
 * PostgreSQL alone make them too, in a PostgreSQL run, for nothing (a few seconds).
 */
beforeAll(async () => {
  await pgliteTemplates();
}, 600_000);

const pglite: TestDatabase = {
  name: 'pglite',
  async open(options = {}) {
    const { empty, migrated } = await pgliteTemplates();
    const handle = await openMemoryDatabase(options.migrate === false ? empty : migrated);
    return {
      ...handle,
      schema: null,
      openAnother: () => {
        throw new Error('PGlite is one process by design');
      },
    };
  },
};

const postgres: TestDatabase = {
  name: 'postgres',
  async open(options = {}) {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url! });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.end();
    const open = () =>
      openDatabase({ databaseUrl: url, dataDir: '/nonexistent', searchPath: schema });
    const handle = await open();
    if (options.migrate !== false) await migrateToLatest(handle.db, handle.kind);
    return {
      ...handle,
      schema,
      openAnother: open,
      async close() {
        await handle.close();
        const cleanup = new pg.Client({ connectionString: url! });
        await cleanup.connect();
        // pg-boss keeps its tables in a schema of its own beside ours (jobsSchemaOf).
        await cleanup.query(`drop schema if exists ${schema}_pgboss cascade`);
        await cleanup.query(`drop schema if exists ${schema} cascade`);
        await cleanup.end();
      },
    };
  },
};

export const DATABASES: readonly TestDatabase[] = url ? [pglite, postgres] : [pglite];
export const POSTGRES: TestDatabase | null = url ? postgres : null;
