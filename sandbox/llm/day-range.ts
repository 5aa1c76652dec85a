/**
 * Days named in a question, as the ISO range a calendar tool takes. "Today" comes from
 * the system message when it carries a date (`2026-12-05`, optionally with a time) and
 * an IANA zone, as an assistant's instructions do; otherwise from the sandbox clock in
 * UTC. Ranges are half-open: from midnight to the next day's midnight in that zone.
 */
import { DateTime, IANAZone } from 'luxon';

export interface Today {
  date: DateTime;
  zone: string;
}

export interface DayRange {
  from: string;
  to: string;
}

const ZONE =
  /\b(?:Africa|America|Antarctica|Arctic|Asia|Atlantic|Australia|Europe|Indian|Pacific|Etc)\/[A-Za-z_+-]+(?:\/[A-Za-z_+-]+)?/g;
const ISO_DATE = /(?<!\d)(\d{4}-\d{2}-\d{2})(?!\d)/;
const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

function zoneIn(text: string): string {
  for (const match of text.matchAll(ZONE)) {
    if (IANAZone.isValidZone(match[0])) return match[0];
  }
  return 'UTC';
}

/** Today's date and zone, read from the system text or else the clock in UTC. */
export function todayFrom(system: string, now: () => Date): Today {
  const zone = zoneIn(system);
  const iso = ISO_DATE.exec(system)?.[1];
  const parsed = iso ? DateTime.fromISO(iso, { zone }) : null;
  const date = parsed?.isValid ? parsed : DateTime.fromJSDate(now(), { zone });
  return { date: date.startOf('day'), zone };
}

function iso(date: DateTime): string {
  return date.toISO({ suppressMilliseconds: true }) ?? '';
}

function range(from: DateTime, days: number): DayRange {
  return { from: iso(from), to: iso(from.plus({ days })) };
}

function weekdayRange(text: string, today: DateTime): DayRange | null {
  const match = /\b(next\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b/.exec(
    text,
  );
  if (!match?.[2]) return null;
  const target = WEEKDAYS.indexOf(match[2]) + 1;
  let ahead = (target - today.weekday + 7) % 7;
  if (match[1]) ahead += ahead === 0 ? 7 : today.weekday < target ? 7 : 0;
  return range(today.plus({ days: ahead }), 1);
}

/** The range of the day or week the question names, or null when it names none. */
export function namedRange(question: string, today: Today): DayRange | null {
  const text = question.toLowerCase();
  const day = today.date;
  const explicit = ISO_DATE.exec(text)?.[1];
  if (explicit) {
    const date = DateTime.fromISO(explicit, { zone: today.zone });
    if (date.isValid) return range(date, 1);
  }
  if (/\bday after tomorrow\b/.test(text)) return range(day.plus({ days: 2 }), 1);
  if (/\btomorrow\b/.test(text)) return range(day.plus({ days: 1 }), 1);
  if (/\byesterday\b/.test(text)) return range(day.minus({ days: 1 }), 1);
  if (/\b(?:today|tonight|this (?:morning|afternoon|evening))\b/.test(text)) return range(day, 1);
  if (/\bnext week\b/.test(text)) return range(day.startOf('week').plus({ weeks: 1 }), 7);
  if (/\bthis week\b/.test(text)) {
    return { from: iso(day), to: iso(day.startOf('week').plus({ weeks: 1 })) };
  }
  if (/\bweekend\b/.test(text)) {
    const saturday = day.plus({ days: (6 - day.weekday + 7) % 7 });
    return range(day.weekday === 7 ? day : saturday, day.weekday === 7 ? 1 : 2);
  }
  return weekdayRange(text, day);
}

/** The coming week from today: what "anything coming up?" looks at. */
export function comingWeek(today: Today): DayRange {
  return range(today.date, 7);
}
