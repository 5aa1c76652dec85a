/**
 * A repeat inbox listing, end to end: Tidings against the Google sandbox over real HTTP,
 * `/v1/gmail/messages` with an API key. The second listing of the same page is one Google
 * request (`messages.list` and `history.list` in one batch), a handful of quota units,
 * and shows every label change made in between (read, unread, starred, archived); a new
 * message is the only one fetched; a status change or a disconnect drops what was kept.
 *
 * The mailbox is Quinn's: 30 messages, "Memo 01" (oldest) to "Memo 30", a minute apart,
 * unread in the inbox.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKeyStore } from '../../src/api-keys/index.ts';
import { transition } from '../../src/connections/index.ts';
import { DATABASES } from '../support/databases.harness.ts';
import { connectWithAutoApprove, type Stack, startStack } from '../support/stack.harness.ts';

const QUINN = 'quinn@example.com';
const COUNT = 30;
const PAGE = 25;

interface Summary {
  id: string;
  subject: string;
  unread: boolean;
  labels: string[];
}

for (const database of DATABASES) {
  describe(`a repeat Gmail listing on ${database.name}`, () => {
    let stack: Stack;
    /** Every Gmail request Tidings sent: method, path, and the message ids it fetched. */
    const sent: Array<{ call: string; fetched: string[] }> = [];
    const recording: typeof fetch = async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (url.pathname.includes('/gmail/')) {
        const body = typeof init?.body === 'string' ? init.body : '';
        const fetched = [...body.matchAll(/messages\/([^?/ ]+)\?format=metadata/g)].map(
          (m) => m[1]!,
        );
        sent.push({ call: `${init?.method ?? 'GET'} ${url.pathname}`, fetched });
      }
      return fetch(input, init);
    };

    async function importMemo(i: number, minutesAgo: number) {
      const date = new Date(Date.now() - minutesAgo * 60_000).toUTCString();
      const subject = `Memo ${String(i).padStart(2, '0')}`;
      const raw = `From: Lee <lee@example.org>\r\nTo: ${QUINN}\r\nSubject: ${subject}\r\nDate: ${date}\r\nMessage-ID: <memo-${i}@example.org>\r\n\r\nMemo number ${i}.\r\n`;
      const imported = await fetch(
        `${stack.google.url}/__sandbox/users/${QUINN}/messages?labelIds=INBOX,UNREAD`,
        { method: 'POST', headers: { 'content-type': 'message/rfc822' }, body: raw },
      );
      expect(imported.status).toBe(201);
      return ((await imported.json()) as { id: string }).id;
    }

    beforeAll(async () => {
      stack = await startStack(database, { start: { fetch: recording } });
      await stack.control('/users', { body: { email: QUINN, name: 'Quinn Doe' } });
      for (let i = 1; i <= COUNT; i++) await importMemo(i, COUNT + 10 - i);
      // A fresh embedded database on a busy machine can take most of a minute to start.
    }, 180_000);
    afterAll(async () => {
      await stack?.close();
    });

    /** A user connected to Quinn's mailbox (a connection of its own) and their API key. */
    async function connected() {
      const user = await stack.app.parts.frontDoor.users.create({ displayName: 'Quinn' });
      expect((await connectWithAutoApprove(stack, user.id, QUINN)).status).toBe(200);
      const key = (await createApiKeyStore(stack.handle.db, () => new Date()).create(user.id, 't'))
        .key;
      const [connection] = await stack.app.parts.frontDoor.connections.list(user.id);
      return { userId: user.id, key, connectionId: connection!.id };
    }

    async function units(): Promise<number> {
      const stats = (await stack.stats()) as unknown as { quotaUnits: Record<string, number> };
      return stats.quotaUnits[QUINN] ?? 0;
    }

    /** One `/v1/gmail/messages` listing: what it showed, and the Gmail requests and units. */
    async function listing(key: string) {
      sent.length = 0;
      const before = await units();
      const response = await fetch(`${stack.app.url}/v1/gmail/messages?pageSize=${PAGE}`, {
        headers: { authorization: `Bearer ${key}` },
      });
      const body = (await response.json()) as { messages: Summary[] };
      expect(response.status).toBe(200);
      return {
        messages: body.messages,
        requests: sent.map((s) => s.call),
        fetched: sent.flatMap((s) => s.fetched),
        units: (await units()) - before,
      };
    }

    async function modify(
      id: string,
      change: { addLabelIds?: string[]; removeLabelIds?: string[] },
    ) {
      const response = await stack.control(`/users/${QUINN}/messages/${id}/modify`, {
        body: change,
      });
      expect(response.status).toBe(200);
    }

    it('costs one Google request and 7 quota units the second time, with the same page', async () => {
      const { key } = await connected();
      const first = await listing(key);
      const second = await listing(key);
      expect({
        first: { requests: first.requests.length, fetched: first.fetched.length },
        second: {
          requests: second.requests,
          fetched: second.fetched,
          units: second.units,
          same: second.messages,
        },
      }).toStrictEqual({
        // The list and the profile, then 25 gets in three batches of ten at most.
        first: { requests: 5, fetched: PAGE },
        second: {
          requests: ['POST /batch/gmail/v1'],
          fetched: [],
          units: 7,
          same: first.messages,
        },
      });
    });

    it('shows a message read, unread again, starred or archived since, still in one request', async () => {
      const { key } = await connected();
      const first = await listing(key);
      const [a, b, c] = first.messages;
      await modify(a!.id, { removeLabelIds: ['UNREAD'] });
      await modify(b!.id, { addLabelIds: ['STARRED'] });
      await modify(c!.id, { removeLabelIds: ['INBOX'] });
      const changed = await listing(key);
      await modify(a!.id, { addLabelIds: ['UNREAD'] });
      const again = await listing(key);
      const shown = (page: { messages: Summary[] }, id: string) => {
        const m = page.messages.find((x) => x.id === id);
        return m ? { unread: m.unread, labels: [...m.labels].sort() } : 'not listed';
      };
      expect({
        changed: {
          a: shown(changed, a!.id),
          b: shown(changed, b!.id),
          c: shown(changed, c!.id),
          requests: changed.requests,
        },
        again: { a: shown(again, a!.id), requests: again.requests, units: again.units },
      }).toStrictEqual({
        changed: {
          a: { unread: false, labels: ['INBOX'] },
          b: { unread: true, labels: ['INBOX', 'STARRED', 'UNREAD'] },
          // Archived: the listing covers all mail, so it is still there, without INBOX.
          c: { unread: true, labels: ['UNREAD'] },
          requests: ['POST /batch/gmail/v1'],
        },
        again: {
          a: { unread: true, labels: ['INBOX', 'UNREAD'] },
          requests: ['POST /batch/gmail/v1'],
          units: 7,
        },
      });
    });

    it('fetches only a message that arrived since', async () => {
      const { key } = await connected();
      await listing(key);
      const id = await importMemo(31, 0);
      const next = await listing(key);
      expect({
        top: next.messages[0]?.subject,
        requests: next.requests,
        fetched: next.fetched,
        units: next.units,
      }).toStrictEqual({
        top: 'Memo 31',
        requests: ['POST /batch/gmail/v1', 'POST /batch/gmail/v1'],
        fetched: [id],
        units: 7 + 5,
      });
    });

    it('fetches every message again after a status change', async () => {
      const { key, connectionId } = await connected();
      await listing(key);
      const deps = { now: () => new Date() };
      expect(
        await transition(stack.handle.db, deps, { connectionId, to: 'degraded', reason: 'test' }),
      ).toBe('active');
      expect(
        await transition(stack.handle.db, deps, { connectionId, to: 'active', reason: 'test' }),
      ).toBe('degraded');
      const next = await listing(key);
      expect({ fetched: next.fetched.length, batches: next.requests.length }).toStrictEqual({
        fetched: PAGE,
        batches: 5,
      });
    });

    it('fetches every message again after a disconnect and a new connect', async () => {
      const { key, userId, connectionId } = await connected();
      await listing(key);
      await stack.app.parts.frontDoor.connections.disconnect(userId, connectionId);
      expect((await connectWithAutoApprove(stack, userId, QUINN)).status).toBe(200);
      const [again] = await stack.app.parts.frontDoor.connections.list(userId);
      const next = await listing(key);
      expect({ same: again?.id === connectionId, fetched: next.fetched.length }).toStrictEqual({
        same: true,
        fetched: PAGE,
      });
    });
  });
}
