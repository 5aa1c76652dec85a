/**
 * The sandbox's own record of an event, as read from one VEVENT. Times stay in their
 * iCalendar form (wall clock + zone) so recurrence and the seed shift work on wall clocks.
 */
import type { IcsTime } from './zoned-time.ts';

export type ResponseStatus = 'needsAction' | 'declined' | 'tentative' | 'accepted';

export interface Person {
  email: string;
  displayName: string | null;
}

export interface Attendee extends Person {
  responseStatus: ResponseStatus;
  optional: boolean;
  resource: boolean;
}

export interface Reminder {
  method: 'popup' | 'email';
  minutes: number;
}

export interface EventRecord {
  uid: string;
  /** Set on an exception (an override of one instance of a recurring event). */
  recurrenceId: IcsTime | null;
  summary: string | null;
  description: string | null;
  location: string | null;
  status: 'confirmed' | 'tentative' | 'cancelled';
  transparent: boolean;
  visibility: 'default' | 'public' | 'private' | 'confidential';
  start: IcsTime;
  end: IcsTime;
  /** RRULE values without the `RRULE:` prefix. */
  rrules: string[];
  rdates: IcsTime[];
  exdates: IcsTime[];
  organizer: Person | null;
  attendees: Attendee[];
  /** A video meeting link (X-GOOGLE-CONFERENCE, or a URL on a known meeting host). */
  conferenceUri: string | null;
  /** Epoch milliseconds (CREATED, LAST-MODIFIED/DTSTAMP); null when the file has none. */
  created: number | null;
  updated: number | null;
  sequence: number;
  /** VALARMs; null when the event uses the calendar's default reminders. */
  reminders: Reminder[] | null;
}

/** Every VEVENT sharing one UID: the master (or a single event) and its exceptions. */
export interface EventSeries {
  /** The Google event id of the master (derived from the UID). */
  id: string;
  uid: string;
  master: EventRecord | null;
  overrides: EventRecord[];
  /** When the sandbox stored it; stands in for missing CREATED/LAST-MODIFIED. */
  storedAt: number;
}

export function isRecurring(event: EventRecord): boolean {
  return event.rrules.length > 0 || event.rdates.length > 0;
}
