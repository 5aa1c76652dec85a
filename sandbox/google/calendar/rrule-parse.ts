/**
 * Reading RRULE values (RFC 5545 §3.3.10) into a `Rule`: every part checked against its
 * range, so a rule the expansion cannot follow is rejected when the event is imported.
 * Parts other than the RFC 5545 ones (X- names, RSCALE) are ignored.
 */
import { type IcsTime, isValidIcsTime, parseBasic } from './zoned-time.ts';

export const FREQUENCIES = [
  'YEARLY',
  'MONTHLY',
  'WEEKLY',
  'DAILY',
  'HOURLY',
  'MINUTELY',
  'SECONDLY',
];
export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

export class RuleError extends Error {
  override name = 'RuleError';
}

/** A parsed RRULE. Weekdays count from Monday = 0. */
export interface Rule {
  /** Index into YEARLY…SECONDLY. */
  freq: number;
  interval: number;
  count: number | null;
  until: IcsTime | null;
  bySecond: number[] | null;
  byMinute: number[] | null;
  byHour: number[] | null;
  /** BYDAY entries; `n` is 0 for "every such weekday". */
  byDay: { weekday: number; n: number }[] | null;
  byMonthDay: number[] | null;
  byYearDay: number[] | null;
  byWeekNo: number[] | null;
  byMonth: number[] | null;
  bySetPos: number[] | null;
  wkst: number;
}

function numbers(value: string, min: number, max: number, nonZero: boolean): number[] {
  return value.split(',').map((part) => {
    const n = Number(part);
    if (!/^[+-]?\d{1,7}$/.test(part) || n < min || n > max || (nonZero && n === 0)) {
      throw new RuleError(`bad value ${part}`);
    }
    return n;
  });
}

/** One whole number from `min` up (INTERVAL, COUNT). */
function single(value: string, min: number): number {
  const [n] = numbers(value, min, 1_000_000, false);
  if (n === undefined || value.includes(',')) throw new RuleError(`bad value ${value}`);
  return n;
}

function weekday(value: string): number {
  const index = WEEKDAYS.indexOf(value);
  if (index < 0) throw new RuleError(`bad weekday ${value}`);
  return index;
}

/** Reads an RRULE value (without `RRULE:`); throws `RuleError` when it is not one. */
export function parseRule(text: string): Rule {
  const rule: Rule = {
    freq: -1,
    interval: 1,
    count: null,
    until: null,
    bySecond: null,
    byMinute: null,
    byHour: null,
    byDay: null,
    byMonthDay: null,
    byYearDay: null,
    byWeekNo: null,
    byMonth: null,
    bySetPos: null,
    wkst: 0,
  };
  for (const part of text.split(';').filter((p) => p !== '')) {
    const [name = '', value = ''] = part.split('=', 2).map((s) => s.trim().toUpperCase());
    if (name === 'FREQ') rule.freq = FREQUENCIES.indexOf(value);
    else if (name === 'INTERVAL') rule.interval = single(value, 1);
    else if (name === 'COUNT') rule.count = single(value, 0);
    else if (name === 'UNTIL') {
      const until = parseBasic(value);
      if (!until || !isValidIcsTime(until)) throw new RuleError(`bad UNTIL ${value}`);
      rule.until = until;
    } else if (name === 'BYSECOND') rule.bySecond = numbers(value, 0, 60, false);
    else if (name === 'BYMINUTE') rule.byMinute = numbers(value, 0, 59, false);
    else if (name === 'BYHOUR') rule.byHour = numbers(value, 0, 23, false);
    else if (name === 'BYMONTHDAY') rule.byMonthDay = numbers(value, -31, 31, true);
    else if (name === 'BYYEARDAY') rule.byYearDay = numbers(value, -366, 366, true);
    else if (name === 'BYWEEKNO') rule.byWeekNo = numbers(value, -53, 53, true);
    else if (name === 'BYMONTH') rule.byMonth = numbers(value, 1, 12, false);
    else if (name === 'BYSETPOS') rule.bySetPos = numbers(value, -366, 366, true);
    else if (name === 'WKST') rule.wkst = weekday(value);
    else if (name === 'BYDAY') {
      rule.byDay = value.split(',').map((entry) => {
        const match = /^([+-]?\d{1,2})?([A-Z]{2})$/.exec(entry);
        const n = Number(match?.[1] ?? 0);
        if (!match || Math.abs(n) > 53 || (match[1] !== undefined && n === 0)) {
          throw new RuleError(`bad BYDAY ${entry}`);
        }
        return { weekday: weekday(match[2] ?? ''), n };
      });
    }
  }
  if (rule.freq < 0) throw new RuleError('no FREQ');
  return rule;
}
