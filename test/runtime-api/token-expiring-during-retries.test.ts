/**
 * A request whose retries outlast its access token: Google answers 503, the token in hand
 * runs out before the next attempt and Google answers 401; after the refresh the same
 * happens once more.
 * Both 401s are an expired token, not a refused grant: the request refreshes each time
 * and answers, instead of telling the person to reconnect an account that works.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY_COMMANDS } from '../../src/admin/api-key-commands.ts';
import { DATABASES } from '../support/databases.harness.ts';
import { connectWithAutoApprove, type Stack, startStack } from '../support/stack.harness.ts';

const TOKEN_TTL_SECONDS = 100;

for (const database of DATABASES) {
  describe(`a token that expires between retries on ${database.name}`, () => {
    let stack: Stack;
    let key: string;
    let userId: string;
    let clock = Date.now();
    let failAgainAfter401: Record<string, unknown> | null = null;
    const now = () => new Date(clock);
    beforeAll(async () => {
      // Each 503 from Gmail takes longer than a token lives, as slow retries (timeouts,
      // Retry-After) can in real time; the first 401 is followed by one more 503.
      const slowFailures: typeof fetch = async (input, init) => {
        const response = await fetch(input, init);
        if (!String(input).includes('/gmail/')) return response;
        if (response.status === 503) clock += (TOKEN_TTL_SECONDS + 20) * 1000;
        if (response.status === 401 && failAgainAfter401 !== null) {
          await stack.control('/faults', { body: failAgainAfter401 });
          failAgainAfter401 = null;
        }
        return response;
      };
      stack = await startStack(database, {
        start: { now, fetch: slowFailures },
        googleNow: now,
      });
      await stack.control('/settings', {
        method: 'PUT',
        body: { accessTokenTtlSeconds: TOKEN_TTL_SECONDS },
      });
      const user = await stack.app.parts.frontDoor.users.create({ displayName: 'Alex' });
      userId = user.id;
      expect((await connectWithAutoApprove(stack, user.id, 'alex@example.com')).status).toBe(200);
      key = (await API_KEY_COMMANDS['api-keys.create']!(stack.app.services, [user.id])).at(-1)!;
    });
    afterAll(async () => {
      await stack?.close();
    });

    it('refreshes again when the refreshed token ran out during later retries', async () => {
      const read = (path: string) =>
        fetch(`${stack.app.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
      // One message read once without faults: later reads make a single Google call.
      const listed = (await (await read('/v1/gmail/messages?pageSize=1')).json()) as {
        messages: Array<{ id: string }>;
      };
      const id = listed.messages[0]!.id;
      expect((await read(`/v1/gmail/messages/${id}`)).status).toBe(200);
      // The token still has 70 s: it is handed out without a refresh.
      clock += 30_000;
      const refreshesBefore = (await stack.stats()).grants.refresh_token;
      const fault = { path: `/gmail/v1/users/me/messages/${id}`, status: 503, count: 1 };
      await stack.control('/faults', { body: fault });
      failAgainAfter401 = fault;
      const response = await read(`/v1/gmail/messages/${id}`);
      const body = (await response.json()) as Record<string, unknown>;
      const [connection] = await stack.app.parts.frontDoor.connections.list(userId);
      expect({
        status: response.status,
        code: body.code,
        connection: connection?.status,
        refreshes: (await stack.stats()).grants.refresh_token - refreshesBefore,
      }).toStrictEqual({ status: 200, code: undefined, connection: 'active', refreshes: 2 });
    });
  });
}
