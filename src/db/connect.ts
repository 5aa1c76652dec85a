/**
 * Opens the database: embedded PGlite in `DATA_DIR/pglite` when no `DATABASE_URL` is set,
 * PostgreSQL through `pg` when it is. Both speak PostgreSQL and sit behind one Kysely
 * instance, so the rest of the code never knows which it has.
 *
 * A PostgreSQL server that goes away (a restart, a crash, a network cut) costs the
 * requests of that moment a `database_unavailable` error — translated here, in one place —
 * and nothing else: a pooled connection that dies never crashes the process, and the pool
 * opens new connections once the server is back.
 */
import { constants } from 'node:fs';
import { access, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import {
  Kysely,
  type PostgresCursor,
  PostgresDialect,
  type PostgresPool,
  type PostgresPoolClient,
  type PostgresQueryResult,
  sql,
} from 'kysely';
import pg from 'pg';
import { TidingsError } from '../errors.ts';
import { createEmbedded } from './embedded.ts';
import { createPglitePool, type PoolStats } from './pglite-pool.ts';
import type { Database } from './schema.ts';
import {
  defaultCacheDir,
  ensureTemplate,
  forgetTemplate,
  readTemplate,
  unpackTemplate,
} from './template.ts';

// bigint columns (bigserial ids) come back as strings; timestamps as Date.
pg.types.setTypeParser(20, (value) => value);

export interface DatabaseHandle {
  readonly kind: 'pglite' | 'postgres';
  readonly db: Kysely<Database>;
  /** Raw SQL for libraries that bring their own (pg-boss). */
  executeSql(text: string, values?: readonly unknown[]): Promise<{ rows: unknown[] }>;
  ping(): Promise<void>;
  /** Connections open, idle and waited for (PGlite: its one connection, held or not). */
  poolStats(): PoolStats;
  close(): Promise<void>;
  /**
   * Embedded only: a gzipped tarball of the data directory, taken after a checkpoint while
   * no transaction is open, so it opens as the database stood at that moment.
   */
  dumpDataDir?(): Promise<Blob>;
}

export interface OpenDatabaseOptions {
  databaseUrl: string | null;
  dataDir: string;
  /** For PostgreSQL: the schema to use (tests isolate runs this way). */
  searchPath?: string;
  poolSize?: number;
  /**
   * Embedded only: where the migrated template for fresh folders is cached (`template.ts`);
   * undefined for the default place, null to create fresh folders from scratch.
   */
  cacheDir?: string | null;
  /** Embedded only: called when a fresh folder takes the slow path (no template yet). */
  onPreparing?: () => void;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options);
  const dir = path.join(options.dataDir, 'pglite');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const existing = await access(path.join(dir, 'PG_VERSION')).then(
    () => true,
    () => false,
  );
  if (existing) return fromPglite(await createEmbedded(dir));
  return fromPglite(await openFresh(dir, options));
}

/** Whether the template's cache folder exists, or can be made, and can be written. */
async function cacheWritable(cacheDir: string): Promise<boolean> {
  try {
    await mkdir(cacheDir, { recursive: true, mode: 0o700 });
    await access(cacheDir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * A fresh folder: unpacked from the cached template, or from one built now (and cached)
 * when there is none; created from scratch when the cache folder cannot be written. A template that does not open is forgotten, and the folder is
 * created from scratch as it was before templates.
 */
async function openFresh(dir: string, options: OpenDatabaseOptions): Promise<PGlite> {
  const cacheDir = options.cacheDir === undefined ? defaultCacheDir() : options.cacheDir;
  if (cacheDir === null) {
    options.onPreparing?.();
    return createEmbedded(dir);
  }
  let template = await readTemplate(cacheDir);
  if (!template) {
    options.onPreparing?.();
    // A template that could not be kept would only be made to be thrown away.
    if (!(await cacheWritable(cacheDir))) return createEmbedded(dir);
    template = await ensureTemplate(cacheDir);
  }
  try {
    await unpackTemplate(template, dir);
    return await createEmbedded(dir);
  } catch {
    await forgetTemplate(cacheDir);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true, mode: 0o700 });
    return createEmbedded(dir);
  }
}

/**
 * An in-memory PGlite database (tests, benchmarks). With `from`, a copy of another
 * in-memory database (cloning is much faster than creating one).
 */
export async function openMemoryDatabase(
  from?: PGlite,
): Promise<DatabaseHandle & { pglite: PGlite }> {
  const pglite = from ? ((await from.clone()) as PGlite) : await PGlite.create();
  return { ...fromPglite(pglite), pglite };
}

/** Wraps an open PGlite instance (tests, benchmarks). */
export function wrapPglite(pglite: PGlite): DatabaseHandle {
  return fromPglite(pglite);
}

function fromPglite(pglite: PGlite): DatabaseHandle {
  const pool = createPglitePool(pglite);
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
    poolStats: () => pool.stats(),
    close: () => db.destroy(),
    async dumpDataDir() {
      // Holding the pool's one checkout waits out any open transaction and keeps new ones out.
      const client = await pool.connect();
      try {
        await client.query('checkpoint');
        return await pglite.dumpDataDir('gzip');
      } finally {
        client.release();
      }
    },
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
  // So does a client that is checked out (in a transaction, or between two statements)
  // when its server goes away. Its pending query fails on its own and the pool drops the
  // client when it comes back; the event itself carries nothing more to act on.
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: translating(pool) }) });
  return {
    kind: 'postgres',
    db,
    executeSql: async (text, values) => {
      try {
        const result = await pool.query(text, values ? [...values] : undefined);
        return { rows: result.rows };
      } catch (error) {
        throw translateDatabaseError(error);
      }
    },
    async ping() {
      await sql`select 1`.execute(db);
    },
    poolStats: () => ({
      total: pool.totalCount,
      idle: pool.idleCount,
      waiting: pool.waitingCount,
    }),
    close: () => db.destroy(),
  };
}

