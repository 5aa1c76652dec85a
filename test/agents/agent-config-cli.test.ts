/**
 * `tidings openclaw config` and `tidings mcp config` as an operator runs them: real child
 * processes next to the whole product (PGlite through the running server's admin socket,
 * PostgreSQL directly). The JSON on stdout is the fragment to paste, its key works at once
 * and only for its user, the hint on stderr never holds the key, and a refused command
 * creates no key.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toolCatalogue } from '../../src/front-door/index.ts';
import { cleanUpCliProcesses, freshDataDir, ROOT, runCli } from '../support/cli.harness.ts';
import { DATABASES } from '../support/databases.harness.ts';
import { type AgentFixture, startAgentFixture } from './agents.harness.ts';

cleanUpCliProcesses();

/** A safety net for tests that start processes on a slow, shared machine; never a speed bound. */
const SLOW = { timeout: 90_000 };

const KEY = /^tid_([^_]+)_\S+$/;

const openclawHint = (prefix: string) =>
  `hint: to keep the key out of openclaw.json, write "apiKey": "\${TIDINGS_API_KEY}" and give the gateway TIDINGS_API_KEY=<the key above> in its environment; cut the agent off with: tidings api-keys revoke ${prefix}\n`;
const mcpHint = (prefix: string) =>
  `hint: the key is shown only here; cut the agent off with: tidings api-keys revoke ${prefix}\n`;

const OPENCLAW_USAGE =
  'tidings: usage: tidings openclaw config USER_ID [--connection ID|EMAIL] [--url URL]\n';
const MCP_USAGE = 'tidings: usage: tidings mcp config USER_ID [--stdio] [--url URL]\n';

/** The environment a CLI needs to reach the fixture's database. */
function cliEnvOf(f: AgentFixture, dataDir: string): Record<string, string> {
  const schema = f.stack.handle.schema;
  if (schema === null) {
    // PGlite is held by the running server: the CLI goes through its admin socket.
    return { DATA_DIR: f.stack.app.services.config.dataDir };
  }
  const url = new URL(process.env.DATABASE_URL ?? '');
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    DATA_DIR: dataDir,
    DATABASE_URL: url.toString(),
    TIDINGS_MASTER_KEY: f.stack.masterKey,
  };
}

