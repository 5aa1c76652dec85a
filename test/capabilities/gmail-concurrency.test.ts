/**
 * Gmail's per-user concurrency limit, end to end: Tidings against the Google sandbox with
 * the limit set low, over real HTTP. Whatever Gmail refuses for too many requests at once
 * is asked again, so a listing answers every message exactly once and in order; when
 * Gmail keeps refusing, the answer is a retryable error, never part of a page.
 *
 * The mailbox is Pat's: 50 messages, "Note 01" (oldest) to "Note 50", a minute apart.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApiKeyStore } from '../../src/api-keys/index.ts';
import { DATABASES } from '../support/databases.harness.ts';
import { connectWithAutoApprove, type Stack, startStack } from '../support/stack.harness.ts';

const PAT = 'pat@example.com';
const COUNT = 50;
/** Subjects newest first, as Gmail lists them. */
const NEWEST_FIRST = Array.from(
  { length: COUNT },
  (_, i) => `Note ${String(COUNT - i).padStart(2, '0')}`,
);
const CHATS = [7301, 7302, 7303];

interface GoogleStats {
  gmailConcurrencyRefusals: Record<string, number>;
  gmailInFlight: Record<string, number>;
}

for (const database of DATABASES) {
  describe(`Gmail's concurrency limit on ${database.name}`, () => {
    let stack: Stack;
    beforeAll(async () => {
      stack = await startStack(database, { telegram: true });
      await stack.control('/users', { body: { email: PAT, name: 'Pat Doe' } });
      const start = Date.now() - (COUNT + 5) * 60_000;
      for (let i = 1; i <= COUNT; i++) {
        const date = new Date(start + i * 60_000).toUTCString();
        const raw = `From: Lee <lee@example.org>\r\nTo: ${PAT}\r\nSubject: Note ${String(i).padStart(2, '0')}\r\nDate: ${date}\r\nMessage-ID: <note-${i}@example.org>\r\n\r\nNote number ${i}.\r\n`;
        const imported = await fetch(
          `${stack.google.url}/__sandbox/users/${PAT}/messages?labelIds=INBOX,UNREAD`,
          { method: 'POST', headers: { 'content-type': 'message/rfc822' }, body: raw },
        );
        expect(imported.status).toBe(201);
      }
      // A fresh embedded database on a busy machine can take most of a minute to start.
    }, 180_000);
    afterAll(async () => {
      await stack?.close();
    });
    beforeEach(async () => {
      await stack.control('/faults', { method: 'DELETE' });
    });

    async function limit(value: number | null) {
      const response = await stack.control('/settings', {
        method: 'PUT',
        body: { gmailConcurrentRequestsPerUser: value },
      });
      expect(response.status).toBe(200);
    }

    async function googleStats(): Promise<GoogleStats> {
      return (await stack.stats()) as unknown as GoogleStats;
    }

    async function refusals(): Promise<number> {
      return (await googleStats()).gmailConcurrencyRefusals[PAT] ?? 0;
    }

    /**
     * An API key of a new user connected to Pat's mailbox: a connection of its own, so
     * what Gmail refused earlier (which narrows a connection for a minute) plays no part.
     */
    async function connectedKey(): Promise<string> {
      const user = await stack.app.parts.frontDoor.users.create({ displayName: 'Pat' });
      expect((await connectWithAutoApprove(stack, user.id, PAT)).status).toBe(200);
      return (await createApiKeyStore(stack.handle.db, () => new Date()).create(user.id, 'test'))
        .key;
    }

    async function v1(key: string, path: string) {
      const response = await fetch(`${stack.app.url}/v1${path}`, {
        headers: { authorization: `Bearer ${key}` },
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    }

    it('a search for 50 messages with the limit at 3 answers each message once, newest first', async () => {
      const key = await connectedKey();
      await limit(3);
      const before = await refusals();
      const answer = await v1(key, `/gmail/messages?pageSize=${COUNT}`);
      const messages = answer.body.messages as Array<{ subject: string }>;
      const stats = await googleStats();
      expect({
        status: answer.status,
        subjects: Array.isArray(messages) ? messages.map((m) => m.subject) : answer.body,
        refused: (stats.gmailConcurrencyRefusals[PAT] ?? 0) > before,
        inFlight: stats.gmailInFlight,
      }).toStrictEqual({ status: 200, subjects: NEWEST_FIRST, refused: true, inFlight: {} });
    });

    it('unread counts asked in parallel while Gmail is slow, with the limit at 3, are whole', async () => {
      const key = await connectedKey();
      await limit(3);
      // Slow label reads overlap, so Gmail sees the parallel ones at once.
      await stack.control('/faults', {
        body: { path: '/gmail/v1/users/me/labels/', latencyMs: 500 },
      });
      const before = await refusals();
      const answer = await v1(key, '/gmail/unread');
      expect({
        answer,
        refused: (await refusals()) > before,
      }).toStrictEqual({
        answer: {
          status: 200,
          body: {
            inbox: { unreadMessages: COUNT, unreadThreads: COUNT },
            labels: [],
          },
        },
        refused: true,
      });
    });

    it('several chats asking at once with the limit at 1 each get their page whole and in order', async () => {
      // Each chat says hello, is connected to Pat's mailbox and hears so.
      const seen: number[] = [];
      for (const chat of CHATS) {
        const user = await stack.app.parts.frontDoor.users.create({
          displayName: `Chat ${chat}`,
          telegramUserId: String(chat),
        });
        await stack.chat!.write(chat, '/start', 'Pat');
        await stack.chat!.inbox(chat, { count: 1, timeoutMs: 30_000 });
        expect((await connectWithAutoApprove(stack, user.id, PAT)).status).toBe(200);
        const inbox = await stack.chat!.inbox(chat, { count: 2, timeoutMs: 30_000 });
        expect(inbox.at(-1)?.text).toMatch(/^✅ Connected as pat@example\.com/);
        seen.push(inbox.length);
      }
      await limit(1);
      const before = await refusals();
      await Promise.all(CHATS.map((chat) => stack.chat!.write(chat, '/inbox', 'Pat')));
      const replies = await Promise.all(
        CHATS.map(async (chat, i) => {
          const inbox = await stack.chat!.inbox(chat, { count: seen[i]! + 1, timeoutMs: 30_000 });
          return inbox.slice(seen[i]).map((item) => subjectsOf(item.text) ?? item.text);
        }),
      );
      expect({
        replies,
        refused: (await refusals()) > before,
      }).toStrictEqual({
        replies: CHATS.map(() => [NEWEST_FIRST.slice(0, 5)]),
        refused: true,
      });
    }, 120_000);

    it('ends in provider_rate_limited, not a shorter page, when Gmail keeps refusing one message', async () => {
      // The page's ids from one connection; the refused listing on another, which has no
      // message kept yet and so asks for every one.
      const key = await connectedKey();
      await limit(null);
      const list = await v1(await connectedKey(), '/gmail/messages?pageSize=10');
      const ids = (list.body.messages as Array<{ id: string }>).map((m) => m.id);
      await stack.control('/faults', {
        body: {
          path: `/gmail/v1/users/me/messages/${ids[3]}`,
          status: 429,
          reason: 'rateLimitExceeded',
        },
      });
      const response = await fetch(`${stack.app.url}/v1/gmail/messages?pageSize=10`, {
        headers: { authorization: `Bearer ${key}` },
      });
      const answer = {
        status: response.status,
        retryAfter: response.headers.get('retry-after'),
        body: (await response.json()) as Record<string, unknown>,
      };
      // Gmail sends no Retry-After with this refusal; the answer still says when to retry.
      expect({
        status: answer.status,
        code: answer.body.code,
        detail: answer.body.detail,
        retryAfter: answer.retryAfter,
        retry_after: answer.body.retry_after,
      }).toStrictEqual({
        status: 429,
        code: 'provider_rate_limited',
        detail: 'Google answered 429 (rateLimitExceeded) to gmail.messages.get',
        retryAfter: '5',
        retry_after: 5,
      });
    });
  });
}

/** The subjects of a mail page as the bot writes it ("1. ● Note 50", …); null if none. */
function subjectsOf(text: string): string[] | null {
  const subjects = [...text.matchAll(/^\d+\. (?:● )?(.+)$/gm)].map((match) => match[1]!);
  return subjects.length > 0 ? subjects : null;
}
