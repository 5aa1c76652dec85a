/**
 * Cross-Account Protection end to end: the Google sandbox pushes signed security event
 * tokens over real HTTP to the running app's receiver (registered with the sandbox at the
 * app's own URL), and a revocation at Google is acted on within the push — no refresh, one
 * notice, one history entry naming the event — on every database. Redeliveries do nothing
 * twice; tokens the receiver must refuse change nothing.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../support/databases.harness.ts';
import { connectWithAutoApprove, type Stack, startStack } from '../support/stack.harness.ts';
import {
  brokenNotices,
  CLIENT_ID,
  connectedAccount,
  connectionRow,
  delivered,
  historyAfterConnect,
  OAUTH,
  post,
  pushEvent,
  RISC,
  receiverOf,
  registerReceiver,
  seenToken,
  testKey,
  tokenRequests,
  tokensRevoked,
} from './risc.harness.ts';

const RETIRED = {
  status: 'needs_reauth',
  status_reason: 'revoked',
  token_ciphertext: null,
  key_version: null,
  refresh_token_digest: null,
};

/** The history a retiring event leaves: the status change, then the event itself. */
function retiredBy(name: string, jti: string, from = 'active', eventReason?: string) {
  const reason = eventReason === undefined ? {} : { event_reason: eventReason };
  return [
    {
      type: 'status_changed',
      from_status: from,
      to_status: 'needs_reauth',
      reason: 'revoked',
      detail: { security_event: name, jti, ...reason },
    },
    {
      type: 'security_event',
      from_status: null,
      to_status: null,
      reason: name,
      detail: { jti, outcome: 'retired', ...reason },
    },
  ];
}

