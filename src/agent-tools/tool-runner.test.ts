import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ToolDefinition } from './catalogue.ts';
import { createRuntimeClient } from './runtime-client.ts';
import { createToolRunner, type Outcome, type ToolBackend } from './tool-runner.ts';

const SEARCH: ToolDefinition = {
  name: 'gmail_search',
  title: 'Search mail',
  description: 'Search mail.',
  inputSchema: { type: 'object' },
  outputSchema: { type: 'object' },
  target: { kind: 'capability', capability: 'gmail.search' },
  effect: 'reads',
};
const CONNECTIONS: ToolDefinition = {
  ...SEARCH,
  name: 'connections',
  target: { kind: 'connections' },
  effect: 'reads',
};
const LINK: ToolDefinition = { ...SEARCH, name: 'connect_link', target: { kind: 'connect-link' } };

/** Records what reached the backend. */
function recordingBackend(answer: Outcome = { ok: true, value: { messages: [] } }) {
  const calls: unknown[] = [];
  const backend: ToolBackend = {
    async capability(name, input, connection) {
      calls.push(['capability', name, input, connection]);
      return answer;
    },
    async connections() {
      calls.push(['connections']);
      return { ok: true, value: { connections: [] } };
    },
    async connectLink(connection) {
      calls.push(['connect-link', connection]);
      return {
        ok: true,
        value: { url: 'https://t.example/x', expires_at: '2026-01-01T00:00:00Z' },
      };
    },
  };
  return { backend, calls };
}

describe('the tool runner', () => {
  it('splits the connection from the capability input', async () => {
    const { backend, calls } = recordingBackend();
    const runner = createToolRunner({ tools: [SEARCH], backend, prefix: 'tidings_' });
    const result = await runner.run('tidings_gmail_search', { query: 'x', connection: 'a@b.c' });
    expect([calls, result.ok, result.value]).toStrictEqual([
      [['capability', 'gmail.search', { query: 'x' }, 'a@b.c']],
      true,
      { messages: [] },
    ]);
  });

  it('refuses what is not a tool call before the backend sees it', async () => {
    const { backend, calls } = recordingBackend();
    const runner = createToolRunner({ tools: [SEARCH, CONNECTIONS, LINK], backend });
    const results = await Promise.all([
      runner.run('gmail_search', 'query'),
      runner.run('gmail_search', [1]),
      runner.run('gmail_search', { connection: 7 }),
      runner.run('gmail_search', { connection: 'x'.repeat(400) }),
      runner.run('connections', { everything: true }),
      runner.run('connect_link', { force: true }),
      runner.run('gmail_delete', {}),
    ]);
    expect([
      calls,
      results.map((r) => [
        r.ok,
        r.problem?.code,
        r.problem?.field ?? null,
        r.value.error !== undefined,
      ]),
    ]).toStrictEqual([
      [],
      [
        [false, 'invalid_request', null, true],
        [false, 'invalid_request', null, true],
        [false, 'invalid_request', 'connection', true],
        [false, 'invalid_request', 'connection', true],
        [false, 'invalid_request', null, true],
        [false, 'invalid_request', 'force', true],
        [false, 'invalid_request', null, true],
      ],
    ]);
  });

  it('tells the model which tool makes a connect link, with its runtime name', async () => {
    const { backend } = recordingBackend({
      ok: false,
      problem: { code: 'not_connected', detail: 'No Google account is connected.' },
    });
    const runner = createToolRunner({ tools: [SEARCH, LINK], backend, prefix: 'tidings_' });
    const result = await runner.run('tidings_gmail_search', {});
    expect([
      result.ok,
      result.text.split('\n')[0],
      result.text.includes('tidings_connect_link'),
    ]).toStrictEqual([false, 'Error not_connected: No Google account is connected.', true]);
  });
});

describe('the /v1 client', () => {
  let server: Server;
  let base: string;
  const seen: Array<{ method: string; url: string; auth: string; body: string }> = [];
  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        seen.push({
          method: request.method ?? '',
          url: request.url ?? '',
          auth: request.headers.authorization ?? '',
          body,
        });
        if (request.url?.startsWith('/html/')) {
          response.writeHead(502, { 'content-type': 'text/html' }).end('<h1>Bad gateway</h1>');
        } else if (request.url?.includes('gmail.unread')) {
          response.writeHead(409, { 'content-type': 'application/problem+json' }).end(
            JSON.stringify({
              type: 'x',
              title: 't',
              status: 409,
              code: 'reauth_required',
              detail: 'Reconnect.',
              reason: 'revoked',
              retry_after: 3,
              settings: ['GOOGLE_CLIENT_ID'],
            }),
          );
        } else {
          response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":1}');
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('calls /v1 with the key and the input as a JSON body', async () => {
    const client = createRuntimeClient({ baseUrl: `${base}/`, apiKey: 'tid_abc_secret' });
    seen.length = 0;
    const outcome = await client.capability('gmail.search', { query: 'a b' }, 'me@x.y');
    await client.connections();
    await client.connectLink('me@x.y');
    expect([outcome, seen]).toStrictEqual([
      { ok: true, value: { ok: 1 } },
      [
        {
          method: 'POST',
          url: '/v1/tools/gmail.search?connection=me%40x.y',
          auth: 'Bearer tid_abc_secret',
          body: '{"query":"a b"}',
        },
        { method: 'GET', url: '/v1/connections', auth: 'Bearer tid_abc_secret', body: '' },
        {
          method: 'POST',
          url: '/v1/connect-links',
          auth: 'Bearer tid_abc_secret',
          body: '{"connection":"me@x.y"}',
        },
      ],
    ]);
  });

  it('turns a problem into a tool problem with the same code', async () => {
    const client = createRuntimeClient({ baseUrl: base, apiKey: 'k' });
    expect(await client.capability('gmail.unread', {}, null)).toStrictEqual({
      ok: false,
      problem: {
        code: 'reauth_required',
        detail: 'Reconnect.',
        reason: 'revoked',
        retryAfterSeconds: 3,
        settings: ['GOOGLE_CLIENT_ID'],
      },
    });
  });

  it('says tidings_unreachable for a closed port and for an answer that is not Tidings', async () => {
    const closed = createRuntimeClient({ baseUrl: 'http://127.0.0.1:9', apiKey: 'k' });
    const html = createRuntimeClient({ baseUrl: `${base}/html`, apiKey: 'k' });
    const outcomes = await Promise.all([closed.connections(), html.connections()]);
    expect(outcomes.map((o) => (o.ok ? 'ok' : o.problem.code))).toStrictEqual([
      'tidings_unreachable',
      'tidings_unreachable',
    ]);
    expect(JSON.stringify(outcomes)).not.toContain('"k"');
  });

  it('says not_configured, naming the settings, before calling anything', async () => {
    const outcomes = await Promise.all([
      createRuntimeClient({ baseUrl: '', apiKey: '' }).connections(),
      createRuntimeClient({ baseUrl: 'ftp://x', apiKey: 'k' }).connections(),
      createRuntimeClient({ baseUrl: base, apiKey: '  ' }).connections(),
    ]);
    expect(outcomes.map((o) => (o.ok ? null : [o.problem.code, o.problem.settings]))).toStrictEqual(
      [
        ['not_configured', ['baseUrl', 'apiKey']],
        ['not_configured', ['baseUrl']],
        ['not_configured', ['apiKey']],
      ],
    );
  });
});
