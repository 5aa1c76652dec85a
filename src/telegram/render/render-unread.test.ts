import { describe, expect, it } from 'vitest';
import type { SearchOutput, UnreadOutput } from './render-mail.ts';
import { ageOf, renderUnreadPage } from './render-unread.ts';

const view = { zone: 'Europe/Paris', locale: 'en-GB', now: new Date('2026-03-03T09:00:00Z') };
const buttons = { open: (id: string) => `o:${id}`, next: 'p:k2', back: null };

function message(
  id: string,
  from: { name: string | null; email: string } | null,
  subject: string,
  date: string,
): SearchOutput['messages'][number] {
  return {
    id,
    threadId: id,
    from,
    to: [],
    subject,
    date,
    snippet: 'never shown in the unread list',
    labels: ['INBOX', 'UNREAD'],
    unread: true,
    link: `https://mail.google.com/mail/u/0/#all/${id}`,
  };
}

const counts: UnreadOutput = {
  inbox: { unreadMessages: 21, unreadThreads: 18 },
  labels: [
    { id: 'CATEGORY_PERSONAL', name: 'Primary', unread: 16 },
    { id: 'Label_1', name: 'Clients <VIP>', unread: 5 },
    { id: 'CATEGORY_UPDATES', name: 'Updates', unread: 2 },
  ],
};

describe('the unread list', () => {
  it('lists sender, subject and age first, numbered with open buttons, then the totals', () => {
    const output = {
      messages: [
        message(
          'm1',
          { name: 'Alice <Chen>', email: 'alice@x.example' },
          'Q&A',
          '2026-03-03T07:40:00+01:00',
        ),
        message('m2', { name: null, email: 'kiln@ci.example' }, '', '2026-03-02T18:00:00+01:00'),
        message('m3', null, 'Statement', '2026-02-27T10:00:00+01:00'),
      ],
      nextPageToken: 'next',
    };
    expect(renderUnreadPage(output, 1, buttons, view, counts)).toStrictEqual({
      html: [
        '📥 <b>Unread in your inbox</b>',
        '',
        '<b>1.</b> <b>Alice &lt;Chen&gt;</b> · 2 h ago',
        'Q&amp;A',
        '',
        '<b>2.</b> <b>kiln@ci.example</b> · yesterday',
        '(no subject)',
        '',
        '<b>3.</b> <b>unknown sender</b> · 4 days ago',
        'Statement',
        '',
        '<b>21 unread messages</b> in your inbox, in 18 conversations.',
        'Unread by label: Primary 16, Clients &lt;VIP&gt; 5, Updates 2 (a message can carry several labels, so these overlap).',
      ].join('\n'),
      buttons: [
        [
          { text: '1', callback_data: 'o:m1' },
          { text: '2', callback_data: 'o:m2' },
          { text: '3', callback_data: 'o:m3' },
        ],
        [{ text: 'More ›', callback_data: 'p:k2' }],
      ],
    });
  });

  it('says inbox zero when nothing is unread, and no more on a later empty page', () => {
    const none = { messages: [] };
    const zero = { inbox: { unreadMessages: 0, unreadThreads: 0 }, labels: [] };
    expect([
      renderUnreadPage(none, 1, { ...buttons, next: null }, view, zero),
      renderUnreadPage(none, 6, { ...buttons, next: null, back: 'p:k1' }, view, null),
    ]).toStrictEqual([
      { html: 'Inbox zero: no unread mail in your inbox. 🎉' },
      {
        html: '📥 <b>Unread in your inbox</b>\n\nNo more unread messages.',
        buttons: [[{ text: '‹ Back', callback_data: 'p:k1' }]],
      },
    ]);
  });

  it('says how long ago a message came as people do', () => {
    const at = (iso: string) => ageOf(iso, view);
    expect([
      at('2026-03-03T09:59:40+01:00'),
      at('2026-03-03T09:35:00+01:00'),
      at('2026-03-03T00:10:00+01:00'),
      at('2026-03-02T23:30:00+01:00'),
      at('2026-03-02T08:00:00+01:00'),
      at('2026-02-25T08:00:00+01:00'),
      at('2026-02-20T08:00:00+01:00'),
      at('2025-12-20T08:00:00+01:00'),
      ageOf(null, view),
      // Just after midnight, last night is hours ago, not yesterday.
      ageOf('2026-03-02T23:30:00+01:00', { ...view, now: new Date('2026-03-03T00:45:00Z') }),
    ]).toStrictEqual([
      'just now',
      '25 min ago',
      '9 h ago',
      'yesterday',
      'yesterday',
      '6 days ago',
      '20 Feb',
      '20 Dec 2025',
      'no date',
      '2 h ago',
    ]);
  });
});
