/**
 * Luxon helpers that pin every computation to the user's zone and locale, so the
 * process time zone never leaks into a resolved date.
 */
import { DateTime } from 'luxon';
import { dateTimeFormat, isValidZoneName } from './intl-cache.ts';
import type { RouteContext } from './intent.ts';

/** The current instant as a wall-clock time in the user's zone (UTC if the zone is invalid). */
export function localNow(ctx: RouteContext): DateTime {
  const zone = isValidZoneName(ctx.timeZone) ? ctx.timeZone : 'UTC';
  return DateTime.fromJSDate(ctx.now, { zone }).setLocale(ctx.locale ?? 'en-US');
}

/** ISO 8601 with the zone's offset and without milliseconds: `2026-03-06T00:00:00-05:00`. */
export function isoOf(dt: DateTime): string {
  return dt.toISO({ suppressMilliseconds: true }) ?? '';
}

/** Gmail's `after:`/`before:` date format for the local day of `dt`. */
export function gmailDate(dt: DateTime): string {
  return dt.toFormat('yyyy/MM/dd');
}

/** 00:00 of the first day of the week containing `dt`. */
export function startOfWeek(dt: DateTime, weekStartsOn: 1 | 7 = 1): DateTime {
  const day = dt.startOf('day');
  const back = weekStartsOn === 1 ? day.weekday - 1 : day.weekday % 7;
  return day.minus({ days: back });
}

/** "Friday 6 March" (en-GB) or "Friday, March 6" (en-US); with the year when asked. */
export function dayLabel(dt: DateTime, withYear = false): string {
  return dt.toLocaleString({
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    ...(withYear ? { year: 'numeric' } : {}),
  });
}

/** "15:00" (en-GB) or "3:00 PM" (en-US), with plain spaces. */
export function timeLabel(dt: DateTime): string {
  return dt.toLocaleString(DateTime.TIME_SIMPLE).replace(/[\u202f\u2009\u00a0]/g, ' ');
}

/** Whether the locale writes the day before the month in numeric dates ("5/3" = 5 March). */
export function isDayFirst(locale: string | undefined): boolean {
  try {
    const types = dateTimeFormat(locale ?? 'en-US', { timeZone: 'UTC' })
      .formatToParts(new Date(Date.UTC(2026, 2, 5)))
      .map((part) => part.type);
    return types.indexOf('day') < types.indexOf('month');
  } catch {
    return false;
  }
}

/**
 * The day with the given month and day that a person most likely means: the first one
 * from a month ago onwards ("March 2" asked on March 5 is three days ago, "December 20"
 * asked in March is the coming one, "December 28" asked on January 3 is last week's).
 */
export function likelyDate(today: DateTime, month: number, day: number): DateTime | null {
  const earliest = today.minus({ days: 31 });
  for (const year of [today.year - 1, today.year, today.year + 1]) {
    const candidate = DateTime.fromObject({ year, month, day }, { zone: today.zone }).setLocale(
      today.locale ?? 'en-US',
    );
    if (candidate.isValid && candidate >= earliest) return candidate;
  }
  return null;
}
