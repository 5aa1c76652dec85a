/**
 * Baselines that talk to the Google sandbox directly with a valid access token, making
 * the same Google calls a capability makes and nothing else: no API key, no database, no
 * broker, no validation, no mapping, no decoding. What Tidings adds on top is the ratio.
 * The listing asks for the page the way `gmail.search` does (one list, then one batch of
 * metadata gets) or, as the naive baseline, one get after another.
 */
import { mapLimited } from '../src/google/index.ts';

const SUMMARY_HEADERS = ['From', 'To', 'Subject', 'Date'];
const GET_CONCURRENCY = 10;

export interface DirectGoogle {
  /** messages.list, then the metadata gets: in one batch request, or one after another. */
  listMessages(query: string, pageSize: number, gets: 'batch' | 'sequential'): Promise<number>;
  /** calendarList.list, then events.list of every selected calendar. */
  agenda(timeMin: string, timeMax: string): Promise<number>;
}

interface MessageList {
  messages?: Array<{ id: string }>;
}

interface CalendarList {
  items?: Array<{ id: string; selected?: boolean; primary?: boolean; hidden?: boolean }>;
}

interface EventList {
  items?: unknown[];
}

function metadataPath(id: string): string {
  const query = new URLSearchParams([
    ['format', 'metadata'],
    ...SUMMARY_HEADERS.map((h): [string, string] => ['metadataHeaders', h]),
  ]);
  return `/gmail/v1/users/me/messages/${encodeURIComponent(id)}?${query}`;
}

export function createDirectGoogle(
  root: string,
  token: () => string,
  fetchImpl: typeof fetch = globalThis.fetch,
): DirectGoogle {
  async function getJson<T>(path: string, query: Array<[string, string]>): Promise<T> {
    const url = new URL(root + path);
    for (const [key, value] of query) url.searchParams.append(key, value);
    const response = await fetchImpl(url, { headers: { authorization: `Bearer ${token()}` } });
    if (!response.ok) {
      await response.body?.cancel();
      throw new Error(`${path} answered ${response.status}`);
    }
    return (await response.json()) as T;
  }

  async function batch(ids: readonly string[]): Promise<void> {
    const boundary = 'direct_baseline';
    const parts = ids.map(
      (id, i) =>
        `--${boundary}\r\nContent-Type: application/http\r\nContent-ID: <item-${i}>\r\n\r\n` +
        `GET ${metadataPath(id)} HTTP/1.1\r\n\r\n`,
    );
    const body = `${parts.join('')}--${boundary}--\r\n`;
    const response = await fetchImpl(`${root}/batch/gmail/v1`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token()}`,
        'content-type': `multipart/mixed; boundary=${boundary}`,
      },
      body,
    });
    const text = await response.text();
    if (!response.ok || text.split('HTTP/1.1 200').length - 1 !== ids.length) {
      throw new Error(`the batch answered ${response.status}`);
    }
  }

  return {
    async listMessages(query, pageSize, gets) {
      const list = await getJson<MessageList>('/gmail/v1/users/me/messages', [
        ['maxResults', String(pageSize)],
        ...(query ? [['q', query] as [string, string]] : []),
      ]);
      const ids = (list.messages ?? []).map((ref) => ref.id);
      if (gets === 'batch') await batch(ids);
      else for (const id of ids) await getJson(metadataPath(id), []);
      return ids.length;
    },
    async agenda(timeMin, timeMax) {
      const list = await getJson<CalendarList>('/calendar/v3/users/me/calendarList', [
        ['maxResults', '250'],
      ]);
      const calendars = (list.items ?? []).filter(
        (c) => (c.selected === true || c.primary === true) && c.hidden !== true,
      );
      const pages = await mapLimited(calendars, GET_CONCURRENCY, (calendar) =>
        getJson<EventList>(`/calendar/v3/calendars/${encodeURIComponent(calendar.id)}/events`, [
          ['timeMin', timeMin],
          ['timeMax', timeMax],
          ['timeZone', 'UTC'],
          ['singleEvents', 'true'],
          ['orderBy', 'startTime'],
          ['maxResults', '250'],
        ]),
      );
      return pages.reduce((sum, page) => sum + (page.items?.length ?? 0), 0);
    },
  };
}
