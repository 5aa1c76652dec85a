import { afterEach, describe, expect, it } from 'vitest';
import { control, signIn, startProbeSandbox, startTestSandbox } from './sandbox.harness.ts';
import type { TestSandbox } from './sandbox.harness.ts';

let sandbox: TestSandbox;
afterEach(async () => {
  await sandbox.close();
});

async function get(path: string, token: string) {
  const response = await fetch(`${sandbox.url}${path}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function post(path: string, body: unknown) {
  const response = await fetch(`${sandbox.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function envelope(code: number, message: string, domain: string, reason: string, status: string) {
  return { error: { code, message, errors: [{ message, domain, reason }], status } };
}

describe('a fault with a reason', () => {
  it("answers Google's envelope with the reason it names", async () => {
    sandbox = await startProbeSandbox();
    const token = String((await signIn(sandbox.url, {})).access_token);
    const faults = [
      { status: 403, reason: 'userRateLimitExceeded' },
      { status: 429, reason: 'rateLimitExceeded' },
      { status: 403, reason: 'quotaExceeded' },
      { status: 403, reason: 'dailyLimitExceeded' },
    ];
    for (const fault of faults) {
      await control(sandbox.url, 'POST', '/__sandbox/faults', {
        path: '/probe',
        count: 1,
        ...fault,
      });
    }
    const answers = [];
    for (const _ of faults) answers.push(await get('/probe/users/me/mail', token));
    expect(answers).toStrictEqual([
      {
        status: 403,
        body: envelope(
          403,
          'User Rate Limit Exceeded',
          'usageLimits',
          'userRateLimitExceeded',
          'PERMISSION_DENIED',
        ),
      },
      {
        status: 429,
        body: envelope(
          429,
          'Rate Limit Exceeded',
          'usageLimits',
          'rateLimitExceeded',
          'RESOURCE_EXHAUSTED',
        ),
      },
      {
        status: 403,
        body: envelope(403, 'Quota Exceeded', 'usageLimits', 'quotaExceeded', 'PERMISSION_DENIED'),
      },
      {
        status: 403,
        body: envelope(
          403,
          'Daily Limit Exceeded',
          'usageLimits',
          'dailyLimitExceeded',
          'PERMISSION_DENIED',
        ),
      },
    ]);
  });

  it('rejects an unknown reason, a reason without a status and an unknown field with a 400', async () => {
    sandbox = await startProbeSandbox();
    const answers = [
      await post('/__sandbox/faults', { path: '/probe', status: 403, reason: 'tooMuchFun' }),
      await post('/__sandbox/faults', { path: '/probe', reason: 'rateLimitExceeded' }),
      await post('/__sandbox/faults', { path: '/probe', status: 503, retry_after: 5 }),
    ];
    expect({
      statuses: answers.map((answer) => [answer.status, answer.body.error]),
      unknownField: String(answers[2]?.body.message).includes('retry_after'),
      faults: await control(sandbox.url, 'GET', '/__sandbox/faults'),
    }).toStrictEqual({
      statuses: [
        [400, 'invalid_request'],
        [400, 'invalid_request'],
        [400, 'invalid_request'],
      ],
      unknownField: true,
      faults: [],
    });
  });
});

describe("Google's per-user limits", () => {
  it('answers Gmail at 15,000 quota units a minute and Calendar at 600 requests by default', async () => {
    sandbox = await startProbeSandbox();
    expect(await control(sandbox.url, 'PUT', '/__sandbox/settings', {})).toStrictEqual({
      accessTokenTtlSeconds: 3599,
      rotateRefreshTokens: false,
      publishingStatus: 'in_production',
      expireUnusedRefreshTokens: true,
      refreshTokensPerClient: 100,
      gmailQuotaUnitsPerMinute: 15_000,
      calendarRequestsPerMinute: 600,
      gmailConcurrentRequestsPerUser: 20,
    });
  });

  it('answers Gmail 429 rateLimitExceeded past the quota units of a minute, until the minute has passed', async () => {
    let clock = new Date('2026-03-04T10:00:00Z');
    sandbox = await startTestSandbox(() => clock);
    const token = String((await signIn(sandbox.url, {})).access_token);
    await control(sandbox.url, 'PUT', '/__sandbox/settings', { gmailQuotaUnitsPerMinute: 11 });
    const statuses = [];
    // messages.list costs 5 units, getProfile 1: 5 + 5 + 1 fit in 11, the next list does not.
    statuses.push((await get('/gmail/v1/users/me/messages', token)).status);
    clock = new Date('2026-03-04T10:00:30Z');
    statuses.push((await get('/gmail/v1/users/me/messages', token)).status);
    statuses.push((await get('/gmail/v1/users/me/profile', token)).status);
    const refused = await get('/gmail/v1/users/me/messages', token);
    clock = new Date('2026-03-04T10:01:00Z');
    statuses.push((await get('/gmail/v1/users/me/messages', token)).status);
    const stats = (await control(sandbox.url, 'GET', '/__sandbox/stats')) as {
      quotaUnits: Record<string, number>;
    };
    const message = 'User-rate limit exceeded.  Retry after 2026-03-04T10:01:00.000Z';
    expect({ statuses, refused, quota: stats.quotaUnits }).toStrictEqual({
      statuses: [200, 200, 200, 200],
      refused: {
        status: 429,
        body: envelope(429, message, 'usageLimits', 'rateLimitExceeded', 'RESOURCE_EXHAUSTED'),
      },
      quota: { 'alex@example.com': 16 },
    });
  });

  it('answers Calendar 403 userRateLimitExceeded past the requests of a minute, per user', async () => {
    const clock = new Date('2026-03-04T10:00:00Z');
    sandbox = await startTestSandbox(() => clock);
    const alex = String((await signIn(sandbox.url, {})).access_token);
    const sam = String(
      (await signIn(sandbox.url, {}, { account: 'sam@example.com' })).access_token,
    );
    await control(sandbox.url, 'PUT', '/__sandbox/settings', { calendarRequestsPerMinute: 2 });
    const path = '/calendar/v3/users/me/calendarList';
    const answers = [
      await get(path, alex),
      await get('/calendar/v3/users/me/settings/timezone', alex),
      await get(path, alex),
      await get(path, sam),
    ];
    expect(answers.map((answer) => answer.status)).toStrictEqual([200, 200, 403, 200]);
    expect(answers[2]?.body).toStrictEqual(
      envelope(
        403,
        'User Rate Limit Exceeded',
        'usageLimits',
        'userRateLimitExceeded',
        'PERMISSION_DENIED',
      ),
    );
  });

  it('charges each call of a Gmail batch against the limit', async () => {
    const clock = new Date('2026-03-04T10:00:00Z');
    sandbox = await startTestSandbox(() => clock);
    const token = String((await signIn(sandbox.url, {})).access_token);
    await control(sandbox.url, 'PUT', '/__sandbox/settings', { gmailQuotaUnitsPerMinute: 2 });
    const part = (id: string) =>
      `--b1\r\nContent-Type: application/http\r\nContent-ID: <${id}>\r\n\r\nGET /gmail/v1/users/me/profile\r\n\r\n`;
    const response = await fetch(`${sandbox.url}/batch/gmail/v1`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'multipart/mixed; boundary=b1' },
      body: `${part('a')}${part('b')}${part('c')}--b1--\r\n`,
    });
    const statuses = (await response.text()).match(/HTTP\/1\.1 \d+/g);
    expect(statuses?.sort()).toStrictEqual(['HTTP/1.1 200', 'HTTP/1.1 200', 'HTTP/1.1 429']);
  });
});

/** Posts a Gmail batch of `calls` (path, and the part's own token if any); answers in order. */
async function batch(token: string, calls: { path: string; token?: string }[]) {
  const body = calls
    .map(
      (call, i) =>
        `--b1\r\nContent-Type: application/http\r\nContent-ID: <c${i + 1}>\r\n\r\n` +
        `GET ${call.path}\r\n` +
        (call.token ? `Authorization: Bearer ${call.token}\r\n` : '') +
        '\r\n',
    )
    .join('');
  const response = await fetch(`${sandbox.url}/batch/gmail/v1`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'multipart/mixed; boundary=b1' },
    body: `${body}--b1--\r\n`,
  });
  const type = response.headers.get('content-type') ?? '';
  const boundary = /boundary=(\S+)/.exec(type)?.[1] ?? '';
  return (await response.text())
    .split(`--${boundary}`)
    .slice(1, -1)
    .map((part) => {
      const id = /Content-ID: <response-(c\d+)>/.exec(part)?.[1] ?? '';
      const status = Number(/HTTP\/1\.1 (\d{3})/.exec(part)?.[1]);
      const json = part.slice(part.lastIndexOf('\r\n\r\n') + 4).trim();
      return { id, status, body: JSON.parse(json) as unknown };
    });
}

