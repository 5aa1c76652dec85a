import { describe, expect, it } from 'vitest';
import { freeBusyResponse, parseFreeBusyBody } from './free-busy.ts';
import { createCalendarStore } from './store.ts';

const EVENTS = `BEGIN:VCALENDAR
BEGIN:VEVENT
UID:busy0001
SUMMARY:Opaque
DTSTART;TZID=America/New_York:20260302T090000
DTEND;TZID=America/New_York:20260302T100000
END:VEVENT
BEGIN:VEVENT
UID:busy0002
SUMMARY:Overlapping
DTSTART;TZID=America/New_York:20260302T093000
DTEND;TZID=America/New_York:20260302T110000
END:VEVENT
BEGIN:VEVENT
UID:free0001
SUMMARY:Transparent
TRANSP:TRANSPARENT
DTSTART;TZID=America/New_York:20260302T120000
DTEND;TZID=America/New_York:20260302T130000
END:VEVENT
BEGIN:VEVENT
UID:free0002
SUMMARY:Declined
DTSTART;TZID=America/New_York:20260302T140000
DTEND;TZID=America/New_York:20260302T150000
ATTENDEE;PARTSTAT=DECLINED:mailto:alex@example.com
ATTENDEE;PARTSTAT=ACCEPTED:mailto:bob@example.com
END:VEVENT
BEGIN:VEVENT
UID:free0003
SUMMARY:Cancelled
STATUS:CANCELLED
DTSTART;TZID=America/New_York:20260302T160000
DTEND;TZID=America/New_York:20260302T170000
END:VEVENT
BEGIN:VEVENT
UID:busy0003
SUMMARY:Late, clipped by the window
DTSTART;TZID=America/New_York:20260302T230000
DTEND;TZID=America/New_York:20260303T010000
END:VEVENT
BEGIN:VEVENT
UID:busy0004
SUMMARY:Daily, one instance cancelled
DTSTART;TZID=America/New_York:20260301T180000
DTEND;TZID=America/New_York:20260301T183000
RRULE:FREQ=DAILY;COUNT=3
EXDATE;TZID=America/New_York:20260302T180000
END:VEVENT
END:VCALENDAR
`;

function setup() {
  const store = createCalendarStore();
  store.putCalendar('alex@example.com', {
    id: 'alex@example.com',
    primary: true,
    timeZone: 'America/New_York',
  });
  store.importIcs('alex@example.com', EVENTS, 'primary');
  return (id: string) => {
    const calendar = store.calendar('alex@example.com', id);
    return calendar ? { calendar, zone: 'America/New_York' } : undefined;
  };
}

function request(body: unknown) {
  const parsed = parseFreeBusyBody(body);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

describe('freebusy', () => {
  it('merges overlapping busy events and skips transparent, declined and cancelled ones', () => {
    const answer = freeBusyResponse(
      request({
        timeMin: '2026-03-02T00:00:00-05:00',
        timeMax: '2026-03-03T00:00:00-05:00',
        items: [{ id: 'primary' }, { id: 'nobody@example.com' }],
      }),
      setup(),
    );
    expect(answer).toStrictEqual({
      kind: 'calendar#freeBusy',
      timeMin: '2026-03-02T05:00:00.000Z',
      timeMax: '2026-03-03T05:00:00.000Z',
      calendars: {
        primary: {
          busy: [
            { start: '2026-03-02T14:00:00Z', end: '2026-03-02T16:00:00Z' },
            { start: '2026-03-03T04:00:00Z', end: '2026-03-03T05:00:00Z' },
          ],
        },
        'nobody@example.com': { errors: [{ domain: 'global', reason: 'notFound' }], busy: [] },
      },
    });
  });

  it('writes busy times in the requested zone', () => {
    const answer = freeBusyResponse(
      request({
        timeMin: '2026-03-01T00:00:00Z',
        timeMax: '2026-03-02T12:00:00Z',
        timeZone: 'Europe/London',
        items: [{ id: 'alex@example.com' }],
      }),
      setup(),
    );
    expect(answer.calendars).toStrictEqual({
      'alex@example.com': {
        busy: [{ start: '2026-03-01T23:00:00Z', end: '2026-03-01T23:30:00Z' }],
      },
    });
  });

  it('rejects bounds without an offset and an empty range', () => {
    expect([
      parseFreeBusyBody({ timeMin: '2026-03-02T00:00:00', timeMax: '2026-03-03T00:00:00Z' }),
      parseFreeBusyBody({ timeMin: '2026-03-03T00:00:00Z', timeMax: '2026-03-02T00:00:00Z' }),
    ]).toStrictEqual([
      {
        ok: false,
        error: {
          code: 400,
          message: 'Bad Request',
          detail: { domain: 'global', reason: 'badRequest', message: 'Bad Request' },
        },
      },
      {
        ok: false,
        error: {
          code: 400,
          message: 'The specified time range is empty.',
          detail: {
            domain: 'calendar',
            reason: 'timeRangeEmpty',
            message: 'The specified time range is empty.',
            locationType: 'parameter',
            location: 'timeMax',
          },
        },
      },
    ]);
  });
});
