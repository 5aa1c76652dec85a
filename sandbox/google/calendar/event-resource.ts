/**
 * Renders events as Calendar API v3 `Event` resources: times in the response zone with
 * the event's own `timeZone`, organizer/creator/attendees with `self` relative to the
 * calendar being read, Meet links as `hangoutLink` + `conferenceData`, recurrence lines on
 * masters, and the minimal shape Google gives a cancelled instance.
 */
import type { Attendee, EventRecord, EventSeries, Person } from './event-model.ts';
import type { Occurrence } from './recurrence.ts';
import type { CalendarMeta } from './store.ts';
import {
  basicLocal,
  formatDateTime,
  formatUtcMillis,
  type IcsTime,
  toInstant,
} from './zoned-time.ts';

export interface RenderContext {
  calendar: CalendarMeta;
  /** The calendar's effective zone (floating times, all-day dates). */
  calendarZone: string;
  /** The zone of returned `dateTime`s (`timeZone` parameter, else the calendar's). */
  responseZone: string;
  baseUrl: string;
}

type Json = { [key: string]: unknown };

const MEET_ICON =
  'https://fonts.gstatic.com/s/i/productlogos/meet_2020q4/v6/web-512dp/logo_meet_2020q4_color_2x_web_512dp.png';

/** Drops keys whose value is undefined (Google omits absent fields). */
function compact(value: Json): Json {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}

export function renderTime(time: IcsTime, ctx: RenderContext): Json {
  if (time.kind === 'date') return { date: time.date };
  const ms = toInstant(time, ctx.calendarZone);
  return compact({
    dateTime: formatDateTime(ms, ctx.responseZone),
    timeZone: time.zone ?? undefined,
  });
}

function etag(updated: number, sequence: number): string {
  return `"${updated * 1000 + sequence}"`;
}

function htmlLink(id: string, ctx: RenderContext): string {
  const eid = Buffer.from(`${id} ${ctx.calendar.id}`).toString('base64url');
  return `${ctx.baseUrl}/calendar/event?eid=${eid}`;
}

function isSelf(email: string, ctx: RenderContext): boolean {
  return email.toLowerCase() === ctx.calendar.id.toLowerCase();
}

function renderPerson(person: Person, ctx: RenderContext): Json {
  return compact({
    email: person.email,
    displayName: person.displayName ?? undefined,
    self: isSelf(person.email, ctx) || undefined,
  });
}

function renderAttendee(attendee: Attendee, organizer: Person, ctx: RenderContext): Json {
  return compact({
    email: attendee.email,
    displayName: attendee.displayName ?? undefined,
    organizer: attendee.email === organizer.email || undefined,
    self: isSelf(attendee.email, ctx) || undefined,
    resource: attendee.resource || undefined,
    optional: attendee.optional || undefined,
    responseStatus: attendee.responseStatus,
  });
}

function defaultOrganizer(ctx: RenderContext): Person {
  const { calendar } = ctx;
  return { email: calendar.id, displayName: calendar.primary ? null : calendar.summary };
}

function conference(uri: string): Json {
  const url = new URL(uri);
  const label = `${url.host}${url.pathname}`.replace(/\/$/, '');
  const meet = url.host === 'meet.google.com';
  const id = url.pathname.split('/').filter(Boolean).pop() ?? '';
  return {
    entryPoints: [{ entryPointType: 'video', uri, label }],
    conferenceSolution: meet
      ? { key: { type: 'hangoutsMeet' }, name: 'Google Meet', iconUri: MEET_ICON }
      : { key: { type: 'addOn' }, name: url.host.includes('zoom') ? 'Zoom Meeting' : url.host },
    conferenceId: id,
  };
}

function recurrenceLine(name: 'RDATE' | 'EXDATE', time: IcsTime): string {
  if (time.kind === 'date') return `${name};VALUE=DATE:${basicLocal(time.date)}`;
  if (time.zone === 'UTC') return `${name}:${basicLocal(time.local)}Z`;
  if (time.zone) return `${name};TZID=${time.zone}:${basicLocal(time.local)}`;
  return `${name}:${basicLocal(time.local)}`;
}

/** The `recurrence` lines of a master, as Google lists them. */
export function recurrenceLines(master: EventRecord): string[] {
  return [
    ...master.rrules.map((rule) => `RRULE:${rule}`),
    ...master.rdates.map((time) => recurrenceLine('RDATE', time)),
    ...master.exdates.map((time) => recurrenceLine('EXDATE', time)),
  ];
}

interface EventParts {
  id: string;
  series: EventSeries;
  source: EventRecord;
  start: IcsTime;
  end: IcsTime;
  status: EventRecord['status'];
  recurrence?: string[];
  original?: IcsTime;
}

function renderFull(parts: EventParts, ctx: RenderContext): Json {
  const { source, series } = parts;
  const updated = source.updated ?? source.created ?? series.storedAt;
  const organizer = source.organizer ?? defaultOrganizer(ctx);
  return compact({
    kind: 'calendar#event',
    etag: etag(updated, source.sequence),
    id: parts.id,
    status: parts.status,
    htmlLink: htmlLink(parts.id, ctx),
    created: formatUtcMillis(source.created ?? series.storedAt),
    updated: formatUtcMillis(updated),
    summary: source.summary ?? undefined,
    description: source.description ?? undefined,
    location: source.location ?? undefined,
    creator: renderPerson(organizer, ctx),
    organizer: renderPerson(organizer, ctx),
    start: renderTime(parts.start, ctx),
    end: renderTime(parts.end, ctx),
    recurrence: parts.recurrence,
    recurringEventId: parts.original ? series.id : undefined,
    originalStartTime: parts.original ? renderTime(parts.original, ctx) : undefined,
    transparency: source.transparent ? 'transparent' : undefined,
    visibility: source.visibility === 'default' ? undefined : source.visibility,
    iCalUID: series.uid,
    sequence: source.sequence,
    attendees:
      source.attendees.length > 0
        ? source.attendees.map((attendee) => renderAttendee(attendee, organizer, ctx))
        : undefined,
    hangoutLink: source.conferenceUri?.startsWith('https://meet.google.com/')
      ? source.conferenceUri
      : undefined,
    conferenceData: source.conferenceUri ? conference(source.conferenceUri) : undefined,
    reminders: source.reminders
      ? { useDefault: false, overrides: source.reminders }
      : { useDefault: true },
    eventType: 'default',
  });
}

/** One occurrence: a single event, an instance of a series, or a cancelled instance. */
export function renderOccurrence(occ: Occurrence, ctx: RenderContext): Json {
  if (occ.cancelled && occ.original) {
    const updated = occ.source.updated ?? occ.series.storedAt;
    return {
      kind: 'calendar#event',
      etag: etag(updated, occ.source.sequence),
      id: occ.id,
      status: 'cancelled',
      recurringEventId: occ.series.id,
      originalStartTime: renderTime(occ.original, ctx),
    };
  }
  const status = occ.cancelled ? 'cancelled' : occ.source.status;
  const base = {
    id: occ.id,
    series: occ.series,
    source: occ.source,
    start: occ.start,
    end: occ.end,
  };
  return renderFull(
    occ.original ? { ...base, status, original: occ.original } : { ...base, status },
    ctx,
  );
}

/** A recurring master as listed without `singleEvents`: its own times and `recurrence`. */
export function renderMaster(series: EventSeries, master: EventRecord, ctx: RenderContext): Json {
  return renderFull(
    {
      id: series.id,
      series,
      source: master,
      start: master.start,
      end: master.end,
      status: master.status,
      recurrence: recurrenceLines(master),
    },
    ctx,
  );
}
