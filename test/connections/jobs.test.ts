/**
 * The background work: the real pg-boss wiring (the scheduled sweep job fans out refresh
 * jobs that refresh; singleton keys keep two instances from queueing the same work; the
 * clean-up job deletes expired one-time values), the sweep's time budget, tokens made
 * "needed soon" by a coming briefing, and briefings at the user's Calendar zone.
 */
import { once } from 'node:events';
import { sql } from 'kysely';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBroker } from '../../src/connections/index.ts';
import { createJobWork, dueConnections, type Jobs, startJobs } from '../../src/jobs/index.ts';
import { createGoogleOidc } from '../../src/oauth/index.ts';
import { createVault, parseMasterKeys } from '../../src/vault/index.ts';
import { DATABASES, POSTGRES } from '../support/databases.harness.ts';
import { connectWithAutoApprove, type Stack, startStack } from '../support/stack.harness.ts';

const HOUR = 60 * 60_000;

/** Holds refresh-token grants at the door while `hold` is set; `arrived` resolves on the next. */
function refreshGate() {
  let hold: Promise<void> | null = null;
  let open: () => void = () => {};
  let arrived: () => void = () => {};
  const gate: typeof fetch = async (input, init) => {
    if (String(init?.body ?? '').includes('grant_type=refresh_token')) {
      arrived();
      if (hold) await hold;
    }
    return fetch(input, init);
  };
  return {
    fetch: gate,
    close() {
      hold = new Promise((resolve) => {
        open = resolve;
      });
      return new Promise<void>((resolve) => {
        arrived = resolve;
      });
    },
    open: () => open(),
  };
}

