/**
 * Lists the starts one RRULE produces from DTSTART, on DTSTART's wall clock. It goes period
 * by period (a year, month, week, day, hour, minute or second, by FREQ and INTERVAL): the
 * period's days are kept when every BYxxx part allows them (BYDAY entries with and without
 * ordinals form one set), each kept day gets the times from BYHOUR/BYMINUTE/BYSECOND, and
 * BYSETPOS picks from the period's sorted set — the algorithm of python-dateutil's `rrule`.
 * Parts a rule leaves out come from DTSTART (RFC 5545 §3.3.10).
 *
 * DTSTART is listed only when the rule produces it, and COUNT counts only what the rule
 * produces: the caller adds DTSTART as the first instance, as Google does. No date after
 * `lastDay` is generated, so a rule that matches nothing still ends.
 */
import type { Rule } from './rrule-parse.ts';
import {
  DAILY,
  dayNumber,
  HOURLY,
  MINUTELY,
  MONTHLY,
  mod,
  nthWeekdayMask,
  pad,
  readStart,
  SECONDLY,
  WEEKLY,
  weekdayOf,
  YEARLY,
  type YearTables,
  yearTables,
} from './rrule-tables.ts';
import type { IcsTime } from './zoned-time.ts';

const DAY_MS = 86_400_000;
const MAX_YEAR = 9999;

