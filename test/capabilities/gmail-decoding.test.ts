import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TidingsError } from '../../src/errors.ts';
import { runCapability } from '../../src/capabilities/define-capability.ts';
import { gmailRead } from '../../src/capabilities/gmail-read.ts';
import { gmailSearch } from '../../src/capabilities/gmail-search.ts';
import { gmailUnread } from '../../src/capabilities/gmail-unread.ts';
import { startSession } from './sandbox-session.harness.ts';
import type { Session } from './sandbox-session.harness.ts';

const NOW = new Date('2026-11-25T15:00:00Z');
/** '明日の会議の資料です。 See you.' in ISO-2022-JP. */
const ISO_2022_JP_BODY_HEX =
  '1b24424c40467c244e32713544244e3b714e412447243921231b28422053656520796f752e';
/** 2.25 MB of text: more than the sandbox (like Gmail) inlines, so it comes as an attachmentId. */
const HUGE_LINE = 'The quarterly figures are attached below, line ';
const HUGE = Array.from(
  { length: 45_000 },
  (_, i) => `${HUGE_LINE}${String(i).padStart(5, '0')}.`,
).join('\n');
const ME = 'alex@example.com';
let session: Session;
const ids: Record<string, string> = {};

function rfc822(headers: string[], body: Buffer | string): Uint8Array {
  return new Uint8Array(
    Buffer.concat([Buffer.from(`${headers.join('\r\n')}\r\n\r\n`, 'latin1'), Buffer.from(body)]),
  );
}

function head(id: string, subject: string, contentType: string, extra: string[] = []): string[] {
  return [
    'From: Sender <sender@example.org>',
    `To: ${ME}`,
    `Subject: ${subject}`,
    `Date: Wed, 25 Nov 2026 ${id.padStart(2, '0')}:00:00 +0000`,
    `Message-ID: <${id}@example.org>`,
    'MIME-Version: 1.0',
    `Content-Type: ${contentType}`,
    ...extra,
  ];
}

async function add(name: string, raw: Uint8Array, labels = 'INBOX,UNREAD'): Promise<void> {
  const answer = (await session.control(
    'POST',
    `/__sandbox/users/${ME}/messages?labelIds=${labels}`,
    raw,
  )) as {
    id: string;
  };
  ids[name] = answer.id;
}

async function body(name: string, maxChars?: number): Promise<string> {
  const result = await runCapability(gmailRead, session.context(), {
    messageId: ids[name],
    ...(maxChars ? { maxChars } : {}),
  });
  return result.messages[0]?.body ?? '';
}

beforeAll(async () => {
  session = await startSession({
    email: ME,
    now: () => NOW,
    seed: false,
    timeZone: 'Europe/Paris',
  });
  await add(
    'latin1',
    rfc822(
      [
        'From: =?ISO-8859-1?Q?Ren=E9e_Dupr=E9?= <renee@example.fr>',
        ...head('1', '=?ISO-8859-1?Q?Caf=E9_cr=E8me?=', 'text/plain; charset=ISO-8859-1', [
          'Content-Transfer-Encoding: 8bit',
        ]).slice(1),
      ],
      iconv.encode('Voilà le café.', 'ISO-8859-1'),
    ),
  );
  await add(
    'cp1252',
    rfc822(
      head('2', 'Quotes', 'text/plain; charset=windows-1252', [
        'Content-Transfer-Encoding: quoted-printable',
      ]),
      '=93Smart=94 quotes cost 5 =80.',
    ),
  );
  await add(
    'sjis',
    rfc822(
      head(
        '3',
        `=?Shift_JIS?B?${iconv.encode('会議', 'Shift_JIS').toString('base64')}?=`,
        'text/plain; charset=Shift_JIS',
        ['Content-Transfer-Encoding: base64'],
      ),
      iconv.encode('明日の会議の資料です。', 'Shift_JIS').toString('base64'),
    ),
  );
  await add(
    'html',
    rfc822(
      head('4', 'Newsletter', 'text/html; charset=UTF-8', [
        'Content-Transfer-Encoding: quoted-printable',
      ]),
      '<p>Read <a href=3D"https://news.example/a">the story</a>.</p><img src=3D"https://t.example/p.gif" width=3D"1">',
    ),
  );
  await add(
    'alternative',
    rfc822(
      head('5', 'Both', 'multipart/alternative; boundary="b1"'),
      '--b1\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nPlain wins.\r\n--b1\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n<p>HTML loses</p>\r\n--b1--\r\n',
    ),
  );
  await add(
    'attachment',
    rfc822(
      head('6', 'Invoice', 'multipart/mixed; boundary="b2"'),
      '--b2\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nSee attached.\r\n--b2\r\nContent-Type: application/pdf; name="invoice.pdf"\r\nContent-Disposition: attachment; filename="invoice.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--b2--\r\n',
    ),
    'INBOX',
  );
  await add(
    'jis',
    rfc822(
      head(
        '8',
        `=?ISO-2022-JP?B?${Buffer.from('1b2442327135441b2842', 'hex').toString('base64')}?= notes`,
        'text/plain; charset=ISO-2022-JP',
        ['Content-Transfer-Encoding: 7bit'],
      ),
      Buffer.from(ISO_2022_JP_BODY_HEX, 'hex'),
    ),
    'INBOX',
  );
  await add('huge', rfc822(head('9', 'Huge report', 'text/plain; charset=UTF-8'), HUGE), 'INBOX');
  await add(
    'long',
    rfc822(head('7', 'Long', 'text/plain; charset=UTF-8'), 'All work and no play. '.repeat(600)),
    'INBOX',
  );
});
afterAll(async () => {
  await session?.close();
});