for (const database of DATABASES) {
  describe(`Cross-Account Protection on ${database.name}`, () => {
    let stack: Stack;
    beforeAll(async () => {
      stack = await startStack(database);
      await registerReceiver(stack);
    });
    afterAll(async () => {
      await stack?.close();
    });

    it('retires a grant revoked at Google within the push, without asking Google, with one notice', async () => {
      const { email, user, connection } = await connectedAccount(stack, 'alex');
      const before = await tokenRequests(stack);
      const revoke = await stack.control(`/users/${email}/revoke`, { body: {} });
      const { deliveries } = (await revoke.json()) as { deliveries: Array<{ jti: string }> };
      const jti = deliveries[0]!.jti;
      expect(deliveries).toStrictEqual([delivered(stack, `${OAUTH}tokens-revoked`, jti)]);
      expect({
        row: await connectionRow(stack, connection.id),
        history: await historyAfterConnect(stack, connection.id),
        notices: await brokenNotices(stack, user.id),
        seen: await seenToken(stack, jti),
        google: await tokenRequests(stack),
      }).toStrictEqual({
        row: RETIRED,
        history: retiredBy('tokens-revoked', jti),
        notices: [
          {
            kind: 'connection_broken',
            connection_id: connection.id,
            payload: { email, reason: 'revoked' },
          },
        ],
        seen: { jti, events: [{ type: `${OAUTH}tokens-revoked`, outcome: 'applied' }] },
        google: before,
      });
      await expect(stack.app.parts.broker.accessToken(connection.id)).rejects.toMatchObject({
        code: 'reauth_required',
        details: { reason: 'revoked', connectionId: connection.id },
      });
      expect(await tokenRequests(stack)).toStrictEqual(before);
    });

    it('does nothing twice for a redelivered token, also when both copies arrive at once', async () => {
      const { email, user, connection } = await connectedAccount(stack, 'riley');
      const revoke = await stack.control(`/users/${email}/revoke`, { body: {} });
      const { deliveries } = (await revoke.json()) as { deliveries: Array<{ jti: string }> };
      const jti = deliveries[0]!.jti;
      const again = () =>
        stack
          .control(`/risc/deliveries/${jti}/redeliver`, { body: {} })
          .then((response) => response.json());
      const redeliveries = [await again(), ...(await Promise.all([again(), again()]))];
      expect(redeliveries).toStrictEqual([
        delivered(stack, `${OAUTH}tokens-revoked`, jti),
        delivered(stack, `${OAUTH}tokens-revoked`, jti),
        delivered(stack, `${OAUTH}tokens-revoked`, jti),
      ]);
      expect({
        history: await historyAfterConnect(stack, connection.id),
        notices: (await brokenNotices(stack, user.id)).length,
      }).toStrictEqual({ history: retiredBy('tokens-revoked', jti), notices: 1 });
    });

    it('retires every connection of the account, each once, and leaves other accounts alone', async () => {
      const first = await connectedAccount(stack, 'casey');
      const bystander = await connectedAccount(stack, 'drew');
      // The same Google account connected by a second Tidings user.
      const second = await stack.app.parts.frontDoor.users.create({ displayName: 'Casey too' });
      await connectWithAutoApprove(stack, second.id, first.email);
      const [secondConnection] = await stack.app.parts.frontDoor.connections.list(second.id);
      const [delivery] = await pushEvent(stack, { type: 'tokens-revoked', email: first.email });
      expect({
        first: await connectionRow(stack, first.connection.id),
        second: await connectionRow(stack, secondConnection!.id),
        bystander: (await connectionRow(stack, bystander.connection.id)).status,
        notices: [
          (await brokenNotices(stack, first.user.id)).length,
          (await brokenNotices(stack, second.id)).length,
          (await brokenNotices(stack, bystander.user.id)).length,
        ],
      }).toStrictEqual({
        first: RETIRED,
        second: RETIRED,
        bystander: 'active',
        notices: [1, 1, 0],
      });
      expect(await historyAfterConnect(stack, secondConnection!.id)).toStrictEqual(
        retiredBy('tokens-revoked', delivery!.jti),
      );
    });

    it('finds the connection of a revoked refresh token by its digest', async () => {
      const { email, user, connection } = await connectedAccount(stack, 'emery');
      const bystander = await connectedAccount(stack, 'finley');
      const stored = await connectionRow(stack, connection.id);
      const [delivery] = await pushEvent(stack, { type: 'token-revoked', email });
      expect({
        stored: stored.refresh_token_digest,
        row: await connectionRow(stack, connection.id),
        history: await historyAfterConnect(stack, connection.id),
        notices: (await brokenNotices(stack, user.id)).length,
        bystander: (await connectionRow(stack, bystander.connection.id)).status,
        seen: await seenToken(stack, delivery!.jti),
      }).toStrictEqual({
        stored: expect.stringMatching(/^[A-Za-z0-9+/]{86}==$/),
        row: RETIRED,
        history: retiredBy('token-revoked', delivery!.jti),
        notices: 1,
        bystander: 'active',
        seen: {
          jti: delivery!.jti,
          events: [{ type: `${OAUTH}token-revoked`, outcome: 'applied' }],
        },
      });
    });

    it('finds a connection stored before digests were kept, by opening its bundle once', async () => {
      const { email, connection } = await connectedAccount(stack, 'gray');
      await stack.handle.db
        .updateTable('connections')
        .set({ refresh_token_digest: null })
        .where('id', '=', connection.id)
        .execute();
      const [delivery] = await pushEvent(stack, { type: 'token-revoked', email });
      expect({
        row: await connectionRow(stack, connection.id),
        history: await historyAfterConnect(stack, connection.id),
      }).toStrictEqual({ row: RETIRED, history: retiredBy('token-revoked', delivery!.jti) });
    });

    it('fills in a missing digest when the broker next opens the bundle', async () => {
      const { connection } = await connectedAccount(stack, 'glen');
      const { refresh_token_digest: digest } = await connectionRow(stack, connection.id);
      await stack.handle.db
        .updateTable('connections')
        .set({ refresh_token_digest: null })
        .where('id', '=', connection.id)
        .execute();
      expect(await stack.app.parts.broker.accessToken(connection.id)).toMatch(/^ya29\./);
      expect((await connectionRow(stack, connection.id)).refresh_token_digest).toBe(digest);
    });

    it('keeps the digest of a rotated refresh token, so the new token is found and the old is not', async () => {
      const { email, connection } = await connectedAccount(stack, 'harper');
      const digestBefore = (await connectionRow(stack, connection.id)).refresh_token_digest;
      await stack.control('/settings', { method: 'PUT', body: { rotateRefreshTokens: true } });
      try {
        expect(await stack.app.parts.broker.refresh(connection.id, { force: true })).toBe(
          'refreshed',
        );
      } finally {
        await stack.control('/settings', { method: 'PUT', body: { rotateRefreshTokens: false } });
      }
      const digestAfter = (await connectionRow(stack, connection.id)).refresh_token_digest;
      // The sandbox names every live refresh token of the grant: the old one and the new one.
      const deliveries = await pushEvent(stack, { type: 'token-revoked', email });
      const seen = await Promise.all(deliveries.map((d) => seenToken(stack, d.jti)));
      expect({
        rotated: digestAfter !== digestBefore && digestAfter !== null,
        outcomes: seen.map((s) => s?.events[0]?.outcome).sort(),
        row: await connectionRow(stack, connection.id),
      }).toStrictEqual({ rotated: true, outcomes: ['applied', 'unknown_subject'], row: RETIRED });
    });

    it('retires the grant of an account disabled for hijacking, and the notice says why', async () => {
      const { email, user, connection } = await connectedAccount(stack, 'indy');
      const [delivery] = await pushEvent(stack, {
        type: 'account-disabled',
        email,
        reason: 'hijacking',
      });
      expect(delivery).toStrictEqual(delivered(stack, `${RISC}account-disabled`, delivery!.jti));
      expect({
        row: await connectionRow(stack, connection.id),
        history: await historyAfterConnect(stack, connection.id),
        notices: await brokenNotices(stack, user.id),
      }).toStrictEqual({
        row: RETIRED,
        history: retiredBy('account-disabled', delivery!.jti, 'active', 'hijacking'),
        notices: [
          {
            kind: 'connection_broken',
            connection_id: connection.id,
            payload: {
              email,
              reason: 'revoked',
              securityEvent: 'account-disabled',
              eventReason: 'hijacking',
            },
          },
        ],
      });
    });

    it('retires the grant of an account disabled for another reason or none, recording it', async () => {
      const bulk = await connectedAccount(stack, 'jules');
      const plain = await connectedAccount(stack, 'kai');
      const [bulkDelivery] = await pushEvent(stack, {
        type: 'account-disabled',
        email: bulk.email,
        reason: 'bulk-account',
      });
      const [plainDelivery] = await pushEvent(stack, {
        type: 'account-disabled',
        email: plain.email,
      });
      expect({
        bulk: await historyAfterConnect(stack, bulk.connection.id),
        plain: await historyAfterConnect(stack, plain.connection.id),
        rows: [
          await connectionRow(stack, bulk.connection.id),
          await connectionRow(stack, plain.connection.id),
        ],
        notice: (await brokenNotices(stack, plain.user.id)).map((n) => n.payload),
      }).toStrictEqual({
        bulk: retiredBy('account-disabled', bulkDelivery!.jti, 'active', 'bulk-account'),
        plain: retiredBy('account-disabled', plainDelivery!.jti),
        rows: [RETIRED, RETIRED],
        notice: [
          {
            email: plain.email,
            reason: 'revoked',
            securityEvent: 'account-disabled',
            eventReason: null,
          },
        ],
      });
    });

    it('records sessions-revoked, account-enabled and account-credential-change-required without changing anything', async () => {
      const { email, user, connection } = await connectedAccount(stack, 'lee');
      const jtis: string[] = [];
      for (const type of [
        'sessions-revoked',
        'account-enabled',
        'account-credential-change-required',
      ]) {
        const [delivery] = await pushEvent(stack, { type, email });
        expect(delivery!.status).toBe(202);
        jtis.push(delivery!.jti);
      }
      expect({
        row: (await connectionRow(stack, connection.id)).status,
        history: await historyAfterConnect(stack, connection.id),
        notices: await brokenNotices(stack, user.id),
      }).toStrictEqual({
        row: 'active',
        history: ['sessions-revoked', 'account-enabled', 'account-credential-change-required'].map(
          (name, index) => ({
            type: 'security_event',
            from_status: null,
            to_status: null,
            reason: name,
            detail: { jti: jtis[index], outcome: 'recorded' },
          }),
        ),
        notices: [],
      });
      expect(await stack.app.parts.broker.accessToken(connection.id)).toMatch(/^ya29\./);
    });

    it('records an event on a connection that is already broken, with no second notice', async () => {
      const { email, user, connection } = await connectedAccount(stack, 'morgan');
      const [first] = await pushEvent(stack, { type: 'tokens-revoked', email });
      const [second] = await pushEvent(stack, {
        type: 'account-disabled',
        email,
        reason: 'hijacking',
      });
      expect({
        history: await historyAfterConnect(stack, connection.id),
        notices: (await brokenNotices(stack, user.id)).length,
      }).toStrictEqual({
        history: [
          ...retiredBy('tokens-revoked', first!.jti),
          {
            type: 'security_event',
            from_status: null,
            to_status: null,
            reason: 'account-disabled',
            detail: { jti: second!.jti, outcome: 'already_broken', event_reason: 'hijacking' },
          },
        ],
        notices: 1,
      });
    });

    it('asks Google to send the token again when it cannot be stored, leaving nothing half-written', async () => {
      const { email, user, connection } = await connectedAccount(stack, 'nico');
      // The claim and the status change succeed, then the notice cannot be queued.
      await sql`alter table notifications rename to notifications_away`.execute(stack.handle.db);
      let first: Awaited<ReturnType<typeof pushEvent>>;
      try {
        first = await pushEvent(stack, { type: 'tokens-revoked', email });
        expect({
          status: first[0]!.status,
          seen: await seenToken(stack, first[0]!.jti),
          row: (await connectionRow(stack, connection.id)).status,
          history: await historyAfterConnect(stack, connection.id),
        }).toStrictEqual({ status: 503, seen: null, row: 'active', history: [] });
      } finally {
        await sql`alter table notifications_away rename to notifications`.execute(stack.handle.db);
      }
      const again = await stack.control(`/risc/deliveries/${first[0]!.jti}/redeliver`, {
        body: {},
      });
      expect({
        redelivered: ((await again.json()) as { status: number }).status,
        row: await connectionRow(stack, connection.id),
        history: await historyAfterConnect(stack, connection.id),
        notices: (await brokenNotices(stack, user.id)).length,
      }).toStrictEqual({
        redelivered: 202,
        row: RETIRED,
        history: retiredBy('tokens-revoked', first[0]!.jti),
        notices: 1,
      });
    });

    it('accepts a verification token and logs its state', async () => {
      const [delivery] = await pushEvent(stack, {
        type: 'verification',
        state: 'check-123',
        client_id: CLIENT_ID,
      });
      expect(delivery).toStrictEqual(delivered(stack, `${RISC}verification`, delivery!.jti));
      expect(await seenToken(stack, delivery!.jti)).toStrictEqual({
        jti: delivery!.jti,
        events: [{ type: `${RISC}verification`, outcome: 'verified' }],
      });
      const logged = stack.logs
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter((line) => line.msg === 'RISC verification received')
        .map((line) => [line.jti, line.state]);
      expect(logged).toStrictEqual([[delivery!.jti, 'check-123']]);
    });

    it('accepts a token about an account it does not know and keeps only its jti', async () => {
      const created = await stack.control('/users', { body: { email: 'stranger@example.com' } });
      expect(created.status).toBe(201);
      const eventsBefore = await stack.handle.db
        .selectFrom('connection_events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      const [delivery] = await pushEvent(stack, {
        type: 'tokens-revoked',
        email: 'stranger@example.com',
        client_id: CLIENT_ID,
      });
      const eventsAfter = await stack.handle.db
        .selectFrom('connection_events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect({
        status: delivery!.status,
        seen: await seenToken(stack, delivery!.jti),
        newEvents: Number(eventsAfter.n) - Number(eventsBefore.n),
      }).toStrictEqual({
        status: 202,
        seen: {
          jti: delivery!.jti,
          events: [{ type: `${OAUTH}tokens-revoked`, outcome: 'unknown_subject' }],
        },
        newEvents: 0,
      });
    });

    it('refuses a token signed with a key Google does not publish (invalid_key), changing nothing', async () => {
      const { sub, user, connection } = await connectedAccount(stack, 'noor');
      const forged = await (await testKey()).sign(tokensRevoked(`${stack.google.url}/`, sub));
      expect(await post(receiverOf(stack), forged)).toStrictEqual({
        status: 400,
        retryAfter: null,
        body: {
          err: 'invalid_key',
          description: "The token is not signed with one of the issuer's keys.",
        },
      });
      expect({
        row: (await connectionRow(stack, connection.id)).status,
        history: await historyAfterConnect(stack, connection.id),
        notices: await brokenNotices(stack, user.id),
      }).toStrictEqual({ row: 'active', history: [], notices: [] });
    });

    it("refuses a token under Google's key id but another key (authentication_failed)", async () => {
      const { sub, connection } = await connectedAccount(stack, 'oak');
      const certs = (await (await fetch(`${stack.google.url}/oauth2/v3/certs`)).json()) as {
        keys: Array<{ kid: string }>;
      };
      const forged = await (await testKey(certs.keys[0]!.kid)).sign(
        tokensRevoked(`${stack.google.url}/`, sub),
      );
      expect(await post(receiverOf(stack), forged)).toStrictEqual({
        status: 400,
        retryAfter: null,
        body: {
          err: 'authentication_failed',
          description: "The signature does not verify with the issuer's key.",
        },
      });
      expect((await connectionRow(stack, connection.id)).status).toBe('active');
    });

    it('refuses a token Google signed for another client (invalid_audience)', async () => {
      await stack.control('/clients', {
        body: {
          client_id: 'another-app',
          client_secret: 'another-secret',
          redirect_uris: ['http://127.0.0.1/oauth/google/callback'],
        },
      });
      await registerReceiver(stack, 'another-app');
      const [delivery] = await pushEvent(stack, { type: 'verification', client_id: 'another-app' });
      const refused = stack.logs
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter(
          (line) => line.msg === 'security event token refused' && line.err === 'invalid_audience',
        )
        .map((line) => line.description);
      expect({
        status: delivery!.status,
        seen: await seenToken(stack, delivery!.jti),
        refused,
      }).toStrictEqual({
        status: 400,
        seen: null,
        refused: ['The token is meant for another client.'],
      });
    });

    it('answers 4xx to a body that is not one token (malformed, empty, too large, another type), and reads application/jwt as one', async () => {
      const url = receiverOf(stack);
      expect(
        await Promise.all([
          post(url, 'not.a.token!'),
          post(url, ''),
          post(url, 'a'.repeat(65 * 1024)),
          post(url, JSON.stringify({ events: {} }), 'application/json'),
          post(url, 'eyJhbGciOiJSUzI1NiJ9.e30.c2ln', 'application/jwt'),
        ]),
      ).toStrictEqual([
        {
          status: 400,
          retryAfter: null,
          body: { err: 'invalid_request', description: 'The body is not a compact signed token.' },
        },
        {
          status: 400,
          retryAfter: null,
          body: {
            err: 'invalid_request',
            description: 'The body must be one security event token.',
          },
        },
        {
          status: 413,
          retryAfter: null,
          body: { err: 'invalid_request', description: 'The body is larger than 64 KB.' },
        },
        {
          status: 415,
          retryAfter: null,
          body: {
            err: 'invalid_request',
            description: 'Send the token as application/secevent+jwt.',
          },
        },
        {
          status: 400,
          retryAfter: null,
          body: {
            err: 'authentication_failed',
            description: "The signature does not verify with the issuer's key.",
          },
        },
      ]);
    });

    it('never writes a token or a digest to the log', async () => {
      const { email, connection } = await connectedAccount(stack, 'parker');
      const digest = (await connectionRow(stack, connection.id)).refresh_token_digest!;
      await pushEvent(stack, { type: 'token-revoked', email });
      const logs = stack.logs.join('\n');
      expect({
        digest: logs.includes(digest),
        bodies: /eyJ[A-Za-z0-9_-]{10,}\.eyJ/.test(logs),
        refresh: /1\/\/0/.test(logs),
      }).toStrictEqual({ digest: false, bodies: false, refresh: false });
    });
  });
}

