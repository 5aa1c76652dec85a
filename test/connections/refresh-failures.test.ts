/**
 * How a refresh fails, and what that costs Google: backoff honoured on demand (with
 * Retry-After), a degraded connection serving only tokens with a minute of life, a
 * refused OAuth client recorded with backoff without stopping the sweep, a missing
 * client reported as such, a database hiccup that is not a corrupt bundle, scopes as
 * Google reports them on refresh, a grant that no longer covers anything, and a metric
 * for every transition.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBroker } from '../../src/connections/index.ts';
import { TidingsError } from '../../src/errors.ts';
import { createJobWork } from '../../src/jobs/index.ts';
import { DATABASES } from '../support/databases.harness.ts';
import { connectWithAutoApprove, type Stack, startStack } from '../support/stack.harness.ts';

const CALENDAR = 'https://www.googleapis.com/auth/calendar.readonly';
const GMAIL = 'https://www.googleapis.com/auth/gmail.readonly';
const HOUR = 60 * 60_000;

for (const database of DATABASES) {
  describe(`refresh failures on ${database.name}`, () => {
    let stack: Stack;
    let clock = Date.now();
    const now = () => new Date(clock);
    /** Rewrites the `scope` of refresh answers while set. */
    let refreshScope: string | null = null;
    beforeAll(async () => {
      const rewrite: typeof fetch = async (input, init) => {
        const response = await fetch(input, init);
        if (refreshScope === null || !String(init?.body ?? '').includes('grant_type=refresh_token'))
          return response;
        const body = (await response.json()) as Record<string, unknown>;
        if (typeof body.access_token === 'string') body.scope = refreshScope;
        return new Response(JSON.stringify(body), {
          status: response.status,
          headers: response.headers,
        });
      };
      stack = await startStack(database, { start: { now, fetch: rewrite } });
    });
    afterAll(async () => {
      await stack?.close();
    });

    async function connected(email: string, scopes?: string[]) {
      const user = await stack.app.parts.frontDoor.users.create({ displayName: email });
      const result = await connectWithAutoApprove(stack, user.id, email, scopes);
      expect(result.status).toBe(200);
      const [connection] = await stack.app.parts.frontDoor.connections.list(user.id);
      return { user, connection: connection! };
    }

    async function tokenCalls() {
      return (await stack.stats()).requests['POST /token'] ?? 0;
    }

    async function row(id: string) {
      return stack.handle.db
        .selectFrom('connections')
        .select([
          'status',
          'status_reason',
          'failure_count',
          'failure_kind',
          'next_attempt_at',
          'granted_scopes',
          'token_ciphertext',
        ])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
    }

    async function withFaults<T>(fault: Record<string, unknown>, work: () => Promise<T>) {
      await stack.control('/faults', { body: fault });
      try {
        return await work();
      } finally {
        await stack.control('/faults', { method: 'DELETE' });
      }
    }

    it('honours Retry-After on demand: three calls during the backoff ask Google once', async () => {
      const { connection } = await connected('alex@example.com');
      clock += 2 * HOUR;
      try {
        const before = await tokenCalls();
        const errors = await withFaults(
          { path: '/token', status: 503, retryAfter: 600, count: 5 },
          async () => {
            const out: unknown[] = [];
            for (let i = 0; i < 3; i++) {
              out.push(await stack.app.parts.broker.accessToken(connection.id).catch((e) => e));
            }
            return out;
          },
        );
        expect(await tokenCalls()).toBe(before + 1);
        expect(
          errors.map((e) => [
            (e as TidingsError).code,
            (e as TidingsError).details.retryAfterSeconds,
          ]),
        ).toStrictEqual([
          ['provider_unavailable', 600],
          ['provider_unavailable', 600],
          ['provider_unavailable', 600],
        ]);
        const after = await row(connection.id);
        expect([
          after.status,
          after.failure_count,
          after.failure_kind,
          after.next_attempt_at!.getTime() - clock,
        ]).toStrictEqual(['degraded', 1, 'transient', 600_000]);
        // Once the backoff has passed, the next call asks Google again and recovers.
        clock += 600_000;
        expect(await stack.app.parts.broker.accessToken(connection.id)).toMatch(/^ya29\./);
        expect((await row(connection.id)).status).toBe('active');
      } finally {
        clock = Date.now();
      }
    });

    it('a degraded connection serves no token with less than a minute of life', async () => {
      const { connection } = await connected('sam@example.com');
      // 30 seconds before the token expires.
      const expires = await stack.handle.db
        .selectFrom('connections')
        .select('access_expires_at')
        .where('id', '=', connection.id)
        .executeTakeFirstOrThrow();
      clock = expires.access_expires_at!.getTime() - 30_000;
      try {
        const outcome = await withFaults({ path: '/token', status: 503, count: 1 }, () =>
          stack.app.parts.broker.accessToken(connection.id).catch((e: TidingsError) => e.code),
        );
        expect(outcome).toBe('provider_unavailable');
      } finally {
        clock = Date.now();
      }
    });

    it('a refused OAuth client is recorded with backoff, and the sweep goes on to every connection', async () => {
      const a = await connected('alex@example.com');
      const b = await connected('sam@example.com');
      const client = (secret: string) =>
        stack.control('/clients', {
          body: {
            client_id: 'tidings-demo',
            client_secret: secret,
            redirect_uris: [`${stack.app.url}/oauth/google/callback`],
          },
        });
      await client('rotated-elsewhere');
      clock += 25 * HOUR;
      try {
        const work = createJobWork({
          database: stack.handle,
          broker: stack.app.parts.broker,
          users: stack.app.parts.users,
          outbox: stack.app.parts.outbox,
          calendarZone: stack.app.parts.calendarZone,
          logger: stack.app.services.logger,
          now,
        });
        const first = await work.sweep();
        expect(first.outcomes.refused).toBeGreaterThanOrEqual(2);
        expect(first.outcomes.error).toBeUndefined();
        for (const { connection } of [a, b]) {
          const after = await row(connection.id);
          expect([after.status, after.failure_count, after.failure_kind]).toStrictEqual([
            'active',
            1,
            'client',
          ]);
          await expect(stack.app.parts.broker.accessToken(connection.id)).rejects.toMatchObject({
            code: 'not_configured',
          });
        }
        const before = await tokenCalls();
        const second = await work.sweep();
        expect(second.due).toBe(0);
        expect(await tokenCalls()).toBe(before);
      } finally {
        await client('tidings-demo-secret');
        clock = Date.now();
      }
    });

    it('without a Google client a refresh says not_configured and changes nothing', async () => {
      const { connection } = await connected('alex@example.com');
      const broker = createBroker({
        db: stack.handle.db,
        vault: stack.app.services.vault,
        endpoint: {
          async refresh() {
            throw new TidingsError('not_configured', 'Google is not configured on this server.', {
              settings: ['GOOGLE_CLIENT_ID', 'GOOGLE_CLIENT_SECRET'],
            });
          },
        },
        now,
        logger: stack.app.services.logger,
      });
      clock += 2 * HOUR;
      try {
        await expect(broker.accessToken(connection.id)).rejects.toMatchObject({
          code: 'not_configured',
        });
        expect(await broker.refresh(connection.id, { force: true })).toBe('not_configured');
        const after = await row(connection.id);
        expect([after.status, after.failure_count, after.next_attempt_at]).toStrictEqual([
          'active',
          0,
          null,
        ]);
      } finally {
        clock = Date.now();
      }
    });

    it('a database hiccup while opening the bundle is not a corrupt bundle', async () => {
      const { connection } = await connected('sam@example.com');
      const broker = createBroker({
        db: stack.handle.db,
        vault: {
          seal: (binding, plaintext) => stack.app.services.vault.seal(binding, plaintext),
          async open() {
            throw new Error('Connection terminated unexpectedly');
          },
        },
        endpoint: stack.app.parts.oidc!,
        now,
        logger: stack.app.services.logger,
      });
      await expect(broker.accessToken(connection.id)).rejects.toThrow(
        'Connection terminated unexpectedly',
      );
      const after = await row(connection.id);
      expect([after.status, after.status_reason, after.token_ciphertext !== null]).toStrictEqual([
        'active',
        null,
        true,
      ]);
    });

    it('stores the scopes a refresh reports in the short forms the connect step uses', async () => {
      const { connection } = await connected('alex@example.com');
      refreshScope = `openid https://www.googleapis.com/auth/userinfo.email https://www.googleapis.com/auth/userinfo.profile ${CALENDAR}`;
      try {
        await stack.app.parts.broker.refresh(connection.id, { force: true });
      } finally {
        refreshScope = null;
      }
      expect((await row(connection.id)).granted_scopes).toStrictEqual([
        'email',
        CALENDAR,
        'openid',
        'profile',
      ]);
    });

    it('a refresh whose scopes cover no capability needs reauthorization, told once', async () => {
      const { user, connection } = await connected('sam@example.com', [
        'openid',
        'email',
        'profile',
        GMAIL,
        CALENDAR,
      ]);
      refreshScope = 'openid email profile';
      try {
        expect(await stack.app.parts.broker.refresh(connection.id, { force: true })).toBe(
          'needs_reauth',
        );
        expect(await stack.app.parts.broker.refresh(connection.id, { force: true })).toBe(
          'needs_reauth',
        );
      } finally {
        refreshScope = null;
      }
      const after = await row(connection.id);
      expect([after.status, after.status_reason, after.token_ciphertext]).toStrictEqual([
        'needs_reauth',
        'scope_missing',
        null,
      ]);
      const notes = (await stack.app.parts.outbox.pending(500)).filter(
        (n) => n.userId === user.id && n.kind === 'connection_broken',
      );
      expect(notes.map((n) => n.payload)).toStrictEqual([
        { email: 'sam@example.com', reason: 'scope_missing' },
      ]);
    });

    it('a forced refresh skips a connection someone checked since the sweep picked it', async () => {
      const { connection } = await connected('alex@example.com');
      const picked = await stack.handle.db
        .selectFrom('connections')
        .select('last_checked_at')
        .where('id', '=', connection.id)
        .executeTakeFirstOrThrow();
      clock += 25 * HOUR;
      try {
        // Another instance checks it first…
        expect(await stack.app.parts.broker.refresh(connection.id, { force: true })).toBe(
          'refreshed',
        );
        const before = await tokenCalls();
        // …so the sweep's job, still holding the old last check, does not ask Google again.
        expect(
          await stack.app.parts.broker.refresh(connection.id, {
            force: true,
            expectCheckedAt: picked.last_checked_at,
          }),
        ).toBe('fresh');
        expect(await tokenCalls()).toBe(before);
      } finally {
        clock = Date.now();
      }
    });

    it('counts every transition in the metrics', async () => {
      const counter = stack.app.services.metrics.connectionTransitions;
      const count = async ([from, to, reason]: readonly [string, string, string]) =>
        (await counter.get()).values.find(
          (v) => v.labels.from === from && v.labels.to === to && v.labels.reason === reason,
        )?.value ?? 0;
      const labels = [
        ['none', 'active', 'connected'],
        ['active', 'degraded', 'google_unavailable'],
        ['degraded', 'active', 'recovered'],
        ['active', 'revoked', 'user_disconnected'],
      ] as const;
      const before = await Promise.all(labels.map(count));
      const { user, connection } = await connected('alex@example.com');
      clock += 2 * HOUR;
      try {
        await withFaults({ path: '/token', status: 503, count: 1 }, () =>
          stack.app.parts.broker.accessToken(connection.id).catch(() => null),
        );
        clock = (await row(connection.id)).next_attempt_at!.getTime();
        await stack.app.parts.broker.accessToken(connection.id);
        await stack.app.parts.frontDoor.connections.disconnect(user.id, connection.id);
      } finally {
        clock = Date.now();
      }
      const after = await Promise.all(labels.map(count));
      expect(after.map((value, i) => value - before[i]!)).toStrictEqual([1, 1, 1, 1]);
    });
  });
}
