/**
 * The refresh sweep over many due connections: every connection is checked exactly once,
 * no more refreshes are at Google at once than the sweep's bound (counted at the door),
 * Google's rate-limit answer slows the sweep down and loses no connection (each comes back
 * after its own backoff), and two sweeps running together never check one connection
 * twice. Connections are seeded in bulk over grants the sandbox mints, their tokens sealed
 * by the product's vault.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBroker } from '../../src/connections/index.ts';
import { createJobWork, createSweepPace, type SweepPace } from '../../src/jobs/index.ts';
import { createGoogleOidc } from '../../src/oauth/index.ts';
import { createVault, parseMasterKeys } from '../../src/vault/index.ts';
import { DATABASES } from '../support/databases.harness.ts';
import { seedConnections } from '../support/seed-connections.harness.ts';
import { type Stack, startStack } from '../support/stack.harness.ts';

const HOUR = 60 * 60_000;

/**
 * The door to Google's token endpoint: counts refresh grants and the most in flight at
 * once. While `holdUntil` is set, each refresh waits at the door until that many are in
 * flight (or `holdUntil.total` have arrived), so the bound is reached however fast the
 * machine is, and a sweep that let more through would be seen doing so.
 */
function tokenDoor() {
  let inFlight = 0;
  let peak = 0;
  let calls = 0;
  let hold: { inFlight: number; total: number } | null = null;
  let onArrive: (() => void) | null = null;
  let waiting: Array<() => void> = [];
  const release = () => {
    for (const go of waiting) go();
    waiting = [];
  };
  const door: typeof fetch = async (input, init) => {
    if (!String(init?.body ?? '').includes('grant_type=refresh_token')) return fetch(input, init);
    calls++;
    onArrive?.();
    inFlight++;
    peak = Math.max(peak, inFlight);
    try {
      if (hold) {
        if (inFlight >= hold.inFlight || calls >= hold.total) release();
        else await new Promise<void>((resolve) => waiting.push(resolve));
      }
      return await fetch(input, init);
    } finally {
      inFlight--;
    }
  };
  return {
    fetch: door,
    calls: () => calls,
    peak: () => peak,
    reset() {
      calls = 0;
      peak = 0;
      hold = null;
      onArrive = null;
    },
    /** Calls `see` as each refresh arrives at the door. */
    watch(see: () => void) {
      onArrive = see;
    },
    holdUntil(inFlightAtOnce: number, total: number) {
      hold = { inFlight: inFlightAtOnce, total };
    },
  };
}