const PROFILE = '/gmail/v1/users/me/profile';
const CONCURRENCY = envelope(
  429,
  'Too many concurrent requests for user.',
  'global',
  'rateLimitExceeded',
  'RESOURCE_EXHAUSTED',
);

describe("Gmail's per-user concurrency limit", () => {
  it('answers the calls of a batch past the limit with 429, and runs the others', async () => {
    sandbox = await startTestSandbox();
    const token = String((await signIn(sandbox.url, {})).access_token);
    await control(sandbox.url, 'PUT', '/__sandbox/settings', {
      gmailConcurrentRequestsPerUser: 10,
    });
    const answers = await batch(
      token,
      Array.from({ length: 30 }, () => ({ path: PROFILE })),
    );
    const stats = (await control(sandbox.url, 'GET', '/__sandbox/stats')) as Record<
      string,
      unknown
    >;
    expect({
      ids: answers.map((answer) => answer.id),
      statuses: answers.map((answer) => answer.status),
      refused: answers
        .slice(10)
        .every((answer) => JSON.stringify(answer.body) === JSON.stringify(CONCURRENCY)),
      refusedBody: answers[10]?.body,
      quota: stats.quotaUnits,
      refusals: stats.gmailConcurrencyRefusals,
      inFlight: stats.gmailInFlight,
    }).toStrictEqual({
      ids: Array.from({ length: 30 }, (_, i) => `c${i + 1}`),
      statuses: [...Array(10).fill(200), ...Array(20).fill(429)],
      refused: true,
      refusedBody: CONCURRENCY,
      quota: { 'alex@example.com': 10 },
      refusals: { 'alex@example.com': 20 },
      inFlight: {},
    });
  });

  it('lets 20 calls of a user run at once by default: a batch of 25 loses 5, one of 10 none', async () => {
    sandbox = await startTestSandbox();
    const token = String((await signIn(sandbox.url, {})).access_token);
    const of = async (size: number) =>
      (
        await batch(
          token,
          Array.from({ length: size }, () => ({ path: PROFILE })),
        )
      ).filter((answer) => answer.status === 429).length;
    expect([await of(25), await of(10), await of(20), await of(100)]).toStrictEqual([5, 0, 0, 80]);
  });

  it('counts each user on their own, and calls that are not Gmail calls of a user not at all', async () => {
    sandbox = await startTestSandbox();
    const alex = String((await signIn(sandbox.url, {})).access_token);
    const sam = String(
      (await signIn(sandbox.url, {}, { account: 'sam@example.com' })).access_token,
    );
    await control(sandbox.url, 'PUT', '/__sandbox/settings', { gmailConcurrentRequestsPerUser: 2 });
    const answers = await batch(alex, [
      { path: PROFILE },
      { path: PROFILE, token: sam },
      { path: '/calendar/v3/users/me/calendarList' },
      { path: PROFILE, token: 'ya29.unknown' },
      { path: PROFILE, token: sam },
      { path: PROFILE },
      { path: PROFILE },
      { path: PROFILE, token: sam },
    ]);
    expect(answers.map((answer) => answer.status)).toStrictEqual([
      200, 200, 404, 401, 200, 200, 429, 429,
    ]);
  });

  it('switches off with null', async () => {
    sandbox = await startTestSandbox();
    const token = String((await signIn(sandbox.url, {})).access_token);
    const settings = await control(sandbox.url, 'PUT', '/__sandbox/settings', {
      gmailConcurrentRequestsPerUser: null,
    });
    const answers = await batch(
      token,
      Array.from({ length: 100 }, () => ({ path: PROFILE })),
    );
    expect([
      (settings as Record<string, unknown>).gmailConcurrentRequestsPerUser,
      answers.filter((answer) => answer.status === 200).length,
    ]).toStrictEqual([null, 100]);
  });

  it('holds the slot of a request while injected latency slows it, and refuses the next one meanwhile', async () => {
    sandbox = await startTestSandbox();
    const token = String((await signIn(sandbox.url, {})).access_token);
    await control(sandbox.url, 'PUT', '/__sandbox/settings', { gmailConcurrentRequestsPerUser: 1 });
    await control(sandbox.url, 'POST', '/__sandbox/faults', {
      path: PROFILE,
      latencyMs: 3000,
      count: 1,
    });
    const slow = get(PROFILE, token);
    // Wait (by count, not time) until the sandbox holds the slow request.
    let inFlight: unknown = {};
    for (let i = 0; i < 200 && JSON.stringify(inFlight) !== '{"alex@example.com":1}'; i++) {
      inFlight = (
        (await control(sandbox.url, 'GET', '/__sandbox/stats')) as Record<string, unknown>
      ).gmailInFlight;
    }
    const meanwhile = await get('/gmail/v1/users/me/labels', token);
    const first = await slow;
    const after = await get('/gmail/v1/users/me/labels', token);
    expect({
      inFlight,
      meanwhile,
      first: first.status,
      after: after.status,
    }).toStrictEqual({
      inFlight: { 'alex@example.com': 1 },
      meanwhile: { status: 429, body: CONCURRENCY },
      first: 200,
      after: 200,
    });
  });

  it('refuses a limit below 1 or not a number with a 400', async () => {
    sandbox = await startProbeSandbox();
    const put = async (body: unknown) => {
      const response = await fetch(`${sandbox.url}/__sandbox/settings`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return [response.status, ((await response.json()) as { error?: string }).error];
    };
    expect([
      await put({ gmailConcurrentRequestsPerUser: 0 }),
      await put({ gmailConcurrentRequestsPerUser: '5' }),
      await put({ gmailConcurrentRequestsPerUser: 2.5 }),
    ]).toStrictEqual([
      [400, 'invalid_request'],
      [400, 'invalid_request'],
      [400, 'invalid_request'],
    ]);
  });
});
