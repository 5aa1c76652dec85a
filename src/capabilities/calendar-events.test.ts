import { describe, expect, it } from 'vitest';
import { toTimedEvent } from './calendar-events.ts';
import { humanStartsIn } from './calendar-next.ts';

const calendar = { id: 'alex@example.com', summary: 'Alex Rivera', primary: true };

describe('event mapping', () => {
  it('maps a timed event into the user zone with response, video link and recurrence', () => {
    const mapped = toTimedEvent(
      {
        id: 'e1_20261125T150000Z',
        summary: 'Standup',
        htmlLink: 'https://www.google.com/calendar/event?eid=x',
        start: { dateTime: '2026-11-25T15:00:00Z' },
        end: { dateTime: '2026-11-25T15:15:00Z' },
        recurringEventId: 'e1',
        conferenceData: {
          entryPoints: [{ entryPointType: 'video', uri: 'https://meet.example/abc' }],
        },
        attendees: [
          { email: 'boss@example.com', organizer: true, responseStatus: 'accepted' },
          { email: 'alex@example.com', self: true, responseStatus: 'tentative' },
        ],
      },
      calendar,
      'Europe/Berlin',
    );
    expect(mapped?.event).toStrictEqual({
      id: 'e1_20261125T150000Z',
      calendarId: 'alex@example.com',
      calendarName: 'Alex Rivera',
      title: 'Standup',
      start: '2026-11-25T16:00:00+01:00',
      end: '2026-11-25T16:15:00+01:00',
      allDay: false,
      multiDay: false,
      videoLink: 'https://meet.example/abc',
      myResponse: 'tentative',
      declined: false,
      recurring: true,
      link: 'https://www.google.com/calendar/event?eid=x',
    });
  });

  it('maps a multi-day all-day event with its inclusive last day', () => {
    const mapped = toTimedEvent(
      {
        id: 'e2',
        summary: 'Offsite',
        start: { date: '2026-11-26' },
        end: { date: '2026-11-28' },
        organizer: { self: true },
      },
      calendar,
      'America/New_York',
    );
    expect(mapped?.event).toStrictEqual({
      id: 'e2',
      calendarId: 'alex@example.com',
      calendarName: 'Alex Rivera',
      title: 'Offsite',
      start: '2026-11-26',
      end: '2026-11-28',
      endDate: '2026-11-27',
      allDay: true,
      multiDay: true,
      myResponse: 'organizer',
      declined: false,
      recurring: false,
      link: '',
    });
  });

  it('drops cancelled instances', () => {
    expect(toTimedEvent({ id: 'x', status: 'cancelled' }, calendar, 'UTC')).toBe(null);
  });
});

describe('starts in', () => {
  it('says how long until an event in hours and minutes', () => {
    expect([0, 45, 60, 135, 1440, 1500 + 60].map(humanStartsIn)).toStrictEqual([
      'now',
      'in 45 min',
      'in 1 h',
      'in 2 h 15 min',
      'in 1 d',
      'in 1 d 2 h',
    ]);
  });
});