/** A finished config command: its exit code, the parsed fragment, the key in it, stderr. */
async function runConfig(args: string[], env: Record<string, string>) {
  const result = await runCli(args, env);
  const text = result.stdout.join('\n');
  let fragment: Record<string, unknown> | null = null;
  try {
    fragment = JSON.parse(text) as Record<string, unknown>;
  } catch {
    fragment = null;
  }
  const key = /(tid_[^"\s]+)/.exec(text)?.[1] ?? '';
  const prefix = KEY.exec(key)?.[1] ?? '';
  return { code: result.code, stdout: text, fragment, key, prefix, stderr: result.stderr };
}

/** The emails `/v1/connections` lists for a key, or its status when refused. */
async function connectionsWith(f: AgentFixture, key: string): Promise<number | string[]> {
  const answer = await f.v1('GET', '/connections', key);
  if (answer.status !== 200) return answer.status;
  return (answer.body.connections as Array<{ email: string }>).map((c) => c.email);
}

function connectionsOf(result: CallToolResult): string[] {
  return (result.structuredContent as { connections: Array<{ email: string }> }).connections.map(
    (c) => c.email,
  );
}

for (const database of DATABASES) {
  describe(`tidings openclaw config and mcp config on ${database.name}`, () => {
    let f: AgentFixture;
    let env: Record<string, string>;
    beforeAll(async () => {
      f = await startAgentFixture(database);
      env = cliEnvOf(f, await freshDataDir());
    }, 120_000);
    afterAll(async () => {
      await f?.close();
    });

    it(
      'prints the OpenClaw fragment with a key for the connection named by email',
      SLOW,
      async () => {
        const run = await runConfig(
          [
            'openclaw',
            'config',
            f.users.alex,
            '--connection',
            'alex@example.com',
            '--url',
            'https://tidings.example.com',
          ],
          env,
        );
        expect({
          code: run.code,
          fragment: run.fragment,
          stderr: run.stderr,
          works: await connectionsWith(f, run.key),
        }).toStrictEqual({
          code: 0,
          fragment: {
            plugins: {
              allow: ['tidings'],
              entries: {
                tidings: {
                  enabled: true,
                  config: {
                    baseUrl: 'https://tidings.example.com',
                    apiKey: expect.stringMatching(KEY),
                    connection: f.connections['alex@example.com'],
                  },
                },
              },
            },
            tools: { alsoAllow: toolCatalogue().map((tool) => `tidings_${tool.name}`) },
          },
          stderr: openclawHint(run.prefix),
          works: ['alex@example.com'],
        });
        expect(run.stderr).not.toContain(run.key);
      },
    );

    it('names a connection given by id, and none unless one is named', SLOW, async () => {
      const samId = f.connections['sam@example.com']!;
      const [byId, unnamed] = await Promise.all([
        runConfig(['openclaw', 'config', f.users.sam, '--connection', samId, '--url', f.url], env),
        // Without --url the fragment points at PUBLIC_URL.
        runConfig(['openclaw', 'config', f.users.sam], {
          ...env,
          PUBLIC_URL: 'https://tidings.example.org',
        }),
      ]);
      const configOf = (run: typeof byId) =>
        (run.fragment as { plugins: { entries: { tidings: { config: unknown } } } } | null)?.plugins
          .entries.tidings.config;
      expect([
        [byId.code, configOf(byId), await connectionsWith(f, byId.key)],
        [unnamed.code, configOf(unnamed), await connectionsWith(f, unnamed.key)],
      ]).toStrictEqual([
        [0, { baseUrl: f.url, apiKey: byId.key, connection: samId }, ['sam@example.com']],
        [0, { baseUrl: 'https://tidings.example.org', apiKey: unnamed.key }, ['sam@example.com']],
      ]);
    });

    it('prints an MCP server block whose URL and header reach the tools', SLOW, async () => {
      const run = await runConfig(['mcp', 'config', f.users.alex, '--url', `${f.url}/`], env);
      const server = (run.fragment as { mcpServers: { tidings: unknown } }).mcpServers.tidings as {
        url: string;
        headers: Record<string, string>;
      };
      const client = new Client({ name: 'tidings-tests', version: '1.0.0' });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(server.url), {
          requestInit: { headers: server.headers },
        }),
      );
      try {
        const listed = (await client.callTool({
          name: 'connections',
          arguments: {},
        })) as CallToolResult;
        expect({
          code: run.code,
          fragment: run.fragment,
          stderr: run.stderr,
          works: await connectionsWith(f, run.key),
          overMcp: connectionsOf(listed),
        }).toStrictEqual({
          code: 0,
          fragment: {
            mcpServers: {
              tidings: {
                type: 'http',
                url: `${f.url}/mcp`,
                headers: { Authorization: `Bearer ${run.key}` },
              },
            },
          },
          stderr: mcpHint(run.prefix),
          works: ['alex@example.com'],
          overMcp: ['alex@example.com'],
        });
        expect(run.key).toMatch(KEY);
      } finally {
        await client.close();
      }
    });

    it('prints a stdio MCP server block that starts tidings mcp for that user', SLOW, async () => {
      const run = await runConfig(['mcp', 'config', f.users.sam, '--stdio', '--url', f.url], env);
      const server = (run.fragment as { mcpServers: { tidings: unknown } }).mcpServers.tidings as {
        command: string;
        args: string[];
        env: Record<string, string>;
      };
      expect({ code: run.code, fragment: run.fragment, stderr: run.stderr }).toStrictEqual({
        code: 0,
        fragment: {
          mcpServers: {
            tidings: {
              type: 'stdio',
              command: 'node',
              args: [path.join(ROOT, 'bin/tidings.js'), 'mcp'],
              env: { TIDINGS_URL: f.url, TIDINGS_API_KEY: expect.stringMatching(KEY) },
            },
          },
        },
        stderr: mcpHint(run.prefix),
      });
      // As an MCP client would start it (the `node` on PATH may be older than the CLI needs:
      // bin/tidings.js then runs the bundled Node).
      const client = new Client({ name: 'tidings-tests', version: '1.0.0' });
      await client.connect(
        new StdioClientTransport({
          command: server.command,
          args: server.args,
          env: server.env,
          stderr: 'pipe',
        }),
      );
      try {
        const listed = (await client.callTool({
          name: 'connections',
          arguments: {},
        })) as CallToolResult;
        expect(connectionsOf(listed)).toStrictEqual(['sam@example.com']);
      } finally {
        await client.close();
      }
    });

    it('cuts the agent off at once when the printed key is revoked', SLOW, async () => {
      const run = await runConfig(['mcp', 'config', f.users.robin, '--url', f.url], env);
      const before = await connectionsWith(f, run.key);
      const revoked = await runCli(['api-keys', 'revoke', run.prefix], env);
      expect({
        code: run.code,
        before,
        revoked: {
          ...revoked,
          stdout: revoked.stdout.map((line) => line.replace(/id \S+\)/, 'id …)')),
        },
        after: await connectionsWith(f, run.key),
      }).toStrictEqual({
        code: 0,
        before: ['robin@example.com'],
        revoked: {
          code: 0,
          stdout: [`revoked tid_${run.prefix}_… (id …) of user ${f.users.robin}`],
          stderr: '',
        },
        after: 401,
      });
    });

    it(
      'refuses an unknown user or connection with exit code 1 and creates no key',
      SLOW,
      async () => {
        const unknownUser = '00000000-0000-4000-8000-000000000000';
        const results = await Promise.all([
          runCli(['openclaw', 'config', unknownUser], env),
          runCli(['openclaw', 'config', f.users.nobody, '--connection', 'nobody@example.com'], env),
          runCli(
            [
              'openclaw',
              'config',
              f.users.nobody,
              '--connection',
              f.connections['alex@example.com']!,
            ],
            env,
          ),
        ]);
        const [unknownKeys, nobodyKeys] = await Promise.all([
          runCli(['api-keys', 'list', unknownUser], env),
          runCli(['api-keys', 'list', f.users.nobody], env),
        ]);
        const noUser = `tidings: no user with id ${unknownUser} (see: tidings users list)\n`;
        const noConnection = 'tidings: No connection of yours matches that id or email.\n';
        expect({
          results,
          unknownKeys: unknownKeys.stdout,
          nobodyKeys: nobodyKeys.stdout.map((line) => /"([^"]+)"/.exec(line)?.[1]),
        }).toStrictEqual({
          results: [
            { code: 1, stdout: [], stderr: noUser },
            { code: 1, stdout: [], stderr: noConnection },
            { code: 1, stdout: [], stderr: noConnection },
          ],
          unknownKeys: [`user ${unknownUser} has no API keys`],
          // Only the key the fixture made.
          nobodyKeys: ['agent tests'],
        });
      },
    );

    it('refuses a user id that is not a UUID with a clear message', SLOW, async () => {
      const result = await runCli(['mcp', 'config', 'alex'], env);
      expect(result).toStrictEqual({
        code: 1,
        stdout: [],
        stderr: 'tidings: no user with id alex (see: tidings users list)\n',
      });
    });
  });
}

