import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLIENT_ID, CLIENT_SECRET, control, signIn, startTestSandbox } from '../sandbox.harness.ts';
import type { TestSandbox } from '../sandbox.harness.ts';
import { basic, startReceiver, verifiedJwt } from './risc.harness.ts';
import type { Receiver } from './risc.harness.ts';

const PUSH = 'https://schemas.openid.net/secevent/risc/delivery-method/push';
const TOKENS_REVOKED = 'https://schemas.openid.net/secevent/oauth/event-type/tokens-revoked';
const VERIFICATION = 'https://schemas.openid.net/secevent/risc/event-type/verification';
const AUTH = basic(CLIENT_ID, CLIENT_SECRET);

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

async function call(method: string, path: string, body?: unknown, authorization = AUTH) {
  const response = await fetch(`${sandbox.url}${path}`, {
    method,
    headers: {
      authorization,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function register(events = [TOKENS_REVOKED, VERIFICATION], url = receiver.url) {
  return call('POST', '/v1beta/stream:update', {
    delivery: { delivery_method: PUSH, url },
    events_requested: events,
  });
}

describe('the RISC discovery document and configuration API', () => {
  it('publishes its issuer, keys and endpoints under the sandbox base URL', async () => {
    const base = sandbox.url;
    expect(await (await fetch(`${base}/.well-known/risc-configuration`)).json()).toStrictEqual({
      issuer: `${base}/`,
      jwks_uri: `${base}/oauth2/v3/certs`,
      delivery_methods_supported: [PUSH],
      add_subject_endpoint: `${base}/v1beta/subjects:add`,
      get_status_endpoint: `${base}/v1beta/stream/status`,
      get_configuration_endpoint: `${base}/v1beta/stream`,
      update_configuration_endpoint: `${base}/v1beta/stream:update`,
      verification_endpoint: `${base}/v1beta/stream:verify`,
    });
  });

  it('registers a receiver and pushes tokens-revoked, signed with the published key, when the user revokes', async () => {
    await signIn(sandbox.url, { access_type: 'offline' });
    const registered = await register();
    const stream = await call('GET', '/v1beta/stream');
    const revoked = await control(sandbox.url, 'POST', '/__sandbox/users/alex@example.com/revoke');
    const keys = (await (await fetch(`${sandbox.url}/oauth2/v3/certs`)).json()) as {
      keys: JsonWebKey[];
    };
    const [push] = receiver.pushes;
    const { header, claims } = verifiedJwt(push?.body ?? '', keys as never);
    const jti = claims.jti as string;
    const config = {
      delivery: { delivery_method: PUSH, url: receiver.url },
      events_requested: [TOKENS_REVOKED, VERIFICATION],
      events_delivered: [TOKENS_REVOKED, VERIFICATION],
    };
    expect({
      registered,
      stream,
      revoked,
      push: [receiver.pushes.length, push?.method, push?.contentType],
      header,
      claims,
    }).toStrictEqual({
      registered: { status: 200, body: config },
      stream: { status: 200, body: config },
      revoked: {
        revoked: 1,
        deliveries: [
          {
            jti,
            client_id: CLIENT_ID,
            url: receiver.url,
            event: TOKENS_REVOKED,
            status: 202,
            error: null,
            at: '2026-03-04T10:00:00.000Z',
          },
        ],
      },
      push: [1, 'POST', 'application/secevent+jwt'],
      header: { alg: 'RS256', kid: expect.any(String), typ: 'secevent+jwt' },
      claims: {
        iss: `${sandbox.url}/`,
        aud: CLIENT_ID,
        iat: Date.parse('2026-03-04T10:00:00Z') / 1000,
        jti: expect.stringMatching(/^[0-9a-f]{32}$/),
        events: {
          [TOKENS_REVOKED]: {
            subject: { subject_type: 'iss-sub', iss: `${sandbox.url}/`, sub: sandbox.subs.alex },
          },
        },
      },
    });
  });

  it('sends a verification token with its state, and nothing while the stream is disabled', async () => {
    await register();
    const verified = await call('POST', '/v1beta/stream:verify', { state: 'check 1' });
    const disabled = await call('POST', '/v1beta/stream/status:update', { status: 'disabled' });
    const status = await call('GET', '/v1beta/stream/status');
    await call('POST', '/v1beta/stream:verify', { state: 'check 2' });
    const events = receiver.pushes.map(
      (push) =>
        JSON.parse(Buffer.from(push.body.split('.')[1] ?? '', 'base64url').toString()).events,
    );
    expect({ verified, disabled, status, events }).toStrictEqual({
      verified: { status: 200, body: {} },
      disabled: { status: 200, body: { status: 'disabled' } },
      status: { status: 200, body: { status: 'disabled' } },
      events: [{ [VERIFICATION]: { state: 'check 1' } }],
    });
  });

  it('counts RISC API calls in the stats under the paths Google uses', async () => {
    await register();
    await call('POST', '/v1beta/stream:verify', { state: 'x' });
    const stats = (await control(sandbox.url, 'GET', '/__sandbox/stats')) as {
      requests: Record<string, number>;
    };
    expect(stats.requests).toStrictEqual({
      'POST /v1beta/stream:update': 1,
      'POST /v1beta/stream:verify': 1,
    });
  });

  it("answers Google's errors: no credentials, no stream yet, missing fields, plain http, a bad status", async () => {
    const answers = [
      await call('GET', '/v1beta/stream', undefined, basic(CLIENT_ID, 'wrong')),
      await call('GET', '/v1beta/stream'),
      await call('POST', '/v1beta/stream/status:update', { status: 'enabled' }),
      await call('POST', '/v1beta/stream:update', { events_requested: [] }),
      await call('POST', '/v1beta/stream:update', { delivery: { delivery_method: PUSH } }),
      await register([TOKENS_REVOKED], 'http://receiver.example/risc'),
      await register([TOKENS_REVOKED]),
      await call('POST', '/v1beta/stream/status:update', { status: 'paused' }),
    ];
    const error = (code: number, message: string, status: string) => ({
      status: code,
      body: { error: { code, message, status } },
    });
    expect(answers.map((answer, index) => (index === 6 ? answer.status : answer))).toStrictEqual([
      error(401, 'Unauthorized.', 'UNAUTHENTICATED'),
      error(404, 'Project has no RISC configuration.', 'NOT_FOUND'),
      error(404, 'Project has no existing RISC configuration, cannot update status.', 'NOT_FOUND'),
      error(400, 'Stream configuration must contain delivery field.', 'INVALID_ARGUMENT'),
      error(400, 'Stream configuration must contain url field.', 'INVALID_ARGUMENT'),
      error(403, 'The delivery endpoint must be an HTTPS URL.', 'PERMISSION_DENIED'),
      200,
      error(403, 'Unsupported status.', 'PERMISSION_DENIED'),
    ]);
  });
});
