/**
 * Clock times ("at 3", "10am", "14:30", "noon") and durations ("an hour", "30 minute",
 * "half an hour") in a message. A bare hour from 1 to 7 means the afternoon: people ask
 * about working hours, so "free at 3" is 15:00. A time written without am/pm that could
 * be either half of the day is marked ambiguous, for the part of the day named beside it
 * to settle ("tonight at 9" is 21:00, "tomorrow morning at 7" is 07:00).
 */
import { COUNT_PATTERN, parseCount } from './numbers.ts';

export interface ClockTime {
  hour: number;
  minute: number;
  /** True for "now" / "right now": the current minute, not a clock reading. */
  isNow: boolean;
  /** True when `hour` ± 12 is as likely a reading ("at 9", "3:30", "10:30"; not "09:30"). */
  ambiguous: boolean;
  span: [number, number];
}

function clock(
  hour: number,
  minute: number,
  m: RegExpExecArray,
  ambiguous = false,
): ClockTime | null {
  if (hour > 23 || minute > 59) return null;
  return { hour, minute, isNow: false, ambiguous, span: [m.index, m.index + m[0].length] };
}

function withMeridiem(hour: number, meridiem: string): number {
  const pm = meridiem.startsWith('p');
  if (hour === 12) return pm ? 12 : 0;
  return pm ? hour + 12 : hour;
}

/** The working-hours reading of a bare hour: 1–7 are afternoon hours. */
function bareHour(hour: number): number {
  return hour >= 1 && hour <= 7 ? hour + 12 : hour;
}

/** An hour written as on a 12-hour clock: 1 to 12, without a leading zero. */
function twelveHour(digits: string): boolean {
  const hour = Number(digits);
  return hour >= 1 && hour <= 12 && !digits.startsWith('0');
}

/** The first clock time in `text` (lower-cased), or null. */
export function findClockTime(text: string): ClockTime | null {
  let m = /\b(?:right\s+)?now\b/.exec(text);
  if (m) {
    return {
      hour: 0,
      minute: 0,
      isNow: true,
      ambiguous: false,
      span: [m.index, m.index + m[0].length],
    };
  }
  m = /\b(?:at\s+)?(noon|midday|midnight)\b/.exec(text);
  if (m) return clock(m[1] === 'midnight' ? 0 : 12, 0, m);
  m = /\b(?:at\s+|@\s*)?(\d{1,2})(?:[:.](\d{2}))?\s*([ap])\.?m\.?(?![a-z])/.exec(text);
  if (m?.[1] && m[3]) {
    const hour = Number(m[1]);
    if (hour >= 1 && hour <= 12) return clock(withMeridiem(hour, m[3]), Number(m[2] ?? 0), m);
  }
  m = /\b(?:at\s+|@\s*|around\s+)?(\d{1,2})[:h](\d{2})\b/.exec(text);
  if (m?.[1] && m[2]) {
    const hour = Number(m[1]);
    return clock(m[1].length === 1 ? bareHour(hour) : hour, Number(m[2]), m, twelveHour(m[1]));
  }
  m =
    /\b(?:at|@|around)\s*(\d{1,2})(?:\s*o'?clock)?\b(?!\s*(?:days?|weeks?|hours?|hrs?|h\b|min|minutes?|[/.-]\d))/.exec(
      text,
    );
  if (m?.[1]) return clock(bareHour(Number(m[1])), 0, m, twelveHour(m[1]));
  m = /\b(\d{1,2})\s*o'?clock\b/.exec(text);
  if (m?.[1]) return clock(bareHour(Number(m[1])), 0, m, twelveHour(m[1]));
  return null;
}

export interface Duration {
  minutes: number;
  span: [number, number];
}

const DIGIT_UNITS = '(\\d+(?:\\.\\d+)?)\\s*-?\\s*';
const WORD_UNITS = `(${COUNT_PATTERN.replace('\\d+(?:\\.\\d+)?|', '')})[\\s-]+`;
const HOURS = '(?:hours?|hrs?|h)\\b';
const MINUTES = '(?:minutes?|mins?|m)\\b';
const HOUR_WORDS = '(?:hours?|hrs?)\\b';
const MINUTE_WORDS = '(?:minutes?|mins?)\\b';

/** The first length of time in `text` (lower-cased), or null. */
export function findDuration(text: string): Duration | null {
  const at = (m: RegExpExecArray, minutes: number): Duration | null =>
    minutes > 0 ? { minutes: Math.round(minutes), span: [m.index, m.index + m[0].length] } : null;
  let m = /\b(?:an?|one)\s+hour\s+and\s+a\s+half\b|\b(?:1\.5|one and a half)\s*-?\s*hours?\b/.exec(
    text,
  );
  if (m) return at(m, 90);
  m = /\bhalf\s+an?\s+hour\b|\bhalf-hour\b/.exec(text);
  if (m) return at(m, 30);
  m = /\b(?:a\s+)?quarter\s+of\s+an\s+hour\b/.exec(text);
  if (m) return at(m, 15);
  m = new RegExp(`\\b(\\d{1,2})\\s*h\\s*(\\d{1,2})\\s*${MINUTES}`).exec(text);
  if (m?.[1] && m[2]) return at(m, Number(m[1]) * 60 + Number(m[2]));
  m = new RegExp(`\\b${DIGIT_UNITS}${HOURS}|\\b${WORD_UNITS}${HOUR_WORDS}`).exec(text);
  if (m) return at(m, (parseCount(m[1] ?? m[2] ?? '') ?? 0) * 60);
  m = new RegExp(`\\b${DIGIT_UNITS}${MINUTES}|\\b${WORD_UNITS}${MINUTE_WORDS}`).exec(text);
  if (m) return at(m, parseCount(m[1] ?? m[2] ?? '') ?? 0);
  return null;
}
