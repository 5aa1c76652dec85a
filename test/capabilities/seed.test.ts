import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calendarAgenda } from '../../src/capabilities/calendar-agenda.ts';
import { calendarNext } from '../../src/capabilities/calendar-next.ts';
import { runCapability } from '../../src/capabilities/define-capability.ts';
import { startSession } from './sandbox-session.harness.ts';
import type { Session } from './sandbox-session.harness.ts';

// Tuesday 3 March 2026, 09:00 in New York: inside the seed's reference week, so the
// sandbox shifts the seed by zero days and the expectations read straight from the .ics.
const NOW = new Date('2026-03-03T14:00:00Z');
let alex: Session;
let sam: Session;

beforeAll(async () => {
  alex = await startSession({ email: 'alex@example.com', now: () => NOW });
  sam = await startSession({ email: 'sam@example.com', now: () => NOW });
});
afterAll(async () => {
  await alex?.close();
  await sam?.close();
});

type Row = (string | boolean | null)[];

describe('seeded calendar', () => {
  it("gives Alex's Tuesday across his calendars, with the moved recurring meeting and a London call", async () => {
    const day = await runCapability(calendarAgenda, alex.context(), { day: '2026-03-03' });
    expect(
      day.events.map((e): Row => [e.title, e.start, e.end, e.myResponse, e.recurring]),
    ).toStrictEqual([
      [
        'Call with Ellis Park (London print studio)',
        '2026-03-03T04:00:00-05:00',
        '2026-03-03T04:30:00-05:00',
        'tentative',
        false,
      ],
      [
        'Daily stand-up',
        '2026-03-03T09:00:00-05:00',
        '2026-03-03T09:15:00-05:00',
        'accepted',
        true,
      ],
      [
        'Studio team meeting',
        '2026-03-03T11:00:00-05:00',
        '2026-03-03T12:00:00-05:00',
        'accepted',
        true,
      ],
      [
        'Lunch with Alice Chen',
        '2026-03-03T12:30:00-05:00',
        '2026-03-03T13:30:00-05:00',
        'organizer',
        false,
      ],
    ]);
  });

  it('spans the start of daylight saving time with all-day, multi-day and family events', async () => {
    const week = await runCapability(calendarAgenda, alex.context(), {
      from: '2026-03-06',
      to: '2026-03-08',
    });
    expect(
      week.events.map(
        (e): Row => [e.title, e.start, e.endDate ?? e.end, e.calendarName, e.multiDay],
      ),
    ).toStrictEqual([
      ['Config Design Summit', '2026-03-04', '2026-03-06', 'Alex Rivera', true],
      [
        'Daily stand-up',
        '2026-03-06T09:00:00-05:00',
        '2026-03-06T09:15:00-05:00',
        'Alex Rivera',
        false,
      ],
      [
        'Focus: Harbor Coffee label drafts',
        '2026-03-06T13:00:00-05:00',
        '2026-03-06T16:00:00-05:00',
        'Alex Rivera',
        false,
      ],
      [
        'Studio drinks',
        '2026-03-06T17:30:00-05:00',
        '2026-03-06T19:30:00-05:00',
        'Alex Rivera',
        false,
      ],
      [
        "Maya's soccer game",
        '2026-03-07T10:00:00-05:00',
        '2026-03-07T11:30:00-05:00',
        'Family',
        false,
      ],
      [
        "Dinner at Jordan's",
        '2026-03-07T19:00:00-05:00',
        '2026-03-07T22:00:00-05:00',
        'Alex Rivera',
        false,
      ],
      [
        'Daylight Saving Time starts',
        '2026-03-08',
        '2026-03-08',
        'Holidays in United States',
        false,
      ],
      ["Grandma Rosa's birthday", '2026-03-08', '2026-03-08', 'Family', false],
      [
        'Yoga class',
        '2026-03-08T10:00:00-04:00',
        '2026-03-08T11:00:00-04:00',
        'Alex Rivera',
        false,
      ],
    ]);
  });

  it('names the next event after the stand-up', async () => {
    const later = new Date('2026-03-03T14:20:00Z');
    const next = await runCapability(calendarNext, alex.context({ now: () => later }), {});
    expect([next.event?.title, next.event?.startsInMinutes, next.event?.startsIn]).toStrictEqual([
      'Studio team meeting',
      100,
      'in 1 h 40 min',
    ]);
  });

  it("gives Sam's day in Pacific/Auckland, including a call that started the evening before", async () => {
    const day = await runCapability(calendarAgenda, sam.context(), { day: '2026-03-04' });
    expect({
      zone: day.timeZone,
      rows: day.events.map((e): Row => [e.title, e.start, e.end, e.multiDay]),
    }).toStrictEqual({
      zone: 'Pacific/Auckland',
      rows: [
        [
          'Late call with the Seattle office',
          '2026-03-03T23:30:00+13:00',
          '2026-03-04T00:30:00+13:00',
          true,
        ],
        ['Team retro', '2026-03-04T10:00:00+13:00', '2026-03-04T11:00:00+13:00', false],
      ],
    });
  });
});
