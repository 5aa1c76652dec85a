/**
 * Calendar tables for RRULE expansion: per year, each day's month, day of month (from the
 * start and from the end), weekday, and the masks of BYWEEKNO weeks and n-th weekdays.
 * Day indexes count from 1 January and run a week into the next year, so a week that
 * straddles New Year is one range.
 */
import type { Rule } from './rrule-parse.ts';
import type { IcsTime } from './zoned-time.ts';

export const [YEARLY, MONTHLY, WEEKLY, DAILY, HOURLY, MINUTELY, SECONDLY] = [0, 1, 2, 3, 4, 5, 6];
const DAY_MS = 86_400_000;

/** DTSTART's wall clock, as numbers. */
export interface Start {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  dateOnly: boolean;
}

export const mod = (a: number, b: number) => ((a % b) + b) % b;
export const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
export const dayNumber = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d) / DAY_MS;
export const weekdayOf = (n: number) => mod(new Date(n * DAY_MS).getUTCDay() - 1, 7);
export const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export function readStart(start: IcsTime): Start {
  const text = start.kind === 'date' ? `${start.date}T00:00:00` : start.local;
  const [y, mo, d, h, mi, s] = text.split(/[-T:]/).map(Number);
  return {
    year: y ?? 1970,
    month: mo ?? 1,
    day: d ?? 1,
    hour: h ?? 0,
    minute: mi ?? 0,
    second: s ?? 0,
    dateOnly: start.kind === 'date',
  };
}

/** Per-year tables, indexed by day of the year (0 = 1 January), a week past its end. */
export interface YearTables {
  year: number;
  length: number;
  nextLength: number;
  first: number;
  month: number[];
  monthDay: number[];
  negativeMonthDay: number[];
  weekday: number[];
  /** Index of each month's first day; [12] is the year's length. */
  monthStart: number[];
  weekNo: boolean[] | null;
}

/**
 * Tables already built, by year, BYWEEKNO and week start: a series is expanded again on
 * every list call, and the tables are never changed once built. Emptied past a bound.
 */
const builtTables = new Map<string, YearTables>();
const MAX_TABLES = 2_000;

export function yearTables(year: number, byWeekNo: number[] | null, wkst: number): YearTables {
  const key = `${year} ${wkst} ${byWeekNo?.join(',') ?? '-'}`;
  const known = builtTables.get(key);
  if (known) return known;
  const built = buildYearTables(year, byWeekNo, wkst);
  if (builtTables.size >= MAX_TABLES) builtTables.clear();
  builtTables.set(key, built);
  return built;
}

function buildYearTables(year: number, byWeekNo: number[] | null, wkst: number): YearTables {
  const first = dayNumber(year, 1, 1);
  const length = isLeap(year) ? 366 : 365;
  const t: YearTables = {
    year,
    length,
    nextLength: isLeap(year + 1) ? 366 : 365,
    first,
    month: [],
    monthDay: [],
    negativeMonthDay: [],
    weekday: [],
    monthStart: [],
    weekNo: null,
  };
  for (let i = 0; i < length + 7; i += 1) {
    const date = new Date((first + i) * DAY_MS);
    const m = date.getUTCMonth() + 1;
    const inMonth = new Date(Date.UTC(date.getUTCFullYear(), m, 0)).getUTCDate();
    t.month.push(m);
    t.monthDay.push(date.getUTCDate());
    t.negativeMonthDay.push(date.getUTCDate() - inMonth - 1);
    t.weekday.push(weekdayOf(first + i));
    if (date.getUTCDate() === 1 && i < length) t.monthStart.push(i);
  }
  t.monthStart.push(length);
  if (byWeekNo) t.weekNo = weekNumberMask(t, byWeekNo, wkst);
  return t;
}

/** Days of the year that fall in one of the ISO-style week numbers (weeks start on WKST). */
function weekNumberMask(t: YearTables, byWeekNo: number[], wkst: number): boolean[] {
  const mask = new Array<boolean>(t.length + 7).fill(false);
  const yearWeekday = t.weekday[0] ?? 0;
  const firstWkst = mod(7 - yearWeekday + wkst, 7);
  let week1 = firstWkst;
  let weekYearLength: number;
  if (week1 >= 4) {
    week1 = 0;
    weekYearLength = t.length + mod(yearWeekday - wkst, 7);
  } else {
    weekYearLength = t.length - week1;
  }
  const weeks = Math.floor(weekYearLength / 7) + Math.floor((weekYearLength % 7) / 4);
  const markWeek = (from: number) => {
    let i = from;
    for (let j = 0; j < 7 && i >= 0 && i < mask.length; j += 1) {
      mask[i] = true;
      i += 1;
      if (t.weekday[i] === wkst) break;
    }
  };
  for (const wanted of byWeekNo) {
    const n = wanted < 0 ? wanted + weeks + 1 : wanted;
    if (n < 1 || n > weeks) continue;
    let i = week1;
    if (n > 1) i = week1 + (n - 1) * 7 - (week1 !== firstWkst ? 7 - firstWkst : 0);
    markWeek(i);
  }
  if (byWeekNo.includes(1)) {
    // Week 1 of next year may start in the last days of this one.
    const i = week1 + weeks * 7 - (week1 !== firstWkst ? 7 - firstWkst : 0);
    if (i < t.length) markWeek(i);
  }
  if (week1 > 0) {
    // The first days of the year may belong to last year's last week.
    let lastWeeks = -1;
    if (!byWeekNo.includes(-1)) {
      const lastWeekday = weekdayOf(dayNumber(t.year - 1, 1, 1));
      const lastLength = isLeap(t.year - 1) ? 366 : 365;
      lastWeeks =
        mod(7 - lastWeekday + wkst, 7) >= 4
          ? 52 + Math.floor(((lastLength + mod(lastWeekday - wkst, 7)) % 7) / 4)
          : 52 + Math.floor(((t.length - week1) % 7) / 4);
    }
    if (byWeekNo.includes(lastWeeks)) for (let i = 0; i < week1; i += 1) mask[i] = true;
  }
  return mask;
}

/** Days that are the n-th given weekday of their month (or of the year, for YEARLY). */
export function nthWeekdayMask(
  t: YearTables,
  rule: Rule,
  nth: { weekday: number; n: number }[],
  month: number,
): boolean[] {
  const mask = new Array<boolean>(t.length).fill(false);
  const span = (m: number): [number, number] => [t.monthStart[m - 1] ?? 0, t.monthStart[m] ?? 0];
  const ranges =
    rule.freq === MONTHLY
      ? [span(month)]
      : rule.byMonth
        ? rule.byMonth.map(span)
        : [[0, t.length] as [number, number]];
  for (const [first, end] of ranges) {
    const last = end - 1;
    for (const { weekday, n } of nth) {
      let i: number;
      if (n < 0) {
        i = last + (n + 1) * 7;
        if (i < first) continue;
        i -= mod((t.weekday[i] ?? 0) - weekday, 7);
      } else {
        i = first + (n - 1) * 7;
        if (i > last) continue;
        i += mod(7 - (t.weekday[i] ?? 0) + weekday, 7);
      }
      if (i >= first && i <= last) mask[i] = true;
    }
  }
  return mask;
}
