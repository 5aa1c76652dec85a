/**
 * The user's time zone: their own setting, else Calendar's `settings/timezone`, else UTC.
 * A Gmail-only grant (no Calendar scope) or a Calendar hiccup falls back to UTC rather
 * than failing a mail read. Whether a zone name is valid is remembered: Luxon answers it
 * by building an `Intl.DateTimeFormat`, which would otherwise happen on every request.
 */
import { DateTime, IANAZone } from 'luxon';
import { isTidingsError } from '../errors.ts';
import { hasScopeFor } from '../google/index.ts';
import type { CapabilityContext } from './define-capability.ts';

/** Zone names checked so far; bounded, as names come from users and from Google. */
const zoneValidity = new Map<string, boolean>();
const MAX_REMEMBERED_ZONES = 1_000;

/** Whether `zone` is an IANA zone this runtime knows (Luxon's answer, remembered). */
export function isValidZone(zone: string): boolean {
  const known = zoneValidity.get(zone);
  if (known !== undefined) return known;
  const valid = IANAZone.isValidZone(zone);
  if (zoneValidity.size >= MAX_REMEMBERED_ZONES) zoneValidity.clear();
  zoneValidity.set(zone, valid);
  return valid;
}

export async function resolveTimeZone(ctx: CapabilityContext): Promise<string> {
  if (ctx.timeZone && isValidZone(ctx.timeZone)) return ctx.timeZone;
  if (!hasScopeFor('calendar', ctx.grantedScopes)) return 'UTC';
  try {
    const zone = await ctx.google.calendar.getTimeZone();
    return isValidZone(zone) ? zone : 'UTC';
  } catch (error) {
    if (isTidingsError(error)) return 'UTC';
    throw error;
  }
}

/** ISO 8601 with the zone's offset, no milliseconds: `2026-11-25T09:30:00+01:00`. */
export function isoInZone(date: Date | number, zone: string): string {
  const dt = typeof date === 'number' ? DateTime.fromMillis(date) : DateTime.fromJSDate(date);
  return dt.setZone(zone).toISO({ suppressMilliseconds: true }) ?? '';
}
