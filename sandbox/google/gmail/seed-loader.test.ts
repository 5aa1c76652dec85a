import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { searchMessages, searchThreads, threadMessages } from './mailbox-search.ts';
import { headerValue } from './mime-headers.ts';
import { primaryText } from './message-text.ts';
import { expandDatePlaceholders, loadGmailSeed, prepareSeedMessage } from './seed-loader.ts';
import { createGmailStore } from './store.ts';

const SEED = fileURLToPath(new URL('../../seed/', import.meta.url));
const ALEX_DIR = `${SEED}alex@example.com/mail`;
const SAM_DIR = `${SEED}sam@example.com/mail`;

describe('prepareSeedMessage', () => {
  it('takes the labels out, shifts the Date header and placeholders, and writes CRLF', () => {
    const file = Buffer.from(
      [
        'X-Gmail-Labels: INBOX, UNREAD,Label_1',
        'From: a@example.org',
        'Date: Thu, 5 Mar 2026 08:03:27 -0500',
        'Subject: Due {{2026-03-06|EEEE d MMMM}}',
        '',
        "Invite at {{2026-03-04T19:00:00Z|yyyyMMdd'T'HHmmss'Z'}}",
        '',
      ].join('\n'),
    );
    const prepared = prepareSeedMessage(file, 14);
    expect({ ...prepared, raw: prepared.raw.toString() }).toStrictEqual({
      raw: [
        'From: a@example.org',
        'Date: Thu, 19 Mar 2026 08:03:27 -0500',
        'Subject: Due Friday 20 March',
        '',
        'Invite at 20260318T190000Z',
        '',
      ].join('\r\n'),
      labelIds: ['INBOX', 'UNREAD', 'Label_1'],
      epochMs: Date.parse('2026-03-19T13:03:27Z'),
    });
  });

  it('leaves text without placeholders alone', () => {
    expect(expandDatePlaceholders('{{not a date}} and {{2026-13-40|d}}', 7)).toBe(
      '{{not a date}} and {{2026-13-40|d}}',
    );
  });
});

describe('the seed mailboxes', async () => {
  const store = createGmailStore();
  await loadGmailSeed(store, 'alex@example.com', ALEX_DIR, { days: 0 });
  await loadGmailSeed(store, 'sam@example.com', SAM_DIR, { days: 0 });
  await loadGmailSeed(store, 'nobody@example.com', `${SEED}missing/mail`, { days: 0 });
  const alex = store.mailbox('alex@example.com')!;
  const clock = { now: new Date('2026-03-06T17:00:00Z'), timeZone: 'America/New_York' };
  const count = (q: string) => {
    const input = { q, labelIds: [], includeSpamTrash: false };
    return [searchMessages(alex, input, clock).length, searchThreads(alex, input, clock).length];
  };

  it('loads every file with its labels and user labels', () => {
    expect([alex.messages.size, alex.threads.size]).toStrictEqual([62, 44]);
    expect([...alex.userLabels.values()]).toStrictEqual([
      {
        id: 'Label_1',
        name: 'Invoices',
        color: { textColor: '#ffffff', backgroundColor: '#16a766' },
      },
      {
        id: 'Label_2',
        name: 'Clients',
        color: { textColor: '#ffffff', backgroundColor: '#4a86e8' },
      },
    ]);
    expect(store.mailbox('nobody@example.com')).toBe(undefined);
    const raw = [...alex.messages.values()].map((message) => message.raw.toString('latin1'));
    expect(raw.filter((text) => /X-Gmail-Labels|\{\{/.test(text))).toStrictEqual([]);
  });

  const table: [string, number, number][] = [
    ['', 56, 38],
    ['is:unread', 21, 18],
    ['from:alice', 6, 4],
    ['"by Friday"', 1, 1],
    ['label:invoices', 8, 5],
    ['label:clients', 15, 6],
    ['has:attachment', 6, 6],
    ['filename:pdf', 3, 3],
    ['filename:ics', 1, 1],
    ['in:spam', 3, 3],
    ['in:trash', 3, 3],
    ['is:starred', 3, 3],
    ['category:promotions', 2, 2],
    ['category:social', 2, 2],
    ['category:forums', 2, 2],
    ['in:sent', 8, 7],
    ['subject:identité', 3, 1],
    ['海辺の図書館', 1, 1],
    ['色見本', 1, 1],
    ['€1.200 Siobhán', 1, 1],
    ['RSVP', 2, 1],
    ['slides', 3, 1],
    ['after:2026/03/02', 29, 23],
    ['newer_than:2d', 12, 9],
  ];
  for (const [q, messages, threads] of table) {
    it(`finds ${messages} messages in ${threads} threads for ${JSON.stringify(q)}`, () => {
      expect(count(q)).toStrictEqual([messages, threads]);
    });
  }

  it('threads the Northwind invoice conversation by its references', () => {
    const [first] = searchMessages(
      alex,
      {
        q: 'rfc822msgid:nw-4471.1771866760@northwind.example',
        labelIds: [],
        includeSpamTrash: false,
      },
      clock,
    );
    const thread = threadMessages(alex, first!.threadId);
    expect(thread.map((message) => headerValue(message.root.headers, 'from'))).toStrictEqual([
      'Alice Chen <alice@northwind.example>',
      'Alex Rivera <alex@example.com>',
      'Alice Chen <alice@northwind.example>',
      'Alice Chen <alice@northwind.example>',
    ]);
  });

  it('keeps Shift_JIS and Windows-1252 bodies decodable from their declared charsets', () => {
    const find = (q: string) =>
      searchMessages(alex, { q, labelIds: [], includeSpamTrash: false }, clock)[0]!;
    const japanese = find('from:kenji.sato@hoshi-books.example -has:attachment');
    expect(japanese.root.params.charset).toBe('Shift_JIS');
    expect(primaryText(japanese.root).split('\r\n')[4]).toBe(
      '締め切りは3月20日、判型は四六判です。',
    );
    const irish = find('from:siobhan');
    expect(irish.root.params.charset).toBe('windows-1252');
    expect(primaryText(irish.root).split('\r\n')[2]).toBe(
      'Good news – the board approved the “Tides & Lanterns” concept!',
    );
  });

  it("gives sam his own mail and nothing of alex's", () => {
    const sam = store.mailbox('sam@example.com')!;
    const input = { q: 'in:anywhere', labelIds: [], includeSpamTrash: true };
    expect([sam.messages.size, sam.threads.size]).toStrictEqual([9, 7]);
    expect(
      searchMessages(sam, { ...input, q: 'alice OR northwind OR lumen OR alex' }, clock),
    ).toStrictEqual([]);
  });

  it('moves every date and placeholder by the shift', async () => {
    const shifted = createGmailStore();
    await loadGmailSeed(shifted, 'alex@example.com', ALEX_DIR, { days: 7 });
    const before = [...alex.messages.values()].map((message) => message.internalDate);
    const after = [...shifted.mailbox('alex@example.com')!.messages.values()].map(
      (message) => message.internalDate,
    );
    expect(after).toStrictEqual(before.map((time) => time + 7 * 86_400_000));
    const pitch = searchMessages(
      shifted.mailbox('alex@example.com')!,
      {
        q: 'subject:"lumen pitch deck" from:priya -subject:re',
        labelIds: [],
        includeSpamTrash: false,
      },
      clock,
    )[0]!;
    expect(primaryText(pitch.root)).toContain('please send the slides by March 12 so I have a');
  });
});
