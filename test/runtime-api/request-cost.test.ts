/**
 * What one warm `/v1/gmail/messages` request costs the server: Google calls (from the
 * sandbox's counters) and database queries (counted by a Kysely plugin on the app's own
 * database handle). The first request of a connection also asks for the profile and the
 * time zone; later ones within their lifetime do not. A second request within a few
 * seconds reads only the connection in use.
 */
import type { KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKeyStore } from '../../src/api-keys/index.ts';
import { DATABASES, type TestDatabaseHandle } from '../support/databases.harness.ts';
import { connectWithAutoApprove, type Stack, startStack } from '../support/stack.harness.ts';

function queryCounter(): KyselyPlugin & { kinds: string[] } {
  const kinds: string[] = [];
  return {
    kinds,
    transformQuery(args) {
      const node = args.node as {
        kind: string;
        from?: { froms: Array<{ table?: { identifier?: { name?: string } } }> };
        table?: { table?: { identifier?: { name?: string } } };
      };
      const table =
        node.from?.froms[0]?.table?.identifier?.name ?? node.table?.table?.identifier?.name ?? '?';
      kinds.push(`${node.kind.replace('QueryNode', '').toLowerCase()} ${table}`);
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
}

for (const database of DATABASES) {
  describe(`the cost of a /v1/gmail/messages request on ${database.name}`, () => {
    let stack: Stack;
    let handle: TestDatabaseHandle;
    let key: string;
    const counter = queryCounter();
    beforeAll(async () => {
      handle = await database.open();
      stack = await startStack(database, {
        start: { database: { ...handle, db: handle.db.withPlugin(counter) } },
      });
      const user = await stack.app.parts.frontDoor.users.create({ displayName: 'Alex' });
      await connectWithAutoApprove(stack, user.id, 'alex@example.com');
      key = (await createApiKeyStore(handle.db, () => new Date()).create(user.id, 'cost')).key;
    });
    afterAll(async () => {
      await stack?.close();
      await handle?.close();
    });

    const list = async () => {
      const response = await fetch(`${stack.app.url}/v1/gmail/messages?pageSize=10`, {
        headers: { authorization: `Bearer ${key}` },
      });
      const body = (await response.json()) as { messages: unknown[] };
      return [response.status, body.messages.length];
    };
    const measured = async () => {
      const before = (await stack.stats()).requests;
      counter.kinds.length = 0;
      const answer = await list();
      const after = (await stack.stats()).requests;
      const google = Object.fromEntries(
        Object.keys(after)
          .filter((k) => (after[k] ?? 0) !== (before[k] ?? 0))
          .map((k) => [k, (after[k] ?? 0) - (before[k] ?? 0)]),
      );
      return { answer, google, queries: [...counter.kinds] };
    };

    it('asks for the profile and the time zone once, then lists and batches with two queries', async () => {
      const first = await measured();
      const second = await measured();
      expect({ first: first.google, second }).toStrictEqual({
        first: {
          'GET /calendar/v3/users/me/settings/:setting': 1,
          'GET /gmail/v1/users/:userId/profile': 1,
          'GET /gmail/v1/users/:userId/messages': 1,
          'POST /batch/gmail/v1': 1,
          'GET /gmail/v1/users/:userId/messages/:messageId': 10,
        },
        second: {
          answer: [200, 10],
          // The repeat listing: the list and the label history in one batch, the
          // messages' metadata from memory.
          google: {
            'GET /gmail/v1/users/:userId/history': 1,
            'GET /gmail/v1/users/:userId/messages': 1,
            'POST /batch/gmail/v1': 1,
          },
          // The key is read on every request (a revocation anywhere counts at once); the
          // user and their connections come from the first request's reads (remembered for
          // a few seconds); the broker reads the connection in use on every request (once
          // per request, not once per Google call): its status decides.
          queries: ['select api_keys', 'select connections'],
        },
      });
    });
  });
}
