import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBroker } from '../../src/connections/index.ts';
import { createGoogleOidc } from '../../src/oauth/index.ts';
import { DATABASES, POSTGRES } from '../support/databases.harness.ts';
import { connectWithAutoApprove, type Stack, startStack } from '../support/stack.harness.ts';
import { calendarNext } from '../../src/capabilities/index.ts';

for (const database of DATABASES) {
  describe(`credential broker on ${database.name}`, () => {
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
      return { user, connection: connection! };
    }

    async function refreshGrants() {
      return (await stack.stats()).grants.refresh_token;
    }

    async function tokenCalls() {
      return (await stack.stats()).requests['POST /token'] ?? 0;
    }

    async function statusOf(id: string) {
      return stack.handle.db
        .selectFrom('connections')
        .select(['status', 'status_reason', 'token_ciphertext'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
    }

    async function nextAttemptOf(id: string) {
      const row = await stack.handle.db
        .selectFrom('connections')
        .select('next_attempt_at')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      return row.next_attempt_at!.getTime();
    }

    it('serves a fresh token without calling Google', async () => {
      const { connection } = await connected();
      const before = await refreshGrants();
      const token = await stack.app.parts.broker.accessToken(connection.id);
      expect(token).toMatch(/^ya29\./);
      expect(await refreshGrants()).toBe(before);
    });

    it('1,000 concurrent calls on an expired connection cause exactly one refresh', async () => {
      const { connection } = await connected();
      const first = await stack.app.parts.broker.accessToken(connection.id);
      clock += 2 * 60 * 60_000;
      try {
        const before = await refreshGrants();
        const tokens = await Promise.all(
          Array.from({ length: 1000 }, () => stack.app.parts.broker.accessToken(connection.id)),
        );
        expect(await refreshGrants()).toBe(before + 1);
        expect(new Set(tokens).size).toBe(1);
        expect(tokens[0]).not.toBe(first);
        // The refresh response carried no refresh token: the stored one still works.
        clock += 2 * 60 * 60_000;
        expect(await stack.app.parts.broker.accessToken(connection.id)).toMatch(/^ya29\./);
        expect(await refreshGrants()).toBe(before + 2);
      } finally {
        clock = Date.now();
      }
    });

    it('a revoked grant moves the connection to needs_reauth once, with one notification and no retries', async () => {
      const { user, connection } = await connected('sam@example.com');
      await stack.control('/users/sam@example.com/revoke', { body: {} });
      const before = await tokenCalls();
      await expect(stack.app.parts.broker.refresh(connection.id, { force: true })).resolves.toBe(
        'needs_reauth',
      );
      await expect(stack.app.parts.broker.accessToken(connection.id)).rejects.toMatchObject({
        code: 'reauth_required',
        details: { reason: 'revoked' },
      });
      await expect(stack.app.parts.broker.refresh(connection.id, { force: true })).resolves.toBe(
        'needs_reauth',
      );
      expect(await tokenCalls()).toBe(before + 1);
      expect(await statusOf(connection.id)).toStrictEqual({
        status: 'needs_reauth',
        status_reason: 'revoked',
        token_ciphertext: null,
      });
      const notes = (await stack.app.parts.outbox.pending(100)).filter(
        (n) => n.userId === user.id && n.kind === 'connection_broken',
      );
      expect(notes.map((n) => n.payload)).toStrictEqual([
        { email: 'sam@example.com', reason: 'revoked' },
      ]);
      await expect(
        stack.app.parts.frontDoor.invoke(user.id, calendarNext, {}),
      ).rejects.toMatchObject({ code: 'reauth_required' });
      // Reconnecting brings it back to active.
      const again = await connectWithAutoApprove(stack, user.id, 'sam@example.com');
      expect(again.html).toContain('Reconnected sam@example.com');
      expect((await statusOf(connection.id)).status).toBe('active');
    });

    it('transient 503s degrade the connection, which recovers to active', async () => {
      const { connection } = await connected();
      clock += 2 * 60 * 60_000;
      try {
        await stack.control('/faults', { body: { path: '/token', status: 503, count: 2 } });
        await expect(stack.app.parts.broker.accessToken(connection.id)).rejects.toMatchObject({
          code: 'provider_unavailable',
        });
        expect((await statusOf(connection.id)).status).toBe('degraded');
        clock = (await nextAttemptOf(connection.id)) + 1;
        await expect(stack.app.parts.broker.refresh(connection.id, { force: true })).resolves.toBe(
          'degraded',
        );
        clock = (await nextAttemptOf(connection.id)) + 1;
        expect(await stack.app.parts.broker.accessToken(connection.id)).toMatch(/^ya29\./);
        expect((await statusOf(connection.id)).status).toBe('active');
        const events = await stack.handle.db
          .selectFrom('connection_events')
          .select(['from_status', 'to_status', 'reason'])
          .where('connection_id', '=', connection.id)
          .where('type', '=', 'status_changed')
          .orderBy('id')
          .execute();
        expect(events).toStrictEqual([
          { from_status: 'active', to_status: 'degraded', reason: 'google_unavailable' },
          { from_status: 'degraded', to_status: 'active', reason: 'recovered' },
        ]);
      } finally {
        clock = Date.now();
        await stack.control('/faults', { method: 'DELETE' });
      }
    });

    it('a refresh racing with a disconnect never brings the connection back', async () => {
      const { user, connection } = await connected();
      await stack.control('/faults', { body: { path: '/token', latencyMs: 300, count: 1 } });
      try {
        const refreshing = stack.app.parts.broker.refresh(connection.id, { force: true });
        const disconnecting = stack.app.parts.frontDoor.connections.disconnect(
          user.id,
          connection.id,
        );
        const [outcome] = await Promise.all([refreshing, disconnecting]);
        expect(['not_connected', 'refreshed', 'fresh']).toContain(outcome);
      } finally {
        await stack.control('/faults', { method: 'DELETE' });
      }
      expect(await statusOf(connection.id)).toStrictEqual({
        status: 'revoked',
        status_reason: 'user_disconnected',
        token_ciphertext: null,
      });
      await expect(stack.app.parts.broker.accessToken(connection.id)).rejects.toMatchObject({
        code: 'not_connected',
      });
    });

    it('an undecryptable token bundle moves the connection to needs_reauth (corrupt)', async () => {
      const { connection } = await connected();
      const other = await connected();
      const row = await stack.handle.db
        .selectFrom('connections')
        .select('token_ciphertext')
        .where('id', '=', other.connection.id)
        .executeTakeFirstOrThrow();
      await stack.handle.db
        .updateTable('connections')
        .set({ token_ciphertext: row.token_ciphertext })
        .where('id', '=', connection.id)
        .execute();
      await expect(stack.app.parts.broker.accessToken(connection.id)).rejects.toMatchObject({
        code: 'reauth_required',
        details: { reason: 'corrupt' },
      });
      expect(await statusOf(connection.id)).toStrictEqual({
        status: 'needs_reauth',
        status_reason: 'corrupt',
        token_ciphertext: null,
      });
    });

    it('disconnect revokes at Google; a failed revoke still deletes locally and is recorded', async () => {
      const { user, connection } = await connected();
      await stack.control('/faults', { body: { path: '/revoke', status: 503, count: 5 } });
      try {
        const done = await stack.app.parts.frontDoor.connections.disconnect(user.id, connection.id);
        expect([done.connection.status, done.revokedAtGoogle]).toStrictEqual(['revoked', false]);
      } finally {
        await stack.control('/faults', { method: 'DELETE' });
      }
      const types = await stack.handle.db
        .selectFrom('connection_events')
        .select('type')
        .where('connection_id', '=', connection.id)
        .orderBy('id')
        .execute();
      expect(types.map((t) => t.type)).toStrictEqual([
        'connected',
        'status_changed',
        'revoke_failed',
      ]);
      const second = await connected('sam@example.com');
      const revocations = (await (await stack.control('/stats')).json()) as { revocations: number };
      await stack.app.parts.frontDoor.connections.disconnect(second.user.id, second.connection.id);
      const after = (await (await stack.control('/stats')).json()) as { revocations: number };
      expect(after.revocations).toBe(revocations.revocations + 1);
    });

    it('the sweep health-checks idle connections and notices a revoked grant', async () => {
      const { connection } = await connected('sam@example.com');
      const { createJobWork } = await import('../../src/jobs/index.ts');
      const work = createJobWork({
        database: stack.handle,
        broker: stack.app.parts.broker,
        users: stack.app.parts.users,
        outbox: stack.app.parts.outbox,
        calendarZone: stack.app.parts.calendarZone,
        logger: stack.app.services.logger,
        now,
      });
      const refreshOne = (id: string) => stack.app.parts.broker.refresh(id, { force: true });
      // Just connected: nothing is due.
      const idle = await work.sweep(refreshOne);
      expect(idle.due).toBe(0);
      await stack.control('/users/sam@example.com/revoke', { body: {} });
      clock += 25 * 60 * 60_000;
      try {
        const swept = await work.sweep(refreshOne);
        // Every live connection of this file not checked for a day, oldest first. Revoking
        // one token at Google ends the whole grant of that account: sam@example.com's revocation
        // above ends this connection and the one the first revocation test reconnected, and
        // the race test's disconnect ended the grant of the first test's alex@example.com.
        const checked = await stack.handle.db
          .selectFrom('connections')
          .select(['email', 'status', 'status_reason'])
          .where('last_checked_at', '=', now())
          .orderBy('created_at')
          .execute();
        expect({ outcomes: swept.outcomes, checked }).toStrictEqual({
          outcomes: { needs_reauth: 3, refreshed: 1 },
          checked: [
            { email: 'alex@example.com', status: 'needs_reauth', status_reason: 'revoked' },
            { email: 'sam@example.com', status: 'needs_reauth', status_reason: 'revoked' },
            { email: 'alex@example.com', status: 'active', status_reason: null },
            { email: 'sam@example.com', status: 'needs_reauth', status_reason: 'revoked' },
          ],
        });
        expect((await statusOf(connection.id)).status).toBe('needs_reauth');
      } finally {
        clock = Date.now();
      }
    });

    it('after the journeys no table and no log line holds a token, code, client secret or master key', async () => {
      const tables = [
        'users',
        'connections',
        'connection_events',
        'notifications',
        'oauth_states',
        'connect_tickets',
        'api_keys',
        'vault_keys',
      ];
      let dump = '';
      for (const table of tables) {
        const rows = await sql`select * from ${sql.table(table)}`.execute(stack.handle.db);
        dump += JSON.stringify(rows.rows);
      }
      const logs = stack.logs.join('\n');
      for (const text of [dump, logs]) {
        expect(text).not.toMatch(/ya29\.|1\/\/0|4\/0[A-Za-z0-9_-]{8}/);
        expect(text).not.toContain('tidings-demo-secret');
        expect(text).not.toContain(stack.masterKey);
      }
      expect(logs.length).toBeGreaterThan(0);
    });
  });
}

describe.runIf(POSTGRES)('single-flight across two processes on PostgreSQL', () => {
  it('two brokers on separate pools refresh an expired connection exactly once', async () => {
    let clock = Date.now();
    const stack = await startStack(POSTGRES!, { start: { now: () => new Date(clock) } });
    try {
      const user = await stack.app.parts.frontDoor.users.create({ displayName: 'Twin' });
      await connectWithAutoApprove(stack, user.id, 'alex@example.com');
      const [connection] = await stack.app.parts.frontDoor.connections.list(user.id);
      const otherDb = await stack.handle.openAnother();
      const { createVault, parseMasterKeys } = await import('../../src/vault/index.ts');
      const vault = await createVault(otherDb.db, parseMasterKeys(stack.masterKey));
      const second = createBroker({
        db: otherDb.db,
        vault,
        endpoint: createGoogleOidc({
          issuer: stack.google.url,
          clientId: 'tidings-demo',
          clientSecret: 'tidings-demo-secret',
        }),
        now: () => new Date(clock),
        logger: stack.app.services.logger,
      });
      clock += 2 * 60 * 60_000;
      const before = (await stack.stats()).grants.refresh_token;
      const tokens = await Promise.all(
        Array.from({ length: 1000 }, (_, i) =>
          (i % 2 ? second : stack.app.parts.broker).accessToken(connection!.id),
        ),
      );
      expect((await stack.stats()).grants.refresh_token).toBe(before + 1);
      expect(new Set(tokens).size).toBe(1);
      await otherDb.close();
    } finally {
      await stack.close();
    }
  });
});

describe.runIf(POSTGRES)('a refresh waiting for Google on PostgreSQL', () => {
  it('holds no database connection: with a pool of one, another query still runs', async () => {
    let clock = Date.now();
    const now = () => new Date(clock);
    const stack = await startStack(POSTGRES!, { start: { now } });
    const { openDatabase } = await import('../../src/db/index.ts');
    const small = await openDatabase({
      databaseUrl: process.env.DATABASE_URL!,
      dataDir: '/nonexistent',
      searchPath: stack.handle.schema!,
      poolSize: 1,
    });
    try {
      const user = await stack.app.parts.frontDoor.users.create({ displayName: 'Pool' });
      await connectWithAutoApprove(stack, user.id, 'alex@example.com');
      const [connection] = await stack.app.parts.frontDoor.connections.list(user.id);
      const { createVault, parseMasterKeys } = await import('../../src/vault/index.ts');
      const vault = await createVault(small.db, parseMasterKeys(stack.masterKey));
      const google = createGoogleOidc({
        issuer: stack.google.url,
        clientId: 'tidings-demo',
        clientSecret: 'tidings-demo-secret',
      });
      let reached: () => void = () => {};
      const atGoogle = new Promise<void>((resolve) => {
        reached = resolve;
      });
      let release: () => void = () => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      const broker = createBroker({
        db: small.db,
        vault,
        endpoint: {
          async refresh(refreshToken) {
            reached();
            await held;
            return google.refresh(refreshToken);
          },
        },
        now,
        logger: stack.app.services.logger,
      });
      clock += 2 * 60 * 60_000;
      const refreshing = broker.accessToken(connection!.id);
      await atGoogle;
      // The query needs the pool's one connection while Google is still held: it is
      // answered only if the refresh does not hold that connection across the call. Were it
      // held, nothing would release Google and the test would end at its timeout (no clock
      // of its own that a busy machine could run out).
      const answer = await small.db
        .selectFrom('users')
        .select('id')
        .limit(1)
        .execute()
        .then(() => 'answered');
      release();
      expect(await refreshing).toMatch(/^ya29\./);
      expect(answer).toBe('answered');
    } finally {
      await small.close();
      await stack.close();
    }
  });
});
