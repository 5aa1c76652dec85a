import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CalendarApi, startCalendarApi } from './calendar.harness.ts';
import type { RecurrenceCase } from './recurrence-cases.ts';
import { RFC_CASES } from './recurrence-cases-rfc.ts';
import { SUITE_CASES } from './recurrence-cases-suites.ts';
import { expandSeries, type Occurrence } from './recurrence.ts';
import { createCalendarStore } from './store.ts';
import { type IcsTime, localOf, toInstant } from './zoned-time.ts';

const CASES = [...RFC_CASES, ...SUITE_CASES].map((c, index) => ({ ...c, index }));
const EMAIL = 'alex@example.com';
const NOW = new Date('2026-03-04T15:00:00Z');
/** The longest window one events.list call asks for (Google lists recurrences by window). */
const CHUNK_DAYS = 365;

function ics(c: RecurrenceCase): string {
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', ...c.lines, 'END:VCALENDAR', ''].join('\r\n');
}

/** `YYYY-MM-DDTHH:mm`, with `:ss` only when the seconds are not zero. */
function short(local: string): string {
  return local.endsWith(':00') ? local.slice(0, 16) : local.slice(0, 19);
}

/** `start`, or `start (was original)` for an instance an exception moved. */
function label(start: string, original: string | null): string {
  return original === null || original === start ? start : `${start} (was ${original})`;
}

function startOfDay(date: string, zone: string): DateTime {
  return DateTime.fromISO(date, { zone });
}

describe('recurrence cases through the sandbox expansion', () => {
  const wall = (time: IcsTime, zone: string) =>
    time.kind === 'date' ? time.date : short(localOf(toInstant(time, zone), zone));

  it.each(CASES)('$source: $name', (c) => {
    const store = createCalendarStore({ now: () => NOW });
    store.putCalendar(EMAIL, { id: 'cases', timeZone: c.zone });
    store.importIcs(EMAIL, ics(c), 'cases');
    const series = [...(store.calendar(EMAIL, 'cases')?.series.values() ?? [])];
    const to = startOfDay(c.to, c.zone).toMillis();
    const window = { from: startOfDay(c.from, c.zone).toMillis(), to, horizon: to };
    const zones = { floating: c.zone, dates: c.zone };
    const shown = series
      .flatMap((one) => expandSeries(one, window, zones))
      .filter((occ) => !occ.cancelled)
      .sort((a, b) => a.startMs - b.startMs);
    const labelOf = (occ: Occurrence) =>
      label(wall(occ.start, c.zone), occ.original ? wall(occ.original, c.zone) : null);
    expect({ series: series.length, shown: shown.map(labelOf) }).toStrictEqual({
      series: 1,
      shown: c.expected,
    });
  });
});

describe('recurrence cases through events.list with singleEvents', () => {
  let api: CalendarApi;
  beforeAll(async () => {
    api = await startCalendarApi({ now: NOW });
    for (const c of CASES) {
      api.store.putCalendar(EMAIL, { id: `case-${c.index}`, timeZone: c.zone });
      api.store.importIcs(EMAIL, ics(c), `case-${c.index}`);
    }
  });
  afterAll(async () => {
    await api.close();
  });

  /** Every instance in the case's window, asked for a year at a time, in start order. */
  async function listed(c: (typeof CASES)[number]) {
    const end = startOfDay(c.to, c.zone);
    const byId = new Map<string, string>();
    for (
      let from = startOfDay(c.from, c.zone);
      from < end;
      from = from.plus({ days: CHUNK_DAYS })
    ) {
      const to = DateTime.min(from.plus({ days: CHUNK_DAYS }), end);
      const { data } = await api.client().events.list({
        calendarId: `case-${c.index}`,
        timeMin: from.toISO({ suppressMilliseconds: true }) ?? '',
        timeMax: to.toISO({ suppressMilliseconds: true }) ?? '',
        singleEvents: true,
        orderBy: 'startTime',
        maxResults: 2500,
      });
      for (const item of data.items ?? []) {
        const start = item.start?.date ?? short(item.start?.dateTime?.slice(0, 19) ?? '');
        const moved = item.originalStartTime;
        const original = moved ? (moved.date ?? short(moved.dateTime?.slice(0, 19) ?? '')) : null;
        byId.set(item.id ?? '', label(start, original));
      }
    }
    return [...byId.values()];
  }

  it.each(CASES)('$source: $name', async (c) => {
    expect(await listed(c)).toStrictEqual(c.expected);
  });
});
