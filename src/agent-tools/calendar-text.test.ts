import { describe, expect, it } from 'vitest';
import { toolText } from './tool-text.ts';

import {
  CLOSE,
  inside as insideBlock,
  NOTICE_CALENDAR,
  OPEN_CALENDAR,
  OPTIONS,
  outside as outsideBlock,
} from './text.harness.ts';

const EVENT = {
  id: '6f1c0d2e9a_20260310T090000Z',
  calendarId: 'alex@example.com',
  calendarName: 'alex@example.com',
  title: 'Team stand-up',
  start: '2026-03-10T10:00:00+01:00',
  end: '2026-03-10T10:15:00+01:00',
  allDay: false,
  multiDay: false,
  videoLink: 'https://meet.google.com/abc-defg-hij',
  myResponse: 'accepted',
  declined: false,
  recurring: true,
  link: 'https://www.google.com/calendar/event?eid=NmYxYzBkMmU5YQ',
};

const TRIP = {
  ...EVENT,
  id: 'trip',
  calendarName: 'Family',
  title: 'Ski trip',
  start: '2026-03-11',
  end: '2026-03-14',
  endDate: '2026-03-13',
  allDay: true,
  multiDay: true,
  location: 'Val Thorens',
  videoLink: undefined,
  myResponse: 'declined',
  declined: true,
};

const DAY = {
  timeZone: 'Europe/Berlin',
  from: '2026-03-10T00:00:00+01:00',
  to: '2026-03-11T00:00:00+01:00',
};

const inside = (text: string, open = OPEN_CALENDAR) => insideBlock(text, open);
const outside = (text: string, open = OPEN_CALENDAR) => outsideBlock(text, open);

describe('calendar.agenda', () => {
  it('renders timed and multi-day all-day events with calendar, response, location and video', () => {
    const output = { ...DAY, to: '2026-03-14T00:00:00+01:00', events: [EVENT, TRIP] };
    expect(toolText('calendar.agenda', output, OPTIONS)).toBe(
      [
        'Agenda for Tue 10 Mar – Fri 13 Mar (times in Europe/Berlin): 2 events.',
        NOTICE_CALENDAR,
        OPEN_CALENDAR,
        'Tue 10 Mar 10:00–10:15 · Team stand-up · calendar: alex@example.com · has video link',
        'Wed 11 Mar – Fri 13 Mar (all day) · Ski trip · location: Val Thorens · calendar: Family · you declined',
        CLOSE,
      ].join('\n'),
    );
  });

  it('renders a one-day all-day event and a timed event past midnight', () => {
    const holiday = { ...TRIP, start: '2026-03-10', end: '2026-03-11', endDate: '2026-03-10' };
    const late = {
      ...EVENT,
      title: 'Night deploy',
      start: '2026-03-10T23:00:00+01:00',
      end: '2026-03-11T01:30:00+01:00',
      myResponse: 'needsAction',
      videoLink: undefined,
    };
    const text = inside(
      toolText('calendar.agenda', { ...DAY, events: [holiday, late] }, OPTIONS),
      OPEN_CALENDAR,
    );
    expect(text).toContain('\nTue 10 Mar (all day) · Ski trip');
    expect(text).toContain(
      '\nTue 10 Mar 23:00 – Wed 11 Mar 01:30 · Night deploy · calendar: alex@example.com · you have not responded\n',
    );
  });

  it('says plainly when the day has no events', () => {
    expect(toolText('calendar.agenda', { ...DAY, events: [] }, OPTIONS)).toBe(
      'Agenda for Tue 10 Mar (times in Europe/Berlin): no events.',
    );
  });
});

describe('calendar.freebusy', () => {
  const output = {
    ...DAY,
    busy: [
      { start: '2026-03-10T10:00:00+01:00', end: '2026-03-10T10:15:00+01:00' },
      { start: '2026-03-10T21:00:00+01:00', end: '2026-03-11T00:00:00+01:00' },
    ],
    freeSlots: [
      { start: '2026-03-10T09:00:00+01:00', end: '2026-03-10T10:00:00+01:00' },
      { start: '2026-03-10T10:15:00+01:00', end: '2026-03-10T18:00:00+01:00' },
    ],
  };

  it('lists busy intervals and free slots by day, outside any data block', () => {
    expect(toolText('calendar.freebusy', output, OPTIONS)).toBe(
      [
        'Free/busy for Tue 10 Mar (times in Europe/Berlin).',
        'Busy:',
        '- Tue 10 Mar: 10:00–10:15',
        '- Tue 10 Mar 21:00 – Wed 11 Mar 00:00',
        'Free slots:',
        '- Tue 10 Mar: 09:00–10:00, 10:15–18:00',
      ].join('\n'),
    );
  });

  it('answers "am I free at" and puts the events in the way inside the block', () => {
    const at = {
      ...output,
      freeAt: { at: '2026-03-10T10:05:00+01:00', free: false, conflicts: ['Team stand-up'] },
    };
    const text = toolText('calendar.freebusy', at, OPTIONS);
    expect(outside(text, OPEN_CALENDAR)).toContain(
      'At Tue 10 Mar 10:05: busy; the events in the way are listed in the block below.',
    );
    expect(inside(text, OPEN_CALENDAR)).toBe('\nTeam stand-up\n');
  });

  it('says when there is no busy time and no free slot', () => {
    const empty = {
      ...output,
      busy: [],
      freeSlots: [],
      freeAt: { at: '2026-03-10T20:00:00+01:00', free: true, conflicts: [] },
    };
    expect(toolText('calendar.freebusy', empty, OPTIONS)).toBe(
      [
        'Free/busy for Tue 10 Mar (times in Europe/Berlin).',
        'At Tue 10 Mar 20:00: free.',
        'Busy: never.',
        'Free slots: none.',
      ].join('\n'),
    );
  });
});

describe('calendar.next', () => {
  it('gives the event and when it starts', () => {
    const event = {
      ...EVENT,
      myResponse: 'tentative',
      startsInMinutes: 135,
      startsIn: 'in 2 h 15 min',
    };
    expect(toolText('calendar.next', { timeZone: 'Europe/Berlin', event }, OPTIONS)).toBe(
      [
        'Next event, starts in 2 h 15 min (times in Europe/Berlin):',
        NOTICE_CALENDAR,
        OPEN_CALENDAR,
        'Tue 10 Mar 10:00–10:15 · Team stand-up · calendar: alex@example.com · you said maybe · has video link',
        CLOSE,
      ].join('\n'),
    );
  });

  it('says when nothing is coming up', () => {
    expect(toolText('calendar.next', { timeZone: 'Europe/Berlin', event: null }, OPTIONS)).toBe(
      'No upcoming event in the next 7 days (times in Europe/Berlin).',
    );
  });
});
