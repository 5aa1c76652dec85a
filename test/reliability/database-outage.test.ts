/**
 * Database outage: Tidings on a PostgreSQL cluster of the test's own (never the shared
 * server), under concurrent `/v1` load with refreshes and reconnects in flight, while
 * PostgreSQL restarts (`-m fast`, then `-m immediate`) and once stays down for a while.
 * During the outage every request answers 503 `database_unavailable` with Retry-After —
 * never a 500, never a hang, never a crashed process; afterwards the pool reconnects by
 * itself without restarting Tidings, and nothing is half-written: every connection is in a
 * state it could be in, its latest event agrees with it, and its tokens decrypt.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, openDatabase } from '../../src/db/index.ts';
import type { TestDatabase } from '../support/databases.harness.ts';
import { followConnectLink } from '../support/stack.harness.ts';
import {
  type Account,
  type Answer,
  call,
  connectionStates,
  inParallel,
  requestFor,
  startWorld,
  type World,
} from './faults-google.harness.ts';
import { type PgCluster, postgresBinDir, startPgCluster } from './pg-cluster.harness.ts';
import { reportFigures } from './report.harness.ts';

const bin = postgresBinDir();
if (!bin) {
  const message =
    'database outage suite needs initdb and pg_ctl under /usr/lib/postgresql/<version>/bin';
  if (process.env.CI === 'true') throw new Error(`${message}; they are missing.`);
  console.log(`\n[reliability] database-outage SKIPPED: ${message}.\n`);
}

/** Operations of a round before, during and after the outage, and how many run at once. */
const BEFORE_OPS = 60;
const DURING_OPS = 120;
const AFTER_OPS = 60;
const WIDTH = 12;
/** One op in this many is a reconnect through the whole OAuth journey. */
const CONNECT_EVERY = 20;
/** The injected clock moves this much every `ADVANCE_EVERY` ops: tokens go stale, refreshes run. */
const ADVANCE_MS = 45_000;
const ADVANCE_EVERY = 20;
const TOKEN_TTL_SECONDS = 100;
/** Requests made while the server is stopped. */
const DOWN_REQUESTS = 20;

type Outcome = 'ok' | 'unavailable' | 'internal' | 'hung' | 'other';

function outcomeOf(answer: Answer): Outcome {
  if (answer.hung) return 'hung';
  if (answer.status === 200 || answer.status === 201) return 'ok';
  if (answer.status === 500) return 'internal';
  const unavailable =
    answer.status === 503 &&
    answer.body.code === 'database_unavailable' &&
    answer.retryAfterHeader === String(answer.body.retry_after);
  return unavailable ? 'unavailable' : 'other';
}

function clusterDatabase(cluster: PgCluster): TestDatabase {
  return {
    name: 'postgres',
    async open() {
      const open = () => openDatabase({ databaseUrl: cluster.url, dataDir: '/nonexistent' });
      const handle = await open();
      await migrateToLatest(handle.db, handle.kind);
      return { ...handle, schema: null, openAnother: open };
    },
  };
}

