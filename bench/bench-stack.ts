/**
 * The product as the benchmarks see it: the whole app (`startStack`) on in-memory PGlite
 * (or PostgreSQL, in a private schema dropped at the end) against the in-process Google
 * sandbox, logging at `info` as in production to a real file sink (`/dev/null`, written
 * synchronously like pino's default stdout), with a clock the benchmarks can move
 * forward, users connected through the real OAuth journey, API keys, and the sandbox's
 * control API (faults, stats).
 */
import { Writable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { pino } from 'pino';
import { createApiKeyStore } from '../src/api-keys/index.ts';
import type { ApiKeyStore } from '../src/api-keys/index.ts';
import { migrateToLatest, openDatabase, openMemoryDatabase } from '../src/db/index.ts';
import { createLogger } from '../src/log.ts';
import type { TestDatabase } from '../test/support/databases.harness.ts';
import { connectWithAutoApprove, type Stack, startStack } from '../test/support/stack.harness.ts';
import { createGoogleTiming, type GoogleTiming } from './google-timing.ts';

/** The runtime API allows this many requests per key per minute; stay below it. */
const REQUESTS_PER_KEY = 100;

export interface SandboxStats {
  grants: { authorization_code: number; refresh_token: number };
  requests: Record<string, number>;
  quotaUnits: Record<string, number>;
}

export interface ConnectedUser {
  userId: string;
  connectionId: string;
  email: string;
}

export interface BenchStack {
  stack: Stack;
  /** Tidings' base URL, e.g. `http://127.0.0.1:40123`. */
  url: string;
  googleUrl: string;
  /** Records the timing of every Google request the app and the baselines make. */
  timing: GoogleTiming;
  /** Moves the app's clock (not the sandbox's) forward. */
  advanceClock(ms: number): void;
  /** A new user with `email` connected through the auto-approved OAuth journey. */
  connect(email: string): Promise<ConnectedUser>;
  /**
   * Fresh API keys of `userId` for `requests` requests, so the per-key rate limit is never
   * reached: request i uses `keyFor(i)`.
   */
  keysFor(userId: string, requests: number): Promise<(index: number) => string>;
  stats(): Promise<SandboxStats>;
  /** Every call whose path starts with `path` waits `latencyMs` first. */
  injectLatency(path: string, latencyMs: number): Promise<void>;
  clearFaults(): Promise<void>;
  close(): Promise<void>;
}

/** The level production runs at, written for real: every line is formatted and written. */
function benchLogger() {
  return createLogger('info', pino.destination({ dest: '/dev/null', sync: true }));
}

/** A logger that writes nothing (the benchmarks whose figures are not about logging). */
export function silentLogger() {
  const nowhere = new Writable({
    write(_chunk, _encoding, done) {
      done();
    },
  });
  return createLogger('silent', nowhere);
}

/** PostgreSQL for the benchmarks: `DATABASE_URL`, else a local server on the default port. */
const POSTGRES_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Embedded PGlite of its own (not the suite's templates, which would keep the process alive). */
export const PGLITE: TestDatabase = {
  name: 'pglite',
  async open() {
    const handle = await openMemoryDatabase();
    return {
      ...handle,
      schema: null,
      openAnother: () => {
        throw new Error('PGlite is one process by design');
      },
    };
  },
};

/**
 * PostgreSQL in a schema of its own, dropped with everything in it when the stack closes;
 * null when no server answers (the PostgreSQL figures are then skipped).
 */
export async function postgresBenchDatabase(): Promise<TestDatabase | null> {
  const probe = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2_000 });
  try {
    await probe.connect();
  } catch {
    return null;
  } finally {
    await probe.end().catch(() => {});
  }
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  return {
    name: 'postgres',
    async open() {
      const schema = `bench_${randomBytes(6).toString('hex')}`;
      await admin(`create schema ${schema}`);
      const open = () =>
        openDatabase({ databaseUrl: POSTGRES_URL, dataDir: '/nonexistent', searchPath: schema });
      const handle = await open();
      await migrateToLatest(handle.db, handle.kind);
      return {
        ...handle,
        schema,
        openAnother: open,
        async close() {
          await handle.close();
          await admin(`drop schema if exists ${schema}_pgboss cascade`);
          await admin(`drop schema if exists ${schema} cascade`);
        },
      };
    },
  };
}

async function expectOk(response: Response, what: string): Promise<void> {
  if (!response.ok) throw new Error(`${what} answered ${response.status}`);
  await response.body?.cancel();
}

export async function startBenchStack(database: TestDatabase = PGLITE): Promise<BenchStack> {
  let offsetMs = 0;
  const now = () => new Date(Date.now() + offsetMs);
  const timing = createGoogleTiming();
  const stack = await startStack(database, {
    env: { LOG_LEVEL: 'info' },
    start: { now, logger: benchLogger(), jobs: false, fetch: timing.fetch },
  });
  // The benchmarks measure what a request costs us, at rates one real mailbox could not
  // sustain: lift the sandbox's per-user quotas (Google's 15,000 Gmail units and 600
  // Calendar requests a minute) so Google's limits do not decide the figures.
  await expectOk(
    await stack.control('/settings', {
      method: 'PUT',
      body: { gmailQuotaUnitsPerMinute: 1_000_000, calendarRequestsPerMinute: 1_000_000 },
    }),
    'settings',
  );
  const apiKeys: ApiKeyStore = createApiKeyStore(stack.handle.db, now);
  let keysMade = 0;

  return {
    stack,
    url: stack.app.url,
    googleUrl: stack.google.url,
    timing,
    advanceClock(ms) {
      offsetMs += ms;
    },
    async connect(email) {
      const { frontDoor } = stack.app.parts;
      const user = await frontDoor.users.create({ displayName: email });
      const result = await connectWithAutoApprove(stack, user.id, email);
      if (result.status !== 200) throw new Error(`connecting ${email} answered ${result.status}`);
      const [connection] = await frontDoor.connections.list(user.id);
      if (!connection) throw new Error(`connecting ${email} stored no connection`);
      return { userId: user.id, connectionId: connection.id, email };
    },
    async keysFor(userId, requests) {
      const keys: string[] = [];
      for (let i = 0; i < Math.ceil(requests / REQUESTS_PER_KEY); i++) {
        keys.push((await apiKeys.create(userId, `bench ${++keysMade}`)).key);
      }
      return (index) => keys[index % keys.length]!;
    },
    async stats() {
      const response = await stack.control('/stats');
      return (await response.json()) as SandboxStats;
    },
    async injectLatency(path, latencyMs) {
      await expectOk(await stack.control('/faults', { body: { path, latencyMs } }), 'faults');
    },
    async clearFaults() {
      await expectOk(await stack.control('/faults', { method: 'DELETE' }), 'faults');
    },
    close: () => stack.close(),
  };
}
