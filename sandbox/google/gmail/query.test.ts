import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { searchMessages, searchThreads } from './mailbox-search.ts';
import { parseQuery } from './query-parser.ts';
import { createGmailStore } from './store.ts';

const OWNER = 'alex@example.com';

function message(headers: string[], body: string | Buffer): Buffer {
  const head = Buffer.from(`${headers.join('\r\n')}\r\n\r\n`, 'latin1');
  return Buffer.concat([head, typeof body === 'string' ? Buffer.from(body) : body]);
}

function fixture() {
  const store = createGmailStore();
  store.defineLabel(OWNER, { id: 'Label_1', name: 'Invoices' });
  store.defineLabel(OWNER, { id: 'Label_2', name: 'Client Work' });
  const add = (labels: string[], headers: string[], body: string | Buffer) =>
    store.importMessage(OWNER, message(headers, body), labels).id;
  const ids = {
    invoice: add(
      ['INBOX', 'UNREAD', 'IMPORTANT', 'Label_1'],
      [
        'From: Alice Chen <alice@northwind.example>',
        'To: Alex Rivera <alex@example.com>',
        'Subject: Invoice NW-4471',
        'Message-ID: <inv-1@northwind.example>',
        'Date: Mon, 23 Feb 2026 09:00:00 -0800',
        'Content-Type: multipart/mixed; boundary=b',
      ],
      '--b\r\nContent-Type: text/plain\r\n\r\nPlease find the invoice attached.\r\n--b\r\n' +
        'Content-Type: application/pdf\r\nContent-Disposition: attachment; filename="NW-4471.pdf"' +
        '\r\n\r\n%PDF\r\n--b--\r\n',
    ),
    reminder: add(
      ['INBOX', 'UNREAD', 'STARRED', 'Label_1'],
      [
        'From: Alice Chen <alice@northwind.example>',
        'To: alex@example.com',
        'Cc: Priya Natarajan <priya@example.com>',
        'Subject: Re: Invoice NW-4471',
        'In-Reply-To: <inv-1@northwind.example>',
        'Date: Tue, 3 Mar 2026 10:00:00 -0800',
      ],
      'Could you please pay it by Friday?',
    ),
    french: add(
      ['INBOX', 'Label_2'],
      [
        'From: =?ISO-8859-1?Q?Marc_Dub=F6is?= <marc@lumiere.example>',
        'To: alex@example.com',
        'Subject: =?ISO-8859-1?Q?R=E9union_de_lancement?=',
        'Date: Wed, 4 Mar 2026 08:30:00 +0100',
        'Content-Type: text/plain; charset=ISO-8859-1',
        'Content-Transfer-Encoding: quoted-printable',
      ],
      'Le caf=E9 est pr=EAt. Rendez-vous jeudi.',
    ),
    japanese: add(
      ['INBOX', 'CATEGORY_PERSONAL'],
      [
        'From: Kenji Sato <kenji@hoshi.example>',
        'To: alex@example.com',
        'Subject: =?UTF-8?B?6KaL56mN5pu4?=',
        'Date: Thu, 5 Mar 2026 11:00:00 +0900',
        'Content-Type: text/plain; charset=Shift_JIS',
      ],
      iconv.encode('見積書をお送りします。', 'shift_jis'),
    ),
    newsletter: add(
      ['INBOX', 'CATEGORY_UPDATES'],
      [
        'From: Pixel Press <news@pixelpress.example>',
        'To: alex@example.com',
        'Subject: Weekly: grids & type',
        'Date: Fri, 6 Mar 2026 07:00:00 +0000',
        'Content-Type: text/html; charset=utf-8',
      ],
      '<table><tr><td>Modular <b>grids</b> &amp; variable fonts</td></tr></table>',
    ),
    sent: add(
      ['SENT'],
      [
        'From: Alex Rivera <alex@example.com>',
        'To: Priya Natarajan <priya@example.com>',
        'Subject: Slides',
        'Date: Sat, 7 Mar 2026 09:00:00 +0000',
      ],
      'Here are the slides for the pitch.',
    ),
    spam: add(
      ['SPAM', 'UNREAD'],
      [
        'From: Prize <win@lottery.example>',
        'Subject: You won',
        'Date: Sun, 1 Mar 2026 09:00:00 +0000',
      ],
      'Claim your invoice refund now',
    ),
    trash: add(
      ['TRASH'],
      ['From: Shop <deals@shop.example>', 'Subject: Sale', 'Date: Sat, 14 Feb 2026 09:00:00 +0000'],
      'Old sale on fonts',
    ),
  };
  return { store, ids };
}

const NOW = new Date('2026-03-07T12:00:00Z');

