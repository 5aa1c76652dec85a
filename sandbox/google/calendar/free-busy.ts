/**
 * `freebusy.query`: the busy intervals of each requested calendar within a window.
 * Cancelled, transparent and declined-by-the-calendar's-owner events are not busy;
 * overlapping intervals merge; intervals are clipped to the window; an unknown calendar
 * answers `errors: [{domain: "global", reason: "notFound"}]` instead of failing the call.
 */
import { badRequest, invalid, type Parsed } from './list-params.ts';
import { type ExpandZones, expandSeries, type Occurrence } from './recurrence.ts';
import type { StoredCalendar } from './store.ts';
import { formatDateTime, formatUtcMillis, isValidZone, parseRfc3339 } from './zoned-time.ts';

export interface FreeBusyRequest {
  timeMin: number;
  timeMax: number;
  timeZone: string | null;
  ids: string[];
}

export type Interval = [start: number, end: number];

const HORIZON_MS = 2 * 366 * 86_400_000;

export function parseFreeBusyBody(body: unknown): Parsed<FreeBusyRequest> {
  const input = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  for (const name of ['timeMin', 'timeMax'] as const) {
    if (typeof input[name] !== 'string') {
      return { ok: false, error: invalid(name, 'Required', 'required') };
    }
  }
  const timeMin = parseRfc3339(String(input.timeMin));
  const timeMax = parseRfc3339(String(input.timeMax));
  if (timeMin === null || timeMax === null) return { ok: false, error: badRequest() };
  if (timeMax <= timeMin) {
    const message = 'The specified time range is empty.';
    return {
      ok: false,
      error: {
        code: 400,
        message,
        detail: {
          domain: 'calendar',
          reason: 'timeRangeEmpty',
          message,
          locationType: 'parameter',
          location: 'timeMax',
        },
      },
    };
  }
  const zone = typeof input.timeZone === 'string' && input.timeZone !== '' ? input.timeZone : null;
  if (zone !== null && !isValidZone(zone)) {
    return { ok: false, error: invalid('timeZone', 'Invalid time zone definition.') };
  }
  const items = Array.isArray(input.items) ? input.items : [];
  const ids = items
    .map((item) => (item as { id?: unknown } | null)?.id)
    .filter((id): id is string => typeof id === 'string');
  return { ok: true, value: { timeMin, timeMax, timeZone: zone, ids } };
}

function isBusy(occ: Occurrence, calendarId: string): boolean {
  if (occ.cancelled || occ.source.status === 'cancelled' || occ.source.transparent) return false;
  const self = occ.source.attendees.find((a) => a.email === calendarId.toLowerCase());
  return self?.responseStatus !== 'declined';
}

/** Merged busy intervals of one calendar, clipped to [from, to). */
export function busyIntervals(
  calendar: StoredCalendar,
  from: number,
  to: number,
  zones: ExpandZones,
): Interval[] {
  const window = { from, to, horizon: from + HORIZON_MS };
  const raw: Interval[] = [];
  for (const series of calendar.series.values()) {
    for (const occ of expandSeries(series, window, zones)) {
      if (!isBusy(occ, calendar.meta.id) || occ.endMs <= occ.startMs) continue;
      raw.push([Math.max(occ.startMs, from), Math.min(occ.endMs, to)]);
    }
  }
  raw.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: Interval[] = [];
  for (const interval of raw) {
    const last = merged[merged.length - 1];
    if (last && interval[0] <= last[1]) last[1] = Math.max(last[1], interval[1]);
    else merged.push([interval[0], interval[1]]);
  }
  return merged;
}

/** The whole `calendar#freeBusy` answer; `lookup` finds a calendar and its zone. */
export function freeBusyResponse(
  request: FreeBusyRequest,
  lookup: (id: string) => { calendar: StoredCalendar; zone: string } | undefined,
): Record<string, unknown> {
  const calendars: Record<string, unknown> = {};
  const responseZone = request.timeZone ?? 'UTC';
  for (const id of request.ids) {
    const found = lookup(id);
    if (!found) {
      calendars[id] = { errors: [{ domain: 'global', reason: 'notFound' }], busy: [] };
      continue;
    }
    const zones = { floating: found.zone, dates: found.zone };
    const busy = busyIntervals(found.calendar, request.timeMin, request.timeMax, zones);
    calendars[id] = {
      busy: busy.map(([start, end]) => ({
        start: formatDateTime(start, responseZone),
        end: formatDateTime(end, responseZone),
      })),
    };
  }
  return {
    kind: 'calendar#freeBusy',
    timeMin: formatUtcMillis(request.timeMin),
    timeMax: formatUtcMillis(request.timeMax),
    calendars,
  };
}
