/**
 * The Calendar sandbox's memory: per user (lower-cased email), their calendars and, per
 * calendar, event series keyed by iCalendar UID. Importing a UID again replaces that
 * VEVENT (the master, or the exception for the same instance, however its RECURRENCE-ID is
 * written), as Google's import does. Every user has a primary calendar whose id is their email.
 */
import { createHash } from 'node:crypto';
import type { EventRecord, EventSeries } from './event-model.ts';
import { parseIcs } from './ics-parse.ts';
import { instanceKey } from './recurrence.ts';
import { inSeriesForm } from './recurrence-match.ts';

export type AccessRole = 'owner' | 'writer' | 'reader' | 'freeBusyReader';

export interface CalendarMeta {
  id: string;
  summary: string;
  description: string | null;
  /** IANA zone; null for a primary calendar that follows the user's zone. */
  timeZone: string | null;
  primary: boolean;
  selected: boolean;
  backgroundColor: string;
  foregroundColor: string;
  colorId: string;
  accessRole: AccessRole;
}

export interface StoredCalendar {
  meta: CalendarMeta;
  series: Map<string, EventSeries>;
}

export type CalendarInput = Partial<CalendarMeta> & { id: string };

export interface CalendarStore {
  /** Forgets every user, calendar and event. */
  reset(): void;
  /** Imports iCalendar text into a calendar (`primary` or any id; a new id is created). */
  importIcs(email: string, ics: string, calendarId: string): { ids: string[] };
  /** Stores already-parsed events; answers their Google event ids. */
  addEvents(email: string, calendarId: string, events: EventRecord[]): { ids: string[] };
  /** Creates or updates a calendar's description. */
  putCalendar(email: string, input: CalendarInput): StoredCalendar;
  /** Moves the primary calendar to a zone (the user's zone changed in their account). */
  setPrimaryZone(email: string, timeZone: string): void;
  /** The user's calendars, primary first. */
  calendars(email: string): StoredCalendar[];
  /** One calendar by id (`primary` and the user's email name the primary one). */
  calendar(email: string, calendarId: string): StoredCalendar | undefined;
}

export interface CalendarStoreOptions {
  now?: () => Date;
}

/** Google event ids use base32hex (`a-v0-9`); other UIDs are hashed into that alphabet. */
export function eventIdFromUid(uid: string): string {
  if (/^[a-v0-9]{5,1024}$/.test(uid)) return uid;
  return createHash('sha256').update(uid).digest('hex').slice(0, 26);
}

const PALETTE = [
  { colorId: '14', backgroundColor: '#9fe1e7' },
  { colorId: '4', backgroundColor: '#fa573c' },
  { colorId: '8', backgroundColor: '#16a765' },
  { colorId: '17', backgroundColor: '#9a9cff' },
];

export function createCalendarStore(options: CalendarStoreOptions = {}): CalendarStore {
  const now = options.now ?? (() => new Date());
  const users = new Map<string, Map<string, StoredCalendar>>();

  const userCalendars = (email: string): Map<string, StoredCalendar> => {
    const key = email.toLowerCase();
    let calendars = users.get(key);
    if (!calendars) {
      calendars = new Map();
      users.set(key, calendars);
      calendars.set(key, { meta: describe(key, { id: key, primary: true }, 0), series: new Map() });
    }
    return calendars;
  };

  const resolveId = (email: string, calendarId: string): string => {
    const lower = email.toLowerCase();
    return calendarId === 'primary' || calendarId.toLowerCase() === lower ? lower : calendarId;
  };

  const putCalendar = (email: string, input: CalendarInput): StoredCalendar => {
    const calendars = userCalendars(email);
    const id = input.primary ? email.toLowerCase() : resolveId(email, input.id);
    const existing = calendars.get(id);
    const meta = describe(id, { ...existing?.meta, ...input, id }, calendars.size);
    meta.primary = id === email.toLowerCase();
    const stored = { meta, series: existing?.series ?? new Map<string, EventSeries>() };
    calendars.set(id, stored);
    return stored;
  };

  const seriesFor = (calendar: StoredCalendar, uid: string): EventSeries => {
    let series = calendar.series.get(uid);
    if (!series) {
      series = {
        id: eventIdFromUid(uid),
        uid,
        master: null,
        overrides: [],
        storedAt: now().getTime(),
      };
      calendar.series.set(uid, series);
    }
    return series;
  };

  const addEvents = (email: string, calendarId: string, events: EventRecord[]) => {
    const id = resolveId(email, calendarId);
    const calendar = userCalendars(email).get(id) ?? putCalendar(email, { id });
    const zones = { floating: calendar.meta.timeZone ?? 'UTC', dates: 'UTC' };
    // Masters first, so an exception's id follows the form of its series' DTSTART.
    for (const event of events) {
      if (!event.recurrenceId) seriesFor(calendar, event.uid).master = event;
    }
    return {
      ids: events.map((event) => {
        const series = seriesFor(calendar, event.uid);
        if (!event.recurrenceId) return series.id;
        const like = series.master?.start ?? event.start;
        const keyOf = (other: EventRecord) =>
          instanceKey(inSeriesForm(other.recurrenceId ?? other.start, like, zones), zones.floating);
        const key = keyOf(event);
        series.overrides = series.overrides.filter((other) => keyOf(other) !== key);
        series.overrides.push(event);
        return `${series.id}_${key}`;
      }),
    };
  };

  return {
    reset: () => users.clear(),
    importIcs: (email, ics, calendarId) => addEvents(email, calendarId, parseIcs(ics)),
    addEvents,
    putCalendar,
    setPrimaryZone: (email, timeZone) => {
      putCalendar(email, { id: email.toLowerCase(), primary: true, timeZone });
    },
    calendars: (email) =>
      [...userCalendars(email).values()].sort(
        (a, b) => Number(b.meta.primary) - Number(a.meta.primary),
      ),
    calendar: (email, calendarId) => userCalendars(email).get(resolveId(email, calendarId)),
  };
}

function describe(id: string, input: CalendarInput, index: number): CalendarMeta {
  const colors = PALETTE[index % PALETTE.length] ?? PALETTE[0]!;
  return {
    id,
    summary: input.summary ?? id,
    description: input.description ?? null,
    timeZone: input.timeZone ?? null,
    primary: input.primary ?? false,
    selected: input.selected ?? true,
    backgroundColor: input.backgroundColor ?? colors.backgroundColor,
    foregroundColor: input.foregroundColor ?? '#000000',
    colorId: input.colorId ?? colors.colorId,
    accessRole: input.accessRole ?? 'owner',
  };
}
