import { auth as calendarAuth, calendar } from '@googleapis/calendar';
import { auth as gmailAuth, gmail } from '@googleapis/gmail';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGoogleSandbox } from './start.ts';
import type { GoogleSandbox } from './start.ts';
import {
  CALENDAR_READONLY,
  control,
  GMAIL_READONLY,
  signIn,
  startTestSandbox,
} from './sandbox.harness.ts';

const REDIRECT = 'http://127.0.0.1:3000/oauth/google/callback';
let sandbox: GoogleSandbox;
beforeAll(async () => {
  sandbox = await startGoogleSandbox({ port: 0 });
});
afterAll(async () => {
  await sandbox.close();
});

/** Signs in a seeded user through auto-approve with the demo client. */
async function demoToken(email: string): Promise<string> {
  await control(sandbox.url, 'POST', '/__sandbox/auto-approve', { email });
  const url = new URL(`${sandbox.url}/o/oauth2/v2/auth`);
  url.search = new URLSearchParams({
    client_id: 'tidings-demo',
    redirect_uri: REDIRECT,
    response_type: 'code',
    scope: `openid email ${GMAIL_READONLY} ${CALENDAR_READONLY}`,
  }).toString();
  const location = (await fetch(url, { redirect: 'manual' })).headers.get('location') ?? '';
  const code = new URL(location).searchParams.get('code') ?? '';
  const response = await fetch(`${sandbox.url}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      client_id: 'tidings-demo',
      client_secret: 'tidings-demo-secret',
    }).toString(),
  });
  return String(((await response.json()) as { access_token: string }).access_token);
}

describe('the seeded sandbox with the Gmail and Calendar modules', () => {
  it('serves the seeded users to the official Gmail and Calendar clients and counts what they cost', async () => {
    await sandbox.reset();
    const token = await demoToken('alex@example.com');
    const mailAuth = new gmailAuth.OAuth2();
    mailAuth.setCredentials({ access_token: token });
    const calAuth = new calendarAuth.OAuth2();
    calAuth.setCredentials({ access_token: token });
    const profile = await gmail({
      version: 'v1',
      auth: mailAuth,
      rootUrl: `${sandbox.url}/`,
    }).users.getProfile({
      userId: 'me',
    });
    const calendars = await calendar({
      version: 'v3',
      auth: calAuth,
      rootUrl: `${sandbox.url}/`,
    }).calendarList.list();
    const primary = calendars.data.items?.find((item) => item.primary === true);
    const stats = (await control(sandbox.url, 'GET', '/__sandbox/stats')) as {
      requests: Record<string, number>;
      quotaUnits: Record<string, number>;
    };
    expect({
      email: profile.data.emailAddress,
      hasMail: (profile.data.messagesTotal ?? 0) > 0,
      primary: primary?.id,
      profileCalls: stats.requests['GET /gmail/v1/users/:userId/profile'],
      calendarListCalls: stats.requests['GET /calendar/v3/users/me/calendarList'],
      quota: stats.quotaUnits['alex@example.com'],
    }).toStrictEqual({
      email: 'alex@example.com',
      hasMail: true,
      primary: 'alex@example.com',
      profileCalls: 1,
      calendarListCalls: 1,
      quota: 2,
    });
  });

  it('reloads the seed on reset and forgets every token issued before', async () => {
    const token = await demoToken('sam@example.com');
    await sandbox.reset();
    const profile = await fetch(`${sandbox.url}/gmail/v1/users/me/profile`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const users = (await control(sandbox.url, 'GET', '/__sandbox/users')) as { email: string }[];
    expect([profile.status, users.map((user) => user.email)]).toStrictEqual([
      401,
      ['alex@example.com', 'sam@example.com'],
    ]);
  });

  it('counts the inner requests of a Gmail batch by their route templates', async () => {
    await sandbox.reset();
    const token = await demoToken('alex@example.com');
    const part = (id: string, path: string) =>
      `--b1\r\nContent-Type: application/http\r\nContent-ID: <${id}>\r\n\r\nGET ${path}\r\n\r\n`;
    const batch = await fetch(`${sandbox.url}/batch/gmail/v1`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'multipart/mixed; boundary=b1' },
      body: `${part('a', '/gmail/v1/users/me/profile')}${part('b', '/gmail/v1/users/me/labels')}--b1--\r\n`,
    });
    const stats = (await control(sandbox.url, 'GET', '/__sandbox/stats')) as {
      requests: Record<string, number>;
    };
    expect([batch.status, stats.requests]).toStrictEqual([
      200,
      {
        'GET /o/oauth2/v2/auth': 1,
        'POST /token': 1,
        'POST /batch/gmail/v1': 1,
        'GET /gmail/v1/users/:userId/profile': 1,
        'GET /gmail/v1/users/:userId/labels': 1,
      },
    ]);
  });
});

describe('the sandbox clock', () => {
  it('dates mail without a Date header and events without timestamps by the sandbox clock', async () => {
    const pinned = new Date('2026-03-04T15:00:00Z');
    const clocked = await startTestSandbox(() => pinned);
    try {
      const answer = await signIn(clocked.url, {}, { account: 'alex@example.com' });
      const headers = { authorization: `Bearer ${String(answer.access_token)}` };
      const importTo = async (path: string, type: string, body: string) =>
        (await fetch(`${clocked.url}/__sandbox/users/alex@example.com/${path}`, {
          method: 'POST',
          headers: { 'content-type': type },
          body,
        }).then((response) => response.json())) as { id?: string; ids?: string[] };
      const mail = await importTo('messages', 'message/rfc822', 'Subject: Undated\r\n\r\nHello');
      const events = await importTo(
        'events?calendarId=primary',
        'text/calendar',
        'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:undated0001\r\nSUMMARY:Undated\r\n' +
          'DTSTART:20260305T150000Z\r\nDTEND:20260305T160000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n',
      );
      const message = (await fetch(
        `${clocked.url}/gmail/v1/users/me/messages/${mail.id}?format=minimal`,
        { headers },
      ).then((response) => response.json())) as { internalDate: string };
      const event = (await fetch(
        `${clocked.url}/calendar/v3/calendars/primary/events/${events.ids?.[0]}`,
        { headers },
      ).then((response) => response.json())) as { created: string; updated: string };
      expect([message.internalDate, event.created, event.updated]).toStrictEqual([
        String(pinned.getTime()),
        '2026-03-04T15:00:00.000Z',
        '2026-03-04T15:00:00.000Z',
      ]);
    } finally {
      await clocked.close();
    }
  });
});
