import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { freeSlots, mergeIntervals } from './free-slots.ts';

const zone = 'Europe/Berlin';
const at = (s: string) => DateTime.fromISO(s, { zone }).toMillis();
const show = (slots: { startMs: number; endMs: number }[]) =>
  slots.map((s) => [
    DateTime.fromMillis(s.startMs, { zone }).toISO({ suppressMilliseconds: true }),
    DateTime.fromMillis(s.endMs, { zone }).toISO({ suppressMilliseconds: true }),
  ]);

describe('free slots', () => {
  it('merges overlapping and touching intervals', () => {
    expect(
      mergeIntervals([
        { startMs: 5, endMs: 8 },
        { startMs: 1, endMs: 3 },
        { startMs: 3, endMs: 4 },
        { startMs: 6, endMs: 7 },
      ]),
    ).toStrictEqual([
      { startMs: 1, endMs: 4 },
      { startMs: 5, endMs: 8 },
    ]);
  });

  it('finds gaps of at least the minimum inside working hours and skips the weekend', () => {
    const busy = [
      { startMs: at('2026-11-27T10:00'), endMs: at('2026-11-27T11:00') },
      { startMs: at('2026-11-27T11:15'), endMs: at('2026-11-27T17:00') },
    ];
    const slots = freeSlots(busy, {
      from: DateTime.fromISO('2026-11-27T00:00', { zone }),
      to: DateTime.fromISO('2026-11-30T00:00', { zone }),
      zone,
      workStart: '09:00',
      workEnd: '18:00',
      minMinutes: 30,
      includeWeekends: false,
    });
    expect(show(slots)).toStrictEqual([
      ['2026-11-27T09:00:00+01:00', '2026-11-27T10:00:00+01:00'],
      ['2026-11-27T17:00:00+01:00', '2026-11-27T18:00:00+01:00'],
    ]);
  });

  it('keeps wall-clock working hours across a DST change', () => {
    const slots = freeSlots([], {
      from: DateTime.fromISO('2026-03-28T00:00', { zone }),
      to: DateTime.fromISO('2026-03-30T00:00', { zone }),
      zone,
      workStart: '09:00',
      workEnd: '10:00',
      minMinutes: 30,
      includeWeekends: true,
    });
    expect(show(slots)).toStrictEqual([
      ['2026-03-28T09:00:00+01:00', '2026-03-28T10:00:00+01:00'],
      ['2026-03-29T09:00:00+02:00', '2026-03-29T10:00:00+02:00'],
    ]);
  });

  it('starts no earlier than the range start', () => {
    const slots = freeSlots([], {
      from: DateTime.fromISO('2026-11-25T16:20', { zone }),
      to: DateTime.fromISO('2026-11-26T00:00', { zone }),
      zone,
      workStart: '09:00',
      workEnd: '18:00',
      minMinutes: 30,
      includeWeekends: false,
    });
    expect(show(slots)).toStrictEqual([['2026-11-25T16:20:00+01:00', '2026-11-25T18:00:00+01:00']]);
  });
});
