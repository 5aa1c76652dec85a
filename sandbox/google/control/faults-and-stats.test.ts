import { afterEach, describe, expect, it } from 'vitest';
import { control, signIn, startProbeSandbox, tokenRequest } from '../sandbox.harness.ts';
import type { ProbeRecord, TestSandbox } from '../sandbox.harness.ts';

let sandbox: TestSandbox & { probe: ProbeRecord };
afterEach(async () => {
  await sandbox.close();
});

async function get(path: string, token: string) {
  const response = await fetch(`${sandbox.url}${path}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    body: await response.json(),
  };
}

describe('faults', () => {
  it('answers a fault with a status for exactly `count` requests', async () => {
    sandbox = await startProbeSandbox();
    const token = String((await signIn(sandbox.url, {})).access_token);
    await control(sandbox.url, 'POST', '/__sandbox/faults', {
      path: '/probe/',
      status: 503,
      count: 2,
    });
    const answers = [];
    for (let i = 0; i < 3; i += 1) answers.push((await get('/probe/users/me/mail', token)).status);
    expect(answers).toStrictEqual([503, 503, 200]);
  });

  it("answers Google's rate limit envelope with Retry-After on every request at rate 1", async () => {
    sandbox = await startProbeSandbox();
    const token = String((await signIn(sandbox.url, {})).access_token);
    await control(sandbox.url, 'POST', '/__sandbox/faults', {
      path: '/probe',
      method: 'get',
      status: 429,
      rate: 1,
      retryAfter: 7,
    });
    const first = await get('/probe/users/me/mail', token);
    const second = await get('/probe/users/me/mail', token);
    const expected = {
      status: 429,
      retryAfter: '7',
      body: {
        error: {
          code: 429,
          message:
            "Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per user' of service 'googleapis.com' for consumer 'project_number:000000000000'.",
          errors: [
            {
              message:
                "Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per user' of service 'googleapis.com' for consumer 'project_number:000000000000'.",
              domain: 'global',
              reason: 'rateLimitExceeded',
            },
          ],
          status: 'RESOURCE_EXHAUSTED',
        },
      },
    };
    expect([first, second]).toStrictEqual([expected, expected]);
  });

  it('answers the usageLimits 403 and the backend 500 envelopes', async () => {
    sandbox = await startProbeSandbox();
    const token = String((await signIn(sandbox.url, {})).access_token);
    await control(sandbox.url, 'POST', '/__sandbox/faults', {
      path: '/probe',
      status: 403,
      count: 1,
    });
    await control(sandbox.url, 'POST', '/__sandbox/faults', {
      path: '/probe',
      status: 500,
      count: 1,
    });
    expect([
      (await get('/probe/users/me/mail', token)).body,
      (await get('/probe/users/me/mail', token)).body,
    ]).toStrictEqual([
      {
        error: {
          code: 403,
          message: 'Rate Limit Exceeded',
          errors: [
            { message: 'Rate Limit Exceeded', domain: 'usageLimits', reason: 'rateLimitExceeded' },
          ],
          status: 'PERMISSION_DENIED',
        },
      },
      {
        error: {
          code: 500,
          message: 'Backend Error',
          errors: [{ message: 'Backend Error', domain: 'global', reason: 'backendError' }],
          status: 'INTERNAL',
        },
      },
    ]);
  });

  it('never hits at rate 0 and hits by the random draw in between', async () => {
    const draws = [0.9, 0.1];
    sandbox = await startProbeSandbox({ random: () => draws.shift() ?? 1 });
    const token = String((await signIn(sandbox.url, {})).access_token);
    await control(sandbox.url, 'POST', '/__sandbox/faults', {
      path: '/probe',
      status: 500,
      rate: 0.5,
    });
    const statuses = [
      (await get('/probe/users/me/mail', token)).status,
      (await get('/probe/users/me/mail', token)).status,
    ];
    await control(sandbox.url, 'DELETE', '/__sandbox/faults');
    await control(sandbox.url, 'POST', '/__sandbox/faults', {
      path: '/probe',
      status: 500,
      rate: 0,
    });
    statuses.push((await get('/probe/users/me/mail', token)).status);
    expect(statuses).toStrictEqual([200, 500, 200]);
  });

  it('answers an OAuth-style JSON error on the token endpoint', async () => {
    sandbox = await startProbeSandbox();
    await control(sandbox.url, 'POST', '/__sandbox/faults', {
      path: '/token',
      status: 503,
      count: 1,
      retryAfter: 2,
    });
    expect(
      await tokenRequest(sandbox.url, { grant_type: 'refresh_token', refresh_token: 'x' }),
    ).toStrictEqual({
      status: 503,
      body: { error: 'internal_failure', error_description: 'Backend Error' },
    });
  });

  it('only delays a request for a latency fault without a status', async () => {
    sandbox = await startProbeSandbox();
    const token = String((await signIn(sandbox.url, {})).access_token);
    await control(sandbox.url, 'POST', '/__sandbox/faults', { path: '/probe', latencyMs: 150 });
    const started = performance.now();
    const answer = await get('/probe/users/me/mail', token);
    const elapsed = performance.now() - started;
    expect([answer.status, elapsed >= 145]).toStrictEqual([200, true]);
  });

  it('leaves the control API alone', async () => {
    sandbox = await startProbeSandbox();
    await control(sandbox.url, 'POST', '/__sandbox/faults', { path: '/', status: 500 });
    expect(await control(sandbox.url, 'GET', '/__sandbox/faults')).toStrictEqual([
      {
        path: '/',
        method: null,
        status: 500,
        rate: 1,
        remaining: null,
        latencyMs: 0,
        retryAfter: null,
        reason: null,
      },
    ]);
  });
});

describe('stats', () => {
  it('counts grants, revocations, requests by route template and quota units per user', async () => {
    sandbox = await startProbeSandbox();
    const tokens = await signIn(
      sandbox.url,
      { access_type: 'offline' },
      { account: 'sam@example.com' },
    );
    await tokenRequest(sandbox.url, {
      grant_type: 'refresh_token',
      refresh_token: String(tokens.refresh_token),
    });
    await get('/probe/users/me/mail', String(tokens.access_token));
    await get('/probe/users/sam@example.com/mail', String(tokens.access_token));
    await fetch(`${sandbox.url}/revoke?token=${tokens.refresh_token}`, { method: 'POST' });
    await get('/probe/users/me/mail', String(tokens.access_token));
    expect(await control(sandbox.url, 'GET', '/__sandbox/stats')).toStrictEqual({
      grants: { authorization_code: 1, refresh_token: 1 },
      revocations: 1,
      requests: {
        'GET /o/oauth2/v2/auth': 1,
        'POST /o/oauth2/v2/auth': 1,
        'POST /token': 2,
        'GET /probe/users/:userId/mail': 3,
        'POST /revoke': 1,
      },
      quotaUnits: { 'sam@example.com': 10 },
      gmailConcurrencyRefusals: {},
      gmailInFlight: {},
    });
  });

  it('starts over after a reset', async () => {
    sandbox = await startProbeSandbox();
    await signIn(sandbox.url, {});
    await control(sandbox.url, 'POST', '/__sandbox/reset');
    expect(await control(sandbox.url, 'GET', '/__sandbox/stats')).toStrictEqual({
      grants: { authorization_code: 0, refresh_token: 0 },
      revocations: 0,
      requests: {},
      quotaUnits: {},
      gmailConcurrencyRefusals: {},
      gmailInFlight: {},
    });
  });
});
