import { describe, expect, it } from 'vitest';
import type { Intent, RouteContext } from './intent.ts';
import { routeIntent, SUGGESTIONS } from './intent-router.ts';

/** Thursday 5 March 2026, 15:20 in Berlin (CET, +01:00). */
const berlin: RouteContext = {
  now: new Date('2026-03-05T14:20:00Z'),
  timeZone: 'Europe/Berlin',
  locale: 'en-GB',
};

const agenda = (from: string, to: string, label: string): Intent => ({
  kind: 'agenda',
  from,
  to,
  label,
});
const freeAt = (at: string, label: string, durationMinutes = 30): Intent => ({
  kind: 'free_at',
  at,
  durationMinutes,
  label,
});
const slots = (from: string, to: string, label: string, minMinutes = 30): Intent => ({
  kind: 'free_slots',
  from,
  to,
  minMinutes,
  label,
});
const mail = (query: string, label: string): Intent => ({ kind: 'mail_search', query, label });
const actions = (days: number, label: string): Intent => ({ kind: 'actions', days, label });
const unknown: Intent = { kind: 'unknown', suggestions: [...SUGGESTIONS] };

const B = '+01:00';
const CASES: Array<[string, RouteContext, string, Intent]> = [
  // Agenda, Berlin, Thursday 5 March 15:20.
  [
    'today',
    berlin,
    'Berlin',
    agenda(`2026-03-05T00:00:00${B}`, `2026-03-06T00:00:00${B}`, 'today'),
  ],
  [
    "what's on tomorrow?",
    berlin,
    'Berlin',
    agenda(`2026-03-06T00:00:00${B}`, `2026-03-07T00:00:00${B}`, 'tomorrow'),
  ],
  [
    'tomorrow afternoon',
    berlin,
    'Berlin',
    agenda(`2026-03-06T12:00:00${B}`, `2026-03-06T18:00:00${B}`, 'tomorrow afternoon'),
  ],
  [
    'anything this morning?',
    berlin,
    'Berlin',
    agenda(`2026-03-05T06:00:00${B}`, `2026-03-05T12:00:00${B}`, 'this morning'),
  ],
  [
    "what's on tonight",
    berlin,
    'Berlin',
    agenda(`2026-03-05T18:00:00${B}`, `2026-03-06T00:00:00${B}`, 'tonight'),
  ],
  [
    'this evening',
    berlin,
    'Berlin',
    agenda(`2026-03-05T18:00:00${B}`, `2026-03-06T00:00:00${B}`, 'this evening'),
  ],
  [
    'on Friday',
    berlin,
    'Berlin',
    agenda(`2026-03-06T00:00:00${B}`, `2026-03-07T00:00:00${B}`, 'Friday 6 March'),
  ],
  [
    'next Tuesday',
    berlin,
    'Berlin',
    agenda(`2026-03-10T00:00:00${B}`, `2026-03-11T00:00:00${B}`, 'Tuesday 10 March'),
  ],
  [
    'agenda for Thursday',
    berlin,
    'Berlin',
    agenda(`2026-03-05T00:00:00${B}`, `2026-03-06T00:00:00${B}`, 'Thursday 5 March'),
  ],
  [
    'what did I have last Monday',
    berlin,
    'Berlin',
    agenda(`2026-03-02T00:00:00${B}`, `2026-03-03T00:00:00${B}`, 'Monday 2 March'),
  ],
  [
    'this week',
    berlin,
    'Berlin',
    agenda(`2026-03-05T15:20:00${B}`, `2026-03-09T00:00:00${B}`, 'this week'),
  ],
  [
    'meetings next week',
    berlin,
    'Berlin',
    agenda(`2026-03-09T00:00:00${B}`, `2026-03-16T00:00:00${B}`, 'next week'),
  ],
  [
    'what am I doing on the weekend?',
    berlin,
    'Berlin',
    agenda(`2026-03-07T00:00:00${B}`, `2026-03-09T00:00:00${B}`, 'the weekend'),
  ],
  [
    'next weekend',
    berlin,
    'Berlin',
    agenda(`2026-03-14T00:00:00${B}`, `2026-03-16T00:00:00${B}`, 'next weekend'),
  ],
  [
    'on March 12',
    berlin,
    'Berlin',
    agenda(`2026-03-12T00:00:00${B}`, `2026-03-13T00:00:00${B}`, 'Thursday 12 March'),
  ],
  [
    '5/3',
    berlin,
    'Berlin (day first)',
    agenda(`2026-03-05T00:00:00${B}`, `2026-03-06T00:00:00${B}`, 'Thursday 5 March'),
  ],
  [
    'schedule 12/3',
    berlin,
    'Berlin (day first)',
    agenda(`2026-03-12T00:00:00${B}`, `2026-03-13T00:00:00${B}`, 'Thursday 12 March'),
  ],
  [
    'in 3 days',
    berlin,
    'Berlin',
    agenda(`2026-03-08T00:00:00${B}`, `2026-03-09T00:00:00${B}`, 'Sunday 8 March'),
  ],
  [
    'meetings the day after tomorrow',
    berlin,
    'Berlin',
    agenda(`2026-03-07T00:00:00${B}`, `2026-03-08T00:00:00${B}`, 'Saturday 7 March'),
  ],
  [
    'my calendar',
    berlin,
    'Berlin',
    agenda(`2026-03-05T00:00:00${B}`, `2026-03-06T00:00:00${B}`, 'today'),
  ],
  [
    'Friday morning',
    berlin,
    'Berlin',
    agenda(`2026-03-06T06:00:00${B}`, `2026-03-06T12:00:00${B}`, 'Friday 6 March morning'),
  ],
  [
    'what do I have on 2026-04-01',
    berlin,
    'Berlin',
    agenda('2026-04-01T00:00:00+02:00', '2026-04-02T00:00:00+02:00', 'Wednesday 1 April'),
  ],
  [
    'the next 3 days',
    berlin,
    'Berlin',
    agenda(`2026-03-05T15:20:00${B}`, `2026-03-08T00:00:00${B}`, 'the next 3 days'),
  ],
  [
    'yesterday',
    berlin,
    'Berlin',
    agenda(`2026-03-04T00:00:00${B}`, `2026-03-05T00:00:00${B}`, 'yesterday'),
  ],
  [
    "Hello, what's on today?",
    berlin,
    'Berlin',
    agenda(`2026-03-05T00:00:00${B}`, `2026-03-06T00:00:00${B}`, 'today'),
  ],
  [
    'what do I have on 2027-01-05',
    berlin,
    'Berlin (another year)',
    agenda('2027-01-05T00:00:00+01:00', '2027-01-06T00:00:00+01:00', 'Tuesday, 5 January 2027'),
  ],
  // Free at a time.
  [
    'am I free Friday at 3?',
    berlin,
    'Berlin',
    freeAt(`2026-03-06T15:00:00${B}`, 'Friday 6 March at 15:00'),
  ],
  [
    'am I busy tomorrow at 10am',
    berlin,
    'Berlin',
    freeAt(`2026-03-06T10:00:00${B}`, 'tomorrow at 10:00'),
  ],
  ['free at 14:30 today?', berlin, 'Berlin', freeAt(`2026-03-05T14:30:00${B}`, 'today at 14:30')],
  ['am I free at 4', berlin, 'Berlin', freeAt(`2026-03-05T16:00:00${B}`, 'today at 16:00')],
  [
    'am I free at 9',
    berlin,
    'Berlin (9:00 has passed)',
    freeAt(`2026-03-06T09:00:00${B}`, 'tomorrow at 09:00'),
  ],
  [
    'am I available at noon on Monday',
    berlin,
    'Berlin',
    freeAt(`2026-03-09T12:00:00${B}`, 'Monday 9 March at 12:00'),
  ],
  [
    'free for an hour at 11am tomorrow?',
    berlin,
    'Berlin',
    freeAt(`2026-03-06T11:00:00${B}`, 'tomorrow at 11:00', 60),
  ],
  ['am I free now?', berlin, 'Berlin', freeAt(`2026-03-05T15:20:00${B}`, 'now')],
  ['busy at 7 tonight?', berlin, 'Berlin', freeAt(`2026-03-05T19:00:00${B}`, 'tonight at 19:00')],
  // Free slots.
  [
    'when am I free tomorrow?',
    berlin,
    'Berlin',
    slots(`2026-03-06T00:00:00${B}`, `2026-03-07T00:00:00${B}`, 'tomorrow'),
  ],
  [
    'find me an hour on Thursday',
    berlin,
    'Berlin (today)',
    slots(`2026-03-05T15:20:00${B}`, `2026-03-06T00:00:00${B}`, 'Thursday 5 March', 60),
  ],
  [
    'any free 30 minute slot this week',
    berlin,
    'Berlin',
    slots(`2026-03-05T15:20:00${B}`, `2026-03-09T00:00:00${B}`, 'this week'),
  ],
  [
    'when am I free?',
    berlin,
    'Berlin',
    slots(`2026-03-05T15:20:00${B}`, `2026-03-06T00:00:00${B}`, 'today'),
  ],
  [
    'find 2 hours next week',
    berlin,
    'Berlin',
    slots(`2026-03-09T00:00:00${B}`, `2026-03-16T00:00:00${B}`, 'next week', 120),
  ],
  [
    'half an hour free on friday afternoon',
    berlin,
    'Berlin',
    slots(`2026-03-06T12:00:00${B}`, `2026-03-06T18:00:00${B}`, 'Friday 6 March afternoon'),
  ],
  [
    'availability this afternoon',
    berlin,
    'Berlin',
    slots(`2026-03-05T15:20:00${B}`, `2026-03-05T18:00:00${B}`, 'this afternoon'),
  ],
  [
    'any 45-minute gap on monday',
    berlin,
    'Berlin',
    slots(`2026-03-09T00:00:00${B}`, `2026-03-10T00:00:00${B}`, 'Monday 9 March', 45),
  ],
  // Next event.
  ["what's next?", berlin, 'Berlin', { kind: 'next' }],
  ['next meeting', berlin, 'Berlin', { kind: 'next' }],
  ['When is my next event', berlin, 'Berlin', { kind: 'next' }],
  ["What's up next", berlin, 'Berlin', { kind: 'next' }],
  // Mail search.
  [
    'anything from Alice about the invoice?',
    berlin,
    'Berlin',
    mail('from:alice invoice', 'mail from alice about invoice'),
  ],
  [
    'emails from bob@x.com this week',
    berlin,
    'Berlin',
    mail('from:bob@x.com after:2026/03/02', 'mail from bob@x.com this week'),
  ],
  ['mail about the contract', berlin, 'Berlin', mail('contract', 'mail about contract')],
  [
    'unread mail from Alice',
    berlin,
    'Berlin',
    mail('from:alice is:unread', 'unread mail from alice'),
  ],
  ['show me newsletters', berlin, 'Berlin', mail('unsubscribe', 'newsletters')],
  [
    'emails about “quarterly report”',
    berlin,
    'Berlin',
    mail('"quarterly report"', 'mail about "quarterly report"'),
  ],
  [
    'emails from alice OR from:ceo@corp.com',
    berlin,
    'Berlin (operator injection)',
    mail('from:alice', 'mail from alice'),
  ],
  [
    'mail from -{alice} (subject:x)',
    berlin,
    'Berlin (operator injection)',
    mail('from:alice x', 'mail from alice about x'),
  ],
  [
    'messages from "ceo" in:spam',
    berlin,
    'Berlin (operator injection)',
    mail('spam "ceo"', 'mail about spam "ceo"'),
  ],
  [
    'emails with attachments from carol yesterday',
    berlin,
    'Berlin',
    mail(
      'from:carol has:attachment after:2026/03/04 before:2026/03/05',
      'mail from carol yesterday',
    ),
  ],
  [
    'emails I sent to bob last week',
    berlin,
    'Berlin',
    mail('to:bob in:sent after:2026/02/23 before:2026/03/02', 'mail you sent to bob last week'),
  ],
  [
    'mail from dave in the last 3 days',
    berlin,
    'Berlin',
    mail('from:dave after:2026/03/02', 'mail from dave in the last 3 days'),
  ],
  ['emails since monday', berlin, 'Berlin', mail('after:2026/03/02', 'mail since Monday')],
  [
    'emails from Alice on March 2',
    berlin,
    'Berlin',
    mail('from:alice after:2026/03/02 before:2026/03/03', 'mail from alice Monday 2 March'),
  ],
  [
    'Email from Ünal about Überweisung',
    berlin,
    'Berlin',
    mail('from:ünal überweisung', 'mail from ünal about überweisung'),
  ],
  ['emails about the meeting', berlin, 'Berlin', mail('meeting', 'mail about meeting')],
  ['show me my emails', berlin, 'Berlin', mail('in:inbox', 'your inbox')],
  // Unread.
  ['show unread', berlin, 'Berlin', { kind: 'unread' }],
  ['how many unread emails', berlin, 'Berlin', { kind: 'unread' }],
  ['any new mail?', berlin, 'Berlin', { kind: 'unread' }],
  ['check my inbox', berlin, 'Berlin', { kind: 'unread' }],
  ['do I have new messages', berlin, 'Berlin', { kind: 'unread' }],
  // Action items.
  ['what do I need to do this week?', berlin, 'Berlin', actions(7, 'this week')],
  ['action items', berlin, 'Berlin', actions(7, 'the last 7 days')],
  ['anything I need to reply to?', berlin, 'Berlin', actions(7, 'the last 7 days')],
  ['todo from email', berlin, 'Berlin', actions(7, 'the last 7 days')],
  ['tasks from the last 3 days', berlin, 'Berlin', actions(3, 'the last 3 days')],
  ['any follow-ups today', berlin, 'Berlin', actions(1, 'today')],
  // Briefing, help, greetings, unknown.
  ['give me my briefing', berlin, 'Berlin', { kind: 'briefing' }],
  ['morning summary', berlin, 'Berlin', { kind: 'briefing' }],
  ['catch me up', berlin, 'Berlin', { kind: 'briefing' }],
  ['help', berlin, 'Berlin', { kind: 'help' }],
  ['What can you do?', berlin, 'Berlin', { kind: 'help' }],
  ['/help', berlin, 'Berlin', { kind: 'help' }],
  ['hi', berlin, 'Berlin', { kind: 'greeting' }],
  ['Hello there!', berlin, 'Berlin', { kind: 'greeting' }],
  ['thanks!', berlin, 'Berlin', { kind: 'greeting' }],
  ['Thank you so much', berlin, 'Berlin', { kind: 'greeting' }],
  ['good morning', berlin, 'Berlin', { kind: 'greeting' }],
  ['asdf qwerty', berlin, 'Berlin', unknown],
  ['', berlin, 'Berlin', unknown],
  ['tell me a joke', berlin, 'Berlin', unknown],
];

describe('routeIntent', () => {
  for (const [text, ctx, where, expected] of CASES) {
    it(`routes ${JSON.stringify(text)} in ${where} to ${expected.kind}`, () => {
      expect(routeIntent(text, ctx)).toStrictEqual(expected);
    });
  }

  it('has at least 80 phrasings in its table', () => {
    expect(CASES.length >= 80).toStrictEqual(true);
  });

  it('falls back to UTC for an invalid time zone', () => {
    expect(
      routeIntent('today', { now: new Date('2026-03-05T14:20:00Z'), timeZone: 'Mars/Olympus' }),
    ).toStrictEqual(agenda('2026-03-05T00:00:00Z', '2026-03-06T00:00:00Z', 'today'));
  });
});
