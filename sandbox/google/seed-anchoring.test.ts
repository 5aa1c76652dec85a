import { DateTime } from 'luxon';
import { afterEach, describe, expect, it } from 'vitest';
import { usHolidaysOn } from '../seed/us-holidays.ts';
import { seedShift } from './seed.ts';
import { startGoogleSandbox } from './start.ts';
import type { GoogleSandbox } from './start.ts';
import { CALENDAR_READONLY, control, GMAIL_READONLY } from './sandbox.harness.ts';

const REDIRECT = 'http://127.0.0.1:3000/oauth/google/callback';
let sandbox: GoogleSandbox | null = null;
afterEach(async () => {
  await sandbox?.close();
  sandbox = null;
});

/** Signs a seeded user in with the demo client through auto-approve. */
async function demoToken(base: string, email: string): Promise<string> {
  await control(base, 'POST', '/__sandbox/auto-approve', { email });
  const url = new URL(`${base}/o/oauth2/v2/auth`);
  url.search = new URLSearchParams({
    client_id: 'tidings-demo',
    redirect_uri: REDIRECT,
    response_type: 'code',
    scope: `openid email ${GMAIL_READONLY} ${CALENDAR_READONLY}`,
  }).toString();
  const location = (await fetch(url, { redirect: 'manual' })).headers.get('location') ?? '';
  const response = await fetch(`${base}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: new URL(location).searchParams.get('code') ?? '',
      redirect_uri: REDIRECT,
      client_id: 'tidings-demo',
      client_secret: 'tidings-demo-secret',
    }).toString(),
  });
  return String(((await response.json()) as { access_token: string }).access_token);
}

async function api<T>(base: string, token: string, path: string): Promise<T> {
  const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return (await response.json()) as T;
}

/** Every message date of a user's mailbox (spam and trash included), newest first. */
async function mailDates(base: string, token: string): Promise<number[]> {
  const list = await api<{ messages: { id: string }[] }>(
    base,
    token,
    '/gmail/v1/users/me/messages?includeSpamTrash=true&maxResults=500',
  );
  const dates: number[] = [];
  for (const { id } of list.messages) {
    const message = await api<{ internalDate: string }>(
      base,
      token,
      `/gmail/v1/users/me/messages/${id}?format=minimal`,
    );
    dates.push(Number(message.internalDate));
  }
  return dates.sort((a, b) => b - a);
}

const HOLIDAYS = 'en.usa#holiday@group.v.calendar.google.com';
const FAMILY = 'c_5d1f3a8e9b2c47f6@group.calendar.google.com';

/** The summaries of a user's events on one calendar (primary by default) in [from, to). */
async function summaries(
  base: string,
  token: string,
  from: string,
  to: string,
  calendarId = 'primary',
) {
  const query = new URLSearchParams({
    timeMin: from,
    timeMax: to,
    singleEvents: 'true',
    orderBy: 'startTime',
    maxResults: '2500',
  });
  const list = await api<{ items: { summary: string; start: Record<string, string> }[] }>(
    base,
    token,
    `/calendar/v3/calendars/${encodeURIComponent(calendarId)}/events?${query}`,
  );
  return list.items.map((item) => [item.start.dateTime ?? item.start.date, item.summary]);
}

/** Every message's subject and snippet, with its date as `yyyy-MM-dd` in New York. */
async function mailTexts(base: string, token: string) {
  const list = await api<{ messages: { id: string }[] }>(
    base,
    token,
    '/gmail/v1/users/me/messages?includeSpamTrash=true&maxResults=500',
  );
  const texts: Array<{ day: DateTime; text: string }> = [];
  for (const { id } of list.messages) {
    const message = await api<{
      internalDate: string;
      snippet: string;
      payload: { headers: { name: string; value: string }[] };
    }>(base, token, `/gmail/v1/users/me/messages/${id}?format=metadata&metadataHeaders=Subject`);
    const subject = message.payload.headers.find((h) => h.name === 'Subject')?.value ?? '';
    const day = DateTime.fromMillis(Number(message.internalDate), { zone: 'America/New_York' });
    texts.push({ day, text: `${subject} ${message.snippet}` });
  }
  return texts;
}

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

/** Month names a message names that are not within a month before or after its own date. */
function monthsOutOfPlace(day: DateTime, text: string): string[] {
  const named = text.toLowerCase().match(/\b[a-z]+\b/g) ?? [];
  return named.filter((word) => {
    const month = MONTHS.indexOf(word) + 1;
    if (month === 0) return false;
    const distance = Math.abs(((month - day.month + 18) % 12) - 6);
    return distance > 1;
  });
}

describe('seed shift', () => {
  it("moves the reference week to the current week of the user's own time zone", () => {
    const days = (now: string, zone: string) => seedShift('2026-03-02', new Date(now), zone).days;
    expect([
      days('2026-03-02T00:00:00Z', 'UTC'),
      days('2026-03-08T23:59:59Z', 'UTC'),
      days('2026-03-09T00:00:00Z', 'UTC'),
      days('2026-02-25T12:00:00Z', 'UTC'),
      days('2026-03-08T12:00:00Z', 'America/New_York'),
      days('2026-03-08T12:00:00Z', 'Pacific/Auckland'),
      days('2026-03-02T03:00:00Z', 'America/New_York'),
    ]).toStrictEqual([0, 0, 7, -7, 0, 7, -7]);
  });

  it('refuses a reference day that is not a Monday', () => {
    expect(() => seedShift('2026-03-03', new Date(), 'UTC')).toThrow(
      'seed.json: referenceMonday 2026-03-03 is not a Monday',
    );
  });
});

describe('the seed loaded on a Monday morning', () => {
  it('dates no mail after the load, keeps its weekdays, and keeps the events in this week', async () => {
    // Monday 9 March 2026, 09:00 in New York: the seed's mail runs to Saturday of the
    // reference week, so shifted by the one week of the events most of it would be ahead.
    const now = new Date('2026-03-09T13:00:00Z');
    sandbox = await startGoogleSandbox({ port: 0, now: () => now });
    const token = await demoToken(sandbox.url, 'alex@example.com');
    const dates = await mailDates(sandbox.url, token);
    expect({
      count: dates.length,
      future: dates.filter((date) => date > now.getTime()).length,
      newest: new Date(dates[0] ?? 0).toISOString(),
      tomorrow: await summaries(
        sandbox.url,
        token,
        '2026-03-10T00:00:00-04:00',
        '2026-03-10T12:00:00-04:00',
      ),
    }).toStrictEqual({
      count: 62,
      future: 0,
      newest: '2026-03-07T15:12:45.000Z',
      tomorrow: [
        // 09:00 in London, which keeps winter time two weeks longer than New York.
        ['2026-03-10T05:00:00-04:00', 'Call with Ellis Park (London print studio)'],
        ['2026-03-10T09:00:00-04:00', 'Daily stand-up'],
        ['2026-03-10T11:00:00-04:00', 'Studio team meeting'],
      ],
    });
  });

  it('shifts mail like the events once the whole seed week is past', async () => {
    const now = new Date('2026-03-15T12:00:00Z');
    sandbox = await startGoogleSandbox({ port: 0, now: () => now });
    const dates = await mailDates(sandbox.url, await demoToken(sandbox.url, 'alex@example.com'));
    expect(new Date(dates[0] ?? 0).toISOString()).toBe('2026-03-14T15:12:45.000Z');
  });
});

describe('the seed loaded on a Sunday, UTC noon', () => {
  it("is already next week's seed for Sam in Auckland and still this week's for Alex", async () => {
    sandbox = await startGoogleSandbox({ port: 0, now: () => new Date('2026-03-08T12:00:00Z') });
    const alex = await demoToken(sandbox.url, 'alex@example.com');
    const sam = await demoToken(sandbox.url, 'sam@example.com');
    expect({
      alex: await summaries(
        sandbox.url,
        alex,
        '2026-03-03T12:00:00-05:00',
        '2026-03-03T13:00:00-05:00',
      ),
      sam: await summaries(
        sandbox.url,
        sam,
        '2026-03-09T00:00:00+13:00',
        '2026-03-10T00:00:00+13:00',
      ),
    }).toStrictEqual({
      alex: [['2026-03-03T12:30:00-05:00', 'Lunch with Alice Chen']],
      sam: [['2026-03-09T08:00:00+13:00', 'Coffee with Mere']],
    });
  });
});

describe('the seed loaded in December and in July', () => {
  it('has no seasonal event out of season in a December week, and the holidays of December', async () => {
    // Saturday 5 December 2026, 10:00 in New York.
    sandbox = await startGoogleSandbox({ port: 0, now: () => new Date('2026-12-05T15:00:00Z') });
    const token = await demoToken(sandbox.url, 'alex@example.com');
    const between = (from: string, to: string, calendarId?: string) =>
      summaries(sandbox?.url ?? '', token, from, to, calendarId);
    expect({
      week: await between('2026-11-30T00:00:00-05:00', '2026-12-07T00:00:00-05:00', HOLIDAYS),
      season: await between('2026-11-20T00:00:00-05:00', '2027-01-05T00:00:00-05:00', HOLIDAYS),
      sunday: [
        ...(await between('2026-12-06T00:00:00-05:00', '2026-12-07T00:00:00-05:00', FAMILY)),
        ...(await between('2026-12-06T00:00:00-05:00', '2026-12-07T00:00:00-05:00')),
      ],
    }).toStrictEqual({
      week: [],
      season: [
        ['2026-11-26', 'Thanksgiving Day'],
        ['2026-12-24', 'Christmas Eve'],
        ['2026-12-25', 'Christmas Day'],
        ['2026-12-31', "New Year's Eve"],
        ['2027-01-01', "New Year's Day"],
      ],
      sunday: [
        ['2026-12-06', "Grandma Rosa's birthday"],
        ['2026-12-06T10:00:00-05:00', 'Yoga class'],
      ],
    });
  });

  it('puts every holiday on its real date for a year either side of a July load', async () => {
    // Wednesday 15 July 2026, 10:00 in New York.
    sandbox = await startGoogleSandbox({ port: 0, now: () => new Date('2026-07-15T14:00:00Z') });
    const token = await demoToken(sandbox.url, 'alex@example.com');
    const listed = await summaries(
      sandbox.url,
      token,
      '2025-07-01T00:00:00-04:00',
      '2027-07-01T00:00:00-04:00',
      HOLIDAYS,
    );
    const expected: string[][] = [];
    for (
      let day = DateTime.fromISO('2025-07-01', { zone: 'America/New_York' });
      day.year < 2027 || day.month < 7;
      day = day.plus({ days: 1 })
    ) {
      for (const title of usHolidaysOn(day)) expected.push([day.toISODate() ?? '', title]);
    }
    expect({
      july: listed.filter(([date]) => date?.startsWith('2026-07')),
      all: listed,
    }).toStrictEqual({ july: [['2026-07-04', 'Independence Day']], all: expected });
  });

  it('names in its mail no month far from the date the mail arrives, nor a season', async () => {
    for (const at of ['2026-07-15T14:00:00Z', '2026-12-05T15:00:00Z']) {
      await sandbox?.close();
      sandbox = await startGoogleSandbox({ port: 0, now: () => new Date(at) });
      const texts = [
        ...(await mailTexts(sandbox.url, await demoToken(sandbox.url, 'alex@example.com'))),
        ...(await mailTexts(sandbox.url, await demoToken(sandbox.url, 'sam@example.com'))),
      ];
      expect({
        at,
        months: texts.flatMap(({ day, text }) => monthsOutOfPlace(day, text)),
        seasons: texts.filter(({ text }) =>
          /\b(?:winter|spring|summer|autumn|christmas)\b/i.test(text),
        ),
      }).toStrictEqual({ at, months: [], seasons: [] });
    }
  });
});
