import { describe, expect, it } from 'vitest';
import { expandSeries, type Occurrence } from './recurrence.ts';
import { createCalendarStore } from './store.ts';

const NY = { floating: 'America/New_York', dates: 'America/New_York' };

function seriesOf(body: string) {
  const store = createCalendarStore({ now: () => new Date('2026-02-01T00:00:00Z') });
  store.importIcs('alex@example.com', `BEGIN:VCALENDAR\n${body}\nEND:VCALENDAR\n`, 'primary');
  const calendar = store.calendar('alex@example.com', 'primary');
  const [series] = calendar ? [...calendar.series.values()] : [];
  if (!series) throw new Error('no series');
  return series;
}

function summary(occ: Occurrence) {
  return {
    id: occ.id,
    start: new Date(occ.startMs).toISOString(),
    end: new Date(occ.endMs).toISOString(),
    cancelled: occ.cancelled,
    summary: occ.source.summary,
  };
}

const window = (from: string, to: string) => ({
  from: Date.parse(from),
  to: Date.parse(to),
  horizon: Date.parse(to),
});

const WEEKLY = `BEGIN:VEVENT
UID:meeting01
SUMMARY:Team meeting
DTSTART;TZID=America/New_York:20260223T093000
DTEND;TZID=America/New_York:20260223T103000
RRULE:FREQ=WEEKLY;BYDAY=MO
EXDATE;TZID=America/New_York:20260316T093000
END:VEVENT
BEGIN:VEVENT
UID:meeting01
RECURRENCE-ID;TZID=America/New_York:20260302T093000
SUMMARY:Team meeting (moved)
DTSTART;TZID=America/New_York:20260303T110000
DTEND;TZID=America/New_York:20260303T120000
END:VEVENT
BEGIN:VEVENT
UID:meeting01
RECURRENCE-ID:20260323T133000Z
STATUS:CANCELLED
DTSTART;TZID=America/New_York:20260323T093000
END:VEVENT`;

describe('expandSeries', () => {
  it('expands a weekly meeting with a moved, an excluded and a cancelled instance', () => {
    const occurrences = expandSeries(
      seriesOf(WEEKLY),
      window('2026-02-23T00:00:00Z', '2026-03-31T00:00:00Z'),
      NY,
    );
    expect(occurrences.map(summary).sort((a, b) => a.start.localeCompare(b.start))).toStrictEqual([
      {
        id: 'meeting01_20260223T143000Z',
        start: '2026-02-23T14:30:00.000Z',
        end: '2026-02-23T15:30:00.000Z',
        cancelled: false,
        summary: 'Team meeting',
      },
      {
        id: 'meeting01_20260302T143000Z',
        start: '2026-03-03T16:00:00.000Z',
        end: '2026-03-03T17:00:00.000Z',
        cancelled: false,
        summary: 'Team meeting (moved)',
      },
      {
        id: 'meeting01_20260309T133000Z',
        start: '2026-03-09T13:30:00.000Z',
        end: '2026-03-09T14:30:00.000Z',
        cancelled: false,
        summary: 'Team meeting',
      },
      {
        id: 'meeting01_20260316T133000Z',
        start: '2026-03-16T13:30:00.000Z',
        end: '2026-03-16T14:30:00.000Z',
        cancelled: true,
        summary: 'Team meeting',
      },
      {
        id: 'meeting01_20260323T133000Z',
        start: '2026-03-23T13:30:00.000Z',
        end: '2026-03-23T14:30:00.000Z',
        cancelled: true,
        summary: null,
      },
      {
        id: 'meeting01_20260330T133000Z',
        start: '2026-03-30T13:30:00.000Z',
        end: '2026-03-30T14:30:00.000Z',
        cancelled: false,
        summary: 'Team meeting',
      },
    ]);
  });

  it('finds a moved instance by its new time even when its original time is outside the window', () => {
    const occurrences = expandSeries(
      seriesOf(WEEKLY),
      window('2026-03-03T00:00:00Z', '2026-03-04T00:00:00Z'),
      NY,
    );
    expect(occurrences.map((occ) => [occ.id, occ.original])).toStrictEqual([
      [
        'meeting01_20260302T143000Z',
        { kind: 'dateTime', local: '2026-03-02T09:30:00', zone: 'America/New_York' },
      ],
    ]);
  });

  it('keeps a 09:00 New York daily meeting at 09:00 local across the 2026-03-08 DST change', () => {
    const series = seriesOf(`BEGIN:VEVENT
UID:standup01
DTSTART;TZID=America/New_York:20260306T090000
DTEND;TZID=America/New_York:20260306T093000
RRULE:FREQ=DAILY;COUNT=4
END:VEVENT`);
    const occurrences = expandSeries(
      series,
      window('2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z'),
      NY,
    );
    expect(occurrences.map((occ) => new Date(occ.startMs).toISOString())).toStrictEqual([
      '2026-03-06T14:00:00.000Z',
      '2026-03-07T14:00:00.000Z',
      '2026-03-08T13:00:00.000Z',
      '2026-03-09T13:00:00.000Z',
    ]);
  });

  it('stops at an UNTIL given in UTC, inclusive, after the DST change', () => {
    const series = seriesOf(`BEGIN:VEVENT
UID:until0001
DTSTART;TZID=America/New_York:20260302T090000
DTEND;TZID=America/New_York:20260302T100000
RRULE:FREQ=WEEKLY;UNTIL=20260316T130000Z
END:VEVENT`);
    const occurrences = expandSeries(
      series,
      window('2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z'),
      NY,
    );
    expect(occurrences.map((occ) => occ.id)).toStrictEqual([
      'until0001_20260302T140000Z',
      'until0001_20260309T130000Z',
      'until0001_20260316T130000Z',
    ]);
  });

  it('gives all-day instances an exclusive end date and date-keyed ids', () => {
    const series = seriesOf(`BEGIN:VEVENT
UID:conference
DTSTART;VALUE=DATE:20260304
DTEND;VALUE=DATE:20260307
RRULE:FREQ=YEARLY;COUNT=2
END:VEVENT`);
    const occurrences = expandSeries(
      series,
      window('2026-01-01T00:00:00Z', '2028-01-01T00:00:00Z'),
      NY,
    );
    expect(occurrences.map((occ) => [occ.id, occ.start, occ.end])).toStrictEqual([
      [
        'conference_20260304',
        { kind: 'date', date: '2026-03-04' },
        { kind: 'date', date: '2026-03-07' },
      ],
      [
        'conference_20270304',
        { kind: 'date', date: '2027-03-04' },
        { kind: 'date', date: '2027-03-07' },
      ],
    ]);
  });

  it('counts an all-day event as overlapping only the days it covers in the given zone', () => {
    const series = seriesOf(`BEGIN:VEVENT
UID:deadline1
DTSTART;VALUE=DATE:20260304
DTEND;VALUE=DATE:20260305
END:VEVENT`);
    const ids = (from: string, to: string) =>
      expandSeries(series, window(from, to), NY).map((occ) => occ.id);
    expect([
      ids('2026-03-03T00:00:00-05:00', '2026-03-04T00:00:00-05:00'),
      ids('2026-03-04T23:00:00-05:00', '2026-03-05T00:00:00-05:00'),
      ids('2026-03-05T00:00:00-05:00', '2026-03-06T00:00:00-05:00'),
    ]).toStrictEqual([[], ['deadline1'], []]);
  });
});