describe.skipIf(!bin)('database outage', () => {
  let cluster: PgCluster;
  let world: World;
  const uncaught: string[] = [];
  const monitor = (error: unknown) => uncaught.push(String(error));

  beforeAll(async () => {
    process.on('uncaughtExceptionMonitor', monitor);
    cluster = await startPgCluster(bin!);
    world = await startWorld(clusterDatabase(cluster), {
      users: [['alex@example.com'], ['sam@example.com', 'carol@example.com']],
      keysPerUser: 8,
      accessTokenTtlSeconds: TOKEN_TTL_SECONDS,
      start: { jobs: true },
    });
  });
  afterAll(async () => {
    process.off('uncaughtExceptionMonitor', monitor);
    await world?.close();
    await cluster?.close();
  });

  const keyOf = (account: Account, i: number) => {
    const own = world.keys.get(account.userId)!;
    return own[i % own.length]!;
  };

  /** One operation: a `/v1` request, or (every `CONNECT_EVERY`) a reconnect journey. */
  async function operation(i: number): Promise<{ kind: 'api' | 'connect'; outcome: Outcome }> {
    const account = world.accounts[i % world.accounts.length]!;
    const key = keyOf(account, i);
    if (i % CONNECT_EVERY === CONNECT_EVERY - 1) {
      const link = await call(world.stack, key, `/v1/connect-links`, {
        method: 'POST',
        body: { connection: account.email },
      });
      if (outcomeOf(link) !== 'ok') return { kind: 'connect', outcome: outcomeOf(link) };
      await world.stack.control('/auto-approve', { body: { email: account.email } });
      const journey = await followConnectLink(String(link.body.url));
      if (journey.status === 200) return { kind: 'connect', outcome: 'ok' };
      // A step of the journey refused: a problem document, read like any other answer.
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(journey.html) as Record<string, unknown>;
      } catch {}
      const retryAfterHeader = body.retry_after === undefined ? null : String(body.retry_after);
      const answer = { status: journey.status, body, retryAfterHeader, hung: false };
      return { kind: 'connect', outcome: outcomeOf(answer) };
    }
    const request = requestFor(world, account, i);
    return { kind: 'api', outcome: outcomeOf(await call(world.stack, key, request.path, request)) };
  }

  interface Round {
    /** `/v1` requests and reconnects by phase: before, during and after the outage. */
    before: Record<Outcome, number>;
    during: Record<Outcome, number>;
    after: Record<Outcome, number>;
    connects: Record<Outcome, number>;
    samples: unknown[];
  }

  const tally = (): Record<Outcome, number> => ({
    ok: 0,
    unavailable: 0,
    internal: 0,
    hung: 0,
    other: 0,
  });

  /**
   * One round: `BEFORE_OPS` operations, then the outage set off with `DURING_OPS` more
   * running meanwhile, then (once the outage has ended) `AFTER_OPS`.
   */
  async function round(outage: () => Promise<void>): Promise<Round> {
    const result: Round = {
      before: tally(),
      during: tally(),
      after: tally(),
      connects: tally(),
      samples: [],
    };
    let op = 0;
    const phase = async (count: number, name: 'before' | 'during' | 'after') =>
      inParallel(count, WIDTH, async () => {
        const i = op++;
        if (i > 0 && i % ADVANCE_EVERY === 0) world.clock.advance(ADVANCE_MS);
        const { kind, outcome } = await operation(i);
        (kind === 'api' ? result[name] : result.connects)[outcome] += 1;
        const expected = name === 'during' ? ['ok', 'unavailable'] : ['ok'];
        if (!expected.includes(outcome) && result.samples.length < 5) {
          result.samples.push({ i, kind, outcome, phase: name });
        }
      });
    await phase(BEFORE_OPS, 'before');
    const ended = outage();
    await phase(DURING_OPS, 'during');
    await ended;
    await phase(AFTER_OPS, 'after');
    return result;
  }

  it('answers 503 database_unavailable through restarts and an outage, recovers by itself, writes nothing by halves', async () => {
    const fast = await round(() => cluster.restart('fast'));
    const immediate = await round(() => cluster.restart('immediate'));
    // Down for a while: every request meanwhile is refused the same clear way.
    const down: Outcome[] = [];
    const crash = await round(async () => {
      await cluster.stop('immediate');
      for (let i = 0; i < DOWN_REQUESTS; i++) {
        const account = world.accounts[i % world.accounts.length]!;
        down.push(outcomeOf(await call(world.stack, keyOf(account, i), '/v1/gmail/unread')));
      }
      await cluster.start();
    });

    // Past every backoff, every connection answers and holds tokens that decrypt.
    world.clock.advance(2 * 60 * 60_000);
    const answers = await Promise.all(
      world.accounts.map((account, i) =>
        call(world.stack, keyOf(account, i), `/v1/gmail/unread?connection=${account.email}`),
      ),
    );
    const states = await connectionStates(world);
    const halfWritten = await inconsistentRows(world);
    const queued = await world.stack.app.jobs?.queueSweep();
    const internalLogged = world.stack.logs.filter((line) =>
      line.includes('"msg":"request failed"'),
    ).length;

    const rounds = [fast, immediate, crash];
    const sum = (pick: (r: Round) => number) => rounds.reduce((total, r) => total + pick(r), 0);
    const all = (r: Round, outcome: Outcome) =>
      r.before[outcome] + r.during[outcome] + r.after[outcome];
    reportFigures('database-outage', {
      database: 'postgres (a cluster of its own)',
      rounds: rounds.length,
      restarts: 'fast, immediate, stop -m immediate + start',
      requests: sum((r) =>
        ['ok', 'unavailable', 'internal', 'hung', 'other'].reduce(
          (n, o) => n + all(r, o as Outcome),
          0,
        ),
      ),
      answered_ok: sum((r) => all(r, 'ok')),
      during_outage_ok: sum((r) => r.during.ok),
      during_outage_database_unavailable: sum((r) => r.during.unavailable),
      after_outage_ok: sum((r) => r.after.ok),
      internal_errors: sum((r) => all(r, 'internal') + r.connects.internal) + internalLogged,
      hangs: sum((r) => all(r, 'hung') + r.connects.hung),
      other_errors: sum((r) => all(r, 'other') + r.connects.other),
      reconnects_ok: sum((r) => r.connects.ok),
      reconnects_refused_unavailable: sum((r) => r.connects.unavailable),
      requests_while_down: DOWN_REQUESTS,
      refused_while_down: down.filter((o) => o === 'unavailable').length,
      connections_checked: states.length,
      half_written: halfWritten.length,
      tokens_lost: states.filter((s) => !s.opens).length,
      uncaught_exceptions: uncaught.length,
    });
    expect({
      samples: rounds.flatMap((r) => r.samples),
      internalLogged,
      down,
      answers: answers.map((a) => a.status),
      states: states.map((s) => [s.status, s.opens]),
      halfWritten,
      uncaught,
      jobsAfter: typeof queued?.due,
    }).toStrictEqual({
      samples: [],
      internalLogged: 0,
      down: Array.from({ length: DOWN_REQUESTS }, () => 'unavailable'),
      answers: world.accounts.map(() => 200),
      states: states.map(() => ['active', true]),
      halfWritten: [],
      uncaught: [],
      jobsAfter: 'number',
    });
    // The outage was felt, and reconnects went through before and after it.
    expect(sum((r) => r.during.unavailable)).toBeGreaterThan(0);
    expect(sum((r) => r.connects.ok)).toBeGreaterThan(0);
  });
});