for (const database of DATABASES) {
  describe(`background jobs on ${database.name}`, () => {
    let stack: Stack;
    let clock = Date.now();
    const now = () => new Date(clock);
    beforeAll(async () => {
      stack = await startStack(database, { start: { now, jobs: true } });
    });
    afterAll(async () => {
      await stack?.close();
    });

    async function connected(email: string) {
      const user = await stack.app.parts.frontDoor.users.create({ displayName: email });
      expect((await connectWithAutoApprove(stack, user.id, email)).status).toBe(200);
      const [connection] = await stack.app.parts.frontDoor.connections.list(user.id);
      return { user, connection: connection! };
    }

    function work() {
      return createJobWork({
        database: stack.handle,
        broker: stack.app.parts.broker,
        users: stack.app.parts.users,
        outbox: stack.app.parts.outbox,
        calendarZone: stack.app.parts.calendarZone,
        logger: stack.app.services.logger,
        now,
      });
    }

    it('the scheduled sweep job queues a refresh job that refreshes a due connection', async () => {
      const jobs = stack.app.jobs!;
      const { connection } = await connected('alex@example.com');
      clock += 25 * HOUR;
      try {
        const before = (await stack.stats()).grants.refresh_token;
        const swept = once(jobs.events, 'swept');
        const refreshed = once(jobs.events, 'refreshed');
        await jobs.runNow('sweep');
        // The first test of the file: this is the only connection, and nothing queued it yet.
        expect(await swept).toStrictEqual([{ due: 1, queued: 1 }]);
        const done = [await refreshed];
        while (!done.some(([event]) => event.connectionId === connection.id)) {
          done.push(await once(jobs.events, 'refreshed'));
        }
        expect(done.find(([event]) => event.connectionId === connection.id)![0]).toStrictEqual({
          connectionId: connection.id,
          outcome: 'refreshed',
        });
        expect((await stack.stats()).grants.refresh_token).toBeGreaterThan(before);
        const row = await stack.handle.db
          .selectFrom('connections')
          .select('last_checked_at')
          .where('id', '=', connection.id)
          .executeTakeFirstOrThrow();
        expect(row.last_checked_at!.getTime()).toBe(clock);
      } finally {
        clock = Date.now();
      }
    });

    it('the clean-up job deletes expired connect tickets and OAuth states, and keeps live ones', async () => {
      const jobs = stack.app.jobs!;
      const user = await stack.app.parts.frontDoor.users.create({ displayName: 'Tidy' });
      await stack.app.parts.tickets.create(user.id);
      await stack.app.parts.states.create({
        userId: user.id,
        connectionId: null,
        loginHint: null,
        codeVerifier: 'v'.repeat(43),
        nonce: 'n'.repeat(43),
        scopes: ['openid'],
      });
      clock += 16 * 60_000;
      try {
        const live = await stack.app.parts.tickets.create(user.id);
        const cleaned = once(jobs.events, 'cleaned');
        await jobs.runNow('cleanup');
        // The expired ticket and state above; the first test's were used up, hence deleted.
        expect(await cleaned).toStrictEqual([{ deleted: 2 }]);
        const left = await stack.handle.db
          .selectFrom('connect_tickets')
          .select('user_id')
          .where('user_id', '=', user.id)
          .execute();
        expect(left).toStrictEqual([{ user_id: user.id }]);
        expect((await stack.app.parts.tickets.peek(live.ticket)).status).toBe('ok');
        const states = await stack.handle.db
          .selectFrom('oauth_states')
          .select('id')
          .where('user_id', '=', user.id)
          .execute();
        expect(states).toStrictEqual([]);
      } finally {
        clock = Date.now();
      }
    });

    it('one sweep stops starting refreshes when its time budget is spent', async () => {
      for (const email of ['alex@example.com', 'sam@example.com', 'alex@example.com']) {
        await connected(email);
      }
      clock += 25 * HOUR;
      try {
        const seen: string[] = [];
        const result = await work().sweep(async (id) => {
          seen.push(id);
          clock += 70_000;
          return 'refreshed';
        });
        // The three just connected; the first test's connection was checked at +25 h.
        expect({ seen: seen.length, ...result }).toStrictEqual({
          seen: 2,
          due: 3,
          outcomes: { refreshed: 2 },
          deferred: 1,
        });
      } finally {
        clock = Date.now();
      }
    });

    it('a briefing coming up makes its user’s token needed soon, though it was not used lately', async () => {
      const { user, connection } = await connected('sam@example.com');
      const row = await stack.handle.db
        .selectFrom('connections')
        .select(['access_expires_at', 'last_checked_at'])
        .where('id', '=', connection.id)
        .executeTakeFirstOrThrow();
      // Twenty minutes before the token expires; checked an hour ago, never used.
      clock = row.access_expires_at!.getTime() - 20 * 60_000;
      try {
        const isDue = async () =>
          (await work().due()).some((due) => due.id === connection.id && due.why === 'needed_soon');
        expect(await isDue()).toBe(false);
        const briefing = DateTime.fromMillis(clock, { zone: 'Europe/Paris' }).plus({ minutes: 10 });
        await stack.app.parts.frontDoor.users.update(user.id, {
          timeZone: 'Europe/Paris',
          settings: { briefingTime: briefing.toFormat('HH:mm') },
        });
        expect(await isDue()).toBe(true);
        // Without the briefing the same connection waits for its daily check.
        expect(
          (await dueConnections(stack.handle.db, now())).some((due) => due.id === connection.id),
        ).toBe(false);
      } finally {
        await stack.app.parts.frontDoor.users.update(user.id, { settings: { briefingTime: null } });
        clock = Date.now();
      }
    });

    it('a user who follows their Calendar’s zone gets the briefing at 07:30 there, not in UTC', async () => {
      const { user } = await connected('alex@example.com');
      await stack.app.parts.frontDoor.users.update(user.id, {
        settings: { briefingTime: '07:30' },
      });
      const newYork = DateTime.now().setZone('America/New_York').set({
        hour: 7,
        minute: 30,
        second: 0,
        millisecond: 0,
      });
      const queuedFor = async () =>
        (await stack.app.parts.outbox.pending(500)).filter(
          (n) => n.userId === user.id && n.kind === 'briefing',
        );
      try {
        // 07:30 UTC is 02:30 or 03:30 in New York: nothing yet.
        clock = newYork.setZone('UTC', { keepLocalTime: true }).toMillis();
        expect(await work().briefings()).toBe(0);
        clock = newYork.toMillis();
        // Only this user has a briefing time (the test before turned its own off again).
        expect(await work().briefings()).toBe(1);
        expect((await queuedFor()).map((n) => n.payload)).toStrictEqual([
          { date: newYork.toISODate() },
        ]);
      } finally {
        await stack.app.parts.frontDoor.users.update(user.id, { settings: { briefingTime: null } });
        clock = Date.now();
      }
    });
  });
}

