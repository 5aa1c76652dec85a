/**
 * A corpus invite as iCalendar text the Google sandbox imports: one VEVENT with the
 * summary, description and location escaped (RFC 5545 §3.3.11), lines folded at 75
 * octets without splitting a character, times in UTC (or dates for all-day events)
 * shifted by whole days, the organizer and the attendees, the recipient readdressed.
 */
import { DateTime } from 'luxon';
import type { CorpusEvent } from './types.ts';
import { readdress } from './rfc822.ts';

const CRLF = '\r\n';

export function escapeText(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r?\n/g, '\\n');
}

/** Folds a content line into pieces of at most 75 octets (continuations start with a space). */
export function foldLine(line: string): string {
  const pieces: string[] = [];
  let current = '';
  let limit = 75;
  for (const char of line) {
    if (Buffer.byteLength(current + char) > limit) {
      pieces.push(current);
      current = '';
      limit = 74;
    }
    current += char;
  }
  pieces.push(current);
  return pieces.join(`${CRLF} `);
}

function when(name: 'DTSTART' | 'DTEND', value: string, shiftDays: number): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const day = DateTime.fromISO(value, { zone: 'utc' }).plus({ days: shiftDays });
    return `${name};VALUE=DATE:${day.toFormat('yyyyMMdd')}`;
  }
  const instant = DateTime.fromISO(value, { setZone: true }).plus({ days: shiftDays }).toUTC();
  return `${name}:${instant.toFormat("yyyyMMdd'T'HHmmss'Z'")}`;
}

function person(property: 'ORGANIZER' | 'ATTENDEE', value: string, extra = ''): string {
  const match = /^(.*?)\s*<([^>]+)>$/.exec(value.trim());
  const name = match?.[1] ?? '';
  const address = match?.[2] ?? value.trim();
  const cn = name ? `;CN="${name.replace(/"/g, "'")}"` : '';
  return `${property}${cn}${extra}:mailto:${address}`;
}

export interface IcsOptions {
  mailbox: string;
  shiftDays: number;
  now: Date;
  /** The event's UID (unique per item). */
  uid: string;
}

export function icsFor(event: CorpusEvent, options: IcsOptions): string {
  const attendees = [...new Set((event.attendees ?? []).map((a) => readdress(a, options.mailbox)))];
  if (!attendees.includes(options.mailbox)) attendees.push(options.mailbox);
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Tidings//Injection corpus//EN',
    'BEGIN:VEVENT',
    `UID:${options.uid}`,
    `DTSTAMP:${DateTime.fromJSDate(options.now, { zone: 'utc' }).toFormat("yyyyMMdd'T'HHmmss'Z'")}`,
    when('DTSTART', event.start, options.shiftDays),
    when('DTEND', event.end, options.shiftDays),
    `SUMMARY:${escapeText(event.summary)}`,
    ...(event.location ? [`LOCATION:${escapeText(event.location)}`] : []),
    ...(event.description ? [`DESCRIPTION:${escapeText(event.description)}`] : []),
    ...(event.organizer ? [person('ORGANIZER', event.organizer)] : []),
    ...attendees.map((a) => person('ATTENDEE', a, ';PARTSTAT=NEEDS-ACTION;RSVP=TRUE')),
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return `${lines.map(foldLine).join(CRLF)}${CRLF}`;
}
