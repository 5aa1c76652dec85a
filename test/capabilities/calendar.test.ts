import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calendarAgenda } from '../../src/capabilities/calendar-agenda.ts';
import { calendarFreebusy } from '../../src/capabilities/calendar-freebusy.ts';
import { calendarNext } from '../../src/capabilities/calendar-next.ts';
import { runCapability } from '../../src/capabilities/define-capability.ts';
import { startSession } from './sandbox-session.harness.ts';
import type { Session } from './sandbox-session.harness.ts';

// Wednesday 25 November 2026, 10:00 in New York.
const NOW = new Date('2026-11-25T15:00:00Z');
const ME = 'alex@example.com';
let session: Session;

function ics(...events: string[]): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Tidings tests//EN',
    ...events,
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

function vevent(lines: string[]): string {
  return ['BEGIN:VEVENT', 'DTSTAMP:20261001T000000Z', ...lines, 'END:VEVENT'].join('\r\n');
}

const PRIMARY = ics(
  vevent([
    'UID:sync@test',
    'SUMMARY:Team sync',
    'DTSTART;TZID=America/New_York:20261019T093000',
    'DTEND;TZID=America/New_York:20261019T100000',
    'RRULE:FREQ=WEEKLY;BYDAY=MO,WE,FR',
    'EXDATE;TZID=America/New_York:20261127T093000',
    `ORGANIZER:mailto:${ME}`,
    'URL:https://meet.google.com/abc-defg-hij',
  ]),
  vevent([
    'UID:sync@test',
    'RECURRENCE-ID;TZID=America/New_York:20261123T093000',
    'SUMMARY:Team sync (moved)',
    'DTSTART;TZID=America/New_York:20261123T140000',
    'DTEND;TZID=America/New_York:20261123T143000',
    `ORGANIZER:mailto:${ME}`,
  ]),
  vevent([
    'UID:pitch@test',
    'SUMMARY:Vendor pitch',
    'DTSTART;TZID=America/New_York:20261125T110000',
    'DTEND;TZID=America/New_York:20261125T120000',
    'ORGANIZER:mailto:sales@vendor.example',
    'ATTENDEE;PARTSTAT=ACCEPTED:mailto:sales@vendor.example',
    `ATTENDEE;PARTSTAT=DECLINED:mailto:${ME}`,
  ]),
  vevent([
    'UID:lunch@test',
    'SUMMARY:Lunch with Sam',
    'LOCATION:Café Luna',
    'DTSTART;TZID=America/New_York:20261125T123000',
    'DTEND;TZID=America/New_York:20261125T133000',
    'ORGANIZER:mailto:sam@example.com',
    'ATTENDEE;PARTSTAT=ACCEPTED:mailto:sam@example.com',
    `ATTENDEE;PARTSTAT=TENTATIVE:mailto:${ME}`,
  ]),
);

const TEAM = ics(
  vevent([
    'UID:conf@test',
    'SUMMARY:Conference',
    'DTSTART;VALUE=DATE:20261126',
    'DTEND;VALUE=DATE:20261128',
  ]),
);

// Monday 30 November: the primary calendar's Team sync overlaps the team calendar's
// Planning. Two more calendars the user does not show (one unselected, one hidden).
const TEAM_MONDAY = ics(
  vevent([
    'UID:planning@test',
    'SUMMARY:Planning',
    'DTSTART;TZID=America/New_York:20261130T094500',
    'DTEND;TZID=America/New_York:20261130T103000',
  ]),
  vevent([
    'UID:review@test',
    'SUMMARY:Review',
    'DTSTART;TZID=America/New_York:20261130T140000',
    'DTEND;TZID=America/New_York:20261130T150000',
  ]),
);
const NOT_SHOWN = (title: string, hour: number) =>
  ics(
    vevent([
      `UID:${title}@test`,
      `SUMMARY:${title}`,
      `DTSTART;TZID=America/New_York:20261130T${hour}0000`,
      `DTEND;TZID=America/New_York:20261130T${hour + 1}0000`,
    ]),
  );

/**
 * The sandbox shows every calendar; this fetch marks `unselected` as not selected and
 * `hidden` as hidden in Google's calendarList answer, as Google does for calendars the
 * user unticked or hid.
 */
const userHidesTwoCalendars = (async (input: string | URL | Request, init?: RequestInit) => {
  const response = await fetch(input, init);
  if (!new URL(String(input)).pathname.endsWith('/users/me/calendarList')) return response;
  const list = (await response.json()) as { items: Array<Record<string, unknown>> };
  for (const item of list.items) {
    if (item.id === 'unselected') delete item.selected;
    if (item.id === 'hidden') item.hidden = true;
  }
  return Response.json(list, { status: response.status });
}) as typeof fetch;

