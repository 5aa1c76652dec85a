/**
 * The refresh lease outlives its holder by seconds at most: a holder that died (its
 * heartbeat stopped) holds nobody back once its short lease has run out, a live holder
 * kept waiting by Google renews its lease, a holder that lost its lease writes nothing,
 * and a process starting on the embedded database forgets the leases of the one before.
 * The clock is injected; the heartbeat is ticked by hand.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createBroker } from '../../src/connections/index.ts';
import { DATABASES } from '../support/databases.harness.ts';
import { connectWithAutoApprove, type Stack, startStack } from '../support/stack.harness.ts';

const HOUR = 60 * 60_000;

/** A heartbeat that beats only when the test says so (never, for a holder that died). */
function manualTicker() {
  const beats = new Set<() => Promise<void>>();
  return {
    ticker(_everyMs: number, beat: () => Promise<void>) {
      beats.add(beat);
      return () => {
        beats.delete(beat);
      };
    },
    async tick() {
      await Promise.all([...beats].map((beat) => beat()));
    },
  };
}

for (const database of DATABASES) {
  describe(`refresh lease on ${database.name}`, () => {
    let stack: Stack;
    let clock = Date.now();
    const now = () => new Date(clock);
    beforeAll(async () => {
      stack = await startStack(database, { start: { now } });
    });
    afterAll(async () => {
      await stack?.close();
    });

    async function connected(email = 'alex@example.com') {
      const user = await stack.app.parts.frontDoor.users.create({ displayName: email });
      const result = await connectWithAutoApprove(stack, user.id, email);
      expect(result.status).toBe(200);
      const [connection] = await stack.app.parts.frontDoor.connections.list(user.id);
      return connection!;
    }

    async function refreshGrants() {
      return (await stack.stats()).grants.refresh_token;
    }

    async function leaseOf(id: string) {
      return stack.handle.db
        .selectFrom('connections')
        .select(['refresh_lease', 'refreshing_until'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
    }

    /**
     * A second process's broker whose refresh reaches Google and waits there until
     * released; `answers` holds the access tokens Google gave it.
     */
    function heldAtGoogle(ticker: ReturnType<typeof manualTicker>['ticker']) {
      let reached: () => void = () => {};
      const atGoogle = new Promise<void>((resolve) => {
        reached = resolve;
      });
      let release: () => void = () => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      const answers: string[] = [];
      const broker = createBroker({
        db: stack.handle.db,
        vault: stack.app.services.vault,
        endpoint: {
          async refresh(refreshToken) {
            reached();
            await held;
            const result = await stack.app.parts.oidc!.refresh(refreshToken);
            answers.push(result.accessToken);
            return result;
          },
        },
        now,
        logger: stack.app.services.logger,
        ticker,
      });
      return { broker, atGoogle, release, answers };
    }

    it('a holder that died holds nobody back once its lease has run out, seconds later', async () => {
      const connection = await connected();
      clock += 2 * HOUR;
      try {
        const dead = heldAtGoogle(manualTicker().ticker);
        const stuck = dead.broker.accessToken(connection.id);
        await dead.atGoogle;
        // Its heartbeat never beats again: ten seconds on, the lease is no longer its.
        clock += 10_000;
        const before = await refreshGrants();
        const token = await stack.app.parts.broker.accessToken(connection.id);
        expect(token).toMatch(/^ya29\./);
        expect(await refreshGrants()).toBe(before + 1);
        dead.release();
        expect(await stuck).toBe(token);
      } finally {
        clock = Date.now();
      }
    });

    it('a live holder kept waiting by Google renews its lease, and nobody else asks Google', async () => {
      const connection = await connected();
      clock += 2 * HOUR;
      try {
        const heartbeat = manualTicker();
        const slow = heldAtGoogle(heartbeat.ticker);
        const refreshing = slow.broker.accessToken(connection.id);
        await slow.atGoogle;
        const before = await refreshGrants();
        // Forty seconds at Google, the heartbeat beating every four.
        for (let beat = 0; beat < 10; beat++) {
          clock += 4_000;
          await heartbeat.tick();
        }
        const lease = await leaseOf(connection.id);
        expect(lease.refresh_lease).not.toBeNull();
        expect(lease.refreshing_until!.getTime()).toBeGreaterThan(clock);
        const waiting = stack.app.parts.broker.accessToken(connection.id);
        slow.release();
        const [token, waited] = await Promise.all([refreshing, waiting]);
        expect({ grants: (await refreshGrants()) - before, same: waited === token }).toStrictEqual({
          grants: 1,
          same: true,
        });
        expect(slow.answers).toStrictEqual([token]);
        expect(await leaseOf(connection.id)).toStrictEqual({
          refresh_lease: null,
          refreshing_until: null,
        });
      } finally {
        clock = Date.now();
      }
    });

    it('a holder that lost its lease does not write its answer, and starts over', async () => {
      const connection = await connected();
      clock += 2 * HOUR;
      try {
        const late = heldAtGoogle(manualTicker().ticker);
        const refreshing = late.broker.accessToken(connection.id);
        await late.atGoogle;
        clock += 10_000;
        // Another process takes the lease that ran out…
        await stack.handle.db
          .updateTable('connections')
          .set({ refresh_lease: 'another-holder', refreshing_until: new Date(clock + 5_000) })
          .where('id', '=', connection.id)
          .execute();
        late.release();
        // …and gives it back without writing (a disconnect that found nothing to do).
        await stack.handle.db
          .updateTable('connections')
          .set({ refresh_lease: null, refreshing_until: null })
          .where('id', '=', connection.id)
          .where('refresh_lease', '=', 'another-holder')
          .execute();
        const token = await refreshing;
        // The first answer came after the lease was lost: discarded, and asked again.
        expect(late.answers).toHaveLength(2);
        expect(token).toBe(late.answers[1]);
        expect(await stack.app.parts.broker.accessToken(connection.id)).toBe(late.answers[1]);
      } finally {
        clock = Date.now();
      }
    });

    it(
      database.name === 'pglite'
        ? 'a process starting on the embedded database clears the leases and claims left by the one before'
        : 'a process starting on PostgreSQL leaves other instances their leases and claims',
      async () => {
        const connection = await connected();
        const until = new Date(clock + 5_000);
        await stack.handle.db
          .updateTable('connections')
          .set({ refresh_lease: 'left-by-a-killed-process', refreshing_until: until })
          .where('id', '=', connection.id)
          .execute();
        await stack.app.parts.outbox.enqueue({
          userId: connection.userId,
          connectionId: connection.id,
          kind: 'connected',
          payload: { email: connection.email },
        });
        const [claimed] = await stack.app.parts.outbox.claim(1);
        const claimOf = async () =>
          (
            await stack.handle.db
              .selectFrom('notifications')
              .select('claimed_until')
              .where('id', '=', claimed!.id)
              .executeTakeFirstOrThrow()
          ).claimed_until;
        const claimedUntil = await claimOf();
        expect(claimedUntil).not.toBeNull();
        await stack.app.stop();
        const config = loadConfig({
          PORT: '0',
          DATA_DIR: await mkdtemp(path.join(tmpdir(), 'tidings-test-')),
          TIDINGS_MASTER_KEY: stack.masterKey,
        });
        const again = await startApp(config, {
          database: stack.handle,
          jobs: false,
          logger: stack.app.services.logger,
          now,
        });
        try {
          expect({ lease: await leaseOf(connection.id), claim: await claimOf() }).toStrictEqual(
            database.name === 'pglite'
              ? { lease: { refresh_lease: null, refreshing_until: null }, claim: null }
              : {
                  lease: { refresh_lease: 'left-by-a-killed-process', refreshing_until: until },
                  claim: claimedUntil,
                },
          );
        } finally {
          await again.stop();
        }
      },
    );
  });
}