describe('Gmail query evaluation', () => {
  const { store, ids } = fixture();
  const mailbox = store.mailbox(OWNER)!;
  const run = (q: string, labelIds: string[] = [], includeSpamTrash = false) =>
    searchMessages(mailbox, { q, labelIds, includeSpamTrash }, { now: NOW, timeZone: 'UTC' })
      .map((message) => Object.entries(ids).find(([, id]) => id === message.id)![0])
      .sort();

  const table: [string, string[]][] = [
    ['', ['french', 'invoice', 'japanese', 'newsletter', 'reminder', 'sent']],
    ['from:alice', ['invoice', 'reminder']],
    ['from:alice@northwind.example', ['invoice', 'reminder']],
    ['from:northwind.example is:starred', ['reminder']],
    ['to:priya', ['reminder', 'sent']],
    ['cc:priya@example.com', ['reminder']],
    ['from:me', ['sent']],
    ['subject:invoice', ['invoice', 'reminder']],
    ['subject:réunion', ['french']],
    ['subject:reunion', ['french']],
    ['from:"marc dubois"', ['french']],
    ['from:"marc duböis"', ['french']],
    ['café', ['french']],
    ['"pay it by friday"', ['reminder']],
    ['invoices', []],
    ['見積書', ['japanese']],
    ['grids fonts', ['newsletter']],
    ['is:unread', ['invoice', 'reminder']],
    ['is:read', ['french', 'japanese', 'newsletter', 'sent']],
    ['is:important', ['invoice']],
    ['label:invoices', ['invoice', 'reminder']],
    ['label:Label_2', ['french']],
    ['label:client-work', ['french']],
    ['label:CLIENT-WORK -is:unread', ['french']],
    ['in:inbox', ['french', 'invoice', 'japanese', 'newsletter', 'reminder']],
    ['in:sent', ['sent']],
    ['in:spam', ['spam']],
    ['in:trash', ['trash']],
    ['in:anywhere fonts', ['newsletter', 'trash']],
    ['-in:spam', ['french', 'invoice', 'japanese', 'newsletter', 'reminder', 'sent']],
    ['-in:trash', ['french', 'invoice', 'japanese', 'newsletter', 'reminder', 'sent']],
    ['-label:spam', ['french', 'invoice', 'japanese', 'newsletter', 'reminder', 'sent']],
    ['-in:spam in:trash', ['trash']],
    ['in:spam OR in:trash', ['spam', 'trash']],
    ['invoice', ['invoice', 'reminder']],
    ['category:updates', ['newsletter']],
    ['category:primary', ['french', 'invoice', 'japanese', 'reminder', 'sent']],
    ['has:attachment', ['invoice']],
    ['filename:pdf', ['invoice']],
    ['filename:nw-4471.pdf', ['invoice']],
    ['newer_than:2d', ['newsletter', 'sent']],
    ['older_than:1y', []],
    ['after:2026/03/04 before:2026/03/06', ['french', 'japanese']],
    ['after:1772755200', ['newsletter', 'sent']],
    ['from:alice OR from:kenji', ['invoice', 'japanese', 'reminder']],
    ['{from:alice from:kenji} is:unread', ['invoice', 'reminder']],
    ['subject:invoice OR subject:slides is:starred', ['reminder']],
    ['is:starred (subject:invoice OR subject:slides)', ['reminder']],
    ['-from:alice in:inbox', ['french', 'japanese', 'newsletter']],
    ['-{from:alice from:marc} -category:updates in:inbox', ['japanese']],
    ['subject:(invoice nw-4471)', ['invoice', 'reminder']],
    ['from:(alice OR pixel) -has:attachment', ['newsletter', 'reminder']],
    ['unknown:thing', []],
    ['(from:alice', ['invoice', 'reminder']],
  ];

  for (const [q, expected] of table) {
    it(`q=${JSON.stringify(q)} matches ${expected.join(', ') || 'nothing'}`, () => {
      expect(run(q)).toStrictEqual(expected);
    });
  }

  it('requires every labelId and includes spam and trash only when asked', () => {
    expect(run('', ['INBOX', 'UNREAD'])).toStrictEqual(['invoice', 'reminder']);
    expect(run('invoice', [], true)).toStrictEqual(['invoice', 'reminder', 'spam']);
    expect(run('', ['SPAM'])).toStrictEqual(['spam']);
  });

  it('lists newest first and groups threads by their latest match', () => {
    const newest = searchMessages(
      mailbox,
      { q: 'from:alice', labelIds: [], includeSpamTrash: false },
      { now: NOW, timeZone: 'UTC' },
    );
    expect(newest.map((m) => m.id)).toStrictEqual([ids.reminder, ids.invoice]);
    const threads = searchThreads(
      mailbox,
      { q: 'from:alice', labelIds: [], includeSpamTrash: false },
      { now: NOW, timeZone: 'UTC' },
    );
    expect(threads.map((t) => [t.threadId, t.latest.id])).toStrictEqual([
      [ids.invoice, ids.reminder],
    ]);
  });

  it('keeps trash out of threads for -in:spam, as messages', () => {
    const threads = searchThreads(
      mailbox,
      { q: '-in:spam', labelIds: [], includeSpamTrash: false },
      { now: NOW, timeZone: 'UTC' },
    );
    expect(threads.map((t) => t.latest.id)).toStrictEqual([
      ids.sent,
      ids.newsletter,
      ids.japanese,
      ids.french,
      ids.reminder,
    ]);
  });
});

describe('parseQuery', () => {
  it('gives OR precedence over the implicit AND and applies fields to groups', () => {
    expect(parseQuery('a b OR -c subject:(d "e f")')).toStrictEqual({
      kind: 'and',
      children: [
        { kind: 'term', field: null, value: 'a', phrase: false },
        {
          kind: 'or',
          children: [
            { kind: 'term', field: null, value: 'b', phrase: false },
            { kind: 'not', child: { kind: 'term', field: null, value: 'c', phrase: false } },
          ],
        },
        {
          kind: 'and',
          children: [
            { kind: 'term', field: 'subject', value: 'd', phrase: false },
            { kind: 'term', field: 'subject', value: 'e f', phrase: true },
          ],
        },
      ],
    });
  });
});
