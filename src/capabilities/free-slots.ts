/**
 * Pure interval arithmetic for free/busy: merging busy intervals and finding free slots
 * of a minimum length inside working hours, day by day in the user's zone (DST-safe:
 * working hours are wall-clock times of each day).
 */
import type { DateTime } from 'luxon';

export interface Interval {
  startMs: number;
  endMs: number;
}

/** Sorts and merges overlapping or touching intervals. */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = [...intervals]
    .filter((i) => i.endMs > i.startMs)
    .sort((a, b) => a.startMs - b.startMs);
  const merged: Interval[] = [];
  for (const interval of sorted) {
    const last = merged[merged.length - 1];
    if (last && interval.startMs <= last.endMs) last.endMs = Math.max(last.endMs, interval.endMs);
    else merged.push({ ...interval });
  }
  return merged;
}

export interface SlotOptions {
  from: DateTime;
  to: DateTime;
  zone: string;
  /** `HH:MM` wall-clock times. */
  workStart: string;
  workEnd: string;
  minMinutes: number;
  includeWeekends: boolean;
}

function atTime(day: DateTime, hhmm: string): DateTime {
  const [hour, minute] = hhmm.split(':').map(Number);
  return day.set({ hour: hour ?? 0, minute: minute ?? 0, second: 0, millisecond: 0 });
}

/** Free slots of at least `minMinutes` inside working hours, between busy intervals. */
export function freeSlots(busy: readonly Interval[], options: SlotOptions): Interval[] {
  const merged = mergeIntervals(busy);
  const slots: Interval[] = [];
  const minMs = options.minMinutes * 60_000;
  const last = options.to.setZone(options.zone);
  for (
    let day = options.from.setZone(options.zone).startOf('day');
    day < last;
    day = day.plus({ days: 1 })
  ) {
    if (!options.includeWeekends && day.weekday >= 6) continue;
    const windowStart = Math.max(
      atTime(day, options.workStart).toMillis(),
      options.from.toMillis(),
    );
    const windowEnd = Math.min(atTime(day, options.workEnd).toMillis(), options.to.toMillis());
    let cursor = windowStart;
    for (const interval of merged) {
      if (interval.endMs <= cursor) continue;
      if (interval.startMs >= windowEnd) break;
      if (interval.startMs - cursor >= minMs)
        slots.push({ startMs: cursor, endMs: interval.startMs });
      cursor = Math.max(cursor, interval.endMs);
    }
    if (windowEnd - cursor >= minMs) slots.push({ startMs: cursor, endMs: windowEnd });
  }
  return slots;
}
