/**
 * `tidings mcp`: MCP over stdio as a desktop agent starts it — a child process on the
 * pinned Node, driven by the SDK's own client, with its tools running on the whole product
 * over `/v1`. Every tool listed and called, results equal to `/v1`, errors as tool errors
 * with their code (bad input, another user's connection, a revoked key, no settings, no
 * server), and standard output that carries JSON-RPC messages only.
 */
import { spawn } from 'node:child_process';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toolCatalogue } from '../../src/front-door/index.ts';
import { PROBLEM_META_KEY } from '../../src/mcp/index.ts';
import { ROOT } from '../support/cli.harness.ts';
import { DATABASES } from '../support/databases.harness.ts';
import { type AgentFixture, startAgentFixture } from './agents.harness.ts';
import { toolCalls, watchRoundTrip } from './tool-calls.harness.ts';

/**
 * The pinned Node, not `process.execPath`: vitest may run on an older Node that cannot run
 * TypeScript, and the CLI needs one that can.
 */
const NODE = path.join(ROOT, 'node_modules/.bin/node');
const CLI = path.join(ROOT, 'src/cli.ts');

/** A safety net for tests that start processes on a slow, shared machine; never a speed bound. */
const SLOW = { timeout: 90_000 };

interface StdioSession {
  client: Client;
  /** Resolves once standard error holds `text`. */
  stderrContains(text: string): Promise<string>;
  close(): Promise<void>;
}

/** Starts `tidings mcp` with `env` (plus the SDK's few safe defaults) and connects to it. */
async function startStdio(env: Record<string, string>): Promise<StdioSession> {
  const transport = new StdioClientTransport({
    command: NODE,
    args: [CLI, 'mcp'],
    env,
    cwd: ROOT,
    stderr: 'pipe',
  });
  let stderr = '';
  const waiting = new Set<() => void>();
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
    for (const check of waiting) check();
  });
  const client = new Client({ name: 'tidings-tests', version: '1.0.0' });
  await client.connect(transport);
  return {
    client,
    stderrContains(text) {
      return new Promise((resolve) => {
        const check = () => {
          if (!stderr.includes(text)) return;
          waiting.delete(check);
          resolve(stderr);
        };
        waiting.add(check);
        check();
      });
    },
    close: () => client.close(),
  };
}

async function call(client: Client, name: string, args: Record<string, unknown> = {}) {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

function problemOf(result: CallToolResult): Record<string, unknown> | undefined {
  return result._meta?.[PROBLEM_META_KEY] as Record<string, unknown> | undefined;
}

function textOf(result: CallToolResult): string {
  const [first] = result.content;
  return first?.type === 'text' ? first.text : '';
}

/** A loopback address where nothing listens (a port just bound and released). */
async function closedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return `http://127.0.0.1:${address.port}`;
}

