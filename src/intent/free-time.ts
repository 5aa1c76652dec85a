/**
 * Resolves "am I free Friday at 3?" to a free_at intent and "when am I free tomorrow?"
 * to a free_slots intent, in the user's zone. Past times are read as a person would: a
 * clock time without a day means today, or tomorrow once that time has passed; today's
 * own weekday name ("friday at 3" on Friday evening) means next week's once the time has
 * passed; a day named outright ("today at 3", "March 6 at 3") keeps its time even when
 * it has passed, and the reply says so. Slot searches never start in the past: a range
 * under way starts now, and one already over is left as asked, for the reply to say so.
 */
import type { DateTime } from 'luxon';
import { findDayPhrase } from './day-phrases.ts';
import type { DayMatch } from './day-phrases.ts';
import type { FreeAtIntent, FreeSlotsIntent, RouteContext } from './intent.ts';
import { dayLabel, isoOf, localNow, timeLabel } from './local-time.ts';
import { findClockTime, findDuration } from './time-phrases.ts';
import type { ClockTime } from './time-phrases.ts';

export const DEFAULT_FREE_AT_MINUTES = 30;
export const DEFAULT_SLOT_MINUTES = 30;

export interface FreeResolution {
  intent: FreeAtIntent | FreeSlotsIntent;
  /** The parts of the text that were understood. */
  spans: Array<[number, number]>;
}

function blank(text: string, span: [number, number] | undefined): string {
  if (!span) return text;
  return text.slice(0, span[0]) + ' '.repeat(span[1] - span[0]) + text.slice(span[1]);
}

/** The reading of an hour without am/pm that falls in the part of the day named. */
function hourIn(time: ClockTime, phrase: DayMatch | null): number {
  const day = phrase?.day;
  if (!time.ambiguous || !phrase || !day) return time.hour;
  const inPart = (hour: number) => {
    const at = day.set({ hour, minute: time.minute });
    return at >= phrase.from && at < phrase.to;
  };
  const other = (time.hour + 12) % 24;
  return !inPart(time.hour) && inPart(other) ? other : time.hour;
}

/** The moment a clock time names: the day asked about, or the next one it is still ahead on. */
function moment(time: ClockTime, phrase: DayMatch | null, now: DateTime): [DateTime, string] {
  const hour = hourIn(time, phrase);
  const on = (day: DateTime) => day.set({ hour, minute: time.minute });
  const today = now.startOf('day');
  if (!phrase) {
    return on(today) < now ? [on(today.plus({ days: 1 })), 'tomorrow'] : [on(today), 'today'];
  }
  const day = phrase.day ?? phrase.from.startOf('day');
  const nextWeek = phrase.sameDayNextWeek;
  if (on(day) < now && nextWeek) return [on(nextWeek), dayLabel(nextWeek)];
  return [on(day), phrase.label];
}

/** Reads a free/busy question (text already lower-cased). */
export function resolveFree(text: string, ctx: RouteContext): FreeResolution {
  const now = localNow(ctx).startOf('minute');
  const today = now.startOf('day');
  const time = findClockTime(text);
  const withoutTime = blank(text, time?.span);
  const duration = findDuration(withoutTime);
  const phrase = findDayPhrase(blank(withoutTime, duration?.span), ctx);
  const spans = [
    ...(phrase?.spans ?? []),
    ...(time ? [time.span] : []),
    ...(duration ? [duration.span] : []),
  ];

  if (time) {
    const durationMinutes = duration?.minutes ?? DEFAULT_FREE_AT_MINUTES;
    if (time.isNow) {
      return { intent: { kind: 'free_at', at: isoOf(now), durationMinutes, label: 'now' }, spans };
    }
    const [at, dayWord] = moment(time, phrase, now);
    const label = `${dayWord} at ${timeLabel(at)}`;
    return { intent: { kind: 'free_at', at: isoOf(at), durationMinutes, label }, spans };
  }

  const minMinutes = duration?.minutes ?? DEFAULT_SLOT_MINUTES;
  const rangeFrom = phrase?.from ?? today;
  const to = phrase?.to ?? today.plus({ days: 1 });
  const from = rangeFrom < now && to > now ? now : rangeFrom;
  const label = phrase?.label ?? 'today';
  return {
    intent: { kind: 'free_slots', from: isoOf(from), to: isoOf(to), minMinutes, label },
    spans,
  };
}
