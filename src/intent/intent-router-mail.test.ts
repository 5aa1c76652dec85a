import { describe } from 'vitest';
import { berlin, mail, routesAll } from './intent-router.harness.ts';
import type { RouteCase } from './intent-router.harness.ts';

const CASES: RouteCase[] = [
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
];

describe('routeIntent: next event, mail and unread', () => {
  routesAll(CASES);
});
