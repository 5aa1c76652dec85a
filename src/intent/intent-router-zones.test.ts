import { describe, expect, it } from 'vitest';
import type { Intent, RouteContext } from './intent.ts';
import { routeIntent } from './intent-router.ts';

// The same router, around local midnight and daylight-saving changes, in zones far from
// UTC; the suite is meant to pass whatever the process time zone is (run it with TZ set).

/** Saturday 7 March 2026, 23:30 in New York: the evening before the US DST change. */
const newYork: RouteContext = {
  now: new Date('2026-03-08T04:30:00Z'),
  timeZone: 'America/New_York',
  locale: 'en-US',
};
/** Friday 6 March 2026, 00:30 in Auckland: still Thursday in UTC. */
const aucklandMidnight: RouteContext = {
  now: new Date('2026-03-05T11:30:00Z'),
  timeZone: 'Pacific/Auckland',
  locale: 'en-GB',
};
/** Saturday 4 April 2026, 23:30 in Auckland: NZ DST ends the next night (+13 → +12). */
const aucklandDst: RouteContext = {
  now: new Date('2026-04-04T10:30:00Z'),
  timeZone: 'Pacific/Auckland',
  locale: 'en-GB',
};
/** Thursday 5 March 2026, 23:45 in Kolkata (+05:30). */
const kolkata: RouteContext = {
  now: new Date('2026-03-05T18:15:00Z'),
  timeZone: 'Asia/Kolkata',
  locale: 'en-IN',
};
/** Friday 27 March 2026, 10:00 in Berlin: EU DST starts on Sunday 29 March. */
const berlinDst: RouteContext = {
  now: new Date('2026-03-27T09:00:00Z'),
  timeZone: 'Europe/Berlin',
  locale: 'en-GB',
};
/** Thursday 5 March 2026, 14:20 UTC, US locale, weeks starting on Sunday. */
const utcSunday: RouteContext = {
  now: new Date('2026-03-05T14:20:00Z'),
  timeZone: 'UTC',
  locale: 'en-US',
  weekStartsOn: 7,
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

const CASES: Array<[string, RouteContext, string, Intent]> = [
  // New York, the evening before the US DST change (EST -05:00 → EDT -04:00).
  [
    'tomorrow',
    newYork,
    'New York',
    agenda('2026-03-08T00:00:00-05:00', '2026-03-09T00:00:00-04:00', 'tomorrow'),
  ],
  [
    'today',
    newYork,
    'New York',
    agenda('2026-03-07T00:00:00-05:00', '2026-03-08T00:00:00-05:00', 'today'),
  ],
  [
    'tomorrow afternoon',
    newYork,
    'New York',
    agenda('2026-03-08T12:00:00-04:00', '2026-03-08T18:00:00-04:00', 'tomorrow afternoon'),
  ],
  [
    'tomorrow morning',
    newYork,
    'New York',
    agenda('2026-03-08T06:00:00-04:00', '2026-03-08T12:00:00-04:00', 'tomorrow morning'),
  ],
  [
    'next week',
    newYork,
    'New York',
    agenda('2026-03-09T00:00:00-04:00', '2026-03-16T00:00:00-04:00', 'next week'),
  ],
  [
    'this week',
    newYork,
    'New York',
    agenda('2026-03-07T23:30:00-05:00', '2026-03-09T00:00:00-04:00', 'this week'),
  ],
  [
    'tonight',
    newYork,
    'New York',
    agenda('2026-03-07T18:00:00-05:00', '2026-03-08T00:00:00-05:00', 'tonight'),
  ],
  [
    'on Sunday',
    newYork,
    'New York',
    agenda('2026-03-08T00:00:00-05:00', '2026-03-09T00:00:00-04:00', 'Sunday, March 8'),
  ],
  [
    '3/10',
    newYork,
    'New York (month first)',
    agenda('2026-03-10T00:00:00-04:00', '2026-03-11T00:00:00-04:00', 'Tuesday, March 10'),
  ],
  [
    'am I free tomorrow at 9',
    newYork,
    'New York',
    freeAt('2026-03-08T09:00:00-04:00', 'tomorrow at 9:00 AM'),
  ],
  [
    'am I free tomorrow at 2:30am',
    newYork,
    'New York (time in the DST gap)',
    freeAt('2026-03-08T03:30:00-04:00', 'tomorrow at 3:30 AM'),
  ],
  [
    'emails from bob this week',
    newYork,
    'New York',
    mail('from:bob after:2026/03/02', 'mail from bob this week'),
  ],
  // Auckland, just after local midnight (UTC is still on the previous day).
  [
    'today',
    aucklandMidnight,
    'Auckland',
    agenda('2026-03-06T00:00:00+13:00', '2026-03-07T00:00:00+13:00', 'today'),
  ],
  [
    'on Friday',
    aucklandMidnight,
    'Auckland',
    agenda('2026-03-06T00:00:00+13:00', '2026-03-07T00:00:00+13:00', 'Friday 6 March'),
  ],
  [
    'yesterday',
    aucklandMidnight,
    'Auckland',
    agenda('2026-03-05T00:00:00+13:00', '2026-03-06T00:00:00+13:00', 'yesterday'),
  ],
  [
    'am I free at 3',
    aucklandMidnight,
    'Auckland',
    freeAt('2026-03-06T15:00:00+13:00', 'today at 15:00'),
  ],
  [
    'this week',
    aucklandMidnight,
    'Auckland',
    agenda('2026-03-06T00:30:00+13:00', '2026-03-09T00:00:00+13:00', 'this week'),
  ],
  // Auckland, the night before NZ DST ends (NZDT +13:00 → NZST +12:00).
  [
    'tomorrow',
    aucklandDst,
    'Auckland DST',
    agenda('2026-04-05T00:00:00+13:00', '2026-04-06T00:00:00+12:00', 'tomorrow'),
  ],
  [
    'tomorrow evening',
    aucklandDst,
    'Auckland DST',
    agenda('2026-04-05T18:00:00+12:00', '2026-04-06T00:00:00+12:00', 'tomorrow evening'),
  ],
  [
    'the weekend',
    aucklandDst,
    'Auckland DST',
    agenda('2026-04-04T00:00:00+13:00', '2026-04-06T00:00:00+12:00', 'the weekend'),
  ],
  [
    'when am I free tomorrow',
    aucklandDst,
    'Auckland DST',
    slots('2026-04-05T00:00:00+13:00', '2026-04-06T00:00:00+12:00', 'tomorrow'),
  ],
  [
    'next week',
    aucklandDst,
    'Auckland DST',
    agenda('2026-04-06T00:00:00+12:00', '2026-04-13T00:00:00+12:00', 'next week'),
  ],
  // Kolkata, a half-hour offset, 23:45.
  [
    'tomorrow',
    kolkata,
    'Kolkata',
    agenda('2026-03-06T00:00:00+05:30', '2026-03-07T00:00:00+05:30', 'tomorrow'),
  ],
  [
    'tonight',
    kolkata,
    'Kolkata',
    agenda('2026-03-05T18:00:00+05:30', '2026-03-06T00:00:00+05:30', 'tonight'),
  ],
  [
    'am I free at 3',
    kolkata,
    'Kolkata (15:00 has passed)',
    freeAt('2026-03-06T15:00:00+05:30', 'tomorrow at 3:00 pm'),
  ],
  [
    '6/3',
    kolkata,
    'Kolkata (day first)',
    agenda('2026-03-06T00:00:00+05:30', '2026-03-07T00:00:00+05:30', 'Friday, 6 March'),
  ],
  [
    'mail from priya today',
    kolkata,
    'Kolkata',
    mail('from:priya after:2026/03/05 before:2026/03/06', 'mail from priya today'),
  ],
  // Berlin, the Friday before EU DST starts (CET +01:00 → CEST +02:00).
  [
    'the weekend',
    berlinDst,
    'Berlin DST',
    agenda('2026-03-28T00:00:00+01:00', '2026-03-30T00:00:00+02:00', 'the weekend'),
  ],
  [
    'on Sunday',
    berlinDst,
    'Berlin DST',
    agenda('2026-03-29T00:00:00+01:00', '2026-03-30T00:00:00+02:00', 'Sunday 29 March'),
  ],
  [
    'sunday afternoon',
    berlinDst,
    'Berlin DST',
    agenda('2026-03-29T12:00:00+02:00', '2026-03-29T18:00:00+02:00', 'Sunday 29 March afternoon'),
  ],
  [
    'next week',
    berlinDst,
    'Berlin DST',
    agenda('2026-03-30T00:00:00+02:00', '2026-04-06T00:00:00+02:00', 'next week'),
  ],
  [
    'in 3 days',
    berlinDst,
    'Berlin DST',
    agenda('2026-03-30T00:00:00+02:00', '2026-03-31T00:00:00+02:00', 'Monday 30 March'),
  ],
  [
    'am I free on sunday at 2:30am',
    berlinDst,
    'Berlin (time in the DST gap)',
    freeAt('2026-03-29T03:30:00+02:00', 'Sunday 29 March at 03:30'),
  ],
  // UTC, weeks starting on Sunday, US month-first dates.
  [
    'this week',
    utcSunday,
    'UTC',
    agenda('2026-03-05T14:20:00Z', '2026-03-08T00:00:00Z', 'this week'),
  ],
  [
    'next week',
    utcSunday,
    'UTC',
    agenda('2026-03-08T00:00:00Z', '2026-03-15T00:00:00Z', 'next week'),
  ],
  [
    'next sunday',
    utcSunday,
    'UTC',
    agenda('2026-03-08T00:00:00Z', '2026-03-09T00:00:00Z', 'Sunday, March 8'),
  ],
  [
    '5/3',
    utcSunday,
    'UTC (month first)',
    agenda('2026-05-03T00:00:00Z', '2026-05-04T00:00:00Z', 'Sunday, May 3'),
  ],
  [
    'emails from ann this week',
    utcSunday,
    'UTC',
    mail('from:ann after:2026/03/01', 'mail from ann this week'),
  ],
];

describe('routeIntent across zones and DST changes', () => {
  for (const [text, ctx, where, expected] of CASES) {
    it(`routes ${JSON.stringify(text)} in ${where} to ${expected.kind}`, () => {
      expect(routeIntent(text, ctx)).toStrictEqual(expected);
    });
  }
});
