/**
 * Calendar v3 read calls: calendar list, events (expanded instances, ordered by start,
 * every page followed), the user's time zone setting (kept per connection for ten
 * minutes), and free/busy.
 */
import type { ConnectionMemo } from './connection-memo.ts';
import type { GoogleRequester } from './google-request.ts';
import {
  CalendarEventListSchema,
  CalendarListSchema,
  CalendarSettingSchema,
  FreeBusySchema,
} from './calendar-schemas.ts';
import type { CalendarEvent, CalendarListEntry, FreeBusy } from './calendar-schemas.ts';

export interface EventsParams {
  /** RFC 3339 with offset. */
  timeMin: string;
  timeMax: string;
  /** Zone of returned times. */
  timeZone?: string;
  /** Per page (Google's default 250, max 2500). */
  maxResults?: number;
  /** Safety bound on pages followed. */
  maxPages?: number;
}

export interface FreeBusyParams {
  timeMin: string;
  timeMax: string;
  timeZone?: string;
  calendarIds: readonly string[];
}

export interface CalendarApi {
  /** Every calendar in the user's list (all pages). */
  listCalendars(): Promise<CalendarListEntry[]>;
  /** Single events (recurrences expanded) in start order, all pages. */
  listEvents(calendarId: string, params: EventsParams): Promise<CalendarEvent[]>;
  /** The user's Calendar setting `timezone` (an IANA zone); kept ten minutes. */
  getTimeZone(): Promise<string>;
  freeBusy(params: FreeBusyParams): Promise<FreeBusy>;
}

const BASE = '/calendar/v3';

export const TIME_ZONE_TTL_MS = 10 * 60_000;

export function createCalendarApi(
  request: GoogleRequester,
  connectionId: string,
  memo: ConnectionMemo,
): CalendarApi {
  return {
    async listCalendars() {
      const entries: CalendarListEntry[] = [];
      let pageToken: string | undefined;
      do {
        const page = await request(CalendarListSchema, {
          operation: 'calendar.calendarList.list',
          path: `${BASE}/users/me/calendarList`,
          query: { pageToken, maxResults: 250 },
        });
        entries.push(...(page.items ?? []));
        pageToken = page.nextPageToken;
      } while (pageToken);
      return entries;
    },
    async listEvents(calendarId, params) {
      const events: CalendarEvent[] = [];
      let pageToken: string | undefined;
      let pages = 0;
      do {
        const page = await request(CalendarEventListSchema, {
          operation: 'calendar.events.list',
          path: `${BASE}/calendars/${encodeURIComponent(calendarId)}/events`,
          query: {
            timeMin: params.timeMin,
            timeMax: params.timeMax,
            timeZone: params.timeZone,
            singleEvents: true,
            orderBy: 'startTime',
            maxResults: params.maxResults ?? 250,
            pageToken,
          },
        });
        events.push(...(page.items ?? []));
        pageToken = page.nextPageToken;
        pages++;
      } while (pageToken && pages < (params.maxPages ?? 20));
      return events;
    },
    getTimeZone: () =>
      memo.get(connectionId, 'calendar.timezone', TIME_ZONE_TTL_MS, async () => {
        const setting = await request(CalendarSettingSchema, {
          operation: 'calendar.settings.get',
          path: `${BASE}/users/me/settings/timezone`,
        });
        return setting.value;
      }),
    freeBusy: (params) =>
      request(FreeBusySchema, {
        operation: 'calendar.freebusy.query',
        method: 'POST',
        path: `${BASE}/freeBusy`,
        body: {
          timeMin: params.timeMin,
          timeMax: params.timeMax,
          ...(params.timeZone ? { timeZone: params.timeZone } : {}),
          items: params.calendarIds.map((id) => ({ id })),
        },
      }),
  };
}