/** The next value after `value` (stepping by `interval`, wrapping at `base`) in `wanted`. */
function nextIn(
  value: number,
  wanted: number[],
  base: number,
  interval: number,
): [number, number] | null {
  let carried = 0;
  let current = value;
  for (let step = 0; step < base; step += 1) {
    const sum = current + interval;
    carried += Math.floor(sum / base);
    current = mod(sum, base);
    if (wanted.includes(current)) return [carried, current];
  }
  return null;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

function sortedTimes(hours: number[], minutes: number[], seconds: number[]): number[] {
  const all = hours.flatMap((h) =>
    minutes.flatMap((m) => seconds.map((s) => h * 3600 + m * 60 + s)),
  );
  return [...new Set(all)].sort((a, b) => a - b);
}

function wallClock(day: number, seconds: number): string {
  const date = new Date(day * DAY_MS).toISOString().slice(0, 10);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return `${date}T${pad(h)}:${pad(m)}:${pad(seconds % 60)}`;
}

/**
 * The rule's starts in order: `YYYY-MM-DDTHH:mm:ss` wall clocks, or `YYYY-MM-DD` when
 * DTSTART is a date (time parts are then ignored, and a sub-daily FREQ counts as DAILY).
 */
export function* expandRule(rule: Rule, start: IcsTime, lastDay: string): Generator<string> {
  const s = readStart(start);
  const freq = s.dateOnly && rule.freq > DAILY ? DAILY : rule.freq;
  const { interval, wkst } = rule;
  const nth = (rule.byDay ?? []).filter((d) => d.n !== 0 && freq <= MONTHLY);
  let byWeekday = rule.byDay
    ? rule.byDay.filter((d) => d.n === 0 || freq > MONTHLY).map((d) => d.weekday)
    : null;
  let byMonth = rule.byMonth;
  let byMonthDay = rule.byMonthDay ? rule.byMonthDay.filter((n) => n > 0) : null;
  const byNegativeMonthDay = rule.byMonthDay ? rule.byMonthDay.filter((n) => n < 0) : null;
  if (!(rule.byWeekNo || rule.byYearDay || rule.byMonthDay || rule.byDay)) {
    if (freq === YEARLY) {
      byMonth = byMonth ?? [s.month];
      byMonthDay = [s.day];
    } else if (freq === MONTHLY) {
      byMonthDay = [s.day];
    } else if (freq === WEEKLY) {
      byWeekday = [weekdayOf(dayNumber(s.year, s.month, s.day))];
    }
  } else if (
    freq === YEARLY &&
    rule.byWeekNo &&
    !rule.byYearDay &&
    !rule.byMonthDay &&
    !rule.byDay
  ) {
    // Weeks alone name DTSTART's weekday in them, as libical and CalendarServer read them.
    byWeekday = [weekdayOf(dayNumber(s.year, s.month, s.day))];
  }
  const midnight = s.dateOnly ? [0] : null;
  const byHour = midnight ?? rule.byHour ?? (freq < HOURLY ? [s.hour] : null);
  const byMinute = midnight ?? rule.byMinute ?? (freq < MINUTELY ? [s.minute] : null);
  const bySecond = midnight ?? rule.bySecond ?? (freq < SECONDLY ? [s.second] : null);
  const periodTimes = (h: number, m: number, sec: number): number[] => {
    if (freq === HOURLY) return sortedTimes([h], byMinute ?? [m], bySecond ?? [sec]);
    if (freq === MINUTELY) return sortedTimes([h], [m], bySecond ?? [sec]);
    return [h * 3600 + m * 60 + sec];
  };

  let { year, month, day, hour, minute, second } = s;
  if (freq === WEEKLY) {
    // The first period is DTSTART's whole week, so BYSETPOS counts from the week's start.
    const date = new Date(
      Date.UTC(year, month - 1, day - mod(weekdayOf(dayNumber(year, month, day)) - wkst, 7)),
    );
    [year, month, day] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
  }
  let times: number[];
  if (freq < HOURLY) {
    times = sortedTimes(byHour ?? [hour], byMinute ?? [minute], bySecond ?? [second]);
  } else {
    const off =
      (byHour && !byHour.includes(hour)) ||
      (freq >= MINUTELY && byMinute && !byMinute.includes(minute)) ||
      (freq >= SECONDLY && bySecond && !bySecond.includes(second));
    times = off ? [] : periodTimes(hour, minute, second);
  }
  let t: YearTables = yearTables(year, rule.byWeekNo, wkst);
  const nthFor = (tables: YearTables, m: number) =>
    nth.length > 0 ? nthWeekdayMask(tables, rule, nth, m) : null;
  let nthMask = nthFor(t, month);
  const dayAllowed = (i: number): boolean => {
    if (byMonth && !byMonth.includes(t.month[i] ?? 0)) return false;
    if (t.weekNo && !t.weekNo[i]) return false;
    if ((byWeekday || nthMask) && !(byWeekday?.includes(t.weekday[i] ?? -1) || nthMask?.[i])) {
      return false;
    }
    if (
      (byMonthDay || byNegativeMonthDay) &&
      !byMonthDay?.includes(t.monthDay[i] ?? 0) &&
      !byNegativeMonthDay?.includes(t.negativeMonthDay[i] ?? 0)
    ) {
      return false;
    }
    if (!rule.byYearDay) return true;
    return i < t.length
      ? rule.byYearDay.includes(i + 1) || rule.byYearDay.includes(i - t.length)
      : rule.byYearDay.includes(i + 1 - t.length) ||
          rule.byYearDay.includes(i - t.length - t.nextLength);
  };

  const first = wallClock(
    dayNumber(s.year, s.month, s.day),
    s.hour * 3600 + s.minute * 60 + s.second,
  );
  const [ly = 0, lm = 1, ld = 1] = lastDay.split('-').map(Number);
  const last = dayNumber(ly, lm, ld);
  let remaining = rule.count;
  while (remaining !== 0 && year <= MAX_YEAR) {
    const periodStart = dayNumber(year, freq === YEARLY ? 1 : month, freq <= MONTHLY ? 1 : day);
    if (periodStart > last) return;
    const today = dayNumber(year, month, day) - t.first;
    let from = today;
    let to = today + 1;
    if (freq === YEARLY) [from, to] = [0, t.length];
    else if (freq === MONTHLY)
      [from, to] = [t.monthStart[month - 1] ?? 0, t.monthStart[month] ?? 0];
    else if (freq === WEEKLY) {
      to = from;
      do to += 1;
      while (to - from < 7 && t.weekday[to] !== wkst);
    }
    const kept: number[] = [];
    for (let i = from; i < to; i += 1) if (dayAllowed(i)) kept.push(i);
    let filtered = kept.length < to - from;
    let candidates: string[] = [];
    if (rule.bySetPos && times.length > 0) {
      const picked = new Set<string>();
      for (const pos of rule.bySetPos) {
        const dayPos = Math.floor((pos < 0 ? pos : pos - 1) / times.length);
        const timePos = mod(pos < 0 ? pos : pos - 1, times.length);
        const index = kept[dayPos < 0 ? kept.length + dayPos : dayPos];
        const time = times[timePos];
        if (index !== undefined && time !== undefined) picked.add(wallClock(t.first + index, time));
      }
      candidates = [...picked].sort();
    } else {
      for (const i of kept) for (const time of times) candidates.push(wallClock(t.first + i, time));
    }
    for (const candidate of candidates) {
      if (candidate < first) continue;
      if (candidate.slice(0, 10) > lastDay) return;
      yield s.dateOnly ? candidate.slice(0, 10) : candidate;
      if (remaining !== null && --remaining === 0) return;
    }

    let moveDay = false;
    if (freq === YEARLY) {
      year += interval;
    } else if (freq === MONTHLY) {
      month += interval;
      year += Math.floor((month - 1) / 12);
      month = mod(month - 1, 12) + 1;
    } else if (freq === WEEKLY) {
      day += interval * 7 - mod(weekdayOf(dayNumber(year, month, day)) - wkst, 7);
      moveDay = true;
    } else if (freq === DAILY) {
      day += interval;
      moveDay = true;
    } else if (freq === HOURLY) {
      if (filtered) hour += Math.floor((23 - hour) / interval) * interval;
      const next = byHour
        ? nextIn(hour, byHour, 24, interval)
        : ([Math.floor((hour + interval) / 24), mod(hour + interval, 24)] as [number, number]);
      if (!next) return;
      day += next[0];
      hour = next[1];
      moveDay = next[0] > 0;
      times = periodTimes(hour, minute, second);
    } else if (freq === MINUTELY) {
      if (filtered) minute += Math.floor((1439 - (hour * 60 + minute)) / interval) * interval;
      let found = false;
      for (let j = 0; j < 1440 / gcd(interval, 1440) && !found; j += 1) {
        const next = byMinute
          ? nextIn(minute, byMinute, 60, interval)
          : ([Math.floor((minute + interval) / 60), mod(minute + interval, 60)] as [
              number,
              number,
            ]);
        if (!next) return;
        minute = next[1];
        const days = Math.floor((hour + next[0]) / 24);
        hour = mod(hour + next[0], 24);
        if (days > 0) {
          day += days;
          moveDay = true;
          filtered = false;
        }
        found = !byHour || byHour.includes(hour);
      }
      if (!found) return;
      times = periodTimes(hour, minute, second);
    } else {
      if (filtered) {
        second += Math.floor((86399 - (hour * 3600 + minute * 60 + second)) / interval) * interval;
      }
      let found = false;
      for (let j = 0; j < 86400 / gcd(interval, 86400) && !found; j += 1) {
        const next = bySecond
          ? nextIn(second, bySecond, 60, interval)
          : ([Math.floor((second + interval) / 60), mod(second + interval, 60)] as [
              number,
              number,
            ]);
        if (!next) return;
        second = next[1];
        hour += Math.floor((minute + next[0]) / 60);
        minute = mod(minute + next[0], 60);
        if (hour >= 24) {
          day += Math.floor(hour / 24);
          hour = mod(hour, 24);
          moveDay = true;
        }
        found =
          (!byHour || byHour.includes(hour)) &&
          (!byMinute || byMinute.includes(minute)) &&
          (!bySecond || bySecond.includes(second));
      }
      if (!found) return;
      times = periodTimes(hour, minute, second);
    }
    if (moveDay) {
      const date = new Date(Date.UTC(year, month - 1, day));
      [year, month, day] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
    }
    if (year !== t.year) t = yearTables(year, rule.byWeekNo, wkst);
    nthMask = nthFor(t, month);
  }
}
