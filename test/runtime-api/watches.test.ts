/**
 * New-mail alerts over `/v1/watches`, on the whole app over real HTTP: create (201, or 200
 * for a rule already there), list, delete, the per-user limit, another user's rule, bad
 * and hostile input, a connection that needs reconnecting, and the same capabilities
 * through `POST /v1/tools/watch.*`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKeyStore } from '../../src/api-keys/index.ts';
import { DATABASES } from '../support/databases.harness.ts';
import { connectWithAutoApprove, type Stack, startStack } from '../support/stack.harness.ts';

type Person = 'alex' | 'sam' | 'robin' | 'nobody';
type Json = Record<string, unknown>;
type Rule = { id: string; query: string; account: string; paused: string | null };

const LIMIT = 3;

for (const database of DATABASES) {
  describe(`/v1/watches on ${database.name}`, () => {
    let stack: Stack;
    const keys = {} as Record<Person, string>;
    const connections = {} as Record<Person, string>;

    beforeAll(async () => {
      const frozen = new Date();
      stack = await startStack(database, {
        env: { WATCH_RULES_PER_USER: String(LIMIT) },
        start: { now: () => frozen },
      });
      await stack.control('/users', { body: { email: 'robin@example.com', name: 'Robin Park' } });
      const apiKeys = createApiKeyStore(stack.handle.db, () => frozen);
      for (const person of ['alex', 'sam', 'robin', 'nobody'] as const) {
        const user = await stack.app.parts.frontDoor.users.create({ displayName: person });
        keys[person] = (await apiKeys.create(user.id, 'watch tests')).key;
        if (person === 'nobody') continue;
        const browser = await connectWithAutoApprove(stack, user.id, `${person}@example.com`);
        if (browser.status !== 200) throw new Error(`connecting ${person} failed`);
        const [connection] = await stack.app.parts.frontDoor.connections.list(user.id);
        connections[person] = connection?.id ?? '';
      }
    }, 60_000);
    afterAll(async () => {
      await stack?.close();
    });

    /** One request: the body as raw text (a string) or as JSON. */
    const call = async (
      method: string,
      path: string,
      who: Person | null,
      body?: unknown,
      contentType = 'application/json',
    ) => {
      const response = await fetch(`${stack.app.url}/v1${path}`, {
        method,
        headers: {
          ...(who ? { authorization: `Bearer ${keys[who]}` } : {}),
          ...(body === undefined ? {} : { 'content-type': contentType }),
        },
        ...(body === undefined
          ? {}
          : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      return { status: response.status, body: (await response.json()) as Json };
    };
    /** Status, code and field of a refusal. */
    const refusal = async (...args: Parameters<typeof call>) => {
      const { status, body } = await call(...args);
      return [status, body.code ?? null, body.field ?? null];
    };
    const rulesOf = async (who: Person) =>
      ((await call('GET', '/watches', who)).body.watches as Rule[]) ?? [];
    const clear = async (who: Person) => {
      for (const rule of await rulesOf(who)) await call('DELETE', `/watches/${rule.id}`, who);
    };

    it('creates a rule (201), answers the same rule for the same query (200), lists and removes it', async () => {
      const created = await call('POST', '/watches', 'alex', { query: 'from:anna@example.org' });
      const again = await call('POST', '/watches', 'alex', { query: '  from:anna@example.org ' });
      const listed = await call('GET', '/watches', 'alex');
      const watch = created.body.watch as Rule;
      const removed = await call('DELETE', `/watches/${watch.id}`, 'alex');
      const gone = await call('DELETE', `/watches/${watch.id}`, 'alex');
      const after = await call('GET', '/watches', 'alex');
      expect({
        created,
        again,
        listed,
        removed,
        gone: [gone.status, gone.body.code],
        after,
      }).toStrictEqual({
        created: {
          status: 201,
          body: {
            created: true,
            watch: {
              id: expect.stringMatching(/^[0-9a-f-]{36}$/),
              query: 'from:anna@example.org',
              connectionId: connections.alex,
              account: 'alex@example.com',
              createdAt: expect.any(String),
              paused: null,
            },
          },
        },
        again: { status: 200, body: { created: false, watch } },
        listed: { status: 200, body: { watches: [watch], limit: LIMIT } },
        removed: { status: 200, body: { removed: watch } },
        gone: [404, 'not_found'],
        after: { status: 200, body: { watches: [], limit: LIMIT } },
      });
    });

    it('puts a rule on the account named by connection', async () => {
      const byEmail = await call('POST', '/watches?connection=alex@example.com', 'alex', {
        query: 'subject:invoice',
      });
      const byId = await call('POST', `/watches?connection=${connections.alex}`, 'alex', {
        query: 'subject:invoice',
      });
      expect([byEmail.status, byId.status, byId.body.watch]).toStrictEqual([
        201,
        200,
        byEmail.body.watch,
      ]);
      await clear('alex');
    });

    it("answers 404 for another user's rule and leaves it alone", async () => {
      const created = await call('POST', '/watches', 'alex', { query: 'from:boss@example.com' });
      const id = (created.body.watch as Rule).id;
      const answers = await Promise.all([
        refusal('DELETE', `/watches/${id}`, 'sam'),
        refusal('POST', '/tools/watch.remove', 'sam', { id }),
        refusal('DELETE', '/watches/00000000-0000-4000-8000-000000000000', 'alex'),
      ]);
      const samSees = await rulesOf('sam');
      const alexSees = await rulesOf('alex');
      expect([answers, samSees, alexSees.map((r) => r.id)]).toStrictEqual([
        [
          [404, 'not_found', null],
          [404, 'not_found', null],
          [404, 'not_found', null],
        ],
        [],
        [id],
      ]);
      await clear('alex');
    });

    it('refuses a rule past the per-user limit, naming the query, but answers one already there', async () => {
      for (let i = 0; i < LIMIT; i++) {
        await call('POST', '/watches', 'alex', { query: `from:person${i}@example.com` });
      }
      const over = await refusal('POST', '/watches', 'alex', {
        query: 'from:one-more@example.com',
      });
      const existing = await call('POST', '/watches', 'alex', {
        query: 'from:person0@example.com',
      });
      const listed = await rulesOf('alex');
      expect([over, existing.status, listed.length]).toStrictEqual([
        [400, 'invalid_request', 'query'],
        200,
        LIMIT,
      ]);
      await clear('alex');
    });

    it('answers malformed, missing, oversized and hostile input with a stable code', async () => {
      const answers = await Promise.all([
        refusal('POST', '/watches', 'alex', '[1,2]'),
        refusal('POST', '/watches', 'alex', '"from:anna"'),
        refusal('POST', '/watches', 'alex', '{"query":'),
        refusal('POST', '/watches', 'alex', 'query=from:anna', 'text/plain'),
        refusal('POST', '/watches', 'alex', {}),
        refusal('POST', '/watches', 'alex'),
        refusal('POST', '/watches', 'alex', { query: '' }),
        refusal('POST', '/watches', 'alex', { query: ' \t ' }),
        refusal('POST', '/watches', 'alex', { query: 42 }),
        refusal('POST', '/watches', 'alex', { query: 'x'.repeat(301) }),
        refusal('POST', '/watches', 'alex', { query: 'from:anna\nbcc:all@example.com' }),
        refusal('POST', '/watches', 'alex', { query: 'from:anna\u0000' }),
        refusal('POST', '/watches', 'alex', { query: 'from:anna', admin: true }),
        refusal('POST', '/watches', 'alex', '{"query":"a","__proto__":{"admin":true}}'),
        refusal('POST', '/watches?user=someone', 'alex', { query: 'from:anna' }),
        refusal('POST', '/watches?connection=', 'alex', { query: 'from:anna' }),
        refusal('POST', '/watches?connection=sam@example.com', 'alex', { query: 'from:anna' }),
        refusal('POST', '/watches', 'alex', { query: 'x'.repeat(2 * 1024 * 1024) }),
        refusal('POST', '/watches', null, { query: 'from:anna' }),
        refusal('POST', '/watches', 'nobody', { query: 'from:anna' }),
        refusal('GET', '/watches?all=1', 'alex'),
        refusal('GET', '/watches?%ZZ=1', 'alex'),
        refusal('DELETE', '/watches/not%20an%20id', 'alex'),
        refusal('DELETE', `/watches/${'a'.repeat(65)}`, 'alex'),
        refusal('DELETE', "/watches/1'%20or%20'1'='1", 'alex'),
        refusal('DELETE', '/watches/abc?force=true', 'alex'),
      ]);
      expect(answers).toStrictEqual([
        [400, 'invalid_request', 'body'],
        [400, 'invalid_request', 'body'],
        [400, 'invalid_request', null],
        [400, 'invalid_request', 'body'],
        [400, 'invalid_request', 'query'],
        [400, 'invalid_request', 'query'],
        [400, 'invalid_request', 'query'],
        [400, 'invalid_request', 'query'],
        [400, 'invalid_request', 'query'],
        [400, 'invalid_request', 'query'],
        [400, 'invalid_request', 'query'],
        [400, 'invalid_request', 'query'],
        [400, 'invalid_request', 'admin'],
        [400, 'invalid_request', '__proto__'],
        [400, 'invalid_request', 'user'],
        [400, 'invalid_request', 'connection'],
        [404, 'not_found', 'connection'],
        [413, 'payload_too_large', null],
        [401, 'unauthorized', null],
        [409, 'not_connected', null],
        [400, 'invalid_request', 'all'],
        [400, 'invalid_request', '%ZZ'],
        [400, 'invalid_request', 'id'],
        [400, 'invalid_request', 'id'],
        [400, 'invalid_request', 'id'],
        [400, 'invalid_request', 'force'],
      ]);
      expect(await rulesOf('alex')).toStrictEqual([]);
    });

    it('lists nothing, without failing, for a user with no connection', async () => {
      expect(await call('GET', '/watches', 'nobody')).toStrictEqual({
        status: 200,
        body: { watches: [], limit: LIMIT },
      });
    });

    it('runs the same capabilities through POST /v1/tools/watch.*', async () => {
      const created = await call('POST', '/tools/watch.create', 'alex', { query: 'label:travel' });
      const viaRoute = await call('POST', '/watches', 'alex', { query: 'label:travel' });
      const listed = await call('POST', '/tools/watch.list', 'alex', {});
      const id = (created.body.watch as Rule).id;
      const removed = await call('POST', '/tools/watch.remove', 'alex', { id });
      expect([
        created.status,
        created.body.created,
        viaRoute.body,
        listed.body,
        removed.body,
      ]).toStrictEqual([
        200,
        true,
        { watch: created.body.watch, created: false },
        { watches: [created.body.watch], limit: LIMIT },
        { removed: created.body.watch },
      ]);
    });

    it('lists and removes the rules of a connection that needs reconnecting', async () => {
      const created = await call('POST', '/watches', 'robin', { query: 'from:bank@example.com' });
      await stack.control('/users/robin@example.com/revoke', { body: {} });
      const unread = await call('GET', '/gmail/unread', 'robin');
      const status = ((await call('GET', '/connections', 'robin')).body.connections as Json[])[0]
        ?.status;
      const before = await call('GET', '/watches', 'robin');
      // What a poll of the connection does when Google refuses the grant.
      const watches = stack.app.parts.watches;
      const start = await watches.start(connections.robin);
      if (start) await watches.pause(start, 'reauth_required');
      const after = await call('GET', '/watches', 'robin');
      const rule = created.body.watch as Rule;
      const removed = await call('DELETE', `/watches/${rule.id}`, 'robin');
      const left = await call('GET', '/watches', 'robin');
      expect([
        created.status,
        [unread.status, unread.body.code],
        status,
        before,
        after.body.watches,
        removed,
        left.body.watches,
      ]).toStrictEqual([
        201,
        [409, 'reauth_required'],
        'needs_reauth',
        { status: 200, body: { watches: [rule], limit: LIMIT } },
        [{ ...rule, paused: 'reauth_required' }],
        { status: 200, body: { removed: { ...rule, paused: 'reauth_required' } } },
        [],
      ]);
    });
  });
}
