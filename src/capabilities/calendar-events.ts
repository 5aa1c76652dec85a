/**
 * Calendar events as capabilities return them: across the user's selected calendars,
 * merged and sorted, times in the user's zone, all-day events as dates, the user's own
 * response, and whether it is recurring.
 */
import { DateTime } from 'luxon';
import { z } from 'zod';
import { mapLimited } from '../google/index.ts';
import type { CalendarEvent, CalendarListEntry, GoogleApi } from '../google/index.ts';

export const RESPONSES = ['accepted', 'declined', 'tentative', 'needsAction', 'organizer'] as const;

export const AgendaEventSchema = z.object({
  id: z.string(),
  calendarId: z.string(),
  calendarName: z.string(),
  title: z.string(),
  start: z.string().describe('ISO date-time in the user zone; YYYY-MM-DD for all-day events'),
  end: z.string().describe('ISO date-time; for all-day events the exclusive end date'),
  endDate: z.string().optional().describe('all-day events: the last day, inclusive'),
  allDay: z.boolean(),
  multiDay: z.boolean(),
  location: z.string().optional(),
  videoLink: z.string().optional(),
  myResponse: z.enum(RESPONSES).nullable(),
  declined: z.boolean(),
  recurring: z.boolean(),
  link: z.string(),
});
export type AgendaEvent = z.infer<typeof AgendaEventSchema>;

/** An event with the instants needed to sort and compare it. */
export interface TimedEvent {
  event: AgendaEvent;
  startMs: number;
  endMs: number;
  transparent: boolean;
}

/** Calendars the user shows in Google Calendar (selected, or the primary one). */
export async function selectedCalendars(google: GoogleApi): Promise<CalendarListEntry[]> {
  const all = await google.calendar.listCalendars();
  return all.filter((c) => (c.selected === true || c.primary === true) && c.hidden !== true);
}

function iso(dt: DateTime): string {
  return dt.toISO({ suppressMilliseconds: true }) ?? '';
}

function myResponse(event: CalendarEvent): AgendaEvent['myResponse'] {
  const me = event.attendees?.find((a) => a.self === true);
  if (me?.organizer === true || (event.organizer?.self === true && !me)) return 'organizer';
  const status = me?.responseStatus;
  if (
    status === 'accepted' ||
    status === 'declined' ||
    status === 'tentative' ||
    status === 'needsAction'
  ) {
    return status;
  }
  return event.organizer?.self === true ? 'organizer' : null;
}

function videoLink(event: CalendarEvent): string | undefined {
  return (
    event.hangoutLink ??
    event.conferenceData?.entryPoints?.find((e) => e.entryPointType === 'video')?.uri
  );
}

/** Maps one Google event; null for cancelled or time-less events. */
export function toTimedEvent(
  event: CalendarEvent,
  calendar: CalendarListEntry,
  zone: string,
): TimedEvent | null {
  if (event.status === 'cancelled') return null;
  const allDay = event.start?.date !== undefined;
  let start: DateTime;
  let end: DateTime;
  if (allDay) {
    start = DateTime.fromISO(event.start?.date ?? '', { zone });
    end = DateTime.fromISO(event.end?.date ?? '', { zone });
    if (!end.isValid || end <= start) end = start.plus({ days: 1 });
  } else {
    start = DateTime.fromISO(event.start?.dateTime ?? '', { zone });
    end = DateTime.fromISO(event.end?.dateTime ?? '', { zone });
    if (!end.isValid) end = start;
  }
  if (!start.isValid) return null;
  const lastDay = allDay ? end.minus({ days: 1 }) : end.minus({ milliseconds: 1 });
  const response = myResponse(event);
  const location = event.location?.trim();
  const video = videoLink(event);
  const mapped: AgendaEvent = {
    id: event.id,
    calendarId: calendar.id,
    calendarName: calendar.summaryOverride ?? calendar.summary ?? calendar.id,
    title: event.summary?.trim() || '(no title)',
    start: allDay ? (start.toISODate() ?? '') : iso(start),
    end: allDay ? (end.toISODate() ?? '') : iso(end),
    ...(allDay ? { endDate: lastDay.toISODate() ?? '' } : {}),
    allDay,
    multiDay: lastDay > start && !lastDay.hasSame(start, 'day'),
    ...(location ? { location } : {}),
    ...(video ? { videoLink: video } : {}),
    myResponse: response,
    declined: response === 'declined',
    recurring: event.recurringEventId !== undefined || (event.recurrence?.length ?? 0) > 0,
    link: event.htmlLink ?? '',
  };
  return {
    event: mapped,
    startMs: start.toMillis(),
    endMs: end.toMillis(),
    transparent: event.transparency === 'transparent',
  };
}

/** Orders by start, all-day before timed on the same instant, then by title. */
export function compareEvents(a: TimedEvent, b: TimedEvent): number {
  return (
    a.startMs - b.startMs ||
    Number(b.event.allDay) - Number(a.event.allDay) ||
    a.endMs - b.endMs ||
    a.event.title.localeCompare(b.event.title)
  );
}

/** Every event overlapping [from, to) on the given calendars, merged and sorted. */
export async function eventsBetween(
  google: GoogleApi,
  calendars: readonly CalendarListEntry[],
  from: DateTime,
  to: DateTime,
  zone: string,
): Promise<TimedEvent[]> {
  const lists = await mapLimited(calendars, 10, async (calendar) => {
    const events = await google.calendar.listEvents(calendar.id, {
      timeMin: iso(from.toUTC()),
      timeMax: iso(to.toUTC()),
      timeZone: zone,
    });
    return events
      .map((e) => toTimedEvent(e, calendar, zone))
      .filter((e): e is TimedEvent => e !== null);
  });
  return lists.flat().sort(compareEvents);
}
