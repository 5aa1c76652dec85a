import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  brief,
  type CalendarApi,
  FAMILY,
  failure,
  startCalendarApi,
  WEEK,
} from './calendar.harness.ts';

let api: CalendarApi;
beforeAll(async () => {
  api = await startCalendarApi({ now: new Date('2026-03-04T15:00:00Z'), seed: true });
});
afterAll(async () => {
  await api.close();
});

describe('events.list', () => {
  it('expands the reference week in start order with recurring, moved and all-day events', async () => {
    const { data } = await api.client().events.list({
      calendarId: 'primary',
      timeMin: '2026-03-03T00:00:00-05:00',
      timeMax: '2026-03-04T00:00:00-05:00',
      singleEvents: true,
      orderBy: 'startTime',
    });
    expect({
      kind: data.kind,
      summary: data.summary,
      timeZone: data.timeZone,
      accessRole: data.accessRole,
      defaultReminders: data.defaultReminders,
      items: brief(data.items),
    }).toStrictEqual({
      kind: 'calendar#events',
      summary: 'Alex Rivera',
      timeZone: 'America/New_York',
      accessRole: 'owner',
      defaultReminders: [{ method: 'popup', minutes: 10 }],
      items: [
        '2026-03-03T04:00:00-05:00 Call with Ellis Park (London print studio)',
        '2026-03-03T09:00:00-05:00 Daily stand-up',
        '2026-03-03T11:00:00-05:00 Studio team meeting',
        '2026-03-03T12:30:00-05:00 Lunch with Alice Chen',
      ],
    });
  });

  it('renders a whole event like Google: organizer, attendees with self, times with zone', async () => {
    const { data } = await api
      .client()
      .events.list({ calendarId: 'primary', q: 'Tartine', ...WEEK });
    expect(data.items).toStrictEqual([
      {
        kind: 'calendar#event',
        etag: '"1772049600000000"',
        id: '496d8c420ba909a4bfce7cb583',
        status: 'confirmed',
        htmlLink: `${api.base}/calendar/event?eid=${Buffer.from('496d8c420ba909a4bfce7cb583 alex@example.com').toString('base64url')}`,
        created: '2026-02-25T20:00:00.000Z',
        updated: '2026-02-25T20:00:00.000Z',
        summary: 'Lunch with Alice Chen',
        description: 'Catch up on the Northwind launch.',
        location: 'Tartine Bistro, 214 Grand St, New York',
        creator: { email: 'alex@example.com', displayName: 'Alex Rivera', self: true },
        organizer: { email: 'alex@example.com', displayName: 'Alex Rivera', self: true },
        start: { dateTime: '2026-03-03T12:30:00-05:00', timeZone: 'America/New_York' },
        end: { dateTime: '2026-03-03T13:30:00-05:00', timeZone: 'America/New_York' },
        iCalUID: 'lunch-alice-chen@example.com',
        sequence: 0,
        attendees: [
          {
            email: 'alex@example.com',
            displayName: 'Alex Rivera',
            organizer: true,
            self: true,
            responseStatus: 'accepted',
          },
          {
            email: 'alice@northwind.example',
            displayName: 'Alice Chen',
            responseStatus: 'accepted',
          },
        ],
        reminders: { useDefault: true },
        eventType: 'default',
      },
    ]);
  });

  it('finds something on every day of the reference week', async () => {
    const days: number[] = [];
    for (let day = 2; day <= 8; day += 1) {
      const { data } = await api.client().events.list({
        calendarId: 'primary',
        timeMin: `2026-03-0${day}T00:00:00-05:00`,
        timeMax: `2026-03-0${day}T23:59:59-05:00`,
        singleEvents: true,
      });
      days.push(Math.min(data.items?.length ?? 0, 1));
    }
    expect(days).toStrictEqual([1, 1, 1, 1, 1, 1, 1]);
  });

  it("shows a cancelled instance only with showDeleted, in Google's minimal shape", async () => {
    const query = {
      calendarId: 'primary',
      timeMin: '2026-03-09T09:00:00-04:00',
      timeMax: '2026-03-09T12:00:00-04:00',
      singleEvents: true,
    };
    const hidden = await api.client().events.list(query);
    const shown = await api.client().events.list({ ...query, showDeleted: true });
    expect([brief(hidden.data.items), shown.data.items?.[1]]).toStrictEqual([
      ['2026-03-09T09:00:00-04:00 Daily stand-up'],
      {
        kind: 'calendar#event',
        etag: '"1772128800000001"',
        id: '4d775c822c05aa2105b6dabcca_20260309T133000Z',
        status: 'cancelled',
        recurringEventId: '4d775c822c05aa2105b6dabcca',
        originalStartTime: { dateTime: '2026-03-09T09:30:00-04:00', timeZone: 'America/New_York' },
      },
    ]);
  });

  it('writes times in the zone given by timeZone', async () => {
    const { data } = await api.client().events.list({
      calendarId: 'primary',
      q: 'Kenji',
      timeZone: 'Asia/Tokyo',
      ...WEEK,
    });
    expect([data.timeZone, data.items?.[0]?.start, data.items?.[0]?.end]).toStrictEqual([
      'America/New_York',
      { dateTime: '2026-03-05T09:00:00+09:00', timeZone: 'Asia/Tokyo' },
      { dateTime: '2026-03-05T09:45:00+09:00', timeZone: 'Asia/Tokyo' },
    ]);
  });

  it('matches every word of q against summary, description, location and attendees', async () => {
    const client = api.client();
    const byAttendee = await client.events.list({
      calendarId: 'primary',
      q: 'alice',
      singleEvents: true,
      orderBy: 'startTime',
      ...WEEK,
    });
    const twoWords = await client.events.list({
      calendarId: 'primary',
      q: 'harbor labels',
      ...WEEK,
    });
    expect([brief(byAttendee.data.items), brief(twoWords.data.items)]).toStrictEqual([
      [
        '2026-03-02 Northwind brand guidelines due',
        '2026-03-02T13:00:00-05:00 Design review: Northwind onboarding',
        '2026-03-03T12:30:00-05:00 Lunch with Alice Chen',
      ],
      ['2026-03-03T04:00:00-05:00 Call with Ellis Park (London print studio)'],
    ]);
  });

  it('searches each instance by its own text, so q finds only the moved one', async () => {
    const { data } = await api.client().events.list({
      calendarId: 'primary',
      q: 'client on Monday',
      singleEvents: true,
      ...WEEK,
    });
    expect(data.items?.map((e) => [e.id, e.summary])).toStrictEqual([
      ['4d775c822c05aa2105b6dabcca_20260302T143000Z', 'Studio team meeting'],
    ]);
  });

  it('lists only events changed since updatedMin', async () => {
    const { data } = await api.client().events.list({
      calendarId: 'primary',
      updatedMin: '2026-02-27T12:00:00Z',
    });
    expect(data.items?.map((e) => [e.summary, e.updated])).toStrictEqual([
      ['Studio team meeting', '2026-02-27T14:00:00.000Z'],
      ['Studio drinks', '2026-02-27T19:00:00.000Z'],
      ["Dinner at Jordan's", '2026-02-28T14:00:00.000Z'],
      ['Yoga class', '2026-02-28T14:05:00.000Z'],
    ]);
  });

  it('pages with maxResults and nextPageToken through the same items', async () => {
    const client = api.client();
    const query = { calendarId: 'primary', singleEvents: true, orderBy: 'startTime', ...WEEK };
    const all = await client.events.list(query);
    const paged: string[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    do {
      const { data } = await client.events.list({
        ...query,
        maxResults: 5,
        ...(pageToken ? { pageToken } : {}),
      });
      paged.push(...brief(data.items));
      pageToken = data.nextPageToken ?? undefined;
      pages += 1;
    } while (pageToken);
    expect([paged, pages, all.data.items?.length]).toStrictEqual([brief(all.data.items), 4, 18]);
  });

  it('lists masters with recurrence lines and the moved exception without singleEvents', async () => {
    const { data } = await api.client().events.list({
      calendarId: 'primary',
      timeMin: '2026-03-02T00:00:00-05:00',
      timeMax: '2026-03-04T00:00:00-05:00',
    });
    expect(
      data.items?.map((e) => [
        e.summary,
        e.start?.dateTime ?? e.start?.date,
        e.recurrence ?? e.recurringEventId ?? null,
      ]),
    ).toStrictEqual([
      ['Daily stand-up', '2026-01-05T09:00:00-05:00', ['RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR']],
      [
        'Studio team meeting',
        '2026-01-05T09:30:00-05:00',
        ['RRULE:FREQ=WEEKLY;BYDAY=MO', 'EXDATE;TZID=America/New_York:20260309T093000'],
      ],
      ['Northwind brand guidelines due', '2026-03-02', null],
      ['Design review: Northwind onboarding', '2026-03-02T13:00:00-05:00', null],
      ['Call with Ellis Park (London print studio)', '2026-03-03T04:00:00-05:00', null],
      ['Studio team meeting', '2026-03-03T11:00:00-05:00', '4d775c822c05aa2105b6dabcca'],
      ['Lunch with Alice Chen', '2026-03-03T12:30:00-05:00', null],
    ]);
  });

  it('orders by updated without singleEvents', async () => {
    const { data } = await api.client().events.list({ calendarId: FAMILY, orderBy: 'updated' });
    expect(data.items?.map((e) => [e.summary, e.updated])).toStrictEqual([
      ["Grandma Rosa's birthday", '2025-03-01T12:00:00.000Z'],
      ['Maya: piano lesson', '2026-01-08T20:00:00.000Z'],
      ["Maya's soccer game", '2026-02-25T22:00:00.000Z'],
    ]);
  });

  it('keeps the stand-up at 09:00 local on both sides of the DST change', async () => {
    const { data } = await api.client().events.list({
      calendarId: 'primary',
      q: 'stand-up',
      timeMin: '2026-03-06T00:00:00Z',
      timeMax: '2026-03-10T00:00:00Z',
      singleEvents: true,
      timeZone: 'UTC',
    });
    expect(data.items?.map((e) => [e.id, e.start?.dateTime])).toStrictEqual([
      ['952d31f842aa29e6aa3a150e14_20260306T140000Z', '2026-03-06T14:00:00Z'],
      ['952d31f842aa29e6aa3a150e14_20260309T130000Z', '2026-03-09T13:00:00Z'],
    ]);
  });

  it('answers 400 Bad Request for a timeMin without offset', async () => {
    const answer = await failure(
      api.client().events.list({ calendarId: 'primary', timeMin: '2026-03-02T00:00:00' }),
    );
    expect(answer).toStrictEqual({
      status: 400,
      data: {
        error: {
          code: 400,
          message: 'Bad Request',
          errors: [{ message: 'Bad Request', domain: 'global', reason: 'badRequest' }],
          status: 'INVALID_ARGUMENT',
        },
      },
    });
  });

  it('answers 400 for orderBy=startTime without singleEvents', async () => {
    const answer = await failure(
      api.client().events.list({ calendarId: 'primary', orderBy: 'startTime' }),
    );
    const message = 'The requested ordering is not available for the particular query.';
    expect(answer).toStrictEqual({
      status: 400,
      data: {
        error: {
          code: 400,
          message,
          errors: [
            {
              message,
              domain: 'global',
              reason: 'invalid',
              locationType: 'parameter',
              location: 'orderBy',
            },
          ],
          status: 'INVALID_ARGUMENT',
        },
      },
    });
  });

  it('answers 404 notFound for a calendar the user does not have', async () => {
    const answer = await failure(api.client().events.list({ calendarId: 'sam@example.com' }));
    expect(answer).toStrictEqual({
      status: 404,
      data: {
        error: {
          code: 404,
          message: 'Not Found',
          errors: [{ message: 'Not Found', domain: 'global', reason: 'notFound' }],
          status: 'NOT_FOUND',
        },
      },
    });
  });
});

describe('sam in Pacific/Auckland', () => {
  it('lists the late call that runs past local midnight on both days', async () => {
    const client = api.client('sam-token');
    const day = (date: string, next: string) =>
      client.events.list({
        calendarId: 'primary',
        timeMin: `${date}T00:00:00+13:00`,
        timeMax: `${next}T00:00:00+13:00`,
        singleEvents: true,
        orderBy: 'startTime',
      });
    const tuesday = await day('2026-03-03', '2026-03-04');
    const wednesday = await day('2026-03-04', '2026-03-05');
    expect([brief(tuesday.data.items), brief(wednesday.data.items)]).toStrictEqual([
      ['2026-03-03T23:30:00+13:00 Late call with the Seattle office'],
      [
        '2026-03-03T23:30:00+13:00 Late call with the Seattle office',
        '2026-03-04T10:00:00+13:00 Team retro',
      ],
    ]);
  });
});
