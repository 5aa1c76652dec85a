import { afterEach, describe, expect, it } from 'vitest';
import { control, startProbeSandbox } from '../sandbox.harness.ts';
import type { ProbeRecord, TestSandbox } from '../sandbox.harness.ts';

let sandbox: (TestSandbox & { probe: ProbeRecord }) | null = null;
afterEach(async () => {
  await sandbox?.close();
  sandbox = null;
});

async function post(path: string, type: string, body: string) {
  const response = await fetch(`${sandbox?.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': type },
    body,
  });
  return { status: response.status, body: await response.json() };
}

describe('control API', () => {
  it('creates a user with a 21-digit sub and keeps the sub when the user is posted again', async () => {
    sandbox = await startProbeSandbox();
    const created = (await control(sandbox.url, 'POST', '/__sandbox/users', {
      email: 'Kim@Example.com',
      time_zone: 'Europe/Paris',
    })) as {
      sub: string;
    };
    const again = await control(sandbox.url, 'POST', '/__sandbox/users', {
      email: 'kim@example.com',
      name: 'Kim Lee',
    });
    const users = (await control(sandbox.url, 'GET', '/__sandbox/users')) as unknown[];
    expect([created, again, users[2]]).toStrictEqual([
      { email: 'kim@example.com', sub: expect.stringMatching(/^1\d{20}$/) },
      { email: 'kim@example.com', sub: created.sub },
      { email: 'kim@example.com', sub: created.sub, name: 'Kim Lee', timeZone: 'Europe/Paris' },
    ]);
  });

  it('imports a raw message into the Gmail store with the given labels', async () => {
    sandbox = await startProbeSandbox();
    const raw = 'From: a@example.com\r\nSubject: Hi\r\n\r\nHello\r\n';
    const answer = await post(
      '/__sandbox/users/alex@example.com/messages?labelIds=INBOX,STARRED',
      'message/rfc822',
      raw,
    );
    expect([answer, sandbox.probe.messages]).toStrictEqual([
      { status: 201, body: { id: 'm1', threadId: 't1' } },
      [{ email: 'alex@example.com', raw, labelIds: ['INBOX', 'STARRED'] }],
    ]);
  });

  it('imports iCalendar text into the Calendar store', async () => {
    sandbox = await startProbeSandbox();
    const ics = 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n';
    const answer = await post(
      '/__sandbox/users/sam@example.com/events?calendarId=work',
      'text/calendar',
      ics,
    );
    expect([answer, sandbox.probe.events]).toStrictEqual([
      { status: 201, body: { ids: ['e1'] } },
      [{ email: 'sam@example.com', ics, calendarId: 'work' }],
    ]);
  });

  it('answers 404 for an import to an unknown user', async () => {
    sandbox = await startProbeSandbox();
    expect(
      await post('/__sandbox/users/nobody@example.com/messages', 'message/rfc822', 'x'),
    ).toStrictEqual({
      status: 404,
      body: { error: 'not_found', message: 'No such user: nobody@example.com' },
    });
  });

  it('rejects invalid settings and faults with a 400', async () => {
    sandbox = await startProbeSandbox();
    const settings = await fetch(`${sandbox.url}/__sandbox/settings`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ accessTokenTtlSeconds: 0 }),
    });
    const fault = await post(
      '/__sandbox/faults',
      'application/json',
      JSON.stringify({ path: '/x' }),
    );
    expect([settings.status, fault]).toStrictEqual([
      400,
      {
        status: 400,
        body: {
          error: 'invalid_request',
          message: 'A fault needs a status, a latencyMs, or both.',
        },
      },
    ]);
  });

  it('resets clients, users, settings and the stores', async () => {
    sandbox = await startProbeSandbox();
    await post(
      '/__sandbox/users/alex@example.com/messages',
      'message/rfc822',
      'Subject: x\r\n\r\ny',
    );
    await control(sandbox.url, 'PUT', '/__sandbox/settings', { accessTokenTtlSeconds: 10 });
    await control(sandbox.url, 'POST', '/__sandbox/reset');
    expect([
      await control(sandbox.url, 'GET', '/__sandbox/users'),
      await control(sandbox.url, 'PUT', '/__sandbox/settings', {}),
      sandbox.probe.messages,
    ]).toStrictEqual([
      [],
      {
        accessTokenTtlSeconds: 3599,
        rotateRefreshTokens: false,
        publishingStatus: 'in_production',
        expireUnusedRefreshTokens: true,
        refreshTokensPerClient: 100,
        gmailQuotaUnitsPerMinute: 15_000,
        calendarRequestsPerMinute: 600,
        gmailConcurrentRequestsPerUser: 20,
      },
      [],
    ]);
  });

  it('serves an avatar picture for each user', async () => {
    sandbox = await startProbeSandbox();
    const response = await fetch(`${sandbox.url}/__sandbox/avatars/${sandbox.subs.alex}.svg`);
    const svg = await response.text();
    expect([response.headers.get('content-type'), svg.includes('>AR</text>')]).toStrictEqual([
      'image/svg+xml',
      true,
    ]);
  });
});
