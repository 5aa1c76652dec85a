/**
 * The zone a user's daily briefing follows, resolved the way the capabilities and the
 * bot resolve it: the zone the user set, else their Google Calendar's (as the agenda
 * capability reports it), else UTC when there is no Calendar to ask. Calendar's answer is
 * remembered for hours (one small Google call per user per six hours at most); a failure
 * to ask is remembered for minutes and answers "unknown" meanwhile, so the briefing waits
 * instead of firing at the wrong hour.
 */
import { IANAZone } from 'luxon';
import { isTidingsError } from '../errors.ts';
import type { UserRecord } from '../users/index.ts';

export const ZONE_TTL_MS = 6 * 60 * 60_000;
export const ZONE_RETRY_MS = 10 * 60_000;
const MAX_REMEMBERED = 10_000;

export interface ZoneResolver {
  /** The user's zone, or null when it cannot be known right now. */
  zoneOf(user: UserRecord): Promise<string | null>;
}

function valid(zone: unknown): zone is string {
  return typeof zone === 'string' && IANAZone.isValidZone(zone);
}

export function createZoneResolver(deps: {
  calendarZone(userId: string): Promise<string>;
  now: () => Date;
}): ZoneResolver {
  const remembered = new Map<string, { zone: string | null; until: number }>();

  function remember(userId: string, zone: string | null, forMs: number): string | null {
    if (remembered.size >= MAX_REMEMBERED) remembered.clear();
    remembered.set(userId, { zone, until: deps.now().getTime() + forMs });
    return zone;
  }

  return {
    async zoneOf(user) {
      if (valid(user.timeZone)) return user.timeZone;
      const known = remembered.get(user.id);
      if (known && known.until > deps.now().getTime()) return known.zone;
      try {
        const zone = await deps.calendarZone(user.id);
        return remember(user.id, valid(zone) ? zone : 'UTC', ZONE_TTL_MS);
      } catch (error) {
        // No Calendar to ask (or no Google at all): UTC, as everywhere else.
        if (
          isTidingsError(error) &&
          ['scope_missing', 'not_connected', 'reauth_required', 'not_configured'].includes(
            error.code,
          )
        ) {
          return remember(user.id, 'UTC', ZONE_RETRY_MS);
        }
        return remember(user.id, null, ZONE_RETRY_MS);
      }
    },
  };
}
