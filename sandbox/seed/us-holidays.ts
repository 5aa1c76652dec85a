/**
 * The holidays and observances of Alex's "Holidays in United States" seed calendar
 * (`alex@example.com/calendar/en.usa#holiday@group.v.calendar.google.com/holidays.ics`),
 * as the rules that place them in a year. The .ics writes the same rules as yearly
 * RRULEs, so whatever week the seed is loaded in, each holiday falls on its real date and
 * none is shifted out of season; this table lets a test say which holidays a day has.
 */
import type { DateTime } from 'luxon';

/** A fixed date, or the nth weekday (1 = Monday … 7 = Sunday) of a month; -1 = the last. */
export type HolidayRule =
  | { month: number; day: number }
  | { month: number; weekday: number; nth: number };

export interface Holiday {
  title: string;
  rule: HolidayRule;
}

/** In the order of the .ics. */
export const US_HOLIDAYS: readonly Holiday[] = [
  { title: "New Year's Day", rule: { month: 1, day: 1 } },
  { title: 'Martin Luther King Jr. Day', rule: { month: 1, weekday: 1, nth: 3 } },
  { title: "Valentine's Day", rule: { month: 2, day: 14 } },
  { title: "Presidents' Day", rule: { month: 2, weekday: 1, nth: 3 } },
  { title: 'Daylight Saving Time starts', rule: { month: 3, weekday: 7, nth: 2 } },
  { title: "St. Patrick's Day", rule: { month: 3, day: 17 } },
  { title: "Mother's Day", rule: { month: 5, weekday: 7, nth: 2 } },
  { title: 'Memorial Day', rule: { month: 5, weekday: 1, nth: -1 } },
  { title: 'Juneteenth', rule: { month: 6, day: 19 } },
  { title: "Father's Day", rule: { month: 6, weekday: 7, nth: 3 } },
  { title: 'Independence Day', rule: { month: 7, day: 4 } },
  { title: 'Labor Day', rule: { month: 9, weekday: 1, nth: 1 } },
  { title: 'Columbus Day', rule: { month: 10, weekday: 1, nth: 2 } },
  { title: 'Halloween', rule: { month: 10, day: 31 } },
  { title: 'Daylight Saving Time ends', rule: { month: 11, weekday: 7, nth: 1 } },
  { title: 'Veterans Day', rule: { month: 11, day: 11 } },
  { title: 'Thanksgiving Day', rule: { month: 11, weekday: 4, nth: 4 } },
  { title: 'Christmas Eve', rule: { month: 12, day: 24 } },
  { title: 'Christmas Day', rule: { month: 12, day: 25 } },
  { title: "New Year's Eve", rule: { month: 12, day: 31 } },
];

/** Whether `rule` names the calendar day of `date` (read in `date`'s own zone). */
export function fallsOn(rule: HolidayRule, date: DateTime): boolean {
  if (date.month !== rule.month) return false;
  if ('day' in rule) return date.day === rule.day;
  if (date.weekday !== rule.weekday) return false;
  if (rule.nth > 0) return Math.ceil(date.day / 7) === rule.nth;
  const fromEnd = (date.daysInMonth ?? 31) - date.day;
  return -Math.ceil((fromEnd + 1) / 7) === rule.nth;
}

/** The titles of the seed's holidays on the day of `date`, in the order of the .ics. */
export function usHolidaysOn(date: DateTime): string[] {
  return US_HOLIDAYS.filter((h) => fallsOn(h.rule, date)).map((h) => h.title);
}
