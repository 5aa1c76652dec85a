import { calendar, auth as googleAuth } from '@googleapis/calendar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GoogleSandbox, startGoogleSandbox } from '../index.ts';
import { CLIENT_ID, CLIENT_SECRET, control, REDIRECT_URI, signIn } from '../sandbox.harness.ts';

let sandbox: GoogleSandbox;
let token = '';
beforeAll(async () => {
  sandbox = await startGoogleSandbox({ port: 0, now: () => new Date('2026-03-04T15:00:00Z') });
  await control(sandbox.url, 'POST', '/__sandbox/clients', {
    client_id: CLIENT_ID,
    client_secret: CLIENT_SECRET,
    redirect_uris: [REDIRECT_URI],
  });
  const answer = await signIn(sandbox.url, {}, { account: 'alex@example.com' });
  token = String(answer.access_token);
});
afterAll(async () => {
  await sandbox.close();
});

function client() {
  const auth = new googleAuth.OAuth2();
  auth.setCredentials({ access_token: token });
  return calendar({ version: 'v3', rootUrl: `${sandbox.url}/`, auth });
}

const TUESDAY = {
  calendarId: 'primary',
  timeMin: '2026-03-03T00:00:00-05:00',
  timeMax: '2026-03-04T00:00:00-05:00',
  singleEvents: true,
  orderBy: 'startTime',
};

const IMPORTED = `BEGIN:VCALENDAR
BEGIN:VEVENT
UID:imported0001
SUMMARY:Imported through the control API
DTSTART;TZID=America/New_York:20260303T150000
DTEND;TZID=America/New_York:20260303T153000
END:VEVENT
END:VCALENDAR
`;

describe('the calendar module inside the Google sandbox', () => {
  it('serves the seed, imports events through the control API, and counts calls and quota', async () => {
    const before = await client().events.list(TUESDAY);
    const imported = await fetch(
      `${sandbox.url}/__sandbox/users/alex@example.com/events?calendarId=primary`,
      {
        method: 'POST',
        headers: { 'content-type': 'text/calendar' },
        body: IMPORTED,
      },
    );
    const after = await client().events.list(TUESDAY);
    const zone = await client().settings.get({ setting: 'timezone' });
    const stats = (await (await fetch(`${sandbox.url}/__sandbox/stats`)).json()) as {
      requests: Record<string, number>;
      quotaUnits: Record<string, number>;
    };
    expect({
      before: before.data.items?.map((e) => e.summary),
      imported: [imported.status, await imported.json()],
      after: after.data.items?.map((e) => e.summary),
      zone: zone.data.value,
      listCalls: stats.requests['GET /calendar/v3/calendars/:calendarId/events'],
      quota: stats.quotaUnits['alex@example.com'],
    }).toStrictEqual({
      before: [
        'Call with Ellis Park (London print studio)',
        'Daily stand-up',
        'Studio team meeting',
        'Lunch with Alice Chen',
      ],
      imported: [201, { ids: ['imported0001'] }],
      after: [
        'Call with Ellis Park (London print studio)',
        'Daily stand-up',
        'Studio team meeting',
        'Lunch with Alice Chen',
        'Imported through the control API',
      ],
      zone: 'America/New_York',
      listCalls: 2,
      quota: 3,
    });
  });
});

describe('the seed loaded in another week', () => {
  it('moves the reference week to the current week keeping local wall-clock times', async () => {
    const later = await startGoogleSandbox({
      port: 0,
      now: () => new Date('2026-06-17T15:00:00Z'),
    });
    try {
      await control(later.url, 'POST', '/__sandbox/clients', {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: [REDIRECT_URI],
      });
      const answer = await signIn(later.url, {}, { account: 'alex@example.com' });
      const auth = new googleAuth.OAuth2();
      auth.setCredentials({ access_token: String(answer.access_token) });
      const api = calendar({ version: 'v3', rootUrl: `${later.url}/`, auth });
      const tuesday = await api.events.list({
        ...TUESDAY,
        timeMin: '2026-06-16T00:00:00-04:00',
        timeMax: '2026-06-17T00:00:00-04:00',
      });
      const monday = await api.events.list({
        ...TUESDAY,
        timeMin: '2026-06-22T00:00:00-04:00',
        timeMax: '2026-06-23T00:00:00-04:00',
        showDeleted: true,
      });
      expect({
        tuesday: tuesday.data.items?.map((e) => [e.start?.dateTime, e.summary]),
        monday: monday.data.items?.map((e) => [e.id, e.status]),
      }).toStrictEqual({
        tuesday: [
          ['2026-06-16T04:00:00-04:00', 'Call with Ellis Park (London print studio)'],
          ['2026-06-16T09:00:00-04:00', 'Daily stand-up'],
          ['2026-06-16T11:00:00-04:00', 'Studio team meeting'],
          ['2026-06-16T12:30:00-04:00', 'Lunch with Alice Chen'],
        ],
        monday: [
          ['952d31f842aa29e6aa3a150e14_20260622T130000Z', 'confirmed'],
          ['4d775c822c05aa2105b6dabcca_20260622T133000Z', 'cancelled'],
        ],
      });
    } finally {
      await later.close();
    }
  });
});

describe("a user's time zone set through the control API", () => {
  it('rejects a zone that is not IANA and moves the primary calendar and settings to a new one', async () => {
    const own = await startGoogleSandbox({ port: 0, now: () => new Date('2026-03-04T15:00:00Z') });
    try {
      await control(own.url, 'POST', '/__sandbox/clients', {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: [REDIRECT_URI],
      });
      const answer = await signIn(own.url, {}, { account: 'alex@example.com' });
      const auth = new googleAuth.OAuth2();
      auth.setCredentials({ access_token: String(answer.access_token) });
      const api = calendar({ version: 'v3', rootUrl: `${own.url}/`, auth });
      const post = (body: unknown) =>
        fetch(`${own.url}/__sandbox/users`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        }).then(async (response) => [response.status, await response.json()]);
      const bad = await post({ email: 'alex@example.com', time_zone: 'Mars/Olympus_Mons' });
      const moved = await post({ email: 'alex@example.com', time_zone: 'Asia/Tokyo' });
      const setting = await api.settings.get({ setting: 'timezone' });
      const primary = await api.calendarList.get({ calendarId: 'primary' });
      const family = await api.calendarList.get({
        calendarId: 'c_5d1f3a8e9b2c47f6@group.calendar.google.com',
      });
      expect({
        bad,
        moved: moved[0],
        setting: setting.data.value,
        primary: primary.data.timeZone,
        family: family.data.timeZone,
      }).toStrictEqual({
        bad: [
          400,
          {
            error: 'invalid_request',
            message: '✖ time_zone must be an IANA time zone such as Europe/Paris\n  → at time_zone',
          },
        ],
        moved: 200,
        setting: 'Asia/Tokyo',
        primary: 'Asia/Tokyo',
        family: 'America/New_York',
      });
    } finally {
      await own.close();
    }
  });
});
