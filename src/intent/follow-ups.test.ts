import { describe, expect, it } from 'vitest';
import type { FollowUpAction, FollowUpContext } from './follow-ups.ts';
import { readFollowUp, resolveFollowUp } from './follow-ups.ts';
import { B, berlin } from './intent-router.harness.ts';

/** A page of five messages from Alice, numbered 1 to 5, with more after it. */
const aliceList: FollowUpContext = {
  list: { kind: 'mail', first: 1, count: 5, hasMore: true, label: 'mail from alice' },
  asked: null,
  mailQuery: { query: 'from:alice', label: 'mail from alice' },
  person: { email: 'alice@northwind.example', name: 'Alice Chen' },
};
/** The second page of the inbox (6 to 10), the last one. */
const secondPage: FollowUpContext = {
  list: { kind: 'mail', first: 6, count: 5, hasMore: false, label: 'your inbox' },
  asked: 'agenda',
  mailQuery: { query: 'in:inbox', label: 'your inbox' },
  person: null,
};
/** Tomorrow's agenda, three events, after "when am I free tomorrow?". */
const agendaAfterFree: FollowUpContext = {
  list: { kind: 'agenda', first: 1, count: 3, hasMore: false, label: 'tomorrow' },
  asked: 'free',
  mailQuery: null,
  person: { email: 'a OR from:ceo@x.com', name: 'Mallory' },
};

const tomorrow = { from: `2026-03-06T00:00:00${B}`, to: `2026-03-07T00:00:00${B}` };

type Case = [string, FollowUpContext | null, FollowUpAction];

const CASES: Case[] = [
  // Items of the last list, by the number shown or by place.
  ['open 1', aliceList, { kind: 'open', index: 0 }],
  ['Open 2.', aliceList, { kind: 'open', index: 1 }],
  ['read the first one', aliceList, { kind: 'open', index: 0 }],
  ['the second', aliceList, { kind: 'open', index: 1 }],
  ['and the third one?', aliceList, { kind: 'open', index: 2 }],
  ['show me 3', aliceList, { kind: 'open', index: 2 }],
  ['number 2', aliceList, { kind: 'open', index: 1 }],
  ['#4', aliceList, { kind: 'open', index: 3 }],
  ['open five please', aliceList, { kind: 'open', index: 4 }],
  ['the last one', aliceList, { kind: 'open', index: 4 }],
  ['open 7', secondPage, { kind: 'open', index: 1 }],
  ['the first one', secondPage, { kind: 'open', index: 0 }],
  ['the 2nd event', agendaAfterFree, { kind: 'open', index: 1 }],
  ['open 7', aliceList, { kind: 'no_item', asked: 7, first: 1, last: 5 }],
  ['open 1', secondPage, { kind: 'no_item', asked: 1, first: 6, last: 10 }],
  ['the sixth', aliceList, { kind: 'no_item', asked: 6, first: 1, last: 5 }],
  ['open 1', null, { kind: 'no_list' }],
  ['the last one', null, { kind: 'no_list' }],
  // Paging.
  ['more', aliceList, { kind: 'next_page' }],
  ['next page', aliceList, { kind: 'next_page' }],
  ['Show me more please', aliceList, { kind: 'next_page' }],
  ['more', secondPage, { kind: 'no_more', list: 'mail', label: 'your inbox' }],
  ['more', agendaAfterFree, { kind: 'no_more', list: 'agenda', label: 'tomorrow' }],
  ['next page', null, { kind: 'no_list' }],
  // Another day for the same question.
  ['and tomorrow?', null, { kind: 'agenda', range: { ...tomorrow, label: 'tomorrow' } }],
  ['and tomorrow?', secondPage, { kind: 'agenda', range: { ...tomorrow, label: 'tomorrow' } }],
  [
    'what about friday?',
    secondPage,
    { kind: 'agenda', range: { ...tomorrow, label: 'Friday 6 March' } },
  ],
  [
    'What about next week?',
    secondPage,
    {
      kind: 'agenda',
      range: { from: `2026-03-09T00:00:00${B}`, to: `2026-03-16T00:00:00${B}`, label: 'next week' },
    },
  ],
  [
    'and tomorrow?',
    agendaAfterFree,
    {
      kind: 'free',
      intent: { kind: 'free_slots', ...tomorrow, minMinutes: 30, label: 'tomorrow' },
    },
  ],
  [
    'how about tomorrow at 3?',
    agendaAfterFree,
    {
      kind: 'free',
      intent: {
        kind: 'free_at',
        at: `2026-03-06T15:00:00${B}`,
        durationMinutes: 30,
        label: 'tomorrow at 15:00',
      },
    },
  ],
  ['and tomorrow at 3?', secondPage, { kind: 'route' }],
  // The last person.
  [
    'from her?',
    aliceList,
    { kind: 'mail_search', query: 'from:alice@northwind.example', label: 'mail from Alice Chen' },
  ],
  [
    'anything else from him?',
    aliceList,
    { kind: 'mail_search', query: 'from:alice@northwind.example', label: 'mail from Alice Chen' },
  ],
  [
    'more from them',
    aliceList,
    { kind: 'mail_search', query: 'from:alice@northwind.example', label: 'mail from Alice Chen' },
  ],
  [
    'any unread mail from her?',
    aliceList,
    {
      kind: 'mail_search',
      query: 'from:alice@northwind.example is:unread',
      label: 'unread mail from Alice Chen',
    },
  ],
  ['from her?', secondPage, { kind: 'no_person' }],
  ['from them', null, { kind: 'no_person' }],
  // A sender address that is not one plain token is never put in a query.
  ['anything else from her?', agendaAfterFree, { kind: 'no_person' }],
  // The last mail list, unread only.
  [
    'unread ones?',
    aliceList,
    { kind: 'mail_search', query: 'from:alice is:unread', label: 'unread mail from alice' },
  ],
  ['only the unread ones', secondPage, { kind: 'unread' }],
  ['and unread?', null, { kind: 'unread' }],
];

const NOT_FOLLOW_UPS = [
  'show unread',
  'unread',
  "what's on tomorrow?",
  'tomorrow',
  'anything from Alice?',
  'from alice',
  'next',
  'next meeting',
  'last week',
  'open the invoice from alice',
  'more meetings tomorrow',
  'am I free friday at 3?',
  'and the weather?',
  '2026',
  '',
];

describe('follow-ups', () => {
  for (const [text, context, expected] of CASES) {
    const given = context === null ? 'nothing kept' : `a ${context.list?.kind ?? 'no'} list`;
    it(`reads ${JSON.stringify(text)} after ${given} as ${expected.kind}`, () => {
      const followUp = readFollowUp(text, berlin);
      expect(followUp && resolveFollowUp(followUp, context, berlin)).toStrictEqual(expected);
    });
  }

  it('leaves questions of their own to the router', () => {
    expect(NOT_FOLLOW_UPS.map((text) => [text, readFollowUp(text, berlin)])).toStrictEqual(
      NOT_FOLLOW_UPS.map((text) => [text, null]),
    );
  });
});
