/**
 * The user's time zone: their own setting, else Calendar's `settings/timezone`, else UTC.
 * A Gmail-only grant (no Calendar scope) or a Calendar hiccup falls back to UTC rather
 * than failing a mail read.
 */
import { DateTime, IANAZone } from 'luxon';
import { isTidingsError } from '../errors.ts';
import { hasScopeFor } from '../google/index.ts';
import type { CapabilityContext } from './define-capability.ts';

export async function resolveTimeZone(ctx: CapabilityContext): Promise<string> {
  if (ctx.timeZone && IANAZone.isValidZone(ctx.timeZone)) return ctx.timeZone;
  if (!hasScopeFor('calendar', ctx.grantedScopes)) return 'UTC';
  try {
    const zone = await ctx.google.calendar.getTimeZone();
    return IANAZone.isValidZone(zone) ? zone : 'UTC';
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