for (const database of DATABASES) {
  describe(`tidings mcp over stdio on ${database.name}`, () => {
    let f: AgentFixture;
    let alex: StdioSession;
    beforeAll(async () => {
      f = await startAgentFixture(database);
      alex = await startStdio({ TIDINGS_URL: f.url, TIDINGS_API_KEY: f.keys.alex });
    }, 120_000);
    afterAll(async () => {
      await alex?.close();
      await f?.close();
    });

    it('lists every tool of the catalogue with input and output schemas', async () => {
      const { tools } = await alex.client.listTools();
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

    it('answers every capability tool with the structured result /v1 gives', SLOW, async () => {
      const search = await f.v1('GET', '/gmail/messages?q=in:inbox&pageSize=1', f.keys.alex);
      const [first] = search.body.messages as Array<{ id: string }>;
      const calls = toolCalls(first?.id ?? '', new Date().toISOString().slice(0, 10));
      for (const { tool, capability, args } of calls.filter((c) => !c.changes)) {
        const result = await call(alex.client, tool, args);
        const direct = await f.v1('POST', `/tools/${capability}`, f.keys.alex, args);
        expect([tool, result.isError ?? false, result.structuredContent]).toStrictEqual([
          tool,
          false,
          direct.body,
        ]);
        expect(textOf(result).length).toBeGreaterThan(0);
      }
    });

    it('creates, lists and removes a new-mail alert with the watch tools', async () => {
      const { actual, expected } = await watchRoundTrip(
        (name, args) => call(alex.client, name, args),
        (path) => f.v1('GET', path, f.keys.alex),
      );
      expect(actual).toStrictEqual(expected);
    });

    it('lists the connections /v1 lists and makes a connect link on this Tidings', async () => {
      const listed = await call(alex.client, 'connections');
      const link = await call(alex.client, 'connect_link');
      const direct = await f.v1('GET', '/connections', f.keys.alex);
      const made = link.structuredContent as { url: string };
      expect([
        listed.isError ?? false,
        listed.structuredContent,
        link.isError ?? false,
        new URL(made.url).origin,
      ]).toStrictEqual([false, direct.body, false, new URL(f.url).origin]);
    });

    it('answers bad input with an invalid_request tool error naming the field', async () => {
      const results = await Promise.all([
        call(alex.client, 'gmail_search', { pageSize: 'many' }),
        call(alex.client, 'gmail_search', { nonsense: true }),
        call(alex.client, 'calendar_agenda', { day: '2026-02-30' }),
        call(alex.client, 'gmail_read', { connection: 42 }),
        call(alex.client, 'connections', { connection: 'alex@example.com' }),
        call(alex.client, 'no_such_tool'),
      ]);
      expect(
        results.map((r) => [r.isError, problemOf(r)?.code, problemOf(r)?.field ?? null]),
      ).toStrictEqual([
        [true, 'invalid_request', 'pageSize'],
        [true, 'invalid_request', 'nonsense'],
        [true, 'invalid_request', 'day'],
        [true, 'invalid_request', 'connection'],
        [true, 'invalid_request', null],
        [true, 'invalid_request', null],
      ]);
      expect(textOf(results[0]!).startsWith('Error invalid_request:')).toBe(true);
    });

    it("answers another user's connection with not_found, as /v1 does", async () => {
      const samId = f.connections['sam@example.com']!;
      const [byId, byEmail] = await Promise.all([
        call(alex.client, 'gmail_unread', { connection: samId }),
        call(alex.client, 'gmail_unread', { connection: 'sam@example.com' }),
      ]);
      const direct = await f.v1('POST', `/tools/gmail.unread?connection=${samId}`, f.keys.alex, {});
      const notFound = { code: 'not_found', detail: direct.body.detail, field: 'connection' };
      expect([
        direct.status,
        direct.body.field,
        byId.isError,
        problemOf(byId),
        byEmail.isError,
        problemOf(byEmail),
      ]).toStrictEqual([404, 'connection', true, notFound, true, notFound]);
    });

    it(
      'answers a revoked key with an unauthorized tool error and keeps serving',
      SLOW,
      async () => {
        const { key, id } = await f.newKey('alex');
        const session = await startStdio({ TIDINGS_URL: f.url, TIDINGS_API_KEY: key });
        try {
          const before = await call(session.client, 'gmail_unread');
          await f.revokeKey(id);
          const after = await call(session.client, 'gmail_unread');
          const again = await call(session.client, 'connections');
          const direct = await f.v1('GET', '/connections', key);
          const refused = { code: 'unauthorized', detail: direct.body.detail };
          expect([
            before.isError ?? false,
            direct.status,
            after.isError,
            problemOf(after),
            again.isError,
            problemOf(again),
          ]).toStrictEqual([false, 401, true, refused, true, refused]);
        } finally {
          await session.close();
        }
      },
    );

    it(
      'writes only JSON-RPC messages on stdout and exits 0 when its input ends',
      SLOW,
      async () => {
        const child = spawn(NODE, [CLI, 'mcp'], {
          cwd: ROOT,
          env: {
            PATH: process.env.PATH ?? '/usr/bin:/bin',
            TIDINGS_URL: f.url,
            TIDINGS_API_KEY: f.keys.alex,
          },
          stdio: ['pipe', 'pipe', 'pipe'],
        });
        const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
        const lines: string[] = [];
        let partial = '';
        let stderr = '';
        child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
          stderr += chunk;
        });
        child.stdout.setEncoding('utf8');
        /** Resolves once stdout holds a line that answers request `id`. */
        const answered = (id: number) =>
          new Promise<void>((resolve, reject) => {
            const check = () => {
              if (!lines.some((line) => line.includes(`"id":${id}`))) return;
              child.stdout.off('data', check);
              resolve();
            };
            child.stdout.on('data', check);
            check();
            exited.then((code) => reject(new Error(`tidings mcp exited (${code}):\n${stderr}`)));
          });
        child.stdout.on('data', (chunk: string) => {
          const parts = (partial + chunk).split('\n');
          partial = parts.pop() ?? '';
          lines.push(...parts);
        });
        const send = (message: Record<string, unknown>) =>
          child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);

        const initialized = answered(1);
        send({
          id: 1,
          method: 'initialize',
          params: {
            protocolVersion: '2025-06-18',
            capabilities: {},
            clientInfo: { name: 'by-hand', version: '1.0.0' },
          },
        });
        await initialized;
        const listedAndCalled = Promise.all([answered(2), answered(3)]);
        send({ method: 'notifications/initialized' });
        send({ id: 2, method: 'tools/list' });
        send({ id: 3, method: 'tools/call', params: { name: 'gmail_unread', arguments: {} } });
        await listedAndCalled;
        child.stdin.end();
        const code = await exited;

        const parsed = [...lines, ...(partial ? [partial] : [])].map((line) => {
          try {
            return JSON.parse(line) as { jsonrpc?: string; id?: number; error?: unknown };
          } catch {
            return { notJson: line };
          }
        });
        expect({
          code,
          stderr,
          messages: parsed.map((m) =>
            'notJson' in m ? m : { jsonrpc: m.jsonrpc, id: m.id, error: m.error ?? null },
          ),
        }).toStrictEqual({
          code: 0,
          stderr: '',
          messages: [1, 2, 3].map((id) => ({ jsonrpc: '2.0', id, error: null })),
        });
      },
    );
  });
}