describe('gmail.read decodes real mail from the sandbox', () => {
  it('decodes an ISO-8859-1 body and RFC 2047 headers', async () => {
    const result = await runCapability(gmailRead, session.context(), { messageId: ids.latin1 });
    expect(result).toStrictEqual({
      messages: [
        {
          id: ids.latin1,
          threadId: ids.latin1,
          from: { name: 'Renée Dupré', email: 'renee@example.fr' },
          to: [{ name: null, email: ME }],
          cc: [],
          subject: 'Café crème',
          date: '2026-11-25T02:00:00+01:00',
          labels: ['INBOX', 'UNREAD'],
          unread: true,
          link: `https://mail.google.com/mail/u/${ME}/#all/${ids.latin1}`,
          body: 'Voilà le café.',
          bodySource: 'text/plain',
          attachments: [],
        },
      ],
    });
  });

  it('decodes quoted-printable Windows-1252', async () => {
    expect(await body('cp1252')).toBe('“Smart” quotes cost 5 €.');
  });

  it('decodes base64 Shift_JIS', async () => {
    expect(await body('sjis')).toBe('明日の会議の資料です。');
  });

  it('turns HTML-only mail into text with links and without the tracking pixel', async () => {
    expect(await body('html')).toBe('Read the story [https://news.example/a].');
  });

  it('prefers the plain part of multipart/alternative', async () => {
    expect(await body('alternative')).toBe('Plain wins.');
  });

  it('lists attachments', async () => {
    const result = await runCapability(gmailRead, session.context(), { messageId: ids.attachment });
    const message = result.messages[0];
    expect({
      body: message?.body,
      attachments: message?.attachments.map((a) => [a.filename, a.mimeType, a.size]),
    }).toStrictEqual({
      body: 'See attached.',
      attachments: [['invoice.pdf', 'application/pdf', 9]],
    });
  });

  it('decodes an ISO-2022-JP subject and body', async () => {
    const result = await runCapability(gmailRead, session.context(), { messageId: ids.jis });
    const message = result.messages[0];
    expect([message?.subject, message?.body]).toStrictEqual([
      '会議 notes',
      '明日の会議の資料です。 See you.',
    ]);
  });

  it('fetches a text part too large to inline through attachments.get, then trims it', async () => {
    const before = (await session.stats()).requests;
    const text = await body('huge');
    const after = (await session.stats()).requests;
    const key = 'GET /gmail/v1/users/:userId/messages/:messageId/attachments/:attachmentId';
    const kept = HUGE.slice(0, 8_000).replace(/\s+\S*$/, '');
    expect({
      size: Buffer.byteLength(HUGE) > 2 * 1024 * 1024,
      text,
      attachmentGets: (after[key] ?? 0) - (before[key] ?? 0),
    }).toStrictEqual({
      size: true,
      text: `${kept}\n[… trimmed, ${(HUGE.length - kept.length).toLocaleString('en-US')} more characters]`,
      attachmentGets: 1,
    });
  });

  it('trims a long body at the limit with a marker', async () => {
    expect(await body('long', 200)).toBe(
      `${'All work and no play. '.repeat(9).trim()}
[… trimmed, 13,002 more characters]`,
    );
  });

  it('answers not_found for an unknown message', async () => {
    await expect(
      runCapability(gmailRead, session.context(), { messageId: 'ffff0000' }),
    ).rejects.toSatisfy((e: unknown) => e instanceof TidingsError && e.code === 'not_found');
  });
});

