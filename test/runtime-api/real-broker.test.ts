/**
 * The runtime API through `startApp` over a real socket, with the real connection store
 * and credential broker: what a key may reach (only its own user's connections, mail and
 * threads), and a grant revoked at Google surfacing as `reauth_required` once the broker
 * has to refresh.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKeyStore } from '../../src/api-keys/index.ts';
import { DATABASES } from '../support/databases.harness.ts';
import { connectWithAutoApprove, type Stack, startStack } from '../support/stack.harness.ts';

interface Person {
  userId: string;
  connectionId: string;
  key: string;
}

for (const database of DATABASES) {
  describe(`the runtime API with the real broker on ${database.name}`, () => {
    let stack: Stack;
    let offsetMs = 0;
    let a: Person;
    let b: Person;
    beforeAll(async () => {
      stack = await startStack(database, {
        start: { now: () => new Date(Date.now() + offsetMs) },
      });
      const keys = createApiKeyStore(stack.handle.db, () => new Date());
      const person = async (email: string): Promise<Person> => {
        const { frontDoor } = stack.app.parts;
        const user = await frontDoor.users.create({ displayName: email });
        await connectWithAutoApprove(stack, user.id, email);
        const [connection] = await frontDoor.connections.list(user.id);
        return {
          userId: user.id,
          connectionId: connection?.id ?? '',
          key: (await keys.create(user.id, 'tests')).key,
        };
      };
      a = await person('alex@example.com');
      b = await person('sam@example.com');
    });
    afterAll(async () => {
      await stack?.close();
    });

    const get = async (path: string, key: string) => {
      const response = await fetch(`${stack.app.url}${path}`, {
        headers: { authorization: `Bearer ${key}` },
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const problem = (
      code: string,
      title: string,
      status: number,
      detail: string,
      path: string,
    ) => ({
      type: `https://tidings.dev/problems/${code}`,
      title,
      status,
      code,
      detail,
      instance: path,
    });

    it("never reaches another user's connection, message or thread, whatever the parameters", async () => {
      const own = await get('/v1/gmail/messages?pageSize=1', b.key);
      const [sams] = (own.body.messages as Array<{ id: string; threadId: string }>) ?? [];
      const paths = [
        `/v1/gmail/unread?connection=${b.connectionId}`,
        '/v1/gmail/unread?connection=sam@example.com',
        `/v1/gmail/messages/${sams?.id}`,
        `/v1/gmail/threads/${sams?.threadId}`,
        `/v1/gmail/messages/${sams?.id}?connection=${b.connectionId}`,
      ];
      const answers = await Promise.all(paths.map((path) => get(path, a.key)));
      const gmail404 = (op: string, path: string) =>
        problem('not_found', 'Not found', 404, `Google answered 404 (notFound) to ${op}`, path);
      const noSuchConnection = (path: string) => ({
        ...problem(
          'not_found',
          'Not found',
          404,
          'No connection of yours matches that id or email.',
          path,
        ),
        field: 'connection',
      });
      expect([own.status, answers.map((x) => [x.status, x.body])]).toStrictEqual([
        200,
        [
          [404, noSuchConnection('/v1/gmail/unread')],
          [404, noSuchConnection('/v1/gmail/unread')],
          [404, gmail404('gmail.messages.get', `/v1/gmail/messages/${sams?.id}`)],
          [404, gmail404('gmail.threads.get', `/v1/gmail/threads/${sams?.threadId}`)],
          [404, noSuchConnection(`/v1/gmail/messages/${sams?.id}`)],
        ],
      ]);
    });

    // Last: the revocation is for good.
    it('answers reauth_required once Google revoked the grant and the broker must refresh', async () => {
      const before = await get('/v1/gmail/unread', a.key);
      await stack.control('/users/alex@example.com/revoke', { body: {} });
      offsetMs = 2 * 60 * 60_000; // past the access token's hour: the broker refreshes
      const first = await get('/v1/gmail/unread', a.key);
      const again = await get('/v1/gmail/unread', a.key);
      const connections = await get('/v1/connections', a.key);
      const listed = connections.body.connections as Array<Record<string, unknown>>;
      const reauth = {
        ...problem(
          'reauth_required',
          'The Google connection needs to be reconnected',
          409,
          'The Google connection for alex@example.com needs to be reconnected.',
          '/v1/gmail/unread',
        ),
        reason: 'revoked',
        connection: a.connectionId,
      };
      expect([
        before.status,
        [first.status, first.body],
        [again.status, again.body],
        listed.map((c) => [c.status, c.status_reason]),
        (await get('/v1/gmail/unread', b.key)).status,
      ]).toStrictEqual([200, [409, reauth], [409, reauth], [['needs_reauth', 'revoked']], 200]);
    });
  });
}
