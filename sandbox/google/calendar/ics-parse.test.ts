import { describe, expect, it } from 'vitest';
import { IcsParseError, parseIcs } from './ics-parse.ts';

const ICS = `BEGIN:VCALENDAR
VERSION:2.0
BEGIN:VTIMEZONE
TZID:Eastern Standard Time
X-LIC-LOCATION:America/New_York
END:VTIMEZONE
BEGIN:VEVENT
UID:review-1@example.com
DTSTAMP:20260220T120000Z
CREATED:20260219T100000Z
LAST-MODIFIED:20260221T090000Z
SEQUENCE:3
SUMMARY:Design review
DESCRIPTION:Screens\\, icons and copy
LOCATION:Studio
DTSTART;TZID=Eastern Standard Time:20260302T130000
DURATION:PT1H30M
RRULE:FREQ=WEEKLY;BYDAY=MO;UNTIL=20260330T170000Z
EXDATE;TZID=America/New_York:20260309T130000,20260316T130000
RDATE;VALUE=DATE:20260401
ORGANIZER;CN=Alex Rivera:mailto:Alex@Example.com
ATTENDEE;CN=Alice Chen;PARTSTAT=ACCEPTED:mailto:alice@northwind.example
ATTENDEE;PARTSTAT=DECLINED;ROLE=OPT-PARTICIPANT:mailto:bob@example.com
ATTENDEE;CUTYPE=ROOM;CN=Room 4:mailto:room4@example.com
TRANSP:TRANSPARENT
CLASS:PRIVATE
STATUS:TENTATIVE
URL:https://zoom.us/j/123456
BEGIN:VALARM
ACTION:EMAIL
TRIGGER:-PT30M
END:VALARM
END:VEVENT
BEGIN:VEVENT
UID:review-1@example.com
RECURRENCE-ID:20260323T170000Z
DTSTART;VALUE=DATE:20260324
STATUS:CANCELLED
X-GOOGLE-CONFERENCE:https://meet.google.com/abc-defg-hij
END:VEVENT
END:VCALENDAR
`;

describe('parseIcs', () => {
  it('reads every field the Calendar API needs from a VEVENT', () => {
    expect(parseIcs(ICS)).toStrictEqual([
      {
        uid: 'review-1@example.com',
        recurrenceId: null,
        summary: 'Design review',
        description: 'Screens, icons and copy',
        location: 'Studio',
        status: 'tentative',
        transparent: true,
        visibility: 'private',
        start: { kind: 'dateTime', local: '2026-03-02T13:00:00', zone: 'America/New_York' },
        end: { kind: 'dateTime', local: '2026-03-02T14:30:00', zone: 'America/New_York' },
        rrules: ['FREQ=WEEKLY;BYDAY=MO;UNTIL=20260330T170000Z'],
        rdates: [{ kind: 'date', date: '2026-04-01' }],
        exdates: [
          { kind: 'dateTime', local: '2026-03-09T13:00:00', zone: 'America/New_York' },
          { kind: 'dateTime', local: '2026-03-16T13:00:00', zone: 'America/New_York' },
        ],
        organizer: { email: 'alex@example.com', displayName: 'Alex Rivera' },
        attendees: [
          {
            email: 'alice@northwind.example',
            displayName: 'Alice Chen',
            responseStatus: 'accepted',
            optional: false,
            resource: false,
          },
          {
            email: 'bob@example.com',
            displayName: null,
            responseStatus: 'declined',
            optional: true,
            resource: false,
          },
          {
            email: 'room4@example.com',
            displayName: 'Room 4',
            responseStatus: 'needsAction',
            optional: false,
            resource: true,
          },
        ],
        conferenceUri: 'https://zoom.us/j/123456',
        created: Date.parse('2026-02-19T10:00:00Z'),
        updated: Date.parse('2026-02-21T09:00:00Z'),
        sequence: 3,
        reminders: [{ method: 'email', minutes: 30 }],
      },
      {
        uid: 'review-1@example.com',
        recurrenceId: { kind: 'dateTime', local: '2026-03-23T17:00:00', zone: 'UTC' },
        summary: null,
        description: null,
        location: null,
        status: 'cancelled',
        transparent: false,
        visibility: 'default',
        start: { kind: 'date', date: '2026-03-24' },
        end: { kind: 'date', date: '2026-03-25' },
        rrules: [],
        rdates: [],
        exdates: [],
        organizer: null,
        attendees: [],
        conferenceUri: 'https://meet.google.com/abc-defg-hij',
        created: null,
        updated: null,
        sequence: 0,
        reminders: null,
      },
    ]);
  });

  it('computes the end of an all-day event from a DURATION in days', () => {
    const [event] = parseIcs(
      'BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nDTSTART;VALUE=DATE:20260304\nDURATION:P3D\nEND:VEVENT\nEND:VCALENDAR\n',
    );
    expect([event?.start, event?.end]).toStrictEqual([
      { kind: 'date', date: '2026-03-04' },
      { kind: 'date', date: '2026-03-07' },
    ]);
  });

  it('rejects text that is not iCalendar', () => {
    expect(() => parseIcs('hello')).toThrow(IcsParseError);
  });
});
