import { gmail } from '@googleapis/gmail';
import { auth as googleAuth } from '@googleapis/gmail';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, control, signIn } from '../sandbox.harness.ts';
import { type GoogleSandbox, startGoogleSandbox } from '../index.ts';

const NOW = new Date('2026-03-07T17:00:00Z');
const ALEX = 'alex@example.com';

interface Started {
  sandbox: GoogleSandbox;
  api: ReturnType<typeof gmail>;
  token: string;
}

/** An empty sandbox with alex signed in to the Gmail API, keeping `historyLimit` records. */
async function start(historyLimit?: number): Promise<Started> {
  const sandbox = await startGoogleSandbox({
    port: 0,
    seed: false,
    now: () => NOW,
    ...(historyLimit === undefined ? {} : { historyLimit }),
  });
  await control(sandbox.url, 'POST', '/__sandbox/clients', {
    client_id: CLIENT_ID,
    client_secret: CLIENT_SECRET,
    redirect_uris: [REDIRECT_URI],
  });
  await control(sandbox.url, 'POST', '/__sandbox/users', { email: ALEX, name: 'Alex Rivera' });
  const tokens = await signIn(sandbox.url, {});
  const token = String(tokens.access_token);
  const auth = new googleAuth.OAuth2();
  auth.setCredentials({ access_token: token });
  return { sandbox, token, api: gmail({ version: 'v1', rootUrl: `${sandbox.url}/`, auth }) };
}

