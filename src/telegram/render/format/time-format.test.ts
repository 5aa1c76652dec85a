import { describe, expect, it } from 'vitest';
import { formatDayHeading, formatRelative, formatTimeRange, formatWhen } from './time-format.ts';

describe('formatRelative', () => {
  it('words minutes from now and ago', () => {
    expect([0, 0.4, 5, 59, 60, 135, 1620, 2880, 4320, -20, -135].map(formatRelative)).toStrictEqual(
      [
        'now',
        'now',
        'in 5 min',
        'in 59 min',
        'in 1 h',
        'in 2 h 15 min',
        'in 1 day 3 h',
        'in 2 days',
        'in 3 days',
        '20 min ago',
        '2 h 15 min ago',
      ],
    );
  });
});

describe('formatWhen', () => {
  const now = new Date('2026-03-05T14:20:00Z');
  it('says when a moment is, relative to now, in the user zone', () => {
    const gb = { now, zone: 'Europe/Berlin', locale: 'en-GB' };
    expect([
      formatWhen('2026-03-05T15:45:00+01:00', gb),
      formatWhen('2026-03-05T18:00:00+01:00', gb),
      formatWhen('2026-03-06T08:30:00Z', gb),
      formatWhen('2026-03-04T18:00:00+01:00', gb),
      formatWhen('2026-03-10T10:00:00+01:00', gb),
      formatWhen('2026-03-06T08:30:00Z', { now, zone: 'Europe/Berlin', locale: 'en-US' }),
    ]).toStrictEqual([
      'in 25 min',
      'today at 18:00',
      'tomorrow at 09:30',
      'yesterday at 18:00',
      'Tuesday 10 March at 10:00',
      'tomorrow at 9:30 AM',
    ]);
  });

  it('counts days in the user zone, not in UTC', () => {
    // 11:30Z on 5 March is already 00:30 on 6 March in Auckland.
    const auckland = {
      now: new Date('2026-03-05T11:30:00Z'),
      zone: 'Pacific/Auckland',
      locale: 'en-GB',
    };
    expect(formatWhen('2026-03-06T09:00:00+13:00', auckland)).toStrictEqual('today at 09:00');
  });
});

describe('formatTimeRange', () => {
  it('uses 24-hour times for en-GB and 12-hour times for en-US', () => {
    expect([
      formatTimeRange(
        '2026-03-06T09:30:00+01:00',
        '2026-03-06T10:15:00+01:00',
        'Europe/Berlin',
        'en-GB',
      ),
      formatTimeRange('2026-03-06T14:30:00Z', '2026-03-06T15:15:00Z', 'America/New_York', 'en-US'),
      formatTimeRange('2026-03-06T16:30:00Z', '2026-03-06T17:30:00Z', 'America/New_York', 'en-US'),
    ]).toStrictEqual(['09:30–10:15', '9:30 – 10:15 AM', '11:30 AM – 12:30 PM']);
  });

  it('shows the days of a range that crosses midnight', () => {
    expect([
      formatTimeRange(
        '2026-03-06T23:00:00+01:00',
        '2026-03-07T01:00:00+01:00',
        'Europe/Berlin',
        'en-GB',
      ),
      formatTimeRange(
        '2026-03-06T23:00:00+01:00',
        '2026-03-07T01:00:00+01:00',
        'Europe/Berlin',
        'en-US',
      ),
      formatTimeRange(
        '2026-03-06T09:00:00+01:00',
        '2026-03-07T00:00:00+01:00',
        'Europe/Berlin',
        'en-GB',
      ),
    ]).toStrictEqual([
      'Fri 6 Mar, 23:00 – Sat 7 Mar, 01:00',
      'Fri, Mar 6, 11:00 PM – Sat, Mar 7, 1:00 AM',
      '09:00 – 00:00',
    ]);
  });

  it('words all-day events with an exclusive end date', () => {
    expect([
      formatTimeRange('2026-03-06', '2026-03-07', 'Europe/Berlin', 'en-GB'),
      formatTimeRange('2026-03-06', '2026-03-09', 'Europe/Berlin', 'en-GB'),
      formatTimeRange('2026-03-06', '2026-03-09', 'America/New_York', 'en-US'),
      formatTimeRange('2026-03-30', '2026-04-02', 'Europe/Berlin', 'en-GB'),
    ]).toStrictEqual(['all day', '6 – 8 Mar', 'Mar 6 – 8', '30 Mar – 1 Apr']);
  });
});

describe('formatDayHeading', () => {
  it('names the day in the locale', () => {
    expect([
      formatDayHeading('2026-03-03', 'Europe/Berlin', 'en-GB'),
      formatDayHeading('2026-03-03', 'Pacific/Auckland', 'en-US'),
    ]).toStrictEqual(['Tuesday 3 March', 'Tuesday, March 3']);
  });

  it('reads a date-time in the user zone', () => {
    expect([
      formatDayHeading('2026-03-03T23:30:00Z', 'Pacific/Auckland', 'en-GB'),
      formatDayHeading('2026-03-03T23:30:00Z', 'America/New_York', 'en-GB'),
    ]).toStrictEqual(['Wednesday 4 March', 'Tuesday 3 March']);
  });
});
