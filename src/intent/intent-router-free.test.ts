import { describe } from 'vitest';
import { B, berlin, freeAt, slots, routesAll } from './intent-router.harness.ts';
import type { RouteCase } from './intent-router.harness.ts';
import type { RouteContext } from './intent.ts';

const CASES: RouteCase[] = [
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
];

describe('routeIntent: free time', () => {
  routesAll(CASES);
});

/** Friday 6 March 2026, 19:00 in Berlin: three o'clock today is four hours gone. */
const fridayEvening: RouteContext = { ...berlin, now: new Date('2026-03-06T18:00:00Z') };
const EVENING = 'Berlin, Friday 19:00';

const PAST_CASES: RouteCase[] = [
  [
    'am I free friday at 3?',
    fridayEvening,
    EVENING,
    freeAt(`2026-03-13T15:00:00${B}`, 'Friday 13 March at 15:00'),
  ],
  [
    'am I free on friday at 3?',
    fridayEvening,
    EVENING,
    freeAt(`2026-03-13T15:00:00${B}`, 'Friday 13 March at 15:00'),
  ],
  [
    'am I free friday at 8pm?',
    fridayEvening,
    EVENING,
    freeAt(`2026-03-06T20:00:00${B}`, 'Friday 6 March at 20:00'),
  ],
  [
    'am I free at 3?',
    fridayEvening,
    EVENING,
    freeAt(`2026-03-07T15:00:00${B}`, 'tomorrow at 15:00'),
  ],
  // A day named outright keeps the time asked about: the reply says it has passed.
  [
    'am I free today at 3?',
    fridayEvening,
    EVENING,
    freeAt(`2026-03-06T15:00:00${B}`, 'today at 15:00'),
  ],
  [
    'am I free this friday at 3?',
    fridayEvening,
    EVENING,
    freeAt(`2026-03-06T15:00:00${B}`, 'Friday 6 March at 15:00'),
  ],
  [
    'busy tonight at 9?',
    fridayEvening,
    EVENING,
    freeAt(`2026-03-06T21:00:00${B}`, 'tonight at 21:00'),
  ],
  [
    'free tomorrow morning at 7?',
    fridayEvening,
    EVENING,
    freeAt(`2026-03-07T07:00:00${B}`, 'tomorrow morning at 07:00'),
  ],
  [
    'free tomorrow evening at 10:30?',
    fridayEvening,
    EVENING,
    freeAt(`2026-03-07T22:30:00${B}`, 'tomorrow evening at 22:30'),
  ],
  [
    'when am I free friday afternoon?',
    fridayEvening,
    EVENING,
    slots(`2026-03-13T12:00:00${B}`, `2026-03-13T18:00:00${B}`, 'Friday 13 March afternoon'),
  ],
  [
    'when am I free friday?',
    fridayEvening,
    EVENING,
    slots(`2026-03-06T19:00:00${B}`, `2026-03-07T00:00:00${B}`, 'Friday 6 March'),
  ],
  [
    'when am I free coming friday?',
    fridayEvening,
    EVENING,
    slots(`2026-03-13T00:00:00${B}`, `2026-03-14T00:00:00${B}`, 'Friday 13 March'),
  ],
  [
    'when am I free this week?',
    fridayEvening,
    EVENING,
    slots(`2026-03-06T19:00:00${B}`, `2026-03-09T00:00:00${B}`, 'this week'),
  ],
  [
    'when am I free this evening?',
    fridayEvening,
    EVENING,
    slots(`2026-03-06T19:00:00${B}`, `2026-03-07T00:00:00${B}`, 'this evening'),
  ],
  // Over already: left as asked, for the reply to say so rather than search the past.
  [
    'when am I free this afternoon?',
    fridayEvening,
    EVENING,
    slots(`2026-03-06T12:00:00${B}`, `2026-03-06T18:00:00${B}`, 'this afternoon'),
  ],
];

describe('routeIntent: free time asked about once it has passed', () => {
  routesAll(PAST_CASES);
});