for (const database of DATABASES) {
  describe(`the refresh sweep at scale on ${database.name}`, () => {
    let stack: Stack;
    let clock = Date.now();
    const now = () => new Date(clock);
    const door = tokenDoor();
    beforeAll(async () => {
      stack = await startStack(database, { start: { now, fetch: door.fetch } });
    });
    afterAll(async () => {
      await stack?.close();
    });

    function work(options: { pace?: SweepPace; broker?: ReturnType<typeof createBroker> } = {}) {
      return createJobWork({
        database: stack.handle,
        broker: options.broker ?? stack.app.parts.broker,
        users: stack.app.parts.users,
        outbox: stack.app.parts.outbox,
        calendarZone: stack.app.parts.calendarZone,
        logger: stack.app.services.logger,
        now,
        pace: options.pace,
      });
    }

    async function rows(ids: readonly string[]) {
      return stack.handle.db
        .selectFrom('connections')
        .select(['id', 'status', 'last_checked_at', 'next_attempt_at', 'failure_count'])
        .where('id', 'in', [...ids])
        .execute();
    }

    async function refreshGrants(): Promise<number> {
      return (await stack.stats()).grants.refresh_token;
    }

    it('checks each of many due connections exactly once, at most the bound at Google at once', async () => {
      const ids = await seedConnections(stack, 40, 'many');
      clock += 25 * HOUR;
      door.reset();
      door.holdUntil(4, 40);
      const before = await refreshGrants();
      const pace = createSweepPace(4);
      const result = await work({ pace }).sweep();
      expect(result).toStrictEqual({ due: 40, outcomes: { refreshed: 40 }, deferred: 0 });
      expect({ calls: door.calls(), peak: door.peak(), paced: pace.peak() }).toStrictEqual({
        calls: 40,
        peak: 4,
        paced: 4,
      });
      door.reset();
      expect(await refreshGrants()).toBe(before + 40);
      const checked = await rows(ids);
      expect(checked.every((row) => row.last_checked_at?.getTime() === clock)).toBe(true);
      expect(checked.every((row) => row.status === 'active')).toBe(true);
      // Nothing is due any more: a second sweep asks Google nothing.
      expect(await work().sweep()).toStrictEqual({ due: 0, outcomes: {}, deferred: 0 });
    });

    it('never has more refreshes at Google than the bound', async () => {
      clock += 25 * HOUR;
      door.reset();
      door.holdUntil(6, 40);
      const result = await work({ pace: createSweepPace(6) }).sweep();
      expect(result.outcomes).toStrictEqual({ refreshed: 40 });
      expect({ calls: door.calls(), peak: door.peak() }).toStrictEqual({ calls: 40, peak: 6 });
      door.reset();
    });

    it('slows down on Google’s rate-limit answer and loses no connection', async () => {
      clock += 25 * HOUR;
      const ids = (await work().due()).map((connection) => connection.id);
      expect(ids.length).toBe(40);
      await stack.control('/faults', {
        body: { path: '/token', status: 429, count: 3, retryAfter: 45 },
      });
      door.reset();
      const pace = createSweepPace(8);
      const limits: number[] = [];
      door.watch(() => limits.push(pace.limit()));
      try {
        const first = await work({ pace }).sweep();
        expect(first).toStrictEqual({
          due: 40,
          outcomes: { degraded: 3, refreshed: 37 },
          deferred: 0,
        });
        // The first eight went out together; the failed answers then halved the pace (the
        // next went out at half the bound or less), and good answers raised it one by one.
        expect(limits.slice(0, 8)).toStrictEqual(Array(8).fill(8));
        expect(Math.min(...limits.slice(8))).toBeLessThanOrEqual(4);
      } finally {
        await stack.control('/faults', { method: 'DELETE' });
      }
      const limited = (await rows(ids)).filter((row) => row.status === 'degraded');
      expect(limited.length).toBe(3);
      for (const row of limited) {
        // Google's Retry-After is honoured for the connection itself.
        expect(row.next_attempt_at!.getTime()).toBeGreaterThanOrEqual(clock + 45_000);
      }
      // Not yet: the three wait for their backoff.
      expect((await work().sweep()).due).toBe(0);
      clock += 2 * 60_000;
      const second = await work().sweep();
      expect(second).toStrictEqual({ due: 3, outcomes: { refreshed: 3 }, deferred: 0 });
      expect((await rows(ids)).every((row) => row.status === 'active')).toBe(true);
      expect(door.calls()).toBe(43);
    });

    it('two sweeps at once check each connection once between them', async () => {
      clock += 25 * HOUR;
      const other = createBroker({
        db: stack.handle.db,
        vault: await createVault(stack.handle.db, parseMasterKeys(stack.masterKey)),
        endpoint: createGoogleOidc({
          issuer: stack.google.url,
          clientId: 'tidings-demo',
          clientSecret: 'tidings-demo-secret',
          fetch: door.fetch,
        }),
        now,
        logger: stack.app.services.logger,
      });
      door.reset();
      const before = await refreshGrants();
      const [mine, theirs] = await Promise.all([
        work({ pace: createSweepPace(8) }).sweep(),
        work({ pace: createSweepPace(8), broker: other }).sweep(),
      ]);
      // Each sweep picked what it found due; whoever came second to a connection found it
      // just checked (or waited for the other's lease) and served its fresh token.
      const picked = mine.due + theirs.due;
      expect(picked).toBeGreaterThanOrEqual(40);
      expect((mine.outcomes.refreshed ?? 0) + (theirs.outcomes.refreshed ?? 0)).toBe(40);
      expect((mine.outcomes.fresh ?? 0) + (theirs.outcomes.fresh ?? 0)).toBe(picked - 40);
      expect(door.calls()).toBe(40);
      expect(await refreshGrants()).toBe(before + 40);
    });
  });
}
