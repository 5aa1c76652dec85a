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
      gmailQuotaUnitsPerMinute: 15_000,
      calendarRequestsPerMinute: 600,
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
