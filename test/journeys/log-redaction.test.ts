/**
 * What people wrote stays out of the log. The real server, with every line it logs
 * captured at debug level: an account connects, a client searches Gmail through `/v1`
 * with a distinctive query, pages on with the page token Gmail returned, and names the
 * connection by its e-mail address. No captured line holds the query, the page token or
 * the address; the request lines are there, with those values redacted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY_COMMANDS } from '../../src/admin/api-key-commands.ts';
import { DATABASES } from '../support/databases.harness.ts';
import { connectWithAutoApprove, type Stack, startStack } from '../support/stack.harness.ts';

const EMAIL = 'alex@example.com';
/** Matches every message (it excludes a word no message holds), and is unmistakable in a log. */
const QUERY = '-zebraquarterlyledger';

for (const database of DATABASES) {
  describe(`log redaction on ${database.name}`, () => {
    let stack: Stack;
    let key: string;

    beforeAll(async () => {
      stack = await startStack(database);
      const alex = await stack.app.parts.frontDoor.users.create({ displayName: 'Alex' });
      expect((await connectWithAutoApprove(stack, alex.id, EMAIL)).status).toBe(200);
      const create = API_KEY_COMMANDS['api-keys.create']!;
      key = (await create(stack.app.services, [alex.id])).at(-1) ?? '';
    });
    afterAll(async () => {
      await stack?.close();
    });

    const get = async (path: string) => {
      const response = await fetch(`${stack.app.url}${path}`, {
        headers: { authorization: `Bearer ${key}` },
      });
      return {
        status: response.status,
        body: (await response.json()) as { nextPageToken?: string; messages?: unknown[] },
      };
    };

    it('logs the searches without their query, page token or address', async () => {
      const q = encodeURIComponent(QUERY);
      const first = await get(`/v1/gmail/messages?q=${q}&pageSize=2`);
      const token = first.body.nextPageToken ?? '';
      const second = await get(
        `/v1/gmail/messages?q=${q}&pageSize=2&pageToken=${encodeURIComponent(token)}`,
      );
      const named = await get(`/v1/gmail/unread?connection=${EMAIL}`);
      const encoded = await get(
        `/v1/gmail/messages?pageSize=1&connection=${encodeURIComponent(EMAIL)}`,
      );

      const secrets = [QUERY, 'zebraquarterlyledger', token, EMAIL, encodeURIComponent(EMAIL)];
      const leaks = stack.logs.flatMap((line) =>
        secrets.filter((secret) => line.includes(secret)).map((secret) => ({ secret, line })),
      );
      const requestUrls = stack.logs
        .map((line) => JSON.parse(line) as { req?: { url?: string } })
        .flatMap((entry) => (entry.req?.url?.startsWith('/v1/gmail/') ? [entry.req.url] : []));
      expect({
        statuses: [first.status, second.status, named.status, encoded.status],
        paged: token.length > 0 && (second.body.messages?.length ?? 0) > 0,
        leaks,
        requestUrls,
      }).toStrictEqual({
        statuses: [200, 200, 200, 200],
        paged: true,
        leaks: [],
        requestUrls: [
          '/v1/gmail/messages?q=[redacted]&pageSize=2',
          '/v1/gmail/messages?q=[redacted]&pageSize=2&pageToken=[redacted]',
          '/v1/gmail/unread?connection=[redacted]',
          '/v1/gmail/messages?pageSize=1&connection=[redacted]',
        ],
      });
    });
  });
}
