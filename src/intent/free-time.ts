/**
 * Resolves "am I free Friday at 3?" to a free_at intent and "when am I free tomorrow?"
 * to a free_slots intent, in the user's zone. A clock time without a day means today,
 * or tomorrow once that time has passed; slot searches never start in the past.
 */
import { findDayPhrase } from './day-phrases.ts';
import type { FreeAtIntent, FreeSlotsIntent, RouteContext } from './intent.ts';
import { isoOf, localNow, timeLabel } from './local-time.ts';
import { findClockTime, findDuration } from './time-phrases.ts';

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
    let day = phrase ? (phrase.day ?? phrase.from.startOf('day')) : today;
    let at = day.set({ hour: time.hour, minute: time.minute });
    let dayWord = phrase?.label;
    if (!phrase) {
      dayWord = 'today';
      if (at < now) {
        day = today.plus({ days: 1 });
        at = day.set({ hour: time.hour, minute: time.minute });
        dayWord = 'tomorrow';
      }
    }
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
