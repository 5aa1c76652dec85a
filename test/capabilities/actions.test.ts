import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionsExtract } from '../../src/capabilities/actions-extract.ts';
import { runCapability } from '../../src/capabilities/define-capability.ts';
import { startSession } from './sandbox-session.harness.ts';
import type { Session } from './sandbox-session.harness.ts';

// Wednesday 25 November 2026, 09:00 in Auckland (Tuesday 20:00 UTC).
const NOW = new Date('2026-11-24T20:00:00Z');
const ME = 'sam@example.com';
let session: Session;
const ids: Record<string, string> = {};

function mail(id: string, from: string, subject: string, date: string, body: string): Uint8Array {
  return new Uint8Array(
    Buffer.from(
      [
        `From: ${from}`,
        `To: ${ME}`,
        `Subject: ${subject}`,
        `Date: ${date}`,
        `Message-ID: <${id}@example.org>`,
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=UTF-8',
        '',
        body,
      ].join('\r\n'),
    ),
  );
}

async function add(name: string, raw: Uint8Array, labels: string): Promise<void> {
  const answer = (await session.control(
    'POST',
    `/__sandbox/users/${ME}/messages?labelIds=${labels}`,
    raw,
  )) as {
    id: string;
  };
  ids[name] = answer.id;
}

beforeAll(async () => {
  session = await startSession({
    email: ME,
    now: () => NOW,
    seed: false,
    userZone: 'Pacific/Auckland',
  });
  await add(
    'slides',
    mail(
      'slides',
      'Ana Lima <ana@example.org>',
      'Board slides',
      'Tue, 24 Nov 2026 09:00:00 +1300',
      'Hi Sam,\n\nThanks for the draft. Could you send me the final slides by Friday?\n\nAna',
    ),
    'INBOX,UNREAD',
  );
  await add(
    'review',
    mail(
      'review',
      'Ben Ode <ben@example.org>',
      'Contract',
      'Mon, 23 Nov 2026 15:00:00 +1300',
      'We need you to review the contract by end of day Thursday. Let me know if you have questions.',
    ),
    'INBOX,IMPORTANT',
  );
  await add(
    'news',
    mail(
      'news',
      'News <news@example.org>',
      'Weekly digest',
      'Tue, 24 Nov 2026 08:00:00 +1300',
      'Nothing to do here.',
    ),
    'INBOX,UNREAD',
  );
  await add(
    'read',
    mail(
      'read',
      'Old <old@example.org>',
      'Old ask',
      'Tue, 24 Nov 2026 07:00:00 +1300',
      'Please call me.',
    ),
    'INBOX',
  );
  await add(
    'stale',
    mail(
      'stale',
      'Old <old@example.org>',
      'Stale ask',
      'Mon, 2 Nov 2026 07:00:00 +1300',
      'Please call me.',
    ),
    'INBOX,UNREAD',
  );
  await add(
    'dinner',
    mail(
      'dinner',
      'Maya Lopez <maya@example.org>',
      'Re: Re: Dinner on Friday?',
      'Thu, 19 Nov 2026 10:00:00 +1300',
      'Table booked at Lina for 7:30pm on Friday. Can you RSVP?',
    ),
    'INBOX,UNREAD',
  );
  await add(
    'form',
    mail(
      'form',
      'School Office <office@example.org>',
      'Camp form',
      'Fri, 20 Nov 2026 09:00:00 +1300',
      'Please sign the camp form by Monday.',
    ),
    'INBOX,UNREAD',
  );
  await add(
    'lunch',
    mail(
      'lunch',
      'Ana Lima <ana@example.org>',
      'RE: Fwd: Re: Team lunch',
      'Tue, 24 Nov 2026 10:00:00 +1300',
      'Team lunch on Friday 27 November at 12:30. Can you RSVP by Thursday?',
    ),
    'INBOX,UNREAD',
  );
});
afterAll(async () => {
  await session?.close();
});

describe('actions.extract', () => {
  it('finds asks with deadlines in the user zone, sorted by due date', async () => {
    const result = await runCapability(actionsExtract, session.context(), {});
    expect(result).toStrictEqual({
      timeZone: 'Pacific/Auckland',
      actions: [
        {
          messageId: ids.review,
          from: { name: 'Ben Ode', email: 'ben@example.org' },
          subject: 'Contract',
          date: '2026-11-23T15:00:00+13:00',
          ask: 'We need you to review the contract by end of day Thursday.',
          due: '2026-11-26T17:00:00+13:00',
          dueText: 'by end of day Thursday',
          why: '"need you to …"; deadline "by end of day Thursday"',
          link: `https://mail.google.com/mail/u/${ME}/#all/${ids.review}`,
        },
        {
          messageId: ids.lunch,
          from: { name: 'Ana Lima', email: 'ana@example.org' },
          subject: 'Team lunch',
          date: '2026-11-24T10:00:00+13:00',
          ask: 'Can you RSVP by Thursday?',
          due: '2026-11-26T23:59:00+13:00',
          dueText: 'by Thursday',
          why: 'asks for an RSVP; deadline "by Thursday"',
          link: `https://mail.google.com/mail/u/${ME}/#all/${ids.lunch}`,
        },
        {
          messageId: ids.slides,
          from: { name: 'Ana Lima', email: 'ana@example.org' },
          subject: 'Board slides',
          date: '2026-11-24T09:00:00+13:00',
          ask: 'Could you send me the final slides by Friday?',
          due: '2026-11-27T23:59:00+13:00',
          dueText: 'by Friday',
          why: '"can/could you …"; deadline "by Friday"',
          link: `https://mail.google.com/mail/u/${ME}/#all/${ids.slides}`,
        },
        {
          messageId: ids.review,
          from: { name: 'Ben Ode', email: 'ben@example.org' },
          subject: 'Contract',
          date: '2026-11-23T15:00:00+13:00',
          ask: 'Let me know if you have questions.',
          due: null,
          dueText: null,
          why: '"let me know …"',
          link: `https://mail.google.com/mail/u/${ME}/#all/${ids.review}`,
        },
      ],
    });
  });

  it('respects the limit', async () => {
    const result = await runCapability(actionsExtract, session.context(), { limit: 1 });
    expect(result.actions.map((a) => a.ask)).toStrictEqual([
      'We need you to review the contract by end of day Thursday.',
    ]);
  });

  it("leaves out an ask whose deadline has passed and an RSVP for last week's dinner", async () => {
    const result = await runCapability(actionsExtract, session.context(), {});
    const listed = result.actions.map((a) => a.messageId);
    expect({
      form: listed.includes(ids.form ?? ''),
      dinner: listed.includes(ids.dinner ?? ''),
      // A week before, both were still to do.
      before: (
        await runCapability(
          actionsExtract,
          session.context({ now: () => new Date('2026-11-19T20:00:00Z') }),
          {},
        )
      ).actions
        .filter((a) => a.messageId === ids.dinner)
        .map((a) => [a.subject, a.ask]),
    }).toStrictEqual({
      form: false,
      dinner: false,
      before: [['Dinner on Friday?', 'Can you RSVP?']],
    });
  });
});
