import { calendar, auth as googleAuth } from '@googleapis/calendar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GoogleSandbox, startGoogleSandbox } from '../index.ts';
import { CLIENT_ID, CLIENT_SECRET, control, REDIRECT_URI, signIn } from '../test-support.ts';

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
