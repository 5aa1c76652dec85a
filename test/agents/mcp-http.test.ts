/**
 * MCP over streamable HTTP at `/mcp`, driven by the SDK's own client against the whole
 * product: every tool listed with its schemas and called, results equal to `/v1` (the tools
 * that change something in a round trip that leaves nothing behind), errors as
 * tool errors with their code, keys that reach only their own user.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toolCatalogue } from '../../src/front-door/index.ts';
import { PROBLEM_META_KEY } from '../../src/mcp/index.ts';
import { DATABASES } from '../support/databases.harness.ts';
import { type AgentFixture, startAgentFixture } from './agents.harness.ts';
import { toolCalls, watchRoundTrip } from './tool-calls.harness.ts';

async function connectClient(url: string, key: string): Promise<Client> {
  const client = new Client({ name: 'tidings-tests', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${url}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${key}` } },
    }),
  );
  return client;
}

function problemOf(result: CallToolResult): Record<string, unknown> | undefined {
  return result._meta?.[PROBLEM_META_KEY] as Record<string, unknown> | undefined;
}

for (const database of DATABASES) {
  describe(`MCP over streamable HTTP on ${database.name}`, () => {
    let f: AgentFixture;
    let alex: Client;
    beforeAll(async () => {
      f = await startAgentFixture(database);
      alex = await connectClient(f.url, f.keys.alex);
    });
    afterAll(async () => {
      await alex?.close();
      await f?.close();
    });

    it('lists every tool of the catalogue with input and output schemas', async () => {
      const { tools } = await alex.listTools();
      expect(
        tools.map((t) => [
          t.name,
          t.inputSchema.type,
          t.outputSchema?.type,
          t.annotations?.readOnlyHint,
        ]),
      ).toStrictEqual(
        toolCatalogue().map((t) => [t.name, 'object', 'object', t.effect === 'reads']),
      );
      expect(tools.every((t) => (t.description ?? '').length > 40)).toBe(true);
    });

    it('answers every capability tool with the structured result /v1 gives', async () => {
      const search = await f.v1('GET', '/gmail/messages?q=in:inbox&pageSize=1', f.keys.alex);
      const [first] = search.body.messages as Array<{ id: string }>;
      const calls = toolCalls(first?.id ?? '', new Date().toISOString().slice(0, 10));
      for (const call of calls.filter((c) => !c.changes)) {
        const result = (await alex.callTool({
          name: call.tool,
          arguments: call.args,
        })) as CallToolResult;
        const direct = await f.v1('POST', `/tools/${call.capability}`, f.keys.alex, call.args);
        expect([call.tool, result.isError ?? false, result.structuredContent]).toStrictEqual([
          call.tool,
          false,
          direct.body,
        ]);
        const [text] = result.content;
        expect(text?.type).toBe('text');
      }
    });

    it('creates, lists and removes a new-mail alert with the watch tools', async () => {
      const { actual, expected } = await watchRoundTrip(
        async (name, args) => (await alex.callTool({ name, arguments: args })) as CallToolResult,
        (path) => f.v1('GET', path, f.keys.alex),
      );
      expect(actual).toStrictEqual(expected);
    });

    it('marks the tools that change something as not read-only', async () => {
      const { tools } = await alex.listTools();
      const hints = Object.fromEntries(
        tools
          .filter((t) => t.name.startsWith('watch_'))
          .map((t) => [t.name, [t.annotations?.readOnlyHint, t.annotations?.destructiveHint]]),
      );
      expect(hints).toStrictEqual({
        watch_create: [false, false],
        watch_list: [true, false],
        watch_remove: [false, true],
      });
    });

    it('fences mail text as untrusted data in the text a model reads', async () => {
      const result = (await alex.callTool({
        name: 'gmail_search',
        arguments: { query: 'in:inbox', pageSize: 3 },
      })) as CallToolResult;
      const text = result.content[0]?.type === 'text' ? result.content[0].text : '';
      const fence = /<untrusted-data source="gmail" fence="([0-9a-f]+)">/.exec(text)?.[1];
      expect(fence).toBeDefined();
      expect(text).toContain(`</untrusted-data fence="${fence}">`);
      const firstSubject = (result.structuredContent as { messages: Array<{ subject: string }> })
        .messages[0]?.subject;
      const inside = text.slice(
        text.indexOf('<untrusted-data'),
        text.lastIndexOf('</untrusted-data'),
      );
      expect(inside).toContain(firstSubject);
    });

    it('gives a large mailbox page in one call', async () => {
      const result = (await alex.callTool({
        name: 'gmail_search',
        arguments: { query: '', pageSize: 50 },
      })) as CallToolResult;
      const messages = (result.structuredContent as { messages: unknown[] }).messages;
      expect([result.isError ?? false, messages.length]).toStrictEqual([false, 50]);
    });

    it('lists the connections and makes a connect link', async () => {
      const listed = (await alex.callTool({
        name: 'connections',
        arguments: {},
      })) as CallToolResult;
      const link = (await alex.callTool({ name: 'connect_link', arguments: {} })) as CallToolResult;
      const connections = (listed.structuredContent as { connections: Array<{ email: string }> })
        .connections;
      expect([
        connections.map((c) => c.email),
        typeof (link.structuredContent as { url: string }).url,
        link.isError ?? false,
      ]).toStrictEqual([['alex@example.com'], 'string', false]);
    });

    it('answers bad input with an invalid_request tool error naming the field', async () => {
      const results = (await Promise.all([
        alex.callTool({ name: 'gmail_search', arguments: { pageSize: 'many' } }),
        alex.callTool({ name: 'gmail_search', arguments: { nonsense: true } }),
        alex.callTool({ name: 'calendar_agenda', arguments: { day: '2026-02-30' } }),
        alex.callTool({ name: 'gmail_read', arguments: { connection: 42 } }),
        alex.callTool({ name: 'no_such_tool', arguments: {} }),
      ])) as CallToolResult[];
      expect(
        results.map((r) => [r.isError, problemOf(r)?.code, problemOf(r)?.field ?? null]),
      ).toStrictEqual([
        [true, 'invalid_request', 'pageSize'],
        [true, 'invalid_request', 'nonsense'],
        [true, 'invalid_request', 'day'],
        [true, 'invalid_request', 'connection'],
        [true, 'invalid_request', null],
      ]);
      const text = results[0]?.content[0];
      expect(text?.type === 'text' && text.text.startsWith('Error invalid_request:')).toBe(true);
    });

    it("keeps another user's connection out of reach of a key", async () => {
      const sam = await connectClient(f.url, f.keys.sam);
      try {
        const results = (await Promise.all([
          sam.callTool({
            name: 'gmail_unread',
            arguments: { connection: f.connections['alex@example.com'] },
          }),
          sam.callTool({ name: 'gmail_unread', arguments: { connection: 'alex@example.com' } }),
          sam.callTool({ name: 'connections', arguments: {} }),
        ])) as CallToolResult[];
        expect([
          problemOf(results[0]!)?.code,
          problemOf(results[1]!)?.code,
          (
            results[2]!.structuredContent as { connections: Array<{ email: string }> }
          ).connections.map((c) => c.email),
        ]).toStrictEqual(['not_found', 'not_found', ['sam@example.com']]);
      } finally {
        await sam.close();
      }
    });

    it('says not_connected to a user without an account and points at connect_link', async () => {
      const nobody = await connectClient(f.url, f.keys.nobody);
      try {
        const result = (await nobody.callTool({
          name: 'calendar_next',
          arguments: {},
        })) as CallToolResult;
        const text = result.content[0]?.type === 'text' ? result.content[0].text : '';
        expect([
          result.isError,
          problemOf(result)?.code,
          text.includes('connect_link'),
        ]).toStrictEqual([true, 'not_connected', true]);
      } finally {
        await nobody.close();
      }
    });

    it('reads a grant revoked at Google as reauth_required', async () => {
      await f.stack.control('/users/robin@example.com/revoke', { body: {} });
      const robin = await connectClient(f.url, f.keys.robin);
      try {
        const result = (await robin.callTool({
          name: 'gmail_unread',
          arguments: {},
        })) as CallToolResult;
        expect([problemOf(result)?.code, problemOf(result)?.reason]).toStrictEqual([
          'reauth_required',
          'revoked',
        ]);
      } finally {
        await robin.close();
      }
    });

    it('refuses a revoked key at once', async () => {
      const { key, id } = await f.newKey('alex');
      const client = await connectClient(f.url, key);
      const before = (await client.callTool({
        name: 'gmail_unread',
        arguments: {},
      })) as CallToolResult;
      await f.revokeKey(id);
      const after = await client.callTool({ name: 'gmail_unread', arguments: {} }).then(
        () => 'answered',
        (error: Error) => error.message,
      );
      await client.close().catch(() => {});
      expect([before.isError ?? false, after]).toStrictEqual([
        false,
        expect.stringContaining('401'),
      ]);
    });

    it('refuses a request without a key and other methods than POST', async () => {
      const [noKey, get] = await Promise.all([
        fetch(`${f.url}/mcp`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/json, text/event-stream',
          },
          body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
        }),
        fetch(`${f.url}/mcp`, { headers: { authorization: `Bearer ${f.keys.alex}` } }),
      ]);
      expect([
        noKey.status,
        ((await noKey.json()) as { code: string }).code,
        noKey.headers.get('www-authenticate'),
        get.status,
        get.headers.get('allow'),
      ]).toStrictEqual([401, 'unauthorized', 'Bearer realm="tidings"', 405, 'POST']);
    });

    it('answers malformed messages with a problem or a JSON-RPC error, never a crash', async () => {
      const post = (body: string) =>
        fetch(`${f.url}/mcp`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${f.keys.alex}`,
            'content-type': 'application/json',
            accept: 'application/json, text/event-stream',
          },
          body,
        });
      const answers = await Promise.all([
        post('{"jsonrpc":"2.0"'),
        post('{"hello":"world"}'),
        post(JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 5 } })),
        post('x'.repeat(2 * 1024 * 1024)),
      ]);
      const bodies = (await Promise.all(answers.map((a) => a.json()))) as Array<
        Record<string, unknown> & { error?: { code: number } }
      >;
      expect(
        answers.map((a, i) => [a.status, bodies[i]?.code ?? bodies[i]?.error?.code]),
      ).toStrictEqual([
        [400, 'invalid_request'],
        [400, -32700],
        [200, -32603],
        [413, 'payload_too_large'],
      ]);
      const health = await fetch(`${f.url}/healthz`);
      expect(health.status).toBe(200);
    });
  });
}
