/**
 * Google accounts that can be told apart, for the isolation suite: fresh sandbox accounts
 * whose mail and events carry a marker found nowhere else, and, for every person, the
 * things only they may ever see — their connection ids, account addresses, markers, and the
 * ids of their messages, threads and events (read through `/v1` with their own key).
 */
import { randomBytes } from 'node:crypto';
import type { Stack } from '../support/stack.harness.ts';
import type { HostileStack, Person } from './hostile-stack.harness.ts';

/** A fresh account's address → its marker. */
export type Markers = Map<string, string>;

function icsTime(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** Creates each account in the Google sandbox with three messages and an event of its own. */
export async function seedMarkedAccounts(
  stack: Stack,
  emails: readonly string[],
): Promise<Markers> {
  const markers: Markers = new Map();
  const base = stack.google.url;
  const post = async (path: string, type: string, body: string) => {
    const response = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': type },
      body,
    });
    if (!response.ok)
      throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
  };
  for (const email of emails) {
    const marker = `isomark${randomBytes(6).toString('hex')}`;
    markers.set(email, marker);
    await post('/__sandbox/users', 'application/json', JSON.stringify({ email, time_zone: 'UTC' }));
    for (let n = 1; n <= 3; n++) {
      const sent = new Date(Date.now() - n * 3_600_000);
      const mail = [
        `From: Sender ${marker} <sender.${marker}@example.net>`,
        `To: ${email}`,
        `Subject: Plan ${marker} number ${n}`,
        `Date: ${sent.toUTCString()}`,
        `Message-ID: <${marker}.${n}@example.net>`,
        'Content-Type: text/plain; charset=UTF-8',
        '',
        `Could you review plan ${marker} by Friday? It is for ${email} only.`,
        '',
      ].join('\r\n');
      await post(
        `/__sandbox/users/${email}/messages?labelIds=INBOX,UNREAD`,
        'message/rfc822',
        mail,
      );
    }
    const start = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000 + 3_600_000);
    const event = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Tidings isolation//EN',
      'BEGIN:VEVENT',
      `UID:${marker}@example.net`,
      `DTSTAMP:${icsTime(new Date())}`,
      `SUMMARY:Meeting ${marker}`,
      `LOCATION:Room ${marker}`,
      `DTSTART:${icsTime(start)}`,
      `DTEND:${icsTime(new Date(start.getTime() + 1_800_000))}`,
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n');
    await post(`/__sandbox/users/${email}/events?calendarId=primary`, 'text/calendar', event);
  }
  return markers;
}

/** What only this person may see; read with their own key before any fuzzing. */
export async function ownTokens(
  h: HostileStack,
  person: Person,
  markers: Markers,
): Promise<Set<string>> {
  const tokens = new Set<string>();
  const key = person.keys[0] ?? '';
  const get = async (path: string) => {
    const answer = await h.send({
      method: 'GET',
      path,
      headers: { authorization: `Bearer ${key}` },
    });
    if (answer.status !== 200) throw new Error(`${path} answered ${answer.status}: ${answer.body}`);
    return JSON.parse(answer.body) as Record<string, unknown>;
  };
  const from = new Date(Date.now() - 14 * 86_400_000).toISOString();
  const to = new Date(Date.now() + 21 * 86_400_000).toISOString();
  for (const account of person.accounts) {
    tokens.add(account.connectionId);
    tokens.add(account.email);
    const marker = markers.get(account.email);
    if (marker) tokens.add(marker);
    let pageToken: string | undefined;
    for (let page = 0; page < 4; page++) {
      const query = `pageSize=50&connection=${account.connectionId}${pageToken ? `&pageToken=${pageToken}` : ''}`;
      const found = (await get(`/v1/gmail/messages?${query}`)) as {
        messages: Array<{ id: string; threadId: string }>;
        nextPageToken?: string;
      };
      for (const m of found.messages) {
        tokens.add(m.id);
        tokens.add(m.threadId);
      }
      pageToken = found.nextPageToken;
      if (!pageToken) break;
    }
    const agenda = (await get(
      `/v1/calendar/agenda?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&connection=${account.connectionId}`,
    )) as { events: Array<{ id: string }> };
    for (const event of agenda.events) tokens.add(event.id);
  }
  return tokens;
}
