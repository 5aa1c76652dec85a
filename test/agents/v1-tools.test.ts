import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../support/databases.harness.ts';
import { type AgentFixture, startAgentFixture, startAgentServer } from './agents.harness.ts';

for (const database of DATABASES) {
  describe(`POST /v1/tools on ${database.name}`, () => {
    let f: AgentFixture;
    beforeAll(async () => {
      f = await startAgentFixture(database);
    });
    afterAll(async () => {
      await f?.close();
    });

    const post = async (path: string, body: string, contentType = 'application/json') => {
      const response = await fetch(`${f.url}/v1${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${f.keys.alex}`, 'content-type': contentType },
        body,
      });
      const json = (await response.json()) as { code: string; field?: string };
      return [response.status, json.code, json.field ?? null];
    };

    it('answers the same as the GET route of that capability', async () => {
      const [viaPost, viaGet] = await Promise.all([
        f.v1('POST', '/tools/gmail.search', f.keys.alex, { query: 'in:inbox', pageSize: 3 }),
        f.v1('GET', '/gmail/messages?q=in:inbox&pageSize=3', f.keys.alex),
      ]);
      expect([viaPost.status, viaPost.body]).toStrictEqual([200, viaGet.body]);
    });

    it('answers malformed, hostile and oversized bodies with a stable code', async () => {
      const answers = await Promise.all([
        post('/tools/gmail.search', '[1,2]'),
        post('/tools/gmail.search', '"in:inbox"'),
        post('/tools/gmail.search', '{"query":'),
        post('/tools/gmail.search', '{"query":"x","pageSize":9999}'),
        post('/tools/gmail.search', '{"query":"x","admin":true}'),
        post('/tools/gmail.search?user=someone', '{}'),
        post('/tools/gmail.search?connection=', '{}'),
        post('/tools/gmail.search', 'query=x', 'text/plain'),
        post('/tools/gmail.send', '{}'),
        post('/tools/gmail.search', JSON.stringify({ query: 'x'.repeat(2 * 1024 * 1024) })),
      ]);
      expect(answers).toStrictEqual([
        [400, 'invalid_request', 'input'],
        [400, 'invalid_request', 'input'],
        [400, 'invalid_request', null],
        [400, 'invalid_request', 'pageSize'],
        [400, 'invalid_request', 'admin'],
        [400, 'invalid_request', 'user'],
        [400, 'invalid_request', 'connection'],
        [400, 'invalid_request', 'input'],
        [404, 'not_found', null],
        [413, 'payload_too_large', null],
      ]);
    });
  });
}

describe('the /mcp rate limit', () => {
  let f: AgentFixture;
  let server: Awaited<ReturnType<typeof startAgentServer>>;
  let url: string;
  beforeAll(async () => {
    f = await startAgentFixture(DATABASES[0]!);
    server = await startAgentServer(f, {
      rateLimit: { max: 2, timeWindowMs: 60_000, failedAuthMax: 1 },
    });
    url = server.url;
  });
  afterAll(async () => {
    await server?.close();
    await f?.close();
  });

  it('limits requests per key, and failed attempts per address', async () => {
    const list = (key: string | null) =>
      fetch(`${url}/mcp`, {
        method: 'POST',
        headers: {
          ...(key ? { authorization: `Bearer ${key}` } : {}),
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      });
    const statuses: number[] = [];
    for (const key of [f.keys.alex, f.keys.alex, f.keys.alex, f.keys.sam, null, null]) {
      const response = await list(key);
      statuses.push(response.status);
      await response.arrayBuffer();
    }
    expect(statuses).toStrictEqual([200, 200, 429, 200, 401, 429]);
  });
});