beforeAll(async () => {
  session = await startSession({
    email: ME,
    now: () => NOW,
    seed: false,
    userZone: 'America/New_York',
  });
  await session.control('POST', `/__sandbox/users/${ME}/events?calendarId=primary`, PRIMARY);
  await session.control('POST', `/__sandbox/users/${ME}/events?calendarId=team`, TEAM);
  await session.control('POST', `/__sandbox/users/${ME}/events?calendarId=team`, TEAM_MONDAY);
  const other = (id: string, body: string) =>
    session.control('POST', `/__sandbox/users/${ME}/events?calendarId=${id}`, body);
  await other('unselected', NOT_SHOWN('Unselected', 11));
  await other('hidden', NOT_SHOWN('Hidden', 16));
});
afterAll(async () => {
  await session?.close();
});

type Row = [string, string, string, string | null];
const rows = (
  events: { title: string; start: string; end: string; myResponse: string | null }[],
): Row[] => events.map((e) => [e.title, e.start, e.end, e.myResponse]);

describe('calendar.agenda', () => {
  it('gives a day in the Calendar setting zone with moved, declined and tentative events', async () => {
    const result = await runCapability(calendarAgenda, session.context(), { day: '2026-11-25' });
    expect({
      zone: result.timeZone,
      from: result.from,
      to: result.to,
      rows: rows(result.events),
    }).toStrictEqual({
      zone: 'America/New_York',
      from: '2026-11-25T00:00:00-05:00',
      to: '2026-11-26T00:00:00-05:00',
      rows: [
        ['Team sync', '2026-11-25T09:30:00-05:00', '2026-11-25T10:00:00-05:00', 'organizer'],
        ['Vendor pitch', '2026-11-25T11:00:00-05:00', '2026-11-25T12:00:00-05:00', 'declined'],
        ['Lunch with Sam', '2026-11-25T12:30:00-05:00', '2026-11-25T13:30:00-05:00', 'tentative'],
      ],
    });
  });

  it('maps one event fully', async () => {
    const result = await runCapability(calendarAgenda, session.context(), { day: '2026-11-25' });
    const lunch = result.events.find((e) => e.title === 'Lunch with Sam');
    expect({ ...lunch, id: typeof lunch?.id, link: typeof lunch?.link }).toStrictEqual({
      id: 'string',
      calendarId: ME,
      calendarName: ME,
      title: 'Lunch with Sam',
      start: '2026-11-25T12:30:00-05:00',
      end: '2026-11-25T13:30:00-05:00',
      allDay: false,
      multiDay: false,
      location: 'Café Luna',
      myResponse: 'tentative',
      declined: false,
      recurring: false,
      link: 'string',
    });
  });

  it('expands the recurring meeting with its moved and cancelled instances across calendars', async () => {
    const result = await runCapability(calendarAgenda, session.context(), {
      from: '2026-11-23',
      to: '2026-11-27',
    });
    expect(
      result.events
        .filter((e) => e.title !== 'Vendor pitch' && e.title !== 'Lunch with Sam')
        .map((e) => [
          e.title,
          e.start,
          e.endDate ?? null,
          e.allDay,
          e.multiDay,
          e.recurring,
          e.calendarId,
        ]),
    ).toStrictEqual([
      ['Team sync (moved)', '2026-11-23T14:00:00-05:00', null, false, false, true, ME],
      ['Team sync', '2026-11-25T09:30:00-05:00', null, false, false, true, ME],
      ['Conference', '2026-11-26', '2026-11-27', true, true, false, 'team'],
    ]);
  });

  it('keeps local times across the end of daylight saving time', async () => {
    const result = await runCapability(calendarAgenda, session.context(), {
      from: '2026-10-30T00:00:00-04:00',
      to: '2026-11-03T00:00:00-05:00',
    });
    expect(result.events.map((e) => e.start)).toStrictEqual([
      '2026-10-30T09:30:00-04:00',
      '2026-11-02T09:30:00-05:00',
    ]);
  });

  it('shows the same event in the user own zone setting', async () => {
    const result = await runCapability(
      calendarAgenda,
      session.context({ timeZone: 'Pacific/Auckland' }),
      {
        day: '2026-11-26',
      },
    );
    expect(rows(result.events).slice(0, 3)).toStrictEqual([
      ['Conference', '2026-11-26', '2026-11-28', 'organizer'],
      ['Team sync', '2026-11-26T03:30:00+13:00', '2026-11-26T04:00:00+13:00', 'organizer'],
      ['Vendor pitch', '2026-11-26T05:00:00+13:00', '2026-11-26T06:00:00+13:00', 'declined'],
    ]);
  });
});

describe('calendars the user does not show', () => {
  it('leaves unselected and hidden calendars out of the agenda', async () => {
    const shown = await runCapability(
      calendarAgenda,
      session.context({}, { fetch: userHidesTwoCalendars }),
      { day: '2026-11-30' },
    );
    const all = await runCapability(calendarAgenda, session.context(), { day: '2026-11-30' });
    expect({
      shown: shown.events.map((e) => [e.title, e.calendarId]),
      all: all.events.map((e) => e.title),
    }).toStrictEqual({
      shown: [
        ['Team sync', ME],
        ['Planning', 'team'],
        ['Review', 'team'],
      ],
      all: ['Team sync', 'Planning', 'Unselected', 'Review', 'Hidden'],
    });
  });
});

