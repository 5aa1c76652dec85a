import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CalendarApi, failure, startCalendarApi } from './calendar.harness.ts';

let api: CalendarApi;
beforeAll(async () => {
  api = await startCalendarApi({ now: new Date('2026-03-04T15:00:00Z') });
  // An hourly event, 2,600 times: more than the largest page.
  api.store.importIcs(
    'alex@example.com',
    [
      'BEGIN:VCALENDAR',
      'BEGIN:VEVENT',
      'UID:hourly-check',
      'SUMMARY:Check the kiln',
      'DTSTART:20260101T000000Z',
      'DTEND:20260101T001500Z',
      'RRULE:FREQ=HOURLY;COUNT=2600',
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n'),
    'primary',
  );
});
afterAll(async () => {
  await api.close();
});

const QUERY = {
  calendarId: 'primary',
  singleEvents: true,
  orderBy: 'startTime',
  timeMin: '2026-01-01T00:00:00Z',
  timeMax: '2026-06-01T00:00:00Z',
};

describe('events.list page sizes', () => {
  it('gives 250 events a page by default and never more than 2500, as Calendar does', async () => {
    const client = api.client();
    const fallback = await client.events.list(QUERY);
    const largest = await client.events.list({ ...QUERY, maxResults: 2500 });
    const above = await client.events.list({ ...QUERY, maxResults: 9999 });
    expect([
      [fallback.data.items?.length, typeof fallback.data.nextPageToken],
      [largest.data.items?.length, typeof largest.data.nextPageToken],
      [above.data.items?.length, typeof above.data.nextPageToken],
    ]).toStrictEqual([
      [250, 'string'],
      [2500, 'string'],
      [2500, 'string'],
    ]);
  });

  it('answers 400 for a maxResults below 1', async () => {
    expect(await failure(api.client().events.list({ ...QUERY, maxResults: 0 }))).toStrictEqual({
      status: 400,
      data: {
        error: {
          code: 400,
          message: "Invalid value '0'. Values must be within the range: [1, 2500]",
          errors: [
            {
              message: "Invalid value '0'. Values must be within the range: [1, 2500]",
              domain: 'global',
              reason: 'invalidParameter',
              locationType: 'parameter',
              location: 'maxResults',
            },
          ],
          status: 'INVALID_ARGUMENT',
        },
      },
    });
  });
});
