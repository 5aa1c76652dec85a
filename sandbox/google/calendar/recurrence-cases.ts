/**
 * Recurrence cases with expected occurrence lists from independent sources, which
 * `recurrence-cases.test.ts` runs through the sandbox's expansion and its Events API. Each
 * case names its source; where the sandbox must differ from the source (Google's own
 * behaviour, or an error in the source), `note` says so and why.
 *
 * The cases: the RFC 5545 §3.8.5.3 examples (`recurrence-cases-rfc.ts`), libical's
 * (`recurrence-cases-libical.ts`), and python-dateutil's, ical.js's and public reports of
 * Google's behaviour (`recurrence-cases-suites.ts`). This file holds their shape and the
 * helpers that write them.
 */
import { addDaysToDate } from './zoned-time.ts';

export interface RecurrenceCase {
  /** The source's own title for the case. */
  name: string;
  /** Where the case and its expected list come from. */
  source: string;
  /** The calendar's zone: floating times are read in it, and expected times written in it. */
  zone: string;
  /** iCalendar content lines: one or more VEVENTs sharing one UID. */
  lines: string[];
  /** The window listed: from the start of `from` to the start of `to`, in `zone`. */
  from: string;
  to: string;
  /**
   * The instances shown (not cancelled), in start order, on the wall clock of `zone`:
   * `YYYY-MM-DD` for all-day instances, `YYYY-MM-DDTHH:mm` (`:ss` when not zero) for timed
   * ones; an instance an exception moved is `<start> (was <original start>)`.
   */
  expected: string[];
  /** Where this case departs from its source, and why. */
  note?: string;
}

/** A VEVENT with the given UID and content lines. */
export function vevent(uid: string, ...lines: string[]): string[] {
  return ['BEGIN:VEVENT', `UID:${uid}`, ...lines, 'END:VEVENT'];
}

/** Dates of one month, as the RFC lists them: `monthDays('1997-09', 2, 4)`. */
export function monthDays(month: string, ...days: number[]): string[] {
  return days.map((day) => `${month}-${String(day).padStart(2, '0')}`);
}

/** Every `step`-th date from `first` through `last` (inclusive). */
export function everyDay(first: string, last: string, step = 1): string[] {
  const dates: string[] = [];
  for (let date = first; date <= last; date = addDaysToDate(date, step)) dates.push(date);
  return dates;
}

/** The dates at one wall-clock time: `at('09:00', ['1997-09-02'])`. */
export function at(time: string, dates: string[]): string[] {
  return dates.map((date) => `${date}T${time}`);
}

/** The note of cases whose source leaves out a DTSTART its rule does not produce. */
export const DTSTART_NOTE =
  'The source leaves out DTSTART, which the rule does not produce; Google shows it as an ' +
  'extra first instance (google-api-nodejs-client#2214, rust-rrule#119).';

/** A case whose times are floating (or UTC), read in a UTC calendar. */
export function floating(
  source: string,
  name: string,
  lines: string[],
  window: [string, string],
  expected: string[],
  note?: string,
): RecurrenceCase {
  const uid = `${source.split(' ')[0]}-${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return {
    name,
    source,
    zone: 'UTC',
    lines: vevent(uid, ...lines),
    from: window[0],
    to: window[1],
    expected,
    ...(note ? { note } : {}),
  };
}