describe('calendar.next', () => {
  it('skips the declined event and says when the next one starts', async () => {
    const at = new Date('2026-11-25T15:45:00Z'); // 10:45 in New York
    const result = await runCapability(calendarNext, session.context({ now: () => at }), {});
    expect([
      result.event?.title,
      result.event?.startsInMinutes,
      result.event?.startsIn,
    ]).toStrictEqual(['Lunch with Sam', 105, 'in 1 h 45 min']);
  });
});

describe('calendar.freebusy', () => {
  it('answers "am I free at" with the conflict and lists free slots', async () => {
    const result = await runCapability(calendarFreebusy, session.context(), {
      at: '2026-11-25T13:00',
    });
    expect(result).toStrictEqual({
      timeZone: 'America/New_York',
      from: '2026-11-25T00:00:00-05:00',
      to: '2026-11-26T00:00:00-05:00',
      busy: [
        { start: '2026-11-25T09:30:00-05:00', end: '2026-11-25T10:00:00-05:00' },
        { start: '2026-11-25T12:30:00-05:00', end: '2026-11-25T13:30:00-05:00' },
      ],
      freeSlots: [
        { start: '2026-11-25T09:00:00-05:00', end: '2026-11-25T09:30:00-05:00' },
        { start: '2026-11-25T10:00:00-05:00', end: '2026-11-25T12:30:00-05:00' },
        { start: '2026-11-25T13:30:00-05:00', end: '2026-11-25T18:00:00-05:00' },
      ],
      freeAt: { at: '2026-11-25T13:00:00-05:00', free: false, conflicts: ['Lunch with Sam'] },
    });
  });

  it('starts at the current minute by default, with no milliseconds in any time', async () => {
    const at = new Date('2026-11-25T15:07:30.123Z'); // 10:07:30.123 in New York
    const result = await runCapability(calendarFreebusy, session.context({ now: () => at }), {
      to: '2026-11-25',
    });
    expect(result).toStrictEqual({
      timeZone: 'America/New_York',
      from: '2026-11-25T10:07:00-05:00',
      to: '2026-11-26T00:00:00-05:00',
      busy: [{ start: '2026-11-25T12:30:00-05:00', end: '2026-11-25T13:30:00-05:00' }],
      freeSlots: [
        { start: '2026-11-25T10:07:00-05:00', end: '2026-11-25T12:30:00-05:00' },
        { start: '2026-11-25T13:30:00-05:00', end: '2026-11-25T18:00:00-05:00' },
      ],
    });
  });

  it('checks the whole duration of "am I free at", not only its first minute', async () => {
    const check = async (at: string, durationMinutes: number) =>
      (await runCapability(calendarFreebusy, session.context(), { at, durationMinutes })).freeAt;
    expect([
      await check('2026-11-25T12:15', 30),
      await check('2026-11-25T12:00', 30),
      await check('2026-11-25T12:15', 1),
    ]).toStrictEqual([
      { at: '2026-11-25T12:15:00-05:00', free: false, conflicts: ['Lunch with Sam'] },
      { at: '2026-11-25T12:00:00-05:00', free: true, conflicts: [] },
      { at: '2026-11-25T12:15:00-05:00', free: true, conflicts: [] },
    ]);
  });

  it('merges busy time across the calendars the user shows', async () => {
    const result = await runCapability(
      calendarFreebusy,
      session.context({}, { fetch: userHidesTwoCalendars }),
      { from: '2026-11-30', to: '2026-11-30' },
    );
    expect(result).toStrictEqual({
      timeZone: 'America/New_York',
      from: '2026-11-30T00:00:00-05:00',
      to: '2026-12-01T00:00:00-05:00',
      busy: [
        { start: '2026-11-30T09:30:00-05:00', end: '2026-11-30T10:30:00-05:00' },
        { start: '2026-11-30T14:00:00-05:00', end: '2026-11-30T15:00:00-05:00' },
      ],
      freeSlots: [
        { start: '2026-11-30T09:00:00-05:00', end: '2026-11-30T09:30:00-05:00' },
        { start: '2026-11-30T10:30:00-05:00', end: '2026-11-30T14:00:00-05:00' },
        { start: '2026-11-30T15:00:00-05:00', end: '2026-11-30T18:00:00-05:00' },
      ],
    });
  });

  it('treats the declined meeting time as free', async () => {
    const result = await runCapability(calendarFreebusy, session.context(), {
      at: '2026-11-25T11:15',
    });
    expect(result.freeAt).toStrictEqual({
      at: '2026-11-25T11:15:00-05:00',
      free: true,
      conflicts: [],
    });
  });
});
