import { auth as googleAuth, gmail } from '@googleapis/gmail';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCOPES } from '../context.ts';
import { type GoogleSandbox, startGoogleSandbox } from '../index.ts';

const REDIRECT = 'http://127.0.0.1:3000/oauth/google/callback';
let sandbox: GoogleSandbox;

beforeAll(async () => {
  // Saturday of the reference week, after its last seed message: the seed is not shifted.
  sandbox = await startGoogleSandbox({ port: 0, now: () => new Date('2026-03-07T17:00:00Z') });
});

afterAll(async () => {
  await sandbox.close();
});

async function post(path: string, body: unknown, contentType = 'application/json') {
  const response = await fetch(`${sandbox.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return response.json() as Promise<Record<string, unknown>>;
}

/** Signs a seeded user in with the demo client through auto-approve. */
async function tokenFor(email: string): Promise<string> {
  await post('/__sandbox/auto-approve', { email });
  const url = new URL(`${sandbox.url}/o/oauth2/v2/auth`);
  url.search = new URLSearchParams({
    client_id: 'tidings-demo',
    redirect_uri: REDIRECT,
    response_type: 'code',
    scope: `openid email ${SCOPES.gmailReadonly}`,
  }).toString();
  const location = (await fetch(url, { redirect: 'manual' })).headers.get('location') ?? '';
  const code = new URL(location).searchParams.get('code') ?? '';
  const answer = await post(
    '/token',
    new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      client_id: 'tidings-demo',
      client_secret: 'tidings-demo-secret',
    }).toString(),
    'application/x-www-form-urlencoded',
  );
  return String(answer.access_token);
}

function client(token: string) {
  const auth = new googleAuth.OAuth2();
  auth.setCredentials({ access_token: token });
  return gmail({ version: 'v1', rootUrl: `${sandbox.url}/`, auth });
}

describe('the Gmail module inside the Google sandbox', () => {
  it('serves the seeded mailbox, imported mail and history to the official client', async () => {
    await sandbox.reset();
    const api = client(await tokenFor('alex@example.com'));
    const found = await api.users.messages.list({ userId: 'me', q: 'from:alice "by Friday"' });
    expect(found.data.resultSizeEstimate).toBe(1);
    const reminder = await api.users.messages.get({
      userId: 'me',
      id: found.data.messages![0]!.id!,
      format: 'metadata',
      metadataHeaders: ['Subject'],
    });
    expect(reminder.data.payload).toStrictEqual({
      mimeType: 'text/plain',
      headers: [
        { name: 'Subject', value: 'Re: Invoice NW-4471 - Lumen Health brochure print run' },
      ],
    });
    expect(reminder.data.internalDate).toBe(String(Date.parse('2026-03-03T18:15:04Z')));

    const profile = await api.users.getProfile({ userId: 'me' });
    const imported = await post(
      '/__sandbox/users/alex@example.com/messages?labelIds=INBOX,UNREAD',
      'From: Dana Whitfield <dana@lumenhealth.example>\r\nSubject: Signed\r\n\r\nAll signed.',
      'message/rfc822',
    );
    const history = await api.users.history.list({
      userId: 'me',
      startHistoryId: profile.data.historyId!,
    });
    expect(history.data.history?.map((record) => record.messagesAdded)).toStrictEqual([
      [
        {
          message: { id: imported.id, threadId: imported.threadId, labelIds: ['INBOX', 'UNREAD'] },
        },
      ],
    ]);
  });

  it('answers 404 for a history id from before a reset, also for a mailbox that was empty', async () => {
    await sandbox.reset();
    await post('/__sandbox/users', { email: 'kim@example.com' });
    const before = await Promise.all(
      ['alex@example.com', 'kim@example.com'].map(async (email) => {
        const profile = await client(await tokenFor(email)).users.getProfile({ userId: 'me' });
        return profile.data.historyId!;
      }),
    );
    await sandbox.reset();
    await post('/__sandbox/users', { email: 'kim@example.com' });
    const after = await Promise.all(
      ['alex@example.com', 'kim@example.com'].map(async (email, index) => {
        const token = await tokenFor(email);
        const history = (start: string) =>
          fetch(`${sandbox.url}/gmail/v1/users/me/history?startHistoryId=${start}`, {
            headers: { authorization: `Bearer ${token}` },
          }).then((response) => response.status);
        const profile = await client(token).users.getProfile({ userId: 'me' });
        return [await history(before[index]!), await history(profile.data.historyId!)];
      }),
    );
    expect(after).toStrictEqual([
      [404, 200],
      [404, 200],
    ]);
  });

  it("keeps alex's mail from sam", async () => {
    const alex = client(await tokenFor('alex@example.com'));
    const id = (await alex.users.messages.list({ userId: 'me', maxResults: 1 })).data.messages![0]!
      .id!;
    const response = await fetch(`${sandbox.url}/gmail/v1/users/me/messages/${id}`, {
      headers: { authorization: `Bearer ${await tokenFor('sam@example.com')}` },
    });
    expect(response.status).toBe(404);
  });

  it('answers a batch through the sandbox and charges each call', async () => {
    const token = await tokenFor('sam@example.com');
    const stats = async () =>
      (
        (await (await fetch(`${sandbox.url}/__sandbox/stats`)).json()) as {
          quotaUnits: Record<string, number>;
        }
      ).quotaUnits['sam@example.com'] ?? 0;
    const before = await stats();
    const body =
      '--b1\r\nContent-Type: application/http\r\nContent-ID: <p>\r\n\r\n' +
      'GET /gmail/v1/users/me/profile\r\n\r\n' +
      '--b1\r\nContent-Type: application/http\r\nContent-ID: <l>\r\n\r\n' +
      'GET /gmail/v1/users/me/labels\r\n\r\n--b1--\r\n';
    const response = await fetch(`${sandbox.url}/batch/gmail/v1`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'multipart/mixed; boundary=b1' },
      body,
    });
    const text = await response.text();
    expect(response.status).toBe(200);
    expect(text.match(/Content-ID: <response-\w>|HTTP\/1\.1 \d+ \w+/g)).toStrictEqual([
      'Content-ID: <response-p>',
      'HTTP/1.1 200 OK',
      'Content-ID: <response-l>',
      'HTTP/1.1 200 OK',
    ]);
    expect(text).toContain('"emailAddress":"sam@example.com"');
    expect((await stats()) - before).toBe(2);
  });
});
