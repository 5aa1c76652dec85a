/**
 * Times as iCalendar writes them (a date, or a wall-clock time in a zone, in UTC or
 * floating) and the conversions the Calendar API needs: to instants, to RFC 3339 with an
 * offset, to the basic `YYYYMMDDTHHMMSSZ` form used in instance ids and iCalendar lines.
 * All zone arithmetic goes through Luxon, so DST gaps and overlaps follow the IANA rules.
 */
import { DateTime } from 'luxon';

/** A DATE value (`2026-03-02`). */
export interface IcsDate {
  kind: 'date';
  date: string;
}

/**
 * A DATE-TIME value: `local` is the wall clock (`2026-03-02T09:30:00`); `zone` is an IANA
 * zone, `UTC` for values written with `Z`, or null for floating times (read in the
 * calendar's zone).
 */
export interface IcsDateTime {
  kind: 'dateTime';
  local: string;
  zone: string | null;
}

export type IcsTime = IcsDate | IcsDateTime;

const DAY_MS = 86_400_000;

export function isValidZone(zone: string): boolean {
  return zone !== '' && DateTime.now().setZone(zone).isValid;
}

const DATE_FORM = /^\d{4}-\d{2}-\d{2}$/;
const LOCAL_FORM = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;

/**
 * Whether a value read from iCalendar is a real calendar date (`2026-03-02`) or wall clock
 * (`2026-03-02T09:30:00`): right shape, month 1–12, a day the month has, 00:00:00–23:59:59.
 */
export function isValidIcsTime(time: IcsTime): boolean {
  const text = time.kind === 'date' ? time.date : time.local;
  if (!(time.kind === 'date' ? DATE_FORM : LOCAL_FORM).test(text)) return false;
  const parsed = DateTime.fromISO(text, { zone: 'UTC' });
  const format = time.kind === 'date' ? 'yyyy-MM-dd' : "yyyy-MM-dd'T'HH:mm:ss";
  return parsed.isValid && parsed.toFormat(format) === text;
}

function zoned(local: string, zone: string): DateTime {
  return DateTime.fromISO(local, { zone });
}

/**
 * Instants already worked out, by zone and wall clock: expanding a series asks for the
 * same few thousand again on every list call, and each costs a zone lookup in Intl. The
 * answer depends on nothing else, so it can be kept; the map is emptied when it grows
 * past a bound.
 */
const instants = new Map<string, number>();
const MAX_INSTANTS = 200_000;

/** The instant a time stands for; dates are midnight at the start of the day in `zone`. */
export function toInstant(time: IcsTime, fallbackZone: string): number {
  const local = time.kind === 'date' ? `${time.date}T00:00:00` : time.local;
  const zone = time.kind === 'date' ? fallbackZone : (time.zone ?? fallbackZone);
  const key = `${zone} ${local}`;
  const known = instants.get(key);
  if (known !== undefined) return known;
  const ms = zoned(local, zone).toMillis();
  if (instants.size >= MAX_INSTANTS) instants.clear();
  instants.set(key, ms);
  return ms;
}

/** The wall clock (`YYYY-MM-DDTHH:mm:ss`) of an instant in a zone. */
export function localOf(ms: number, zone: string): string {
  return DateTime.fromMillis(ms, { zone }).toFormat("yyyy-MM-dd'T'HH:mm:ss");
}

/**
 * RFC 3339 with the zone's offset and no fraction, as the Calendar API writes times (a
 * zero offset is written `Z`, as Google does, also for Europe/London in winter).
 */
export function formatDateTime(ms: number, zone: string): string {
  const text = DateTime.fromMillis(ms, { zone }).toISO({ suppressMilliseconds: true }) ?? '';
  return text.endsWith('+00:00') ? `${text.slice(0, -6)}Z` : text;
}

/** `2026-03-02T14:30:00.000Z`, the form of `created`, `updated` and freeBusy bounds. */
export function formatUtcMillis(ms: number): string {
  return new Date(ms).toISOString();
}

/** `20260302T143000Z`: the suffix of instance ids and the form of UTC iCalendar values. */
export function basicUtc(ms: number): string {
  return DateTime.fromMillis(ms, { zone: 'UTC' }).toFormat("yyyyMMdd'T'HHmmss'Z'");
}

/** `2026-03-02` → `20260302`; `2026-03-02T09:30:00` → `20260302T093000`. */
export function basicLocal(value: string): string {
  return value.replaceAll('-', '').replaceAll(':', '');
}

/** Reads `20260302`, `20260302T093000` or `20260302T143000Z`; null when malformed. */
export function parseBasic(value: string): IcsTime | null {
  const match = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?$/.exec(value.trim());
  if (!match) return null;
  const [, y, mo, d, h, mi, s, z] = match;
  const date = `${y}-${mo}-${d}`;
  if (h === undefined) return { kind: 'date', date };
  return { kind: 'dateTime', local: `${date}T${h}:${mi}:${s}`, zone: z === 'Z' ? 'UTC' : null };
}

/** Adds whole days to a `YYYY-MM-DD` date. */
export function addDaysToDate(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Adds whole days to a wall clock, keeping the time of day. */
export function addDaysToLocal(local: string, days: number): string {
  return `${addDaysToDate(local.slice(0, 10), days)}${local.slice(10)}`;
}

/** Whole days from `from` to `to` (both `YYYY-MM-DD`). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** Parses an RFC 3339 timestamp that carries an offset (or `Z`); null otherwise. */
export function parseRfc3339(value: string): number | null {
  if (!RFC3339.test(value)) return null;
  const parsed = DateTime.fromISO(value.toUpperCase(), { setZone: true });
  return parsed.isValid ? parsed.toMillis() : null;
}
