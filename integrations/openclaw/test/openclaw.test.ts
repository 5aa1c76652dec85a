/**
 * The plugin in the real OpenClaw: packed with `npm pack`, installed from the tarball into
 * a throw-away OpenClaw home, inspected as loaded with every tool, its configuration (as
 * `tidings openclaw config` writes it) validated by OpenClaw, and every tool called through
 * the gateway's `POST /tools/invoke` against the whole of Tidings and the Google sandbox.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPENCLAW_PLUGIN_ID, OPENCLAW_TOOL_PREFIX } from '../../../src/agent-tools/index.ts';
import { toolCatalogue } from '../../../src/front-door/index.ts';
import { type AgentFixture, startAgentFixture } from '../../../test/agents/agents.harness.ts';
import { toolCalls, watchRoundTrip } from '../../../test/agents/tool-calls.harness.ts';
import { runCli } from '../../../test/support/cli.harness.ts';
import { DATABASES } from '../../../test/support/databases.harness.ts';
import { packPlugin } from '../build.ts';
import {
  createOpenClawHome,
  type Gateway,
  OPENCLAW_CLI,
  OPENCLAW_INSTALLED,
  type OpenClawHome,
} from './openclaw-cli.harness.ts';

const SETUP_TIMEOUT = 600_000;

if (!OPENCLAW_INSTALLED) {
  const message = `OpenClaw is not installed at ${OPENCLAW_CLI}: run "npm run openclaw:install"`;
  if (process.env.CI) throw new Error(`${message} (CI runs this suite)`);
  console.warn(`\n[tidings] OpenClaw plugin suite SKIPPED: ${message}\n`);
}

type Details = Record<string, unknown> & { ok?: boolean; error?: { code: string; field?: string } };

function detailsOf(answer: { body: Record<string, unknown> }): Details {
  return ((answer.body.result as { details?: Details } | undefined)?.details ?? {}) as Details;
}

function textOf(answer: { body: Record<string, unknown> }): string {
  const content = (answer.body.result as { content?: Array<{ text?: string }> } | undefined)
    ?.content;
  return content?.map((c) => c.text ?? '').join('\n') ?? '';
}

const database = DATABASES[0]!;

describe.runIf(OPENCLAW_INSTALLED)('the OpenClaw plugin in the real OpenClaw', () => {
  let f: AgentFixture;
  let openclaw: OpenClawHome;
  let gateway: Gateway;
  /** The key `tidings openclaw config` created (its prefix revokes it). */
  let revocable: { key: string; prefix: string };
  const token = `gateway-${Math.random().toString(36).slice(2)}`;
  const toolNames = toolCatalogue().map((t) => `${OPENCLAW_TOOL_PREFIX}${t.name}`);

  beforeAll(async () => {
    const [fixture, home, tarball] = await Promise.all([
      startAgentFixture(database),
      createOpenClawHome(),
      mkdtemp(path.join(tmpdir(), 'tidings-plugin-')).then((dir) => packPlugin(dir)),
    ]);
    f = fixture;
    openclaw = home;
    const installed = await openclaw.run([
      'plugins',
      'install',
      `npm-pack:${tarball}`,
      '--force',
      '--accept-capabilities',
    ]);
    if (installed.code !== 0) {
      throw new Error(`plugins install failed:\n${installed.stdout}\n${installed.stderr}`);
    }
  }, SETUP_TIMEOUT);

  afterAll(async () => {
    await gateway?.stop();
    await f?.close();
    await openclaw?.remove();
  }, SETUP_TIMEOUT);

  it(
    'is loaded with every tool of the catalogue',
    async () => {
      const inspected = await openclaw.run([
        'plugins',
        'inspect',
        OPENCLAW_PLUGIN_ID,
        '--runtime',
        '--json',
      ]);
      const report = JSON.parse(inspected.stdout) as {
        plugin: {
          status: string;
          toolNames: string[];
          contracts: { tools: string[] };
          configUiHints: Record<string, { sensitive?: boolean }>;
          dependencyStatus: { missing: string[] };
        };
      };
      expect([
        inspected.code,
        report.plugin.status,
        report.plugin.toolNames,
        report.plugin.contracts.tools,
        report.plugin.configUiHints.apiKey?.sensitive,
        report.plugin.dependencyStatus.missing,
      ]).toStrictEqual([0, 'loaded', toolNames, toolNames, true, []]);
    },
    SETUP_TIMEOUT,
  );

  it(
    'accepts the configuration tidings openclaw config prints',
    async () => {
      // The CLI as an operator runs it, through the running server's admin socket.
      const printed = await runCli(['openclaw', 'config', f.users.alex, '--url', f.url], {
        DATA_DIR: f.stack.app.services.config.dataDir,
      });
      const fragment = JSON.parse(printed.stdout.join('\n')) as {
        plugins: { allow: string[]; entries: Record<string, { config: { apiKey: string } }> };
        tools: { alsoAllow: string[] };
      };
      const key = fragment.plugins.entries[OPENCLAW_PLUGIN_ID]?.config.apiKey ?? '';
      revocable = { key, prefix: /^tid_([^_]+)_/.exec(key)?.[1] ?? '' };
      const current = await openclaw.readConfig();
      const plugins = (current.plugins ?? {}) as { entries?: Record<string, unknown> };
      await openclaw.writeConfig({
        ...current,
        plugins: {
          ...plugins,
          allow: fragment.plugins.allow,
          entries: { ...plugins.entries, ...fragment.plugins.entries },
        },
        tools: fragment.tools,
      });
      const validated = await openclaw.run(['config', 'validate', '--json']);
      expect([
        printed.code,
        fragment.tools.alsoAllow,
        validated.code,
        JSON.parse(validated.stdout).valid,
      ]).toStrictEqual([0, toolNames, 0, true]);
      gateway = await openclaw.startGateway(token);
    },
    SETUP_TIMEOUT,
  );

  it('answers every capability tool with what /v1 answers', async () => {
    const search = await f.v1('GET', '/gmail/messages?q=in:inbox&pageSize=1', f.keys.alex);
    const [first] = search.body.messages as Array<{ id: string }>;
    const today = new Date().toISOString().slice(0, 10);
    for (const call of toolCalls(first?.id ?? '', today).filter((c) => !c.changes)) {
      const [answer, direct] = await Promise.all([
        gateway.invoke(`${OPENCLAW_TOOL_PREFIX}${call.tool}`, call.args),
        f.v1('POST', `/tools/${call.capability}`, f.keys.alex, call.args),
      ]);
      expect([call.tool, answer.status, detailsOf(answer)]).toStrictEqual([
        call.tool,
        200,
        direct.body,
      ]);
      expect(textOf(answer).length).toBeGreaterThan(0);
    }
  });

  it('creates, lists and removes a new-mail alert with the watch tools', async () => {
    const { actual, expected } = await watchRoundTrip(
      async (name, args) => {
        const details = detailsOf(await gateway.invoke(`${OPENCLAW_TOOL_PREFIX}${name}`, args));
        return details.ok === false ? { isError: true } : { structuredContent: details };
      },
      (path) => f.v1('GET', path, f.keys.alex),
    );
    expect(actual).toStrictEqual(expected);
  });

  it('fences mail text as untrusted data in what the model reads', async () => {
    const answer = await gateway.invoke(`${OPENCLAW_TOOL_PREFIX}gmail_search`, {
      query: 'in:inbox',
      pageSize: 2,
    });
    expect(textOf(answer)).toMatch(
      /<untrusted-data source="gmail" fence="([0-9a-f]+)">[\s\S]+<\/untrusted-data fence="\1">/,
    );
  });

  it('lists the connections and gives a connect link', async () => {
    const [connections, link] = await Promise.all([
      gateway.invoke(`${OPENCLAW_TOOL_PREFIX}connections`, {}),
      gateway.invoke(`${OPENCLAW_TOOL_PREFIX}connect_link`, {}),
    ]);
    const direct = await f.v1('GET', '/connections', f.keys.alex);
    expect([detailsOf(connections), typeof detailsOf(link).url]).toStrictEqual([
      direct.body,
      'string',
    ]);
  });

  it('answers bad input and strangers with their codes', async () => {
    const answers = await Promise.all([
      gateway.invoke(`${OPENCLAW_TOOL_PREFIX}gmail_search`, { pageSize: 'lots' }),
      gateway.invoke(`${OPENCLAW_TOOL_PREFIX}gmail_read`, {}),
      gateway.invoke(`${OPENCLAW_TOOL_PREFIX}gmail_unread`, {
        connection: f.connections['sam@example.com'],
      }),
    ]);
    expect(answers.map((a) => [a.status, detailsOf(a).ok, detailsOf(a).error?.code])).toStrictEqual(
      [
        [200, false, 'invalid_request'],
        [200, false, 'invalid_request'],
        [200, false, 'not_found'],
      ],
    );
    expect(textOf(answers[0]!)).toMatch(/^Error invalid_request: /);
  });

  it('reads a grant revoked at Google as reauth_required and offers the connect link', async () => {
    await f.stack.control('/users/alex@example.com/revoke', { body: {} });
    const answer = await gateway.invoke(`${OPENCLAW_TOOL_PREFIX}calendar_next`, {});
    expect([detailsOf(answer).error?.code, textOf(answer)]).toStrictEqual([
      'reauth_required',
      expect.stringContaining(`${OPENCLAW_TOOL_PREFIX}connect_link`),
    ]);
  });

  it('is cut off at once when its key is revoked', async () => {
    await f.revokeKey(revocable.prefix);
    const answer = await gateway.invoke(`${OPENCLAW_TOOL_PREFIX}connections`, {});
    expect(detailsOf(answer).error?.code).toBe('unauthorized');
  });
});
