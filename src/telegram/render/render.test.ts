import { describe, expect, it } from 'vitest';
import { splitMessage, visibleLength } from './format/index.ts';
import { actionLines } from './render-actions.ts';
import { renderAgenda, renderNext } from './render-calendar.ts';
import { renderMailPage, renderMessage } from './render-mail.ts';
import type { ReadOutput, SearchOutput } from './render-mail.ts';

const view = { zone: 'Europe/Paris', locale: 'en-GB', now: new Date('2026-03-03T09:00:00Z') };
const buttons = { open: (id: string) => `o:${id}`, next: null, back: null };

function summary(subject: string, snippet: string): SearchOutput['messages'][number] {
  return {
    id: 'm1',
    threadId: 't1',
    from: { name: 'Eve <evil>', email: 'eve@example.com' },
    to: [],
    subject,
    date: '2026-03-03T08:30:00+01:00',
    snippet,
    labels: ['INBOX'],
    unread: false,
    link: 'https://mail.google.com/mail/u/alex@example.com/#all/m1',
  };
}

describe('mail rendering', () => {
  it('escapes hostile subjects, senders and snippets', () => {
    const reply = renderMailPage(
      { messages: [summary('<script>alert(1)</script>', 'Tom &amp; Jerry "quoted" <b>')] },
      'mail from eve',
      1,
      buttons,
      view,
    );
    expect(reply).toStrictEqual({
      html: [
        '<b>Mail from eve</b>',
        '',
        '<b>1.</b> <b>&lt;script&gt;alert(1)&lt;/script&gt;</b>',
        'Eve &lt;evil&gt; · today at 08:30',
        '<i>Tom &amp;amp; Jerry &quot;quoted&quot; &lt;b&gt;</i>',
      ].join('\n'),
      buttons: [[{ text: '1', callback_data: 'o:m1' }]],
    });
  });

  it('says so when nothing matches, with a way back from a later page', () => {
    expect(
      renderMailPage({ messages: [] }, 'mail about x', 6, { ...buttons, back: 'p:k' }, view),
    ).toStrictEqual({
      html: '<b>Mail about x</b>\n\nNo more messages.',
      buttons: [[{ text: '‹ Back', callback_data: 'p:k' }]],
    });
  });

  it('quotes a long body so it splits into valid messages under the limit', () => {
    const message: ReadOutput['messages'][number] = {
      id: 'm2',
      threadId: 't2',
      from: { name: null, email: 'a@example.com' },
      to: [{ name: 'Alex', email: 'alex@example.com' }],
      cc: [],
      subject: 'R&D <notes>',
      date: '2026-03-02T18:00:00+01:00',
      labels: [],
      unread: false,
      link: 'https://mail.google.com/mail/u/alex@example.com/#all/m2',
      body: 'A line with <tags> & ampersands.\n'.repeat(400),
      bodySource: 'text/plain',
      attachments: [
        { filename: 'x<y>.pdf', mimeType: 'application/pdf', size: 2048, attachmentId: 'a' },
      ],
    };
    const reply = renderMessage({ messages: [message] }, view);
    const parts = splitMessage(reply.html);
    expect({
      head: reply.html.split('\n').slice(0, 6),
      parts: parts.length,
      fit: parts.every((p) => visibleLength(p) <= 4096),
      balanced: parts.every(
        (p) => p.split('<blockquote>').length === p.split('</blockquote>').length,
      ),
      buttons: reply.buttons,
    }).toStrictEqual({
      head: [
        '<b>R&amp;D &lt;notes&gt;</b>',
        'From: a@example.com',
        'To: Alex &lt;alex@example.com&gt;',
        'Date: yesterday at 18:00',
        '📎 x&lt;y&gt;.pdf (2 KB)',
        '',
      ],
      parts: 4,
      fit: true,
      balanced: true,
      buttons: [[{ text: 'Open in Gmail', url: message.link }]],
    });
  });
});

describe('calendar rendering', () => {
  it('escapes event titles and places and strikes declined events', () => {
    const event = {
      id: 'e1',
      calendarId: 'primary',
      calendarName: 'Alex',
      title: 'Q&A <live>',
      start: '2026-03-03T10:00:00+01:00',
      end: '2026-03-03T11:00:00+01:00',
      allDay: false,
      multiDay: false,
      location: 'Room "B" & C',
      myResponse: 'declined' as const,
      declined: true,
      recurring: false,
      link: 'https://calendar.google.com/event?eid=e1',
    };
    const reply = renderAgenda(
      {
        timeZone: 'Europe/Paris',
        from: '2026-03-03T00:00:00+01:00',
        to: '2026-03-04T00:00:00+01:00',
        events: [event],
      },
      'today',
      view,
    );
    expect(reply).toStrictEqual({
      html: '📅 <b>Today</b> · Tuesday 3 March\n\n10:00–11:00  <s>Q&amp;A &lt;live&gt;</s> (declined)\n   📍 Room &quot;B&quot; &amp; C',
    });
  });
});

describe('the next event', () => {
  const event = {
    id: 'e2',
    calendarId: 'primary',
    calendarName: 'Alex',
    title: 'Standup',
    start: '2026-03-03T10:42:00+01:00',
    end: '2026-03-03T11:00:00+01:00',
    allDay: false,
    multiDay: false,
    myResponse: 'accepted' as const,
    declined: false,
    recurring: false,
    link: 'https://calendar.google.com/event?eid=e2',
  };

  it('counts the minutes once when rendered a moment after they were counted', () => {
    // Counted at 10:00:10 Paris (42 min, rounded up), rendered at 10:00:50 (41 min).
    const reply = renderNext(
      { timeZone: 'Europe/Paris', event: { ...event, startsInMinutes: 42, startsIn: 'in 42 min' } },
      { ...view, now: new Date('2026-03-03T09:00:50Z') },
    );
    expect(reply.html.split('\n\n')[0]).toBe('⏭ <b>Next</b>, in 42 min:');
  });

  it('gives the time and how long until it beyond the hour', () => {
    const reply = renderNext(
      {
        timeZone: 'Europe/Paris',
        event: { ...event, startsInMinutes: 102, startsIn: 'in 1 h 42 min' },
      },
      { ...view, now: new Date('2026-03-03T08:00:00Z') },
    );
    expect(reply.html.split('\n\n')[0]).toBe('⏭ <b>Next</b>, today at 10:42 (in 1 h 42 min):');
  });
});

describe('action item rendering', () => {
  const action = (due: string | null) => ({
    messageId: 'm1',
    from: { name: 'Alice Chen', email: 'alice@example.com' },
    subject: 'Invoice',
    date: '2026-03-02T10:00:00+01:00',
    ask: 'Could you pay it by Friday?',
    due,
    dueText: due ? 'by Friday' : null,
    why: 'a question asking for something',
    link: 'https://mail.google.com/mail/u/0/#all/m1',
  });

  it('tells a deadline still ahead from one that has passed', () => {
    expect([
      actionLines(action('2026-03-06T23:59:00+01:00'), view),
      actionLines(action('2026-03-02T23:59:00+01:00'), view),
      actionLines(action(null), view),
    ]).toStrictEqual([
      'Could you pay it by Friday?\n<i>from Alice Chen</i> · due Friday 6 March at 23:59 · re: Invoice',
      'Could you pay it by Friday?\n<i>from Alice Chen</i> · was due yesterday at 23:59 ⚠️ · re: Invoice',
      'Could you pay it by Friday?\n<i>from Alice Chen</i> · re: Invoice',
    ]);
  });
});