for (const database of DATABASES) {
  describe(`Cross-Account Protection in the chat on ${database.name}`, () => {
    let stack: Stack;
    beforeAll(async () => {
      stack = await startStack(database, { telegram: true });
      await registerReceiver(stack);
    });
    afterAll(async () => {
      await stack?.close();
    });

    it('tells the person in Telegram once, right after Google revoked the grant', async () => {
      const chat = stack.chat!;
      const telegramId = 7301;
      await chat.write(telegramId, '/start', 'Sasha');
      await chat.inbox(telegramId, { count: 1, timeoutMs: 15_000 });
      const user = await stack.app.parts.frontDoor.users.byTelegramId(String(telegramId));
      await stack.control('/users', { body: { email: 'sasha@example.com', name: 'Sasha' } });
      expect((await connectWithAutoApprove(stack, user!.id, 'sasha@example.com')).status).toBe(200);
      const connected = await chat.inbox(telegramId, { count: 2, timeoutMs: 15_000 });
      await stack.control('/users/sasha@example.com/revoke', { body: {} });
      const inbox = await chat.inbox(telegramId, {
        count: connected.length + 1,
        timeoutMs: 15_000,
      });
      // Give a second notice the time to arrive, were there one.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(
        (await chat.inbox(telegramId)).slice(connected.length).map((message) => message.text),
      ).toStrictEqual([
        '⚠️ I can no longer read sasha@example.com: access was revoked at Google. Reconnect it to keep your answers and briefings coming.',
      ]);
      expect(inbox.length).toBe(connected.length + 1);
    });
  });
}
