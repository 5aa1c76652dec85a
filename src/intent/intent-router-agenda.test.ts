import { describe } from 'vitest';
import { B, agenda, berlin, routesAll } from './intent-router.harness.ts';
import type { RouteCase } from './intent-router.harness.ts';

const CASES: RouteCase[] = [
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
];

describe('routeIntent: agenda questions', () => {
  routesAll(CASES);
});
