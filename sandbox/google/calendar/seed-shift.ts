/**
 * Moves seed events by whole days in wall-clock terms, so a seed written around a
 * reference week lands in the current one: 09:00 local stays 09:00 local across DST,
 * all-day dates move by days, and RRULE UNTIL, EXDATE, RDATE and RECURRENCE-ID move with
 * their event. Values written in UTC are moved on the wall clock of the event's zone.
 */
import type { EventRecord } from './event-model.ts';
import {
  addDaysToDate,
  addDaysToLocal,
  basicLocal,
  type IcsTime,
  localOf,
  parseBasic,
  toInstant,
} from './zoned-time.ts';

const DAY_MS = 86_400_000;

/** Shifts one time by `days` on the wall clock of `wallZone` (UTC values included). */
export function shiftTime(time: IcsTime, days: number, wallZone: string): IcsTime {
  if (time.kind === 'date') return { kind: 'date', date: addDaysToDate(time.date, days) };
  if (time.zone !== 'UTC') return { ...time, local: addDaysToLocal(time.local, days) };
  const wall = localOf(toInstant(time, 'UTC'), wallZone);
  const moved = toInstant(
    { kind: 'dateTime', local: addDaysToLocal(wall, days), zone: wallZone },
    'UTC',
  );
  return { kind: 'dateTime', local: localOf(moved, 'UTC'), zone: 'UTC' };
}

function shiftRule(rule: string, days: number, wallZone: string): string {
  return rule.replace(/(^|;)UNTIL=([^;]+)/i, (whole, lead: string, value: string) => {
    const until = parseBasic(value);
    if (!until) return whole;
    const moved = shiftTime(until, days, wallZone);
    const text = moved.kind === 'date' ? moved.date : moved.local;
    const suffix = moved.kind === 'dateTime' && moved.zone === 'UTC' ? 'Z' : '';
    return `${lead}UNTIL=${basicLocal(text)}${suffix}`;
  });
}

/**
 * The event moved by `days`. `calendarZone` is the wall clock for events whose start is
 * in UTC or floating.
 */
export function shiftEvent(event: EventRecord, days: number, calendarZone: string): EventRecord {
  if (days === 0) return event;
  const start = event.start;
  const wallZone =
    start.kind === 'dateTime' && start.zone !== null && start.zone !== 'UTC'
      ? start.zone
      : calendarZone;
  const move = (time: IcsTime) => shiftTime(time, days, wallZone);
  const moveStamp = (ms: number | null) => (ms === null ? null : ms + days * DAY_MS);
  return {
    ...event,
    recurrenceId: event.recurrenceId ? move(event.recurrenceId) : null,
    start: move(event.start),
    end: move(event.end),
    rrules: event.rrules.map((rule) => shiftRule(rule, days, wallZone)),
    rdates: event.rdates.map(move),
    exdates: event.exdates.map(move),
    created: moveStamp(event.created),
    updated: moveStamp(event.updated),
  };
}