/** How long a client is told to wait before trying again after the database went away. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * SQLSTATEs of a server that is not there for us right now: class 08 (connection
 * exception) by prefix, an administrator or crash shutdown (57P01, 57P02), a server still
 * starting or stopping (57P03), and no connection slot left (53300).
 */
const UNAVAILABLE_STATES: ReadonlySet<string> = new Set(['57P01', '57P02', '57P03', '53300']);

/** Socket errors: nothing listens, the peer went away, or the address does not resolve. */
const NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** What `pg`, `pg-pool` and Kysely say when a connection is lost or cannot be had. */
const LOST_CONNECTION = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect/,
  /is not queryable$/,
  /^Postgres connection has been discarded$/,
];

/** The code that says why the database is unavailable, or null for any other error. */
function unavailableReason(error: unknown): string | null {
  if (!(error instanceof Error)) return null;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (code.startsWith('08') || UNAVAILABLE_STATES.has(code) || NETWORK_CODES.has(code)) {
      return code;
    }
  }
  if (error instanceof AggregateError) {
    for (const inner of error.errors) {
      const reason = unavailableReason(inner);
      if (reason) return reason;
    }
  }
  return LOST_CONNECTION.some((pattern) => pattern.test(error.message)) ? 'connection lost' : null;
}

/**
 * The one translation point for `pg` errors: a database that is not answering becomes
 * `database_unavailable` (503 with Retry-After at the HTTP door), every other error is
 * returned as it is. The message names the reason (a SQLSTATE or socket code), never the
 * connection string.
 */
export function translateDatabaseError(error: unknown): unknown {
  if (error instanceof TidingsError) return error;
  const reason = unavailableReason(error);
  if (reason === null) return error;
  return new TidingsError(
    'database_unavailable',
    `The database is not answering right now (${reason}); try again in a few seconds.`,
    { retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS },
    { cause: error },
  );
}

/**
 * The pool Kysely sees: the same clients, with every failure to get one or to run a
 * statement passed through `translateDatabaseError`. One wrapper per client, so Kysely
 * keeps recognising a client it has seen.
 */
function translating(pool: pg.Pool): PostgresPool {
  const wrapped = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  const wrap = (client: pg.PoolClient): PostgresPoolClient => {
    const known = wrapped.get(client);
    if (known) return known;
    const own: PostgresPoolClient = {
      query: ((statement: string | PostgresCursor<unknown>, parameters?: readonly unknown[]) => {
        if (typeof statement !== 'string') {
          return client.query(statement as unknown as pg.Submittable);
        }
        return client
          .query(statement, parameters ? [...parameters] : undefined)
          .catch((error: unknown) => {
            throw translateDatabaseError(error);
          }) as Promise<PostgresQueryResult<unknown>>;
      }) as PostgresPoolClient['query'],
      release: (destroy) => client.release(destroy),
    };
    wrapped.set(client, own);
    return own;
  };
  return {
    async connect() {
      try {
        return wrap(await pool.connect());
      } catch (error) {
        throw translateDatabaseError(error);
      }
    },
    end: () => pool.end(),
  };
}
