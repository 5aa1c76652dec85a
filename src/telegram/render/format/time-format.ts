/**
 * Human wording for times in replies: relative ("in 5 min", "in 2 h 15 min"), a moment
 * relative to now ("tomorrow at 09:30"), time ranges ("09:30–10:15" in en-GB,
 * "9:30 – 10:15 AM" in en-US) and day headings ("Tuesday 3 March"). Everything is
 * rendered in the given zone and locale through Intl, never in the process zone.
 */
import { DateTime } from 'luxon';
import { dateTimeFormat, isValidZoneName } from '../../../intent/index.ts';

function zoneOrUtc(zone: string): string {
  return isValidZoneName(zone) ? zone : 'UTC';
}

/** Intl inserts narrow and thin no-break spaces; replies use plain spaces. */
function plainSpaces(text: string): string {
  return text.replace(/[\u202f\u2009\u00a0]/g, ' ');
}

function isDateOnly(iso: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(iso);
}

function hourOption(locale: string, zone: string): '2-digit' | 'numeric' {
  const cycle = dateTimeFormat(locale, {
    hour: 'numeric',
    timeZone: zone,
  }).resolvedOptions().hourCycle;
  return cycle === 'h23' || cycle === 'h24' ? '2-digit' : 'numeric';
}

function amount(minutes: number): string {
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (days >= 2) return `${days} days`;
  if (days === 1) return hours > 0 ? `1 day ${hours} h` : '1 day';
  if (hours > 0) return mins > 0 ? `${hours} h ${mins} min` : `${hours} h`;
  return `${mins} min`;
}

/** "now", "in 5 min", "in 2 h 15 min", "in 1 day 3 h", "in 3 days", "20 min ago". */
export function formatRelative(minutes: number): string {
  const rounded = Math.round(minutes);
  if (rounded === 0) return 'now';
  return rounded > 0 ? `in ${amount(rounded)}` : `${amount(-rounded)} ago`;
}

export interface WhenOptions {
  now: Date;
  zone: string;
  locale?: string;
}

/**
 * A moment as people say it: "in 25 min" within the hour, else "today at 15:00",
 * "tomorrow at 09:30", "yesterday at 18:00" or "Friday 6 March at 10:00".
 */
export function formatWhen(iso: string, options: WhenOptions): string {
  const zone = zoneOrUtc(options.zone);
  const locale = options.locale ?? 'en-US';
  const at = DateTime.fromISO(iso, { zone }).setLocale(locale);
  const now = DateTime.fromJSDate(options.now, { zone }).setLocale(locale);
  const minutes = Math.round(at.diff(now, 'minutes').minutes);
  if (minutes >= 0 && minutes < 60) return formatRelative(minutes);
  const time = plainSpaces(
    at.toLocaleString({ hour: hourOption(locale, zone), minute: '2-digit' }),
  );
  const days = at.startOf('day').diff(now.startOf('day'), 'days').days;
  if (Math.round(days) === 0) return `today at ${time}`;
  if (Math.round(days) === 1) return `tomorrow at ${time}`;
  if (Math.round(days) === -1) return `yesterday at ${time}`;
  return `${formatDayHeading(iso, zone, locale)} at ${time}`;
}

/**
 * "09:30–10:15" (en-GB) / "9:30 – 10:15 AM" (en-US) within one day; with dates when the
 * range spans days; "all day" or "6 – 8 Mar" for all-day events (end date exclusive).
 */
export function formatTimeRange(
  startIso: string,
  endIso: string,
  zone: string,
  locale = 'en-US',
): string {
  const tz = zoneOrUtc(zone);
  if (isDateOnly(startIso)) {
    const start = DateTime.fromISO(startIso, { zone: 'UTC' });
    const end = isDateOnly(endIso)
      ? DateTime.fromISO(endIso, { zone: 'UTC' }).minus({ days: 1 })
      : start;
    if (end <= start) return 'all day';
    const format = dateTimeFormat(locale, {
      day: 'numeric',
      month: 'short',
      timeZone: 'UTC',
    });
    return plainSpaces(format.formatRange(start.toJSDate(), end.toJSDate()));
  }
  const start = DateTime.fromISO(startIso, { zone: tz });
  const end = DateTime.fromISO(endIso, { zone: tz });
  const hour = hourOption(locale, tz);
  const sameDay = start.hasSame(end, 'day') || end.equals(start.plus({ days: 1 }).startOf('day'));
  const format = dateTimeFormat(
    locale,
    sameDay
      ? { hour, minute: '2-digit', timeZone: tz }
      : { weekday: 'short', day: 'numeric', month: 'short', hour, minute: '2-digit', timeZone: tz },
  );
  if (end <= start) return plainSpaces(format.format(start.toJSDate()));
  if (sameDay && !start.hasSame(end, 'day')) {
    // Ends at the next midnight: Intl would print both dates, people read "until 00:00".
    return plainSpaces(`${format.format(start.toJSDate())} – ${format.format(end.toJSDate())}`);
  }
  return plainSpaces(format.formatRange(start.toJSDate(), end.toJSDate()));
}

/** "Tuesday 3 March" (en-GB) / "Tuesday, March 3" (en-US) for a date or a date-time. */
export function formatDayHeading(dateIso: string, zone: string, locale = 'en-US'): string {
  const day = isDateOnly(dateIso)
    ? DateTime.fromISO(dateIso, { zone: 'UTC' })
    : DateTime.fromISO(dateIso, { zone: zoneOrUtc(zone) });
  const format = dateTimeFormat(locale, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    timeZone: isDateOnly(dateIso) ? 'UTC' : zoneOrUtc(zone),
  });
  return plainSpaces(format.format(day.toJSDate()));
}