describe.runIf(POSTGRES)('background jobs in one schema of a shared PostgreSQL', () => {
  it('keep their queue in a schema named after it, apart from another Tidings in the database', async () => {
    const stack = await startStack(POSTGRES!, { start: { jobs: true } });
    try {
      const { rows } = await sql<{ nspname: string }>`
        select nspname from pg_namespace where nspname like ${`${stack.handle.schema}%`}
        order by nspname`.execute(stack.handle.db);
      expect(rows.map((row) => row.nspname)).toStrictEqual([
        stack.handle.schema,
        `${stack.handle.schema}_pgboss`,
      ]);
    } finally {
      await stack.close();
    }
  });
});

describe.runIf(POSTGRES)('background jobs on two instances sharing PostgreSQL', () => {
  let stack: Stack;
  let other: Jobs | null = null;
  let clock = Date.now();
  const now = () => new Date(clock);
  const gate = refreshGate();
  beforeAll(async () => {
    stack = await startStack(POSTGRES!, { start: { now, jobs: true, fetch: gate.fetch } });
  });
  afterAll(async () => {
    await other?.stop();
    await stack?.close();
  });

  it('queue one refresh per connection between them, and Google is asked once', async () => {
    const user = await stack.app.parts.frontDoor.users.create({ displayName: 'Both' });
    await connectWithAutoApprove(stack, user.id, 'alex@example.com');
    const [connection] = await stack.app.parts.frontDoor.connections.list(user.id);
    const otherDb = await stack.handle.openAnother();
    try {
      const vault = await createVault(otherDb.db, parseMasterKeys(stack.masterKey));
      other = await startJobs({
        database: otherDb,
        broker: createBroker({
          db: otherDb.db,
          vault,
          endpoint: createGoogleOidc({
            issuer: stack.google.url,
            clientId: 'tidings-demo',
            clientSecret: 'tidings-demo-secret',
            fetch: gate.fetch,
          }),
          now,
          logger: stack.app.services.logger,
        }),
        users: stack.app.parts.users,
        outbox: stack.app.parts.outbox,
        calendarZone: stack.app.parts.calendarZone,
        logger: stack.app.services.logger,
        now,
        schema: `${stack.handle.schema}_pgboss`,
      });
      const mine = stack.app.jobs!;
      clock += 25 * HOUR;
      const before = (await stack.stats()).grants.refresh_token;
      const refreshed: Array<{ connectionId: string; outcome: string }> = [];
      const twoDone = new Promise<void>((resolve) => {
        const listen = (event: { connectionId: string; outcome: string }) => {
          if (event.connectionId !== connection!.id) return;
          refreshed.push(event);
          if (refreshed.length === 2) resolve();
        };
        mine.events.on('refreshed', listen);
        other!.events.on('refreshed', listen);
      });
      // The first refresh job is running and held at Google…
      const atGoogle = gate.close();
      expect(await mine.queueSweep()).toStrictEqual({ due: 1, queued: 1 });
      await atGoogle;
      // …so both instances' sweeps find it still due: one more job may wait, not two.
      const sweeps = await Promise.all([mine.queueSweep(), other.queueSweep()]);
      expect(sweeps.map((s) => s.due)).toStrictEqual([1, 1]);
      expect(sweeps[0]!.queued + sweeps[1]!.queued).toBe(1);
      gate.open();
      await twoDone;
      // The waiting job re-checks under the lease and finds the connection no longer due.
      expect(refreshed.map((event) => event.outcome)).toStrictEqual(['refreshed', 'fresh']);
      expect((await stack.stats()).grants.refresh_token).toBe(before + 1);
    } finally {
      clock = Date.now();
      await other?.stop();
      other = null;
      await otherDb.close();
    }
  });
});