describe('tidings mcp over stdio without a usable Tidings', () => {
  it('answers not_configured without settings and says on stderr what to set', SLOW, async () => {
    const session = await startStdio({});
    try {
      const [unread, connections] = await Promise.all([
        call(session.client, 'gmail_unread'),
        call(session.client, 'connections'),
      ]);
      const stderr = await session.stderrContains('\n');
      const problem = {
        code: 'not_configured',
        detail:
          'Tidings is not configured: set TIDINGS_URL and TIDINGS_API_KEY (an http(s) address of Tidings and an API key from "tidings api-keys create").',
        settings: ['TIDINGS_URL', 'TIDINGS_API_KEY'],
      };
      expect([
        unread.isError,
        problemOf(unread),
        connections.isError,
        problemOf(connections),
        stderr,
      ]).toStrictEqual([
        true,
        problem,
        true,
        problem,
        'tidings mcp: set TIDINGS_URL (where Tidings answers) and TIDINGS_API_KEY (from "tidings api-keys create"); every tool will answer not_configured until then\n',
      ]);
    } finally {
      await session.close();
    }
  });

  it('answers tidings_unreachable when nothing listens at TIDINGS_URL', SLOW, async () => {
    const url = await closedUrl();
    const session = await startStdio({ TIDINGS_URL: url, TIDINGS_API_KEY: 'tid_abc_def' });
    try {
      const [unread, link] = await Promise.all([
        call(session.client, 'gmail_unread'),
        call(session.client, 'connect_link'),
      ]);
      const problem = {
        code: 'tidings_unreachable',
        detail: `Tidings at ${url} did not answer: the connection failed.`,
      };
      expect([unread.isError, problemOf(unread), link.isError, problemOf(link)]).toStrictEqual([
        true,
        problem,
        true,
        problem,
      ]);
    } finally {
      await session.close();
    }
  });
});

describe('tidings mcp when its input ends', () => {
  it('still answers a call that was running', SLOW, async () => {
    let received: () => void = () => {};
    const arrived = new Promise<void>((resolve) => {
      received = resolve;
    });
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow = createHttpServer((_request, response) => {
      received();
      void released.then(() =>
        response
          .writeHead(200, { 'content-type': 'application/json' })
          .end('{"inbox":{"unreadMessages":1,"unreadThreads":1},"labels":[]}'),
      );
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    const address = slow.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const child = spawn(NODE, [CLI, 'mcp'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        TIDINGS_URL: `http://127.0.0.1:${port}`,
        TIDINGS_API_KEY: 'tid_abc_def',
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
    const send = (message: Record<string, unknown>) =>
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);
    try {
      send({
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: '2025-06-18',
          capabilities: {},
          clientInfo: { name: 'pipe', version: '1.0.0' },
        },
      });
      send({ method: 'notifications/initialized' });
      send({ id: 2, method: 'tools/call', params: { name: 'gmail_unread', arguments: {} } });
      child.stdin.end();
      await arrived;
      release();
      const code = await exited;
      const answers = stdout
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as { id: number; result?: { isError?: boolean } });
      expect([code, answers.map((a) => [a.id, a.result?.isError ?? false])]).toStrictEqual([
        0,
        [
          [1, false],
          [2, false],
        ],
      ]);
    } finally {
      child.kill();
      await new Promise((resolve) => slow.close(resolve));
    }
  });
});
