import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brief, type CalendarApi, startCalendarApi } from './calendar.harness.ts';

let api: CalendarApi;
beforeAll(async () => {
  api = await startCalendarApi({ now: new Date('2026-11-30T12:00:00Z') });
});
afterAll(async () => {
  await api.close();
});

/** Imports VEVENTs into Alex's primary calendar (America/New_York); answers the import ids. */
function importEvents(...events: string[]): string[] {
  const ics = ['BEGIN:VCALENDAR', ...events, 'END:VCALENDAR', ''].join('\r\n');
  return api.store.importIcs('alex@example.com', ics, 'primary').ids;
}

function vevent(...lines: string[]): string {
  return ['BEGIN:VEVENT', ...lines, 'END:VEVENT'].join('\r\n');
}

async function list(iCalUID: string, extra: { showDeleted?: boolean } = {}) {
  const { data } = await api.client().events.list({
    calendarId: 'primary',
    iCalUID,
    timeMin: '2026-12-06T00:00:00-05:00',
    timeMax: '2026-12-12T00:00:00-05:00',
    singleEvents: true,
    orderBy: 'startTime',
    ...extra,
  });
  return data.items ?? [];
}

describe('overrides of an all-day series', () => {
  it('matches an override whose RECURRENCE-ID is midnight in a named zone to the all-day instance of that date', async () => {
    const ids = importEvents(
      vevent(
        'UID:exchange-offsite@example.com',
        'SUMMARY:Offsite',
        'DTSTART;VALUE=DATE:20261207',
        'DTEND;VALUE=DATE:20261208',
        'RRULE:FREQ=DAILY;COUNT=3',
      ),
      vevent(
        'UID:exchange-offsite@example.com',
        'RECURRENCE-ID;TZID=Europe/Berlin:20261207T000000',
        'SUMMARY:Offsite (room 4)',
        'DTSTART;VALUE=DATE:20261207',
        'DTEND;VALUE=DATE:20261208',
      ),
    );
    const items = await list('exchange-offsite@example.com');
    const master = ids[0] ?? '';
    expect({
      ids,
      items: brief(items),
      moved: items.map((item) => [item.id, item.originalStartTime]),
    }).toStrictEqual({
      ids: [master, `${master}_20261207`],
      items: ['2026-12-07 Offsite (room 4)', '2026-12-08 Offsite', '2026-12-09 Offsite'],
      moved: [
        [`${master}_20261207`, { date: '2026-12-07' }],
        [`${master}_20261208`, { date: '2026-12-08' }],
        [`${master}_20261209`, { date: '2026-12-09' }],
      ],
    });
  });
});

describe('overrides of dates a newer version of the series drops', () => {
  const series = (uid: string, ...lines: string[]) =>
    vevent(
      `UID:${uid}`,
      'SUMMARY:Stand-up',
      'SEQUENCE:2',
      'LAST-MODIFIED:20261120T100000Z',
      'DTSTART;TZID=America/New_York:20261207T090000',
      'DTEND;TZID=America/New_York:20261207T091500',
      ...lines,
    );
  const override = (uid: string, sequence: number, modified: string) =>
    vevent(
      `UID:${uid}`,
      'RECURRENCE-ID;TZID=America/New_York:20261208T090000',
      'SUMMARY:Stand-up (moved to 11:00)',
      `SEQUENCE:${sequence}`,
      `LAST-MODIFIED:${modified}`,
      'DTSTART;TZID=America/New_York:20261208T110000',
      'DTEND;TZID=America/New_York:20261208T111500',
    );

  it('shows nothing for an exdated date whose override is older than the series', async () => {
    importEvents(
      override('exdated-later@example.com', 1, '20261110T100000Z'),
      series(
        'exdated-later@example.com',
        'RRULE:FREQ=DAILY;COUNT=3',
        'EXDATE;TZID=America/New_York:20261208T090000',
      ),
    );
    const shown = await list('exdated-later@example.com');
    const deleted = await list('exdated-later@example.com', { showDeleted: true });
    expect({
      shown: brief(shown),
      deleted: deleted.map((item) => [item.status, item.originalStartTime?.dateTime]),
    }).toStrictEqual({
      shown: ['2026-12-07T09:00:00-05:00 Stand-up', '2026-12-09T09:00:00-05:00 Stand-up'],
      deleted: [
        ['confirmed', '2026-12-07T09:00:00-05:00'],
        ['cancelled', '2026-12-08T09:00:00-05:00'],
        ['confirmed', '2026-12-09T09:00:00-05:00'],
      ],
    });
  });

  it('shows nothing for a date the newer rule no longer produces', async () => {
    importEvents(
      series('rule-changed@example.com', 'RRULE:FREQ=WEEKLY;COUNT=4;BYDAY=MO,WE'),
      override('rule-changed@example.com', 2, '20261110T100000Z'),
    );
    const deleted = await list('rule-changed@example.com', { showDeleted: true });
    expect(brief(deleted)).toStrictEqual([
      '2026-12-07T09:00:00-05:00 Stand-up',
      '2026-12-09T09:00:00-05:00 Stand-up',
    ]);
  });

  it('keeps an override with a later SEQUENCE, changed after the series, as a standalone instance', async () => {
    importEvents(
      series(
        'override-newer@example.com',
        'RRULE:FREQ=DAILY;COUNT=3',
        'EXDATE;TZID=America/New_York:20261208T090000',
      ),
      override('override-newer@example.com', 3, '20261125T100000Z'),
    );
    const shown = await list('override-newer@example.com');
    expect(shown.map((item) => [item.start?.dateTime, item.summary, item.id])).toStrictEqual([
      ['2026-12-07T09:00:00-05:00', 'Stand-up', expect.stringMatching(/_20261207T140000Z$/)],
      [
        '2026-12-08T11:00:00-05:00',
        'Stand-up (moved to 11:00)',
        expect.stringMatching(/_20261208T140000Z$/),
      ],
      ['2026-12-09T09:00:00-05:00', 'Stand-up', expect.stringMatching(/_20261209T140000Z$/)],
    ]);
  });
});

describe('EXDATE written as a date', () => {
  it("removes that day's instance of a timed series, in the series' zone", async () => {
    importEvents(
      vevent(
        'UID:date-exdate@example.com',
        'SUMMARY:Late check-in',
        'DTSTART;TZID=America/Los_Angeles:20261207T230000',
        'DTEND;TZID=America/Los_Angeles:20261207T233000',
        'RRULE:FREQ=DAILY;COUNT=3',
        'EXDATE;VALUE=DATE:20261208',
      ),
    );
    expect(brief(await list('date-exdate@example.com'))).toStrictEqual([
      '2026-12-08T02:00:00-05:00 Late check-in',
      '2026-12-10T02:00:00-05:00 Late check-in',
    ]);
  });

  it('removes the instance of an all-day series named by a date-time EXDATE', async () => {
    importEvents(
      vevent(
        'UID:datetime-exdate@example.com',
        'SUMMARY:Trade fair',
        'DTSTART;VALUE=DATE:20261207',
        'RRULE:FREQ=DAILY;COUNT=3',
        'EXDATE;TZID=Europe/Berlin:20261208T000000',
      ),
    );
    expect(brief(await list('datetime-exdate@example.com'))).toStrictEqual([
      '2026-12-07 Trade fair',
      '2026-12-09 Trade fair',
    ]);
  });
});
