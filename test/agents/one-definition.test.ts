/**
 * One definition per capability feeds every front door: a capability added to the list is
 * a `/v1` route and OpenAPI operation, an MCP tool (listed and called), and an OpenClaw
 * tool in the plugin's manifest and tool list — without another line anywhere. The plugin
 * files in the repository are the ones the registry builds today.
 */
import { readFileSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { toolNameOf } from '../../src/agent-tools/index.ts';
import { CAPABILITIES, defineCapability } from '../../src/capabilities/index.ts';
import { toolCatalogue } from '../../src/front-door/index.ts';
import { PLUGIN_DIR, pluginManifest } from '../../integrations/openclaw/build.ts';
import { DATABASES } from '../support/databases.harness.ts';
import { type AgentFixture, startAgentFixture, startAgentServer } from './agents.harness.ts';

/** A capability no front door has heard of: it counts the user's labels. */
const labelCount = defineCapability({
  name: 'gmail.label_count',
  title: 'Label count',
  description: 'How many Gmail labels the user has, system labels included (a test capability).',
  scope: 'gmail',
  input: z.strictObject({ plus: z.number().int().min(0).max(10).default(0) }),
  output: z.object({ labels: z.number().int() }),
  async handler(ctx, input) {
    const labels = await ctx.google.gmail.listLabels();
    return { labels: labels.length + input.plus };
  },
});

const EXTENDED = [...CAPABILITIES, labelCount];

describe('one definition per capability', () => {
  let f: AgentFixture;
  let server: Awaited<ReturnType<typeof startAgentServer>>;
  let url: string;
  beforeAll(async () => {
    f = await startAgentFixture(DATABASES[0]!);
    server = await startAgentServer(f, { capabilities: EXTENDED });
    url = server.url;
  });
  afterAll(async () => {
    await server?.close();
    await f?.close();
  });

  it('serves an added capability on /v1 and in the OpenAPI document', async () => {
    const response = await fetch(`${url}/v1/tools/gmail.label_count`, {
      method: 'POST',
      headers: { authorization: `Bearer ${f.keys.alex}`, 'content-type': 'application/json' },
      body: JSON.stringify({ plus: 1 }),
    });
    const body = (await response.json()) as { labels: number };
    const doc = (await (await fetch(`${url}/v1/openapi.json`)).json()) as {
      paths: Record<string, unknown>;
    };
    expect([
      response.status,
      body.labels > 1,
      '/v1/tools/gmail.label_count' in doc.paths,
    ]).toStrictEqual([200, true, true]);
  });

  it('lists and calls an added capability as an MCP tool', async () => {
    const client = new Client({ name: 'tests', version: '1' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${url}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${f.keys.alex}` } },
      }),
    );
    try {
      const { tools } = await client.listTools();
      const listed = tools.find((t) => t.name === 'gmail_label_count');
      const result = await client.callTool({ name: 'gmail_label_count', arguments: { plus: 2 } });
      expect([
        tools.length,
        listed?.outputSchema?.properties,
        (result.structuredContent as { labels: number }).labels > 2,
      ]).toStrictEqual([EXTENDED.length + 2, { labels: expect.any(Object) }, true]);
    } finally {
      await client.close();
    }
  });

  it('puts an added capability in the OpenClaw manifest and tool list', () => {
    const tools = toolCatalogue(EXTENDED);
    expect([
      pluginManifest(tools).contracts.tools.includes('tidings_gmail_label_count'),
      tools.map((t) => t.name),
    ]).toStrictEqual([
      true,
      [...EXTENDED.map((c) => toolNameOf(c.name)), 'connections', 'connect_link'],
    ]);
  });

  it('ships the plugin manifest the registry builds today', () => {
    const committed = JSON.parse(readFileSync(`${PLUGIN_DIR}/openclaw.plugin.json`, 'utf8'));
    expect(committed).toStrictEqual(pluginManifest(toolCatalogue()));
  });
});
