/**
 * Races, property-based: refreshes, revocations at Google, reconnects, disconnects and
 * Cross-Account Protection events started together on the real connections core and a
 * real database, with Google's answers released in an order fast-check chooses (and
 * shrinks, when one fails). Whatever the interleaving:
 * - never a resurrected credential: once a connection's grant is replaced or deleted, it
 *   never comes back;
 * - never a cross-wired one: a connection only ever holds tokens of a consent its own user
 *   gave for its own Google account, access and refresh token from the same grant;
 * - tokens and status agree, and afterwards every connection whose grant Google still
 *   honours works, and every other one asks for reauthorisation.
 */
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES, type TestDatabaseHandle } from '../support/databases.harness.ts';
import { reportFigures } from './report.harness.ts';
import { createRaceWorld, grantInput, type RaceWorld } from './races.harness.ts';

/** Interleavings explored per database; PostgreSQL adds real lock contention to the mix. */
const RUNS = {
  pglite: Number(process.env.RACES_RUNS ?? 10_000),
  postgres: Number(process.env.RACES_RUNS ?? 1_000),
} as const;
const SEED = Number(process.env.RACES_SEED ?? 20261205);

type Op =
  | { kind: 'refresh'; target: number }
  | { kind: 'expire_and_use'; target: number }
  | { kind: 'revoke_at_google'; target: number }
  | { kind: 'security_event'; target: number }
  | { kind: 'reconnect'; target: number }
  | { kind: 'disconnect'; target: number };

const target = fc.integer({ min: 0, max: 2 });
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('refresh' as const), target }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('expire_and_use' as const), target }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('revoke_at_google' as const), target }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('security_event' as const), target }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('reconnect' as const), target }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('disconnect' as const), target }) },
);

/** Connections of one run: (user 0, account 0), (user 1, account 1), (user 1, account 0). */
const PAIRS = [
  { user: 0, account: 0 },
  { user: 1, account: 1 },
  { user: 1, account: 0 },
] as const;

interface Run {
  userIds: string[];
  accounts: string[];
  /** Which user consented to each grant. */
  consentedBy: Map<string, string>;
  connectionIds: string[];
}

async function setUp(world: RaceWorld): Promise<Run> {
  const tag = randomBytes(4).toString('hex');
  const userIds = [];
  for (const name of ['u0', 'u1']) {
    userIds.push((await world.users.create({ displayName: `${name}-${tag}` })).id);
  }
  const accounts = [`acct0-${tag}`, `acct1-${tag}`];
  const run: Run = { userIds, accounts, consentedBy: new Map(), connectionIds: [] };
  for (const pair of PAIRS) {
    const { grant, input } = grantInput(world.google, userIds[pair.user]!, accounts[pair.account]!);
    run.consentedBy.set(grant.id, input.userId);
    const saved = await world.store.saveGrant(input);
    run.connectionIds.push(saved.connection.id);
  }
  return run;
}

async function perform(world: RaceWorld, run: Run, step: Op, counts: Record<string, number>) {
  const pair = PAIRS[step.target]!;
  const userId = run.userIds[pair.user]!;
  const account = run.accounts[pair.account]!;
  const connectionId = run.connectionIds[step.target]!;
  world.tick();
  counts[step.kind] = (counts[step.kind] ?? 0) + 1;
  switch (step.kind) {
    case 'refresh':
      await world.broker.refresh(connectionId, { force: true });
      return;
    case 'expire_and_use':
      world.tick(2 * 60 * 60_000);
      await world.broker.accessToken(connectionId).catch(expectExpected);
      return;
    case 'revoke_at_google':
      world.google.revokeAccount(account);
      return;
    case 'security_event':
      await world.securityEvent(account);
      return;
    case 'reconnect': {
      const { grant, input } = grantInput(world.google, userId, account);
      run.consentedBy.set(grant.id, userId);
      await world.store.saveGrant(input);
      return;
    }
    case 'disconnect':
      await world.store.disconnect(userId, connectionId).catch(expectExpected);
      return;
    default: {
      const never: never = step;
      throw new Error(`unknown step ${JSON.stringify(never)}`);
    }
  }
}

/** Outcomes a caller handles (the connection gone, or its grant) are fine; anything else is not. */
function expectExpected(error: { code?: string }): void {
  if (['not_found', 'not_connected', 'reauth_required'].includes(error.code ?? '')) return;
  throw error;
}

