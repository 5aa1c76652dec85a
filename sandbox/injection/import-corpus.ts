/**
 * Loads corpus items into a user of the Google sandbox through its control API (the raw
 * message import and the iCalendar import), anchored to a day: every date moves by the
 * whole days between the reference Monday (2026-03-02) and the anchor's UTC date, so the
 * mail arrived in the last week and the invites fall in the coming days.
 */
import { INJECTION_CORPUS } from './corpus.ts';
import { icsFor } from './ics.ts';
import { rawMessage } from './rfc822.ts';
import type { InjectionItem } from './types.ts';

/** The Monday the corpus dates are written around: mail before it, invites from it. */
export const REFERENCE_DAY = '2026-03-02';

export interface ImportedItem {
  id: string;
  kind: 'mail' | 'event';
  /** Gmail ids of the imported message. */
  messageId?: string;
  threadId?: string;
  /** Calendar event ids of the imported invite. */
  eventIds?: string[];
}

export interface ImportOptions {
  /** The day the corpus is anchored to; default now. */
  anchor?: Date;
  /** Labels of imported mail; default `INBOX,UNREAD`. */
  labelIds?: string[];
  fetch?: typeof fetch;
}

/** Whole days from the reference Monday to the anchor's UTC date. */
export function shiftDaysFor(anchor: Date): number {
  const day = Date.UTC(anchor.getUTCFullYear(), anchor.getUTCMonth(), anchor.getUTCDate());
  return Math.round((day - Date.parse(`${REFERENCE_DAY}T00:00:00Z`)) / 86_400_000);
}

async function post(
  fetcher: typeof fetch,
  url: string,
  type: string,
  body: string,
): Promise<Record<string, unknown>> {
  const response = await fetcher(url, { method: 'POST', headers: { 'content-type': type }, body });
  const text = await response.text();
  if (!response.ok)
    throw new Error(`corpus import: ${response.status} from ${url}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/**
 * Imports `items` (default: the whole corpus) for `mailbox`, which must exist in the
 * sandbox. `control` is the Google sandbox's base URL (or the sandbox itself). Resolves
 * with the Gmail and Calendar ids per item id.
 */
export async function importCorpus(
  control: string | { url: string },
  mailbox: string,
  items: readonly InjectionItem[] = INJECTION_CORPUS,
  options: ImportOptions = {},
): Promise<Record<string, ImportedItem>> {
  const base = (typeof control === 'string' ? control : control.url).replace(/\/+$/, '');
  const fetcher = options.fetch ?? fetch;
  const now = options.anchor ?? new Date();
  const shiftDays = shiftDaysFor(now);
  const user = `${base}/__sandbox/users/${encodeURIComponent(mailbox)}`;
  const labels = (options.labelIds ?? ['INBOX', 'UNREAD']).join(',');
  const imported: Record<string, ImportedItem> = {};
  for (const item of items) {
    const ids: ImportedItem = { id: item.id, kind: item.kind };
    if (item.mail) {
      const raw = rawMessage(item.mail, { mailbox, shiftDays, now, id: item.id });
      const answer = await post(
        fetcher,
        `${user}/messages?labelIds=${labels}`,
        'message/rfc822',
        raw,
      );
      ids.messageId = String(answer.id);
      ids.threadId = String(answer.threadId);
    }
    if (item.event) {
      const ics = icsFor(item.event, {
        mailbox,
        shiftDays,
        now,
        uid: `${item.id}@corpus.tidings.test`,
      });
      const answer = await post(fetcher, `${user}/events?calendarId=primary`, 'text/calendar', ics);
      ids.eventIds = Array.isArray(answer.ids) ? answer.ids.map(String) : [];
    }
    imported[item.id] = ids;
  }
  return imported;
}