describe('tidings openclaw config and mcp config usage', () => {
  it('answers a missing user, an unknown option or a bad --url with the usage', SLOW, async () => {
    const env = { DATA_DIR: await freshDataDir() };
    const user = '00000000-0000-4000-8000-000000000000';
    const results = await Promise.all([
      runCli(['openclaw', 'config'], env),
      runCli(['mcp', 'config'], env),
      runCli(['openclaw', 'config', user, '--stdio'], env),
      runCli(['mcp', 'config', user, '--connection', 'alex@example.com'], env),
      runCli(['mcp', 'config', user, '--url'], env),
      runCli(['openclaw', 'config', user, '--url', 'ftp://x'], env),
    ]);
    const badUrl = 'tidings: --url: the http(s) address where Tidings answers\n';
    expect(results).toStrictEqual([
      { code: 1, stdout: [], stderr: OPENCLAW_USAGE },
      { code: 1, stdout: [], stderr: MCP_USAGE },
      { code: 1, stdout: [], stderr: OPENCLAW_USAGE },
      { code: 1, stdout: [], stderr: MCP_USAGE },
      { code: 1, stdout: [], stderr: MCP_USAGE },
      { code: 1, stdout: [], stderr: badUrl },
    ]);
  });

  it('provisions in-process when no server holds the embedded database', SLOW, async () => {
    const env = { DATA_DIR: await freshDataDir() };
    const added = await runCli(['users', 'add', '--name', 'Kim'], env);
    const userId = added.stdout.at(-1) ?? '';
    // Logs (debug and all) go to stderr: stdout stays the JSON fragment alone.
    const run = await runConfig(['mcp', 'config', userId, '--url', 'http://127.0.0.1:9'], {
      ...env,
      LOG_LEVEL: 'debug',
    });
    const listed = await runCli(['api-keys', 'list', userId], env);
    expect({
      code: run.code,
      fragment: run.fragment,
      stderr: run.stderr.slice(run.stderr.indexOf('hint: ')),
      keys: listed.stdout.map((line) => [
        line.startsWith(`tid_${run.prefix}_…`),
        /"([^"]+)"/.exec(line)?.[1],
      ]),
    }).toStrictEqual({
      code: 0,
      fragment: {
        mcpServers: {
          tidings: {
            type: 'http',
            url: 'http://127.0.0.1:9/mcp',
            headers: { Authorization: `Bearer ${run.key}` },
          },
        },
      },
      stderr: mcpHint(run.prefix),
      keys: [[true, 'mcp agent']],
    });
  });
});
