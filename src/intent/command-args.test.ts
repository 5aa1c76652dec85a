import { describe, expect, it } from 'vitest';
import { parseBriefingTime, parseDayArg, parseWhenArg } from './command-args.ts';
import type { RouteContext } from './intent.ts';

/** Thursday 5 March 2026, 09:20 in New York (EST, -05:00). */
const ctx: RouteContext = {
  now: new Date('2026-03-05T14:20:00Z'),
  timeZone: 'America/New_York',
  locale: 'en-US',
};
/** Friday 6 March 2026, 00:30 in Auckland (+13:00); UTC is still on Thursday. */
const auckland: RouteContext = {
  now: new Date('2026-03-05T11:30:00Z'),
  timeZone: 'Pacific/Auckland',
  locale: 'en-NZ',
};

describe('parseDayArg', () => {
  const cases: Array<[string, RouteContext, ReturnType<typeof parseDayArg>]> = [
    [
      '',
      ctx,
      { from: '2026-03-05T00:00:00-05:00', to: '2026-03-06T00:00:00-05:00', label: 'today' },
    ],
    [
      'friday',
      ctx,
      {
        from: '2026-03-06T00:00:00-05:00',
        to: '2026-03-07T00:00:00-05:00',
        label: 'Friday, March 6',
      },
    ],
    [
      'fri',
      ctx,
      {
        from: '2026-03-06T00:00:00-05:00',
        to: '2026-03-07T00:00:00-05:00',
        label: 'Friday, March 6',
      },
    ],
    [
      '2026-03-09',
      ctx,
      {
        from: '2026-03-09T00:00:00-04:00',
        to: '2026-03-10T00:00:00-04:00',
        label: 'Monday, March 9',
      },
    ],
    [
      'tomorrow',
      ctx,
      { from: '2026-03-06T00:00:00-05:00', to: '2026-03-07T00:00:00-05:00', label: 'tomorrow' },
    ],
    [
      'Tomorrow afternoon',
      ctx,
      {
        from: '2026-03-06T12:00:00-05:00',
        to: '2026-03-06T18:00:00-05:00',
        label: 'tomorrow afternoon',
      },
    ],
    [
      'next week',
      ctx,
      { from: '2026-03-09T00:00:00-04:00', to: '2026-03-16T00:00:00-04:00', label: 'next week' },
    ],
    [
      'on the weekend',
      ctx,
      { from: '2026-03-07T00:00:00-05:00', to: '2026-03-09T00:00:00-04:00', label: 'the weekend' },
    ],
    [
      '3/10',
      ctx,
      {
        from: '2026-03-10T00:00:00-04:00',
        to: '2026-03-11T00:00:00-04:00',
        label: 'Tuesday, March 10',
      },
    ],
    [
      '',
      auckland,
      { from: '2026-03-06T00:00:00+13:00', to: '2026-03-07T00:00:00+13:00', label: 'today' },
    ],
    [
      '10/3',
      auckland,
      {
        from: '2026-03-10T00:00:00+13:00',
        to: '2026-03-11T00:00:00+13:00',
        label: 'Tuesday, 10 March',
      },
    ],
    ['banana', ctx, null],
    ['friday banana', ctx, null],
    ['2026-02-30', ctx, null],
  ];
  for (const [arg, context, expected] of cases) {
    it(`reads ${JSON.stringify(arg)} in ${context.timeZone}`, () => {
      expect(parseDayArg(arg, context)).toStrictEqual(expected);
    });
  }
});

describe('parseWhenArg', () => {
  const cases: Array<[string, ReturnType<typeof parseWhenArg>]> = [
    [
      '',
      {
        kind: 'free_slots',
        from: '2026-03-05T09:20:00-05:00',
        to: '2026-03-06T00:00:00-05:00',
        minMinutes: 30,
        label: 'today',
      },
    ],
    [
      'tomorrow at 3',
      {
        kind: 'free_at',
        at: '2026-03-06T15:00:00-05:00',
        durationMinutes: 30,
        label: 'tomorrow at 3:00 PM',
      },
    ],
    [
      'friday',
      {
        kind: 'free_slots',
        from: '2026-03-06T00:00:00-05:00',
        to: '2026-03-07T00:00:00-05:00',
        minMinutes: 30,
        label: 'Friday, March 6',
      },
    ],
    [
      '14:30',
      {
        kind: 'free_at',
        at: '2026-03-05T14:30:00-05:00',
        durationMinutes: 30,
        label: 'today at 2:30 PM',
      },
    ],
    [
      '8am',
      {
        kind: 'free_at',
        at: '2026-03-06T08:00:00-05:00',
        durationMinutes: 30,
        label: 'tomorrow at 8:00 AM',
      },
    ],
    [
      'friday for an hour',
      {
        kind: 'free_slots',
        from: '2026-03-06T00:00:00-05:00',
        to: '2026-03-07T00:00:00-05:00',
        minMinutes: 60,
        label: 'Friday, March 6',
      },
    ],
    [
      'monday at 10 for 2 hours',
      {
        kind: 'free_at',
        at: '2026-03-09T10:00:00-04:00',
        durationMinutes: 120,
        label: 'Monday, March 9 at 10:00 AM',
      },
    ],
    ['lunch', null],
  ];
  for (const [arg, expected] of cases) {
    it(`reads ${JSON.stringify(arg)}`, () => {
      expect(parseWhenArg(arg, ctx)).toStrictEqual(expected);
    });
  }
});

describe('parseBriefingTime', () => {
  const at = (hour: number, minute: number, time: string) =>
    ({ kind: 'at', hour, minute, time }) as const;
  const cases: Array<[string, ReturnType<typeof parseBriefingTime>]> = [
    ['07:30', at(7, 30, '07:30')],
    ['7:30', at(7, 30, '07:30')],
    ['0730', at(7, 30, '07:30')],
    ['7', at(7, 0, '07:00')],
    ['7am', at(7, 0, '07:00')],
    ['7.30pm', at(19, 30, '19:30')],
    ['12am', at(0, 0, '00:00')],
    ['12pm', at(12, 0, '12:00')],
    ['19h', at(19, 0, '19:00')],
    ['23:59', at(23, 59, '23:59')],
    ['off', { kind: 'off' }],
    ['OFF', { kind: 'off' }],
    ['disable', { kind: 'off' }],
    ['24:00', null],
    ['7:60', null],
    ['13pm', null],
    ['soon', null],
    ['', null],
  ];
  for (const [arg, expected] of cases) {
    it(`reads ${JSON.stringify(arg)}`, () => {
      expect(parseBriefingTime(arg)).toStrictEqual(expected);
    });
  }
});