async function post(base: string, path: string, body: string, type: string) {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': type },
    body,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const importRaw = (base: string, raw: string, query = '') =>
  post(base, `/__sandbox/users/${ALEX}/messages${query}`, raw, 'message/rfc822');
const importJson = (base: string, mail: unknown) =>
  post(base, `/__sandbox/users/${ALEX}/messages`, JSON.stringify(mail), 'application/json');

async function historyStatus(s: Started, start: string): Promise<number> {
  const response = await fetch(
    `${s.sandbox.url}/gmail/v1/users/me/history?startHistoryId=${start}`,
    { headers: { authorization: `Bearer ${s.token}` } },
  );
  await response.arrayBuffer();
  return response.status;
}

describe('imported mail in users.history.list', () => {
  let s: Started;
  beforeAll(async () => {
    s = await start();
  });
  afterAll(async () => {
    await s.sandbox.close();
  });

  it('lists imports as messagesAdded with the labels Gmail gives: own mail is SENT, not INBOX', async () => {
    const before = (await s.api.users.getProfile({ userId: 'me' })).data.historyId!;
    const received = await importRaw(
      s.sandbox.url,
      'From: Alice Chen <alice@northwind.example>\r\nTo: alex@example.com\r\nSubject: Invoice\r\n\r\nHi',
    );
    const sent = await importRaw(
      s.sandbox.url,
      'From: Alex Rivera <Alex@Example.com>\r\nTo: alice@northwind.example\r\nSubject: Re: Invoice\r\n\r\nThanks',
    );
    const toSelf = await importRaw(
      s.sandbox.url,
      'From: alex@example.com\r\nTo: alex@example.com\r\nSubject: Note to self\r\n\r\nMilk',
    );
    const starred = await importRaw(
      s.sandbox.url,
      'From: bob@example.org\r\nSubject: Asked\r\n\r\nx',
      '?labelIds=INBOX,STARRED',
    );
    const history = await s.api.users.history.list({ userId: 'me', startHistoryId: before });
    const profile = await s.api.users.getProfile({ userId: 'me' });
    expect({
      statuses: [received.status, sent.status, toSelf.status, starred.status],
      added: history.data.history?.map((record) => [
        record.messagesAdded?.[0]?.message?.id,
        record.messagesAdded?.[0]?.message?.labelIds,
      ]),
      historyId: history.data.historyId,
      profile: profile.data.historyId,
    }).toStrictEqual({
      statuses: [201, 201, 201, 201],
      added: [
        [received.body.id, ['INBOX', 'UNREAD']],
        [sent.body.id, ['SENT']],
        [toSelf.body.id, ['SENT', 'INBOX']],
        [starred.body.id, ['INBOX', 'STARRED']],
      ],
      historyId: String(Number(before) + 4),
      profile: String(Number(before) + 4),
    });
  });

  it('writes a message from JSON {from, subject, text}, dated on the sandbox clock', async () => {
    const before = (await s.api.users.getProfile({ userId: 'me' })).data.historyId!;
    const answer = await importJson(s.sandbox.url, {
      from: 'Alice Chen <alice@northwind.example>',
      subject: 'Invoice 2291 – café',
      text: 'Please find the invoice attached.',
    });
    const own = await importJson(s.sandbox.url, {
      from: 'alex@example.com',
      to: 'alice@northwind.example',
      subject: 'Paid',
    });
    const message = await s.api.users.messages.get({
      userId: 'me',
      id: String(answer.body.id),
      format: 'metadata',
    });
    const header = (name: string) =>
      message.data.payload?.headers?.find((h) => h.name === name)?.value;
    const history = await s.api.users.history.list({
      userId: 'me',
      startHistoryId: before,
      historyTypes: ['messageAdded'],
    });
    expect({
      status: [answer.status, own.status],
      from: header('From'),
      to: header('To'),
      subject: header('Subject'),
      date: header('Date'),
      internalDate: message.data.internalDate,
      snippet: message.data.snippet,
      labels: history.data.history?.map((r) => r.messagesAdded?.[0]?.message?.labelIds),
    }).toStrictEqual({
      status: [201, 201],
      from: '"Alice Chen" <alice@northwind.example>',
      to: ALEX,
      subject: `=?UTF-8?B?${Buffer.from('Invoice 2291 – café').toString('base64')}?=`,
      date: 'Sat, 07 Mar 2026 17:00:00 +0000',
      internalDate: String(NOW.getTime()),
      snippet: 'Please find the invoice attached.',
      labels: [['INBOX', 'UNREAD'], ['SENT']],
    });
  });

  it('pages through many records with maxResults and nextPageToken, each page at the current historyId', async () => {
    const before = (await s.api.users.getProfile({ userId: 'me' })).data.historyId!;
    const ids: string[] = [];
    for (let n = 0; n < 12; n += 1) {
      const answer = await importJson(s.sandbox.url, {
        from: `sender${n}@example.org`,
        subject: `Message ${n}`,
      });
      ids.push(String(answer.body.id));
    }
    const pages: { ids: string[]; historyId: string | null | undefined; more: boolean }[] = [];
    let pageToken: string | undefined;
    do {
      const page = await s.api.users.history.list({
        userId: 'me',
        startHistoryId: before,
        maxResults: 5,
        ...(pageToken ? { pageToken } : {}),
      });
      pageToken = page.data.nextPageToken ?? undefined;
      pages.push({
        ids: (page.data.history ?? []).map((r) => r.messagesAdded?.[0]?.message?.id ?? ''),
        historyId: page.data.historyId,
        more: pageToken !== undefined,
      });
    } while (pageToken);
    const current = String(Number(before) + 12);
    expect(pages).toStrictEqual([
      { ids: ids.slice(0, 5), historyId: current, more: true },
      { ids: ids.slice(5, 10), historyId: current, more: true },
      { ids: ids.slice(10), historyId: current, more: false },
    ]);
  });

  it('expires history on demand: an older start id answers 404, the current one still works', async () => {
    const before = (await s.api.users.getProfile({ userId: 'me' })).data.historyId!;
    await importJson(s.sandbox.url, { from: 'a@example.org', subject: 'Before' });
    const expired = await post(
      s.sandbox.url,
      `/__sandbox/users/${ALEX}/history/expire`,
      '{}',
      'application/json',
    );
    const after = await importJson(s.sandbox.url, { from: 'a@example.org', subject: 'After' });
    const fromExpiry = await s.api.users.history.list({
      userId: 'me',
      startHistoryId: String(expired.body.historyId),
    });
    expect({
      expired,
      old: await historyStatus(s, before),
      justBelow: await historyStatus(s, String(Number(expired.body.historyId) - 1)),
      added: fromExpiry.data.history?.map((r) => r.messagesAdded?.[0]?.message?.id),
    }).toStrictEqual({
      expired: { status: 200, body: { historyId: String(Number(before) + 1) } },
      old: 404,
      justBelow: 404,
      added: [after.body.id],
    });
  });
});

describe('a sandbox keeping little history', () => {
  it('answers 404 for a start id whose records were dropped past historyLimit', async () => {
    const s = await start(3);
    try {
      const before = (await s.api.users.getProfile({ userId: 'me' })).data.historyId!;
      for (let n = 0; n < 5; n += 1) {
        await importJson(s.sandbox.url, { from: 'a@example.org', subject: `Mail ${n}` });
      }
      const kept = await s.api.users.history.list({
        userId: 'me',
        startHistoryId: String(Number(before) + 2),
      });
      expect({
        old: await historyStatus(s, before),
        kept: kept.data.history?.map((r) => r.id),
      }).toStrictEqual({
        old: 404,
        kept: [3, 4, 5].map((n) => String(Number(before) + n)),
      });
    } finally {
      await s.sandbox.close();
    }
  });
});

describe('bad input to the mail import and history expiry', () => {
  let s: Started;
  beforeAll(async () => {
    s = await start();
  });
  afterAll(async () => {
    await s.sandbox.close();
  });

  it.each([
    ['no sender', { subject: 'x' }],
    ['no subject', { from: 'a@example.org' }],
    ['a sender that is no address', { from: 'nobody', subject: 'x' }],
    ['a header injected in the sender', { from: 'a@example.org\r\nBcc: b@x.org', subject: 'x' }],
    ['a header injected in the subject', { from: 'a@example.org', subject: 'x\r\nBcc: b@x.org' }],
    ['a quote in the name', { from: '"Eve" <e@example.org>', subject: 'x' }],
    ['a NUL in the name', { from: 'Eve\u0000 <e@example.org>', subject: 'x' }],
    ['a control character in the subject', { from: 'a@example.org', subject: 'x\u001by' }],
    ['an unknown field', { from: 'a@example.org', subject: 'x', html: '<b>' }],
    ['a bad label id', { from: 'a@example.org', subject: 'x', labelIds: ['IN BOX'] }],
    ['a wrong type', { from: 'a@example.org', subject: 42 }],
    [
      'an oversized text',
      { from: 'a@example.org', subject: 'x', text: 'a'.repeat(1024 * 1024 + 1) },
    ],
    ['an oversized subject', { from: 'a@example.org', subject: 's'.repeat(999) }],
  ])('answers 400 invalid_request for %s', async (_name, mail) => {
    const answer = await importJson(s.sandbox.url, mail);
    expect([answer.status, answer.body.error]).toStrictEqual([400, 'invalid_request']);
  });

  it('answers 400 for a JSON array, malformed JSON and an unknown content type', async () => {
    const array = await importJson(s.sandbox.url, [{ from: 'a@example.org', subject: 'x' }]);
    const malformed = await fetch(`${s.sandbox.url}/__sandbox/users/${ALEX}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"from":',
    });
    const form = await fetch(`${s.sandbox.url}/__sandbox/users/${ALEX}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'from=a%40example.org&subject=x',
    });
    expect([array.status, array.body.error, malformed.status, form.status]).toStrictEqual([
      400,
      'invalid_request',
      400,
      400,
    ]);
  });

  it('answers 404 not_found for an unknown user, for import and expiry', async () => {
    const imported = await post(
      s.sandbox.url,
      '/__sandbox/users/nobody@example.com/messages',
      JSON.stringify({ from: 'a@example.org', subject: 'x' }),
      'application/json',
    );
    const expired = await post(
      s.sandbox.url,
      '/__sandbox/users/nobody@example.com/history/expire',
      '',
      'text/plain',
    );
    expect([imported, expired]).toStrictEqual([
      { status: 404, body: { error: 'not_found', message: 'No such user: nobody@example.com' } },
      { status: 404, body: { error: 'not_found', message: 'No such user: nobody@example.com' } },
    ]);
  });
});
