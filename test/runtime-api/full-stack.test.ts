import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY_COMMANDS } from '../../src/admin/api-key-commands.ts';
import { DATABASES } from '../support/databases.harness.ts';
import { followConnectLink, type Stack, startStack } from '../support/stack.harness.ts';

for (const database of DATABASES) {
  describe(`runtime API through startApp on ${database.name}`, () => {
    let stack: Stack;
    let key: string;
    let otherKey: string;
    beforeAll(async () => {
      stack = await startStack(database);
      const create = API_KEY_COMMANDS['api-keys.create'];
      if (!create) throw new Error('api-keys.create is missing');
      const alex = await stack.app.parts.frontDoor.users.create({ displayName: 'Alex' });
      const sam = await stack.app.parts.frontDoor.users.create({ displayName: 'Sam' });
      key = (await create(stack.app.services, [alex.id])).at(-1) ?? '';
      otherKey = (await create(stack.app.services, [sam.id])).at(-1) ?? '';
    });
    afterAll(async () => {
      await stack?.close();
    });

    const call = async (method: string, path: string, bearer: string) => {
      const response = await fetch(`${stack.app.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${bearer}` },
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };

    it('connects an account through a connect link and reads its mail with the key', async () => {
      const link = await call('POST', '/v1/connect-links', key);
      await stack.control('/auto-approve', { body: { email: 'alex@example.com' } });
      const browser = await followConnectLink(String(link.body.url));
      const connections = await call('GET', '/v1/connections', key);
      const unread = await call('GET', '/v1/gmail/unread', key);
      const listed = connections.body.connections as Array<Record<string, unknown>>;
      expect([
        link.status,
        browser.status,
        connections.status,
        listed.map((c) => [c.email, c.status, c.capabilities, c.is_default]),
        unread.status,
        (unread.body.inbox as { unreadMessages: number }).unreadMessages > 0,
      ]).toStrictEqual([
        201,
        200,
        200,
        [['alex@example.com', 'active', ['gmail', 'calendar'], true]],
        200,
        true,
      ]);
    });

    it("keeps another user's key away from that account", async () => {
      const answers = await Promise.all([
        call('GET', '/v1/gmail/unread', otherKey),
        call('GET', '/v1/gmail/unread?connection=alex@example.com', otherKey),
        call('GET', '/v1/connections', otherKey),
      ]);
      expect(answers.map((a) => [a.status, a.body.code ?? a.body])).toStrictEqual([
        [409, 'not_connected'],
        [404, 'not_found'],
        [200, { connections: [] }],
      ]);
    });

    it('serves the OpenAPI document and refuses requests without a key', async () => {
      const [doc, denied] = await Promise.all([
        fetch(`${stack.app.url}/v1/openapi.json`).then(async (r) => [
          r.status,
          (await r.json()).openapi,
        ]),
        fetch(`${stack.app.url}/v1/calendar/next`).then((r) => [
          r.status,
          r.headers.get('www-authenticate'),
        ]),
      ]);
      expect([doc, denied]).toStrictEqual([
        [200, '3.1.0'],
        [401, 'Bearer realm="tidings"'],
      ]);
    });
  });
}
