/**
 * The mail capabilities on the sandbox's SEED mailbox (sandbox/seed/MAIL.md), with the
 * whole result asserted. The clock is in the seed's reference week, before its Saturday,
 * so the seed is shifted back exactly one week: dates read as the .eml files say, less
 * seven days, in Alex's zone (America/New_York, from his Calendar settings).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCapability } from '../../src/capabilities/define-capability.ts';
import { gmailRead } from '../../src/capabilities/gmail-read.ts';
import { gmailSearch } from '../../src/capabilities/gmail-search.ts';
import { gmailUnread } from '../../src/capabilities/gmail-unread.ts';
import { type Session, startSession } from './sandbox-session.harness.ts';

const NOW = new Date('2026-03-03T14:00:00Z');
const ALEX = { name: 'Alex Rivera', email: 'alex@example.com' };
const ALICE = { name: 'Alice Chen', email: 'alice@northwind.example' };
const link = (id: string) => `https://mail.google.com/mail/u/alex@example.com/#all/${id}`;
let alex: Session;

beforeAll(async () => {
  alex = await startSession({ email: 'alex@example.com', now: () => NOW });
});
afterAll(async () => {
  await alex?.close();
});

describe('the seed mailbox', () => {
  it('finds the invoices newest first, each summary whole, with a token for the next page', async () => {
    const result = await runCapability(gmailSearch, alex.context(), {
      query: 'label:invoices',
      pageSize: 3,
    });
    expect(result).toStrictEqual({
      messages: [
        {
          id: '19c90dca0400002a',
          threadId: '19c67709f4000007',
          from: ALICE,
          to: [ALEX],
          subject: 'Re: Invoice NW-4471 - Lumen Health brochure print run',
          date: '2026-02-24T13:15:04-05:00',
          snippet:
            "Hi Alex, Just a friendly reminder about invoice NW-4471 ($2,480.00). Could you please pay it by Friday? Our books close next week and I'd love to have it settled before then. Thanks so much, Alice",
          labels: ['INBOX', 'UNREAD', 'STARRED', 'IMPORTANT', 'CATEGORY_PERSONAL', 'Label_1'],
          unread: true,
          link: link('19c90dca0400002a'),
        },
        {
          id: '19c850197800001e',
          threadId: '19c850197800001e',
          from: { name: 'Canal Street Desks', email: 'billing@canalstreetdesks.example' },
          to: [ALEX],
          subject: 'Invoice CSD-2026-03 for March membership',
          date: '2026-02-22T06:00:00-05:00',
          snippet:
            'Hello Alex, Your invoice for March is attached: dedicated desk, 1 month, $420.00. It will be charged to the card on file on 26 February. Canal Street Desks',
          labels: ['INBOX', 'CATEGORY_UPDATES', 'Label_1'],
          unread: false,
          link: link('19c850197800001e'),
        },
        {
          id: '19c84caa9000001c',
          threadId: '19c84caa9000001c',
          from: { name: 'Inkwell', email: 'billing@inkwell.example' },
          to: [{ name: null, email: 'alex@example.com' }],
          subject: 'Your Inkwell Pro receipt (February 2026)',
          date: '2026-02-22T05:00:00-05:00',
          snippet: 'Receipt 77120 - Inkwell Pro, monthly - $24.00 charged to Visa ending 1881.',
          labels: ['INBOX', 'CATEGORY_UPDATES', 'Label_1'],
          unread: false,
          link: link('19c84caa9000001c'),
        },
      ],
      nextPageToken: '1000024',
    });
  });

  it('counts unread mail in the inbox, per user label and per inbox category', async () => {
    expect(await runCapability(gmailUnread, alex.context(), {})).toStrictEqual({
      inbox: { unreadMessages: 21, unreadThreads: 18 },
      labels: [
        { id: 'CATEGORY_PERSONAL', name: 'Primary', unread: 16 },
        { id: 'Label_2', name: 'Clients', unread: 5 },
        { id: 'CATEGORY_UPDATES', name: 'Updates', unread: 2 },
        { id: 'CATEGORY_FORUMS', name: 'Forums', unread: 1 },
        { id: 'Label_1', name: 'Invoices', unread: 1 },
        { id: 'CATEGORY_PROMOTIONS', name: 'Promotions', unread: 1 },
        { id: 'CATEGORY_SOCIAL', name: 'Social', unread: 1 },
      ],
    });
  });

  it('reads the four-message invoice thread in order, with the PDF listed and the reminder whole', async () => {
    const result = await runCapability(gmailRead, alex.context(), {
      threadId: '19c67709f4000007',
    });
    const subject = 'Invoice NW-4471 - Lumen Health brochure print run';
    expect({
      rows: result.messages.map((m) => [
        m.id,
        m.subject,
        m.from?.email,
        m.to.map((a) => a.email),
        m.date,
        m.labels,
        m.bodySource,
        m.attachments,
      ]),
      reminder: result.messages[3]?.body,
    }).toStrictEqual({
      rows: [
        [
          '19c67709f4000007',
          subject,
          ALICE.email,
          [ALEX.email],
          '2026-02-16T12:12:40-05:00',
          ['INBOX', 'IMPORTANT', 'CATEGORY_PERSONAL', 'Label_1'],
          'text/plain',
          [
            {
              filename: 'NW-4471.pdf',
              mimeType: 'application/pdf',
              size: 1211,
              attachmentId: 'ANGjdJMTljNjc3MDlmNDAwMDAwNzox',
            },
          ],
        ],
        [
          '19c67d8428000008',
          `Re: ${subject}`,
          ALEX.email,
          [ALICE.email],
          '2026-02-16T14:05:52-05:00',
          ['SENT', 'Label_1'],
          'text/plain',
          [],
        ],
        [
          '19c6c7a66d80000b',
          `Re: ${subject}`,
          ALICE.email,
          [ALEX.email],
          '2026-02-17T11:41:27-05:00',
          ['INBOX', 'CATEGORY_PERSONAL', 'Label_1'],
          'text/plain',
          [],
        ],
        [
          '19c90dca0400002a',
          `Re: ${subject}`,
          ALICE.email,
          [ALEX.email],
          '2026-02-24T13:15:04-05:00',
          ['INBOX', 'UNREAD', 'STARRED', 'IMPORTANT', 'CATEGORY_PERSONAL', 'Label_1'],
          'text/plain',
          [],
        ],
      ],
      reminder:
        "Hi Alex,\n\nJust a friendly reminder about invoice NW-4471 ($2,480.00). Could you please\npay it by Friday? Our books close next week and I'd love to\nhave it settled before then.\n\nThanks so much,\nAlice",
    });
  });
});
