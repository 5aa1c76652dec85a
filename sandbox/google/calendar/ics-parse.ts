/**
 * Reads iCalendar text into `EventRecord`s: VEVENTs with DTSTART/DTEND/DURATION in a
 * TZID (IANA names, or VTIMEZONE blocks that name one), RRULE/RDATE/EXDATE, RECURRENCE-ID
 * exceptions, attendees, organizer, conference links and alarms. ical.js does the
 * lexing; zones are resolved to IANA names so Luxon can do the arithmetic. A time or rule
 * that does not parse rejects the whole file with an `IcsParseError` naming the event.
 */
import ICAL from 'ical.js';
import type { Attendee, EventRecord, Person, Reminder, ResponseStatus } from './event-model.ts';
import { parseRule } from './rrule-parse.ts';
import { addDaysToDate, type IcsTime, isValidIcsTime, isValidZone } from './zoned-time.ts';
import { DateTime } from 'luxon';

type Component = InstanceType<typeof ICAL.Component>;
type Property = InstanceType<typeof ICAL.Property>;

/** Windows zone names some calendar programs write as TZID. */
const WINDOWS_ZONES: Record<string, string> = {
  'Eastern Standard Time': 'America/New_York',
  'Central Standard Time': 'America/Chicago',
  'Mountain Standard Time': 'America/Denver',
  'Pacific Standard Time': 'America/Los_Angeles',
  'GMT Standard Time': 'Europe/London',
  'W. Europe Standard Time': 'Europe/Berlin',
  'Romance Standard Time': 'Europe/Paris',
  'Tokyo Standard Time': 'Asia/Tokyo',
  'New Zealand Standard Time': 'Pacific/Auckland',
  'AUS Eastern Standard Time': 'Australia/Sydney',
  UTC: 'UTC',
};

const MEETING_HOSTS =
  /^https:\/\/([a-z0-9-]+\.)*(meet\.google\.com|zoom\.us|teams\.microsoft\.com)\//i;

export class IcsParseError extends Error {
  override name = 'IcsParseError';
}

/** Parses iCalendar text; throws `IcsParseError` when it is not iCalendar. */
export function parseIcs(text: string): EventRecord[] {
  let root: Component;
  try {
    root = new ICAL.Component(ICAL.parse(text));
  } catch (error) {
    throw new IcsParseError(`not valid iCalendar: ${(error as Error).message}`);
  }
  if (root.name !== 'vcalendar') throw new IcsParseError('not valid iCalendar: no VCALENDAR');
  const zones = zoneAliases(root);
  return root.getAllSubcomponents('vevent').map((event) => readEvent(event, zones));
}

function zoneAliases(root: Component): Map<string, string> {
  const aliases = new Map<string, string>();
  for (const tz of root.getAllSubcomponents('vtimezone')) {
    const tzid = String(tz.getFirstPropertyValue('tzid') ?? '');
    const location = String(tz.getFirstPropertyValue('x-lic-location') ?? '');
    if (tzid && location && isValidZone(location)) aliases.set(tzid, location);
  }
  return aliases;
}

function resolveZone(tzid: string, aliases: Map<string, string>): string | null {
  if (isValidZone(tzid)) return tzid;
  const alias = aliases.get(tzid) ?? WINDOWS_ZONES[tzid];
  if (alias) return alias;
  const tail = /([A-Za-z_]+\/[A-Za-z_]+)$/.exec(tzid)?.[1];
  return tail && isValidZone(tail) ? tail : null;
}

/** The one VEVENT being read: its UID, for error messages, and the file's zone aliases. */
interface Reading {
  uid: string;
  aliases: Map<string, string>;
}

function invalid(reading: Reading, property: string, kind: string): IcsParseError {
  return new IcsParseError(
    `not valid iCalendar: the ${property} of event "${reading.uid}" is not a valid ${kind}.`,
  );
}

/**
 * The values of a DTSTART, DTEND, RECURRENCE-ID, RDATE or EXDATE property. A value that is
 * not a real date or date-time rejects the whole file, like any other malformed input.
 */
function readTimes(prop: Property, reading: Reading): IcsTime[] {
  const [, params, type, ...values] = prop.jCal as [string, Record<string, unknown>, string];
  const tzid = typeof params.tzid === 'string' ? params.tzid : null;
  const times: IcsTime[] = [];
  for (const raw of values as unknown[]) {
    const value = type === 'period' && Array.isArray(raw) ? raw[0] : raw;
    let time: IcsTime | null = null;
    if (typeof value === 'string' && type === 'date') {
      time = { kind: 'date', date: value };
    } else if (typeof value === 'string' && value.endsWith('Z')) {
      time = { kind: 'dateTime', local: value.slice(0, -1), zone: 'UTC' };
    } else if (typeof value === 'string') {
      const zone = tzid ? resolveZone(tzid, reading.aliases) : null;
      time = { kind: 'dateTime', local: value, zone };
    }
    if (!time || !isValidIcsTime(time)) {
      throw invalid(reading, prop.name.toUpperCase(), 'date or date-time');
    }
    times.push(time);
  }
  return times;
}

/** RRULE values without the prefix; one that `parseRule` cannot read rejects the file. */
function readRules(event: Component, reading: Reading): string[] {
  return event.getAllProperties('rrule').map((prop) => {
    try {
      const rule = String(prop.getFirstValue());
      parseRule(rule);
      return rule;
    } catch {
      throw invalid(reading, 'RRULE', 'recurrence rule');
    }
  });
}