describe('gmail.search and gmail.unread', () => {
  it('searches with Gmail syntax and decodes the subject', async () => {
    const result = await runCapability(gmailSearch, session.context(), {
      query: 'subject:Caf\u00e9 is:unread',
    });
    expect(result.messages.map((m) => [m.id, m.subject, m.from?.name])).toStrictEqual([
      [ids.latin1, 'Café crème', 'Renée Dupré'],
    ]);
  });

  it('lists a page in two sequential round trips: one list, then one batch of every get', async () => {
    const exchanges: Array<{ call: string; start: number; end: number }> = [];
    let clock = 0;
    const recording = (async (input: string | URL | Request, init?: RequestInit) => {
      const start = clock++;
      const response = await fetch(input, init);
      await response.clone().arrayBuffer();
      const url = new URL(String(input));
      exchanges.push({ call: `${init?.method ?? 'GET'} ${url.pathname}`, start, end: clock++ });
      return response;
    }) as typeof fetch;
    const before = (await session.stats()).requests;
    const result = await runCapability(gmailSearch, session.context({}, { fetch: recording }), {
      pageSize: 9,
    });
    const after = (await session.stats()).requests;
    const delta = (key: string) => (after[key] ?? 0) - (before[key] ?? 0);
    const list = exchanges.find((e) => e.call === 'GET /gmail/v1/users/me/messages');
    const batch = exchanges.find((e) => e.call === 'POST /batch/gmail/v1');
    expect({
      count: result.messages.length,
      calls: exchanges.map((e) => e.call).sort(),
      sequential: list !== undefined && batch !== undefined && list.end < batch.start,
      list: delta('GET /gmail/v1/users/:userId/messages'),
      batches: delta('POST /batch/gmail/v1'),
      gets: delta('GET /gmail/v1/users/:userId/messages/:messageId'),
    }).toStrictEqual({
      count: 9,
      calls: [
        'GET /gmail/v1/users/me/messages',
        'GET /gmail/v1/users/me/profile',
        'POST /batch/gmail/v1',
      ],
      sequential: true,
      list: 1,
      batches: 1,
      gets: 9,
    });
  });

  it('counts unread mail from label metadata', async () => {
    expect(await runCapability(gmailUnread, session.context(), {})).toStrictEqual({
      inbox: { unreadMessages: 5, unreadThreads: 5 },
      labels: [],
    });
  });
});

describe('faults', () => {
  it('retries injected 503s and succeeds', async () => {
    await session.control('POST', '/__sandbox/faults', {
      path: '/gmail/v1/users/me/labels',
      status: 503,
      count: 2,
    });
    const sleeps: number[] = [];
    const ctx = session.context({}, { sleep: async (ms) => void sleeps.push(ms), random: () => 1 });
    const result = await runCapability(gmailUnread, ctx, {});
    expect({ unread: result.inbox.unreadMessages, sleeps }).toStrictEqual({
      unread: 5,
      sleeps: [500, 1000],
    });
  });

  it('gives provider_rate_limited with the wait when 429s do not stop', async () => {
    await session.control('POST', '/__sandbox/faults', {
      path: '/gmail/v1/users/me/labels',
      status: 429,
      retryAfter: 1,
      count: 10,
    });
    const sleeps: number[] = [];
    const ctx = session.context({}, { sleep: async (ms) => void sleeps.push(ms), retries: 2 });
    const error = await runCapability(gmailUnread, ctx, {}).catch((e: unknown) => e);
    await session.control('DELETE', '/__sandbox/faults');
    expect({
      code: (error as TidingsError).code,
      details: (error as TidingsError).details,
      sleeps,
    }).toStrictEqual({
      code: 'provider_rate_limited',
      details: { retryAfterSeconds: 1 },
      sleeps: [1000, 1000],
    });
  });

  it('refreshes a token the sandbox no longer accepts and carries on', async () => {
    await session.control('PUT', '/__sandbox/settings', { accessTokenTtlSeconds: 1 });
    const expired = session.grant.accessToken;
    session.grant.accessToken = `${expired}x`;
    const refreshes = session.tokens.refreshes;
    const result = await runCapability(gmailUnread, session.context(), {});
    expect({
      unread: result.inbox.unreadMessages,
      refreshes: session.tokens.refreshes - refreshes,
    }).toStrictEqual({
      unread: 5,
      refreshes: 1,
    });
  });
});
