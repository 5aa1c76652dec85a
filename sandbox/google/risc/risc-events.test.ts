import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CALENDAR_READONLY,
  CLIENT_ID,
  control,
  GMAIL_READONLY,
  signIn,
  startTestSandbox,
} from '../sandbox.harness.ts';
import type { TestSandbox } from '../sandbox.harness.ts';
import { startReceiver } from './risc.harness.ts';
import type { Receiver } from './risc.harness.ts';

const RISC = 'https://schemas.openid.net/secevent/risc/event-type/';
const OAUTH = 'https://schemas.openid.net/secevent/oauth/event-type/';

let sandbox: TestSandbox;
let receiver: Receiver;
beforeEach(async () => {
  sandbox = await startTestSandbox(() => new Date('2026-03-04T10:00:00Z'));
  receiver = await startReceiver();
});
afterEach(async () => {
  await sandbox.close();
  await receiver.close();
});

async function post(path: string, body: unknown) {
  const response = await fetch(`${sandbox.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** The `events` claim of every token the receiver got, in order. */
function receivedEvents(): unknown[] {
  return receiver.pushes.map(
    (push) =>
      (
        JSON.parse(Buffer.from(push.body.split('.')[1] ?? '', 'base64url').toString()) as {
          events: unknown;
        }
      ).events,
  );
}

describe('security events pushed through the control API', () => {
  it('pushes every event type about a user to the clients the user signed in to', async () => {
    await signIn(sandbox.url, {});
    await control(sandbox.url, 'POST', '/__sandbox/risc/receivers', {
      client_id: CLIENT_ID,
      url: receiver.url,
    });
    const events = [
      { type: 'sessions-revoked' },
      { type: 'account-disabled', reason: 'hijacking' },
      { type: 'account-disabled' },
      { type: 'account-enabled' },
      { type: 'account-credential-change-required' },
      { type: 'tokens-revoked' },
      { type: 'verification', state: 'ping' },
    ];
    for (const event of events) {
      await control(sandbox.url, 'POST', '/__sandbox/risc/events', {
        email: 'alex@example.com',
        ...event,
      });
    }
    const subject = { subject_type: 'iss-sub', iss: `${sandbox.url}/`, sub: sandbox.subs.alex };
    expect(receivedEvents()).toStrictEqual([
      { [`${RISC}sessions-revoked`]: { subject } },
      { [`${RISC}account-disabled`]: { subject, reason: 'hijacking' } },
      { [`${RISC}account-disabled`]: { subject } },
      { [`${RISC}account-enabled`]: { subject } },
      { [`${RISC}account-credential-change-required`]: { subject } },
      { [`${OAUTH}tokens-revoked`]: { subject } },
      { [`${RISC}verification`]: { state: 'ping' } },
    ]);
  });

  it("identifies each live refresh token of a token-revoked event by Google's double SHA-512", async () => {
    const first = await signIn(sandbox.url, { access_type: 'offline' });
    const second = await signIn(sandbox.url, { access_type: 'offline', prompt: 'consent' });
    await control(sandbox.url, 'POST', '/__sandbox/risc/receivers', {
      client_id: CLIENT_ID,
      url: receiver.url,
    });
    await post('/__sandbox/risc/events', { email: 'alex@example.com', type: 'token-revoked' });
    const hash = (token: unknown) =>
      createHash('sha512')
        .update(createHash('sha512').update(String(token)).digest())
        .digest('base64');
    const subject = (token: unknown) => ({
      subject: {
        subject_type: 'oauth_token',
        token_type: 'refresh_token',
        token_identifier_alg: 'hash_base64_sha512_sha512',
        token: hash(token),
      },
    });
    expect(receivedEvents()).toStrictEqual([
      { [`${OAUTH}token-revoked`]: subject(first.refresh_token) },
      { [`${OAUTH}token-revoked`]: subject(second.refresh_token) },
    ]);
  });

  it('sends nothing for users who gave the client no email or profile, or for types not asked for', async () => {
    await signIn(sandbox.url, { scope: `openid ${GMAIL_READONLY} ${CALENDAR_READONLY}` });
    await signIn(sandbox.url, {}, { account: 'sam@example.com' });
    await control(sandbox.url, 'POST', '/__sandbox/risc/receivers', {
      client_id: CLIENT_ID,
      url: receiver.url,
      events_requested: [`${RISC}account-disabled`],
    });
    const alex = await post('/__sandbox/risc/events', {
      email: 'alex@example.com',
      type: 'account-disabled',
    });
    const samEnabled = await post('/__sandbox/risc/events', {
      email: 'sam@example.com',
      type: 'account-enabled',
    });
    const samDisabled = await post('/__sandbox/risc/events', {
      email: 'sam@example.com',
      type: 'account-disabled',
    });
    expect([
      alex.body.deliveries,
      samEnabled.body.deliveries,
      (samDisabled.body.deliveries as unknown[]).length,
      receiver.pushes.length,
    ]).toStrictEqual([[], [], 1, 1]);
  });

  it('records a failed push and pushes the same token again on request', async () => {
    await signIn(sandbox.url, {});
    await control(sandbox.url, 'POST', '/__sandbox/risc/receivers', {
      client_id: CLIENT_ID,
      url: receiver.url,
    });
    receiver.answer.status = 500;
    const failed = await post('/__sandbox/risc/events', {
      email: 'alex@example.com',
      type: 'sessions-revoked',
    });
    const [delivery] = failed.body.deliveries as { jti: string }[];
    receiver.answer.status = 202;
    const again = await post(`/__sandbox/risc/deliveries/${delivery?.jti}/redeliver`, {});
    const unknown = await post('/__sandbox/risc/deliveries/0000/redeliver', {});
    const deliveries = (await control(sandbox.url, 'GET', '/__sandbox/risc/deliveries')) as {
      jti: string;
      status: number;
    }[];
    expect({
      statuses: deliveries.map((entry) => [entry.jti, entry.status]),
      again: again.status,
      sameToken: receiver.pushes[0]?.body === receiver.pushes[1]?.body,
      unknown: unknown.status,
    }).toStrictEqual({
      statuses: [
        [delivery?.jti, 500],
        [delivery?.jti, 202],
      ],
      again: 200,
      sameToken: true,
      unknown: 404,
    });
  });

  it('records a receiver that cannot be reached', async () => {
    await signIn(sandbox.url, {});
    await control(sandbox.url, 'POST', '/__sandbox/risc/receivers', {
      client_id: CLIENT_ID,
      url: receiver.url,
    });
    await receiver.close();
    const answer = await post('/__sandbox/risc/events', {
      email: 'alex@example.com',
      type: 'sessions-revoked',
    });
    const [delivery] = answer.body.deliveries as Record<string, unknown>[];
    expect([delivery?.status, delivery?.error]).toStrictEqual([null, 'ECONNREFUSED']);
    receiver = await startReceiver();
  });

  it('pushes nothing when grants end by a session-control expiry', async () => {
    await signIn(sandbox.url, {});
    await control(sandbox.url, 'POST', '/__sandbox/risc/receivers', {
      client_id: CLIENT_ID,
      url: receiver.url,
    });
    const answer = await control(sandbox.url, 'POST', '/__sandbox/users/alex@example.com/revoke', {
      reason: 'invalid_rapt',
    });
    expect([answer, receiver.pushes.length]).toStrictEqual([{ revoked: 1, deliveries: [] }, 0]);
  });

  it('rejects bad control requests with 400 or 404', async () => {
    const answers = [
      await post('/__sandbox/risc/receivers', { client_id: 'nobody', url: receiver.url }),
      await post('/__sandbox/risc/receivers', { client_id: CLIENT_ID, url: 'http://x.example/' }),
      await post('/__sandbox/risc/receivers', { client_id: CLIENT_ID, url: receiver.url, x: 1 }),
      await post('/__sandbox/risc/events', { email: 'alex@example.com', type: 'account-purged' }),
      await post('/__sandbox/risc/events', {
        email: 'alex@example.com',
        type: 'account-enabled',
        reason: 'hijacking',
      }),
      await post('/__sandbox/risc/events', { type: 'sessions-revoked' }),
      await post('/__sandbox/risc/events', {
        email: 'nobody@example.com',
        type: 'account-enabled',
      }),
    ];
    expect(answers.map((answer) => [answer.status, answer.body.error])).toStrictEqual([
      [404, 'not_found'],
      [400, 'invalid_request'],
      [400, 'invalid_request'],
      [400, 'invalid_request'],
      [400, 'invalid_request'],
      [400, 'invalid_request'],
      [404, 'not_found'],
    ]);
  });
});
