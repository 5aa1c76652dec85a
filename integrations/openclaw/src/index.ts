/**
 * The Tidings plugin for OpenClaw: one agent tool per Tidings capability, plus the user's
 * connections and a connect link, each calling a running Tidings over `/v1` with the
 * per-user key from `plugins.entries.tidings.config`. The tool list and schemas come from
 * Tidings' capability registry at build time (`dist/tools.json`); the tool code is Tidings'
 * own `agent-tools`, shipped as JavaScript beside this entry.
 */
import { readFileSync } from 'node:fs';
import { definePluginEntry } from 'openclaw/plugin-sdk/plugin-entry';
import {
  CONNECTION_ARGUMENT,
  createRuntimeClient,
  createToolRunner,
  OPENCLAW_PLUGIN_ID,
  OPENCLAW_TOOL_PREFIX,
  type ToolDefinition,
  type ToolResult,
} from '../../../src/agent-tools/index.ts';

interface PluginSettings {
  baseUrl?: string;
  apiKey?: string;
  connection?: string;
}

/** What `details` holds when a tool fails: OpenClaw grades `ok: false` as a failed call. */
const ERROR_DETAILS_SCHEMA = {
  type: 'object',
  properties: {
    ok: { const: false },
    error: {
      type: 'object',
      properties: { code: { type: 'string' }, detail: { type: 'string' } },
      required: ['code', 'detail'],
    },
  },
  required: ['ok', 'error'],
};

function loadTools(): ToolDefinition[] {
  return JSON.parse(readFileSync(new URL('./tools.json', import.meta.url), 'utf8'));
}

function settingsOf(config: unknown): PluginSettings {
  return typeof config === 'object' && config !== null ? (config as PluginSettings) : {};
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export default definePluginEntry({
  id: OPENCLAW_PLUGIN_ID,
  name: 'Tidings',
  description: "Read the user's Gmail and Google Calendar through a self-hosted Tidings.",
  register(api) {
    const settings = settingsOf(api.pluginConfig);
    const tools = loadTools();
    const runner = createToolRunner({
      tools,
      prefix: OPENCLAW_TOOL_PREFIX,
      backend: createRuntimeClient({
        baseUrl: settings.baseUrl ?? '',
        apiKey: settings.apiKey ?? '',
      }),
    });
    const respond = (result: ToolResult) => ({
      content: [{ type: 'text' as const, text: result.text }],
      details: result.ok ? result.value : { ok: false, error: result.problem },
    });
    for (const tool of runner.tools) {
      // The configured account is the default of every capability tool.
      const usesDefault = tool.target.kind === 'capability' && settings.connection;
      api.registerTool({
        name: tool.name,
        label: tool.title,
        description: tool.description,
        parameters: tool.inputSchema,
        outputSchema: { anyOf: [tool.outputSchema, ERROR_DETAILS_SCHEMA] },
        async execute(_toolCallId, params) {
          const args =
            usesDefault && isRecord(params) && params[CONNECTION_ARGUMENT] === undefined
              ? { ...params, [CONNECTION_ARGUMENT]: settings.connection }
              : params;
          return respond(await runner.run(tool.name, args));
        },
      });
    }
  },
});
