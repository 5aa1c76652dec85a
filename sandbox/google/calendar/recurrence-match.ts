/**
 * How the times that name an instance — RECURRENCE-ID, EXDATE, RDATE — find it when they
 * are not written in the same form as the series' DTSTART, as calendar programs in the wild
 * write them, and which exception survives a newer version of its series.
 *
 * - A date-time naming an instance of an all-day series names the date of its wall clock as
 *   written (TZID, UTC or floating), whatever the calendar's zone: Exchange writes
 *   `RECURRENCE-ID;TZID=Europe/Berlin:20261207T000000` for the all-day instance of 7 December.
 * - A date naming an instance of a timed series names the instance at DTSTART's time of
 *   day on that date; a date EXDATE removes every instance on that date in the series'
 *   zone (floating series: the calendar's zone).
 * - A date-time naming an instance of a timed series names the same instant.
 */
import type { EventRecord } from './event-model.ts';
import { type IcsTime, localOf, toInstant } from './zoned-time.ts';

export interface ExpandZones {
  /** Zone of floating times: the calendar's zone. */
  floating: string;
  /** Zone in which all-day dates begin and end when compared with instants. */
  dates: string;
}

/** `time` in the form of the series' DTSTART `like` (see the module header). */
export function inSeriesForm(time: IcsTime, like: IcsTime, zones: ExpandZones): IcsTime {
  if (like.kind === 'date') {
    return time.kind === 'date' ? time : { kind: 'date', date: time.local.slice(0, 10) };
  }
  if (time.kind === 'date') {
    return { kind: 'dateTime', local: `${time.date}${like.local.slice(10)}`, zone: like.zone };
  }
  if (like.zone === null) return time;
  const ms = toInstant(time, zones.floating);
  return { kind: 'dateTime', local: localOf(ms, like.zone), zone: like.zone };
}

/** Whether an instance start (already in series form) is one the master's EXDATEs remove. */
export function exclusionTest(
  master: EventRecord,
  zones: ExpandZones,
  keyOf: (time: IcsTime) => string,
): (start: IcsTime) => boolean {
  const keys = new Set<string>();
  const days = new Set<string>();
  for (const time of master.exdates) {
    if (time.kind === 'date' && master.start.kind === 'dateTime') days.add(time.date);
    else keys.add(keyOf(inSeriesForm(time, master.start, zones)));
  }
  return (start) =>
    keys.has(keyOf(start)) || (start.kind === 'dateTime' && days.has(start.local.slice(0, 10)));
}

/**
 * Whether an exception outlives a newer version of its series that no longer has its
 * instance (an EXDATE for it, or a rule that no longer produces it). Google keeps such an
 * exception as a standalone instance only when it was changed after the series: a later
 * SEQUENCE, and no earlier LAST-MODIFIED when both are known. Otherwise the date shows
 * nothing (an exdated one only its cancelled instance, with `showDeleted`).
 */
export function outlivesSeries(override: EventRecord, master: EventRecord): boolean {
  if (override.sequence <= master.sequence) return false;
  return override.updated === null || master.updated === null || override.updated >= master.updated;
}

/** The newer of two exceptions for the same instance: SEQUENCE, then LAST-MODIFIED. */
export function newerException(a: EventRecord, b: EventRecord): EventRecord {
  if (a.sequence !== b.sequence) return a.sequence > b.sequence ? a : b;
  return (a.updated ?? 0) > (b.updated ?? 0) ? a : b;
}
