import { calendar, auth as googleAuth } from '@googleapis/calendar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, startTestSandbox, type TestSandbox } from '../sandbox.harness.ts';

let sandbox: TestSandbox;
let token = '';
beforeAll(async () => {
  sandbox = await startTestSandbox(() => new Date('2026-12-01T12:00:00Z'));
  const answer = await signIn(sandbox.url, {}, { account: 'alex@example.com' });
  token = String(answer.access_token);
});
afterAll(async () => {
  await sandbox.close();
});

async function importIcs(...lines: string[]) {
  const response = await fetch(`${sandbox.url}/__sandbox/users/alex@example.com/events`, {
    method: 'POST',
    headers: { 'content-type': 'text/calendar' },
    body: ['BEGIN:VCALENDAR', ...lines, 'END:VCALENDAR', ''].join('\r\n'),
  });
  return { status: response.status, body: (await response.json()) as unknown };
}

async function listed(iCalUID: string) {
  const auth = new googleAuth.OAuth2();
  auth.setCredentials({ access_token: token });
  const api = calendar({ version: 'v3', rootUrl: `${sandbox.url}/`, auth });
  const { data } = await api.events.list({
    calendarId: 'primary',
    iCalUID,
    timeMin: '2026-12-01T00:00:00Z',
    timeMax: '2027-01-01T00:00:00Z',
    singleEvents: true,
    showDeleted: true,
  });
  return (data.items ?? []).map((item) => item.id);
}

const SERIES = [
  'BEGIN:VEVENT',
  'UID:weekly-review@example.com',
  'SUMMARY:Weekly review',
  'DTSTART;TZID=Europe/Berlin:20261207T100000',
  'DTEND;TZID=Europe/Berlin:20261207T110000',
  'RRULE:FREQ=WEEKLY;COUNT=3',
  'END:VEVENT',
];

describe('importing events with malformed times', () => {
  it('rejects a RECURRENCE-ID that is not a date-time with a 400 naming the event, and imports none of the file', async () => {
    const answers = [];
    for (const value of ['garbage', '20261308T100000', '2026120']) {
      answers.push(
        await importIcs(
          ...SERIES,
          'BEGIN:VEVENT',
          'UID:weekly-review@example.com',
          `RECURRENCE-ID;TZID=Europe/Berlin:${value}`,
          'SUMMARY:Weekly review (moved)',
          'DTSTART;TZID=Europe/Berlin:20261208T100000',
          'DTEND;TZID=Europe/Berlin:20261208T110000',
          'END:VEVENT',
        ),
      );
    }
    const rejected = {
      status: 400,
      body: {
        error: 'invalid_request',
        message:
          'The events could not be imported: not valid iCalendar: the RECURRENCE-ID of event "weekly-review@example.com" is not a valid date or date-time.',
      },
    };
    expect({ answers, listed: await listed('weekly-review@example.com') }).toStrictEqual({
      answers: [rejected, rejected, rejected],
      listed: [],
    });
  });

  it('rejects a malformed DTSTART, EXDATE or RRULE the same way', async () => {
    const answers = [
      await importIcs(
        'BEGIN:VEVENT',
        'UID:bad-start@example.com',
        'DTSTART;TZID=Europe/Berlin:20261299T100000',
        'END:VEVENT',
      ),
      await importIcs(...SERIES.slice(0, -1), 'EXDATE:20261214T100000,nonsense', 'END:VEVENT'),
      await importIcs(
        'BEGIN:VEVENT',
        'UID:bad-rule@example.com',
        'DTSTART;TZID=Europe/Berlin:20261207T100000',
        'RRULE:COUNT=3',
        'END:VEVENT',
      ),
    ];
    const message = (what: string, uid: string, kind: string) => ({
      status: 400,
      body: {
        error: 'invalid_request',
        message: `The events could not be imported: not valid iCalendar: the ${what} of event "${uid}" is not a valid ${kind}.`,
      },
    });
    expect(answers).toStrictEqual([
      message('DTSTART', 'bad-start@example.com', 'date or date-time'),
      message('EXDATE', 'weekly-review@example.com', 'date or date-time'),
      message('RRULE', 'bad-rule@example.com', 'recurrence rule'),
    ]);
  });
});