const trail = (history: Array<{ grant: string | null; status: string }>) =>
  history.map((entry) => `${entry.status}:${entry.grant ?? '-'}`).join(' → ');

/** Consecutive repeats folded: [g1, g1, null, g2] → [g1, null, g2]. */
function runsOf(values: Array<string | null>): Array<string | null> {
  return values.filter((value, index) => index === 0 || value !== values[index - 1]);
}

async function check(world: RaceWorld, run: Run): Promise<string | null> {
  const rows = await world.handle.db
    .selectFrom('connections')
    .selectAll()
    .where('user_id', 'in', run.userIds)
    .execute();
  for (const row of rows) {
    const history = await world.history(row.id);
    const grants = runsOf(history.map((entry) => entry.grant));
    const held = grants.filter((grant): grant is string => grant !== null);
    if (new Set(held).size !== held.length) {
      return `resurrected: connection ${row.id} held ${grants.join(' → ')}`;
    }
    for (const id of held) {
      if (id.startsWith('mixed:')) return `cross-wired: access and refresh token of ${id}`;
      const grant = [...world.google.grants.values()].find((g) => g.id === id)!;
      if (grant.account !== row.subject) {
        return `cross-wired: connection for ${row.subject} held a grant of ${grant.account}`;
      }
      if (run.consentedBy.get(id) !== row.user_id) {
        return `cross-wired: connection of ${row.user_id} held a grant another user consented to`;
      }
    }
    const hasTokens = row.token_ciphertext !== null;
    if ((row.status === 'active' || row.status === 'degraded') && !hasTokens) {
      return `connection ${row.id} is ${row.status} without tokens`;
    }
    if (row.status === 'revoked' && hasTokens) return `disconnected ${row.id} kept its tokens`;
  }
  // Afterwards: a grant Google honours works; one it does not asks for reauthorisation.
  world.google.pace(null);
  for (const row of rows) {
    if (row.status === 'revoked') continue;
    world.tick();
    const outcome = await world.broker.refresh(row.id, { force: true });
    const after = await world.handle.db
      .selectFrom('connections')
      .selectAll()
      .where('id', '=', row.id)
      .executeTakeFirstOrThrow();
    const history = await world.history(row.id);
    const current = history.at(-1)?.grant ?? null;
    const alive =
      current !== null &&
      [...world.google.grants.values()].some((g) => g.id === current && !g.revoked);
    if (alive && after.status !== 'active') {
      return `connection ${row.id} holds a live grant but is ${after.status} (${outcome}): ${trail(history)}`;
    }
    if (!alive && after.status === 'active') {
      return `connection ${row.id} is active on a grant Google no longer honours: ${trail(history)}`;
    }
  }
  return null;
}

for (const database of DATABASES) {
  describe(`racing refresh, revoke, reconnect, disconnect and security events on ${database.name}`, () => {
    let handle: TestDatabaseHandle;
    let world: RaceWorld;
    beforeAll(async () => {
      handle = await database.open();
      world = await createRaceWorld(handle);
    });
    afterAll(async () => {
      await handle?.close();
    });

    it('never resurrects or cross-wires a credential, whatever the interleaving', async () => {
      const counts: Record<string, number> = {};
      let interleavings = 0;
      let googleAnswers = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.scheduler(),
          fc.array(op, { minLength: 2, maxLength: 6 }),
          async (scheduler, steps) => {
            world.google.pace(null);
            const run = await setUp(world);
            world.google.pace(scheduler);
            const started = steps.map((step) =>
              scheduler
                .schedule(Promise.resolve(step.kind), `start ${step.kind} ${step.target}`)
                .then(() => perform(world, run, step, counts)),
            );
            await scheduler.waitFor(Promise.all(started));
            googleAnswers += scheduler.report().length - steps.length;
            interleavings += 1;
            const problem = await check(world, run);
            if (problem)
              throw new Error(
                `${problem}\n${scheduler
                  .report()
                  .map((r) => r.label)
                  .join('\n')}`,
              );
          },
        ),
        { numRuns: RUNS[database.name], seed: SEED, endOnFailure: true },
      );
      reportFigures(`races-${database.name}`, {
        interleavings,
        operations: counts,
        google_answers_reordered: googleAnswers,
        resurrected: 0,
        cross_wired: 0,
        seed: SEED,
      });
      expect(interleavings).toBe(RUNS[database.name]);
      // Bounded by the count of interleavings, not by time: 10,000 take minutes on two cores.
    }, 3_600_000);
  });
}