/**
 * Rows a half-done write would leave: a live connection without tokens, one whose latest
 * status event disagrees with its status, a user with live connections but not exactly one
 * default, a notification about a connection that does not exist.
 */
async function inconsistentRows(world: World): Promise<string[]> {
  const db = world.stack.handle.db;
  const problems: string[] = [];
  const connections = await db
    .selectFrom('connections')
    .select(['id', 'user_id', 'status', 'token_ciphertext', 'is_default'])
    .execute();
  const events = await db
    .selectFrom('connection_events')
    .select(['connection_id', 'to_status', 'id'])
    .where('type', '=', 'status_changed')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const latest = new Map<string, string | null>();
  for (const event of events) latest.set(event.connection_id, event.to_status);
  const defaults = new Map<string, number>();
  for (const row of connections) {
    const live = row.status === 'active' || row.status === 'degraded';
    if (live && row.token_ciphertext === null) problems.push(`${row.id}: live without tokens`);
    const last = latest.get(row.id);
    if (last !== undefined && last !== row.status) {
      problems.push(`${row.id}: status ${row.status}, latest event says ${last}`);
    }
    if (row.status !== 'revoked') {
      defaults.set(row.user_id, (defaults.get(row.user_id) ?? 0) + (row.is_default ? 1 : 0));
    }
  }
  for (const [userId, count] of defaults) {
    if (count !== 1) problems.push(`user ${userId}: ${count} default connections`);
  }
  const ids = new Set(connections.map((c) => c.id));
  const notices = await db.selectFrom('notifications').select(['id', 'connection_id']).execute();
  for (const notice of notices) {
    if (notice.connection_id !== null && !ids.has(notice.connection_id)) {
      problems.push(`notification ${notice.id}: no connection ${notice.connection_id}`);
    }
  }
  return problems;
}
