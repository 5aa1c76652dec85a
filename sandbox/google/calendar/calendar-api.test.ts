import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  brief,
  type CalendarApi,
  FAMILY,
  failure,
  HOLIDAYS,
  startCalendarApi,
} from './calendar.harness.ts';

let api: CalendarApi;
beforeAll(async () => {
  api = await startCalendarApi({ now: new Date('2026-03-04T15:00:00Z'), seed: true });
});
afterAll(async () => {
  await api.close();
});

describe('calendarList.list', () => {
  it('lists the primary, family and holiday calendars with the primary id being the email', async () => {
    const { data } = await api.client().calendarList.list();
    expect(
      data.items?.map((c) => [
        c.id,
        c.summary,
        c.primary ?? false,
        c.accessRole,
        c.timeZone,
        c.backgroundColor,
      ]),
    ).toStrictEqual([
      ['alex@example.com', 'Alex Rivera', true, 'owner', 'America/New_York', '#9fe1e7'],
      [FAMILY, 'Family', false, 'owner', 'America/New_York', '#f691b2'],
      [HOLIDAYS, 'Holidays in United States', false, 'reader', 'America/New_York', '#16a765'],
    ]);
  });

  it('filters by minAccessRole', async () => {
    const { data } = await api.client().calendarList.list({ minAccessRole: 'owner' });
    expect(data.items?.map((c) => c.id)).toStrictEqual(['alex@example.com', FAMILY]);
  });
});

describe('events.get and events.instances', () => {
  it('gets a moved instance by its instance id with recurringEventId and originalStartTime', async () => {
    const { data } = await api.client().events.get({
      calendarId: 'primary',
      eventId: '4d775c822c05aa2105b6dabcca_20260302T143000Z',
    });
    expect([
      data.summary,
      data.start,
      data.recurringEventId,
      data.originalStartTime,
      data.description,
    ]).toStrictEqual([
      'Studio team meeting',
      { dateTime: '2026-03-03T11:00:00-05:00', timeZone: 'America/New_York' },
      '4d775c822c05aa2105b6dabcca',
      { dateTime: '2026-03-02T09:30:00-05:00', timeZone: 'America/New_York' },
      'Moved to Tuesday this week: Priya is with a client on Monday.',
    ]);
  });

  it('gets a plain instance and a master by id', async () => {
    const client = api.client();
    const instance = await client.events.get({
      calendarId: 'alex@example.com',
      eventId: '952d31f842aa29e6aa3a150e14_20260309T130000Z',
    });
    const master = await client.events.get({
      calendarId: 'primary',
      eventId: '952d31f842aa29e6aa3a150e14',
    });
    expect([
      instance.data.start?.dateTime,
      instance.data.recurringEventId,
      master.data.recurrence,
    ]).toStrictEqual([
      '2026-03-09T09:00:00-04:00',
      '952d31f842aa29e6aa3a150e14',
      ['RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR'],
    ]);
  });

  it('answers 404 notFound for an unknown event and for a time the series does not have', async () => {
    const client = api.client();
    const unknown = await failure(
      client.events.get({ calendarId: 'primary', eventId: 'nosuchevent' }),
    );
    const offRule = await failure(
      client.events.get({
        calendarId: 'primary',
        eventId: '952d31f842aa29e6aa3a150e14_20260307T140000Z',
      }),
    );
    expect([unknown.status, offRule.status]).toStrictEqual([404, 404]);
  });

  it('lists the instances of a recurring event', async () => {
    const client = api.client();
    const masters = await client.events.list({ calendarId: FAMILY, q: 'piano' });
    const { data } = await client.events.instances({
      calendarId: FAMILY,
      eventId: masters.data.items?.[0]?.id ?? '',
      timeMin: '2026-05-20T00:00:00Z',
    });
    expect(brief(data.items)).toStrictEqual([
      '2026-05-21T17:00:00-04:00 Maya: piano lesson',
      '2026-05-28T17:00:00-04:00 Maya: piano lesson',
    ]);
  });
});

describe('freebusy.query', () => {
  it('answers busy intervals per calendar and notFound for an unknown one', async () => {
    const { data } = await api.client().freebusy.query({
      requestBody: {
        timeMin: '2026-03-05T00:00:00-05:00',
        timeMax: '2026-03-06T00:00:00-05:00',
        items: [{ id: 'primary' }, { id: FAMILY }, { id: 'nobody@example.com' }],
      },
    });
    expect(data).toStrictEqual({
      kind: 'calendar#freeBusy',
      timeMin: '2026-03-05T05:00:00.000Z',
      timeMax: '2026-03-06T05:00:00.000Z',
      calendars: {
        primary: {
          busy: [
            { start: '2026-03-05T14:00:00Z', end: '2026-03-05T14:15:00Z' },
            { start: '2026-03-05T15:00:00Z', end: '2026-03-05T16:00:00Z' },
          ],
        },
        [FAMILY]: { busy: [{ start: '2026-03-05T22:00:00Z', end: '2026-03-05T22:45:00Z' }] },
        'nobody@example.com': { errors: [{ domain: 'global', reason: 'notFound' }], busy: [] },
      },
    });
  });
});

describe('settings', () => {
  it("answers the user's time zone and the settings list", async () => {
    const alex = await api.client().settings.get({ setting: 'timezone' });
    const sam = await api.client('sam-token').settings.get({ setting: 'timezone' });
    const list = await api.client().settings.list();
    expect([alex.data, sam.data.value, list.data.kind, list.data.items?.length]).toStrictEqual([
      {
        kind: 'calendar#setting',
        etag: expect.any(String),
        id: 'timezone',
        value: 'America/New_York',
      },
      'Pacific/Auckland',
      'calendar#settings',
      12,
    ]);
  });
});

describe('access', () => {
  it("passes the context's 401 and 403 answers through and spends one quota unit per call", async () => {
    const before = api.quota.get('alex@example.com') ?? 0;
    const denied = await failure(api.client('gmail-only-token').calendarList.list());
    const unknown = await failure(api.client('ya29.unknown').calendarList.list());
    await api.client().calendarList.list();
    expect([
      denied.status,
      unknown.status,
      (api.quota.get('alex@example.com') ?? 0) - before,
    ]).toStrictEqual([403, 401, 1]);
  });
});
