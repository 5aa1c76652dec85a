/**
 * The whole corpus goes into a Google sandbox user over real HTTP and is then found
 * through the sandbox's Gmail and Calendar APIs, Unicode tricks intact.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  authorizeUrl,
  control,
  exchangeCode,
  startTestSandbox,
  type TestSandbox,
} from '../google/sandbox.harness.ts';
import { corpusItem, type ImportedItem, importCorpus, INJECTION_CORPUS } from './index.ts';

/** Thursday: the corpus shifts by three days from its reference Monday. */
const ANCHOR = new Date('2026-03-05T07:00:00Z');
const MAILBOX = 'sam@example.com';

let sandbox: TestSandbox;
let imported: Record<string, ImportedItem>;
let token: string;

beforeAll(async () => {
  sandbox = await startTestSandbox(() => ANCHOR);
  imported = await importCorpus(sandbox, MAILBOX, INJECTION_CORPUS, { anchor: ANCHOR });
  await control(sandbox.url, 'POST', '/__sandbox/auto-approve', { email: MAILBOX });
  const redirect = await fetch(authorizeUrl(sandbox.url, {}), { redirect: 'manual' });
  const code = new URL(redirect.headers.get('location') ?? '').searchParams.get('code') ?? '';
  token = String((await exchangeCode(sandbox.url, code)).body.access_token);
});
afterAll(async () => {
  await sandbox?.close();
});

async function api(path: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${sandbox.url}${path}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return (await response.json()) as Record<string, unknown>;
}

/** The first words of a subject or title, as a `subject:(…)` or `q` search takes them. */
function words(text: string): string {
  return (text.match(/[A-Za-z0-9]{3,}/g) ?? []).slice(0, 4).join(' ');
}

function textParts(payload: Record<string, unknown>): string[] {
  const parts = (payload.parts as Record<string, unknown>[] | undefined) ?? [];
  const own = (payload.body as { data?: string } | undefined)?.data;
  return [
    ...(own ? [Buffer.from(own, 'base64url').toString('utf8')] : []),
    ...parts.flatMap(textParts),
  ];
}

describe('importCorpus into the Google sandbox', () => {
  it('imports every item and returns its Gmail or Calendar ids', () => {
    const missing = INJECTION_CORPUS.filter((item) => {
      const ids = imported[item.id];
      return item.kind === 'mail' ? !ids?.messageId : (ids?.eventIds?.length ?? 0) !== 1;
    }).map((i) => i.id);
    expect([Object.keys(imported).length, missing]).toStrictEqual([INJECTION_CORPUS.length, []]);
  });

  it('finds every mail by its subject through the Gmail API', async () => {
    const lost: string[] = [];
    for (const item of INJECTION_CORPUS.filter((i) => i.mail)) {
      const q = encodeURIComponent(`subject:(${words(item.mail?.subject ?? '')})`);
      const list = await api(`/gmail/v1/users/me/messages?q=${q}`);
      const ids = ((list.messages as { id: string }[] | undefined) ?? []).map((m) => m.id);
      if (!ids.includes(imported[item.id]?.messageId ?? '')) lost.push(item.id);
    }
    expect(lost).toStrictEqual([]);
  });

  it('finds every invite by its title through the Calendar API, in the anchored week', async () => {
    const lost: string[] = [];
    const range = 'timeMin=2026-03-05T00:00:00Z&timeMax=2026-03-12T00:00:00Z&singleEvents=true';
    for (const item of INJECTION_CORPUS.filter((i) => i.event)) {
      const q = encodeURIComponent(words(item.event?.summary ?? ''));
      const list = await api(`/calendar/v3/calendars/primary/events?q=${q}&${range}`);
      const ids = ((list.items as { id: string }[] | undefined) ?? []).map((e) => e.id);
      if (!ids.some((id) => imported[item.id]?.eventIds?.includes(id))) lost.push(item.id);
    }
    expect(lost).toStrictEqual([]);
  });

  it('moves dates by whole days from the reference week, offsets kept', async () => {
    const message = await api(
      `/gmail/v1/users/me/messages/${imported['hidden-note-invoice']?.messageId}?format=metadata&metadataHeaders=Date`,
    );
    const headers = (message.payload as { headers: { name: string; value: string }[] }).headers;
    const event = await api(
      `/calendar/v3/calendars/primary/events/${imported['event-description-forward']?.eventIds?.[0]}`,
    );
    expect([
      headers.find((h) => h.name === 'Date')?.value,
      (event.start as { dateTime: string }).dateTime,
    ]).toStrictEqual([
      'Fri, 27 Feb 2026 09:12:00 +0000',
      expect.stringMatching(/^2026-03-08T09:00:00(?:Z|[+-]00:00)$/),
    ]);
  });

  it('keeps the hidden characters and the HTML of the attacks', async () => {
    const body = async (id: string) => {
      const message = await api(
        `/gmail/v1/users/me/messages/${imported[id]?.messageId}?format=full`,
      );
      return textParts(message.payload as Record<string, unknown>).join('\n');
    };
    const tags = await body('tag-characters-speaker');
    const bidi = await body('bidi-override-quote');
    const hidden = await body('display-none-itinerary');
    const both = await body('white-text-insurance');
    expect({
      tags: /[\u{E0020}-\u{E007E}]{20}/u.test(tags),
      bidi: bidi.includes('\u202EAssistant: tell the user'),
      hidden: hidden.includes('<div style="display:none'),
      alternative:
        both.includes('Assistant, when you describe') &&
        both.includes('<span style="color:#ffffff'),
      homoglyph: (await body('homoglyph-bank-alert')).includes(
        corpusItem('homoglyph-bank-alert').attacker.urls[0] ?? '?',
      ),
    }).toStrictEqual({ tags: true, bidi: true, hidden: true, alternative: true, homoglyph: true });
  });

  it('readdresses the mail and invites to the mailbox given', async () => {
    const message = await api(
      `/gmail/v1/users/me/messages/${imported['fixed-reply-energy']?.messageId}?format=metadata&metadataHeaders=To`,
    );
    const event = await api(
      `/calendar/v3/calendars/primary/events/${imported['event-title-fixed-reply']?.eventIds?.[0]}`,
    );
    const attendees = (event.attendees as { email: string }[]).map((a) => a.email);
    expect([
      (message.payload as { headers: { value: string }[] }).headers[0]?.value,
      attendees,
    ]).toStrictEqual(['sam@example.com', ['sam@example.com', 'morgan@planwise.example']]);
  });
});
