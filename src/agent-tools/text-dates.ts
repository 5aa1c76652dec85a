/**
 * Dates shown from the string's own wall clock: the local parts of an ISO string, read
 * without converting zones, rendered as `Tue 10 Mar 09:12`, with the year only when it is
 * not the current one. A value that is not ISO is shown as raw text.
 */
import { line } from './text-safety.ts';
import { type Rec, str } from './text-values.ts';

export interface Ctx {
  year: number;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::\d{2}(?:[.,]\d+)?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

export interface Wall {
  y: number;
  m: number;
  d: number;
  weekday: number;
  /** `HH:MM`, or null for a date. */
  time: string | null;
  /** `UTC`, `UTC+09:00`, or '' without an offset. */
  zone: string;
}

function dayWall(y: number, m: number, d: number): Wall | null {
  const probe = new Date(Date.UTC(y, m - 1, d));
  if (y < 1000 || probe.getUTCMonth() !== m - 1 || probe.getUTCDate() !== d) return null;
  return { y, m, d, weekday: probe.getUTCDay(), time: null, zone: '' };
}

/** The local parts of an ISO string, without converting zones; null when not ISO. */
export function wall(value: unknown): Wall | null {
  const match = typeof value === 'string' ? ISO.exec(value.trim()) : null;
  if (!match) return null;
  const day = dayWall(Number(match[1]), Number(match[2]), Number(match[3]));
  if (!day || match[4] === undefined) return day;
  if (Number(match[4]) > 23 || Number(match[5]) > 59) return null;
  const offset = match[6]?.toUpperCase();
  const zone = offset === undefined ? '' : offset === 'Z' ? 'UTC' : `UTC${offset}`;
  return { ...day, time: `${match[4]}:${match[5]}`, zone };
}

export function dayBefore(w: Wall): Wall | null {
  const t = new Date(Date.UTC(w.y, w.m - 1, w.d - 1));
  return dayWall(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

export function dayKey(w: Wall): number {
  return w.y * 10_000 + w.m * 100 + w.d;
}

/** `Tue 10 Mar`, with the year when it is not the current one. */
export function dayText(w: Wall, ctx: Ctx): string {
  const year = w.y === ctx.year ? '' : ` ${w.y}`;
  return `${WEEKDAYS[w.weekday] ?? ''} ${w.d} ${MONTHS[w.m - 1] ?? ''}${year}`;
}

/** `Tue 10 Mar 09:12`, or `Tue 10 Mar` for a date. */
export function whenText(w: Wall, ctx: Ctx): string {
  return w.time === null ? dayText(w, ctx) : `${dayText(w, ctx)} ${w.time}`;
}

/** A date inside the block: rendered when ISO, else the raw text as data. */
export function dateOf(value: string | null, ctx: Ctx): string {
  const w = wall(value);
  return w ? whenText(w, ctx) : value ? line(value, 40) : 'no date';
}

/** `Tue 10 Mar 10:00–10:15`, `Tue 10 Mar 22:00 – Wed 11 Mar 02:00`. */
export function spanText(start: Wall, end: Wall | null, ctx: Ctx): string {
  if (!end || end.time === null) return whenText(start, ctx);
  if (dayKey(end) === dayKey(start)) return `${whenText(start, ctx)}–${end.time}`;
  return `${whenText(start, ctx)} – ${whenText(end, ctx)}`;
}

/** Whole days from first to last, inclusive: `Tue 10 Mar`, `Tue 10 Mar – Thu 12 Mar`. */
export function daysText(first: Wall, last: Wall | null, ctx: Ctx): string {
  if (!last || dayKey(last) <= dayKey(first)) return dayText(first, ctx);
  return `${dayText(first, ctx)} – ${dayText(last, ctx)}`;
}

/** A queried period [from, to): whole days when both ends are midnight. */
export function periodText(from: unknown, to: unknown, ctx: Ctx): string | null {
  const start = wall(from);
  const end = wall(to);
  if (!start) return null;
  const midnight = (w: Wall) => w.time === null || w.time === '00:00';
  if (end && midnight(start) && midnight(end)) return daysText(start, dayBefore(end), ctx);
  return spanText(start, end, ctx);
}

export function zoneNote(output: Rec): string {
  const zone = str(output.timeZone);
  return zone && /^[A-Za-z][\w+\-/]{0,63}$/.test(zone) ? ` (times in ${zone})` : '';
}