function text(event: Component, name: string): string | null {
  const value = event.getFirstPropertyValue(name);
  return value === null || value === undefined || value === '' ? null : String(value);
}

function timestamp(event: Component, name: string): number | null {
  const prop = event.getFirstProperty(name);
  if (!prop) return null;
  const value = prop.jCal[3];
  const ms =
    typeof value === 'string' ? Date.parse(value.endsWith('Z') ? value : `${value}Z`) : NaN;
  return Number.isNaN(ms) ? null : ms;
}

function email(value: unknown): string {
  return String(value ?? '')
    .replace(/^mailto:/i, '')
    .trim()
    .toLowerCase();
}

function person(prop: Property): Person {
  const cn = prop.getParameter('cn');
  return { email: email(prop.getFirstValue()), displayName: typeof cn === 'string' ? cn : null };
}

const PARTSTAT: Record<string, ResponseStatus> = {
  ACCEPTED: 'accepted',
  DECLINED: 'declined',
  TENTATIVE: 'tentative',
};

function attendee(prop: Property): Attendee {
  const partstat = String(prop.getParameter('partstat') ?? '').toUpperCase();
  const cutype = String(prop.getParameter('cutype') ?? '').toUpperCase();
  return {
    ...person(prop),
    responseStatus: PARTSTAT[partstat] ?? 'needsAction',
    optional: String(prop.getParameter('role') ?? '').toUpperCase() === 'OPT-PARTICIPANT',
    resource: cutype === 'RESOURCE' || cutype === 'ROOM',
  };
}

function reminders(event: Component): Reminder[] | null {
  const alarms = event.getAllSubcomponents('valarm');
  if (alarms.length === 0) return null;
  const result: Reminder[] = [];
  for (const alarm of alarms) {
    const trigger = alarm.getFirstPropertyValue('trigger');
    if (!(trigger instanceof ICAL.Duration)) continue;
    const action = String(alarm.getFirstPropertyValue('action') ?? '').toUpperCase();
    const minutes = Math.max(0, Math.round(-trigger.toSeconds() / 60));
    result.push({ method: action === 'EMAIL' ? 'email' : 'popup', minutes });
  }
  return result;
}

function endFromDuration(start: IcsTime, duration: InstanceType<typeof ICAL.Duration>): IcsTime {
  const sign = duration.isNegative ? -1 : 1;
  const days = sign * (duration.weeks * 7 + duration.days);
  if (start.kind === 'date') return { kind: 'date', date: addDaysToDate(start.date, days) };
  const end = DateTime.fromISO(start.local, { zone: start.zone ?? 'UTC' })
    .plus({ days })
    .plus({
      hours: sign * duration.hours,
      minutes: sign * duration.minutes,
      seconds: sign * duration.seconds,
    });
  return { ...start, local: end.toFormat("yyyy-MM-dd'T'HH:mm:ss") };
}

function conference(event: Component): string | null {
  const google = text(event, 'x-google-conference');
  if (google) return google;
  const url = text(event, 'url');
  return url && MEETING_HOSTS.test(url) ? url : null;
}

function readEvent(event: Component, aliases: Map<string, string>): EventRecord {
  const uid = text(event, 'uid');
  const startProp = event.getFirstProperty('dtstart');
  if (!uid || !startProp) {
    throw new IcsParseError('not valid iCalendar: VEVENT without UID or DTSTART');
  }
  const reading: Reading = { uid, aliases };
  const start = readTimes(startProp, reading)[0];
  if (!start) throw new IcsParseError('not valid iCalendar: VEVENT without UID or DTSTART');
  const endProp = event.getFirstProperty('dtend');
  const duration = event.getFirstPropertyValue('duration');
  const end =
    (endProp ? readTimes(endProp, reading)[0] : undefined) ??
    (duration instanceof ICAL.Duration ? endFromDuration(start, duration) : undefined) ??
    (start.kind === 'date' ? { kind: 'date', date: addDaysToDate(start.date, 1) } : start);
  const many = (name: string) =>
    event.getAllProperties(name).flatMap((prop) => readTimes(prop, reading));
  const recurrenceProp = event.getFirstProperty('recurrence-id');
  const status = String(event.getFirstPropertyValue('status') ?? '').toUpperCase();
  const klass = String(event.getFirstPropertyValue('class') ?? '').toUpperCase();
  const organizerProp = event.getFirstProperty('organizer');
  return {
    uid,
    recurrenceId: recurrenceProp ? (readTimes(recurrenceProp, reading)[0] ?? null) : null,
    summary: text(event, 'summary'),
    description: text(event, 'description'),
    location: text(event, 'location'),
    status:
      status === 'CANCELLED' ? 'cancelled' : status === 'TENTATIVE' ? 'tentative' : 'confirmed',
    transparent:
      String(event.getFirstPropertyValue('transp') ?? '').toUpperCase() === 'TRANSPARENT',
    visibility:
      klass === 'PRIVATE'
        ? 'private'
        : klass === 'CONFIDENTIAL'
          ? 'confidential'
          : klass === 'PUBLIC'
            ? 'public'
            : 'default',
    start,
    end,
    rrules: readRules(event, reading),
    rdates: many('rdate'),
    exdates: many('exdate'),
    organizer: organizerProp ? person(organizerProp) : null,
    attendees: event.getAllProperties('attendee').map(attendee),
    conferenceUri: conference(event),
    created: timestamp(event, 'created'),
    updated: timestamp(event, 'last-modified') ?? timestamp(event, 'dtstamp'),
    sequence: Number(event.getFirstPropertyValue('sequence') ?? 0) || 0,
    reminders: reminders(event),
  };
}
