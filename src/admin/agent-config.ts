/**
 * Configuration fragments for agent runtimes, one user each: the OpenClaw plugin's entry
 * (plugin allowed and enabled, its settings, its tools allowed) and an MCP client's server
 * block (streamable HTTP, or stdio through `tidings mcp`). Pure: the CLI creates the key and
 * prints what these return.
 */
import { fileURLToPath } from 'node:url';
import {
  OPENCLAW_PLUGIN_ID,
  OPENCLAW_TOOL_PREFIX,
  type ToolDefinition,
} from '../agent-tools/index.ts';

export interface AgentConfigInput {
  /** Where Tidings answers (its PUBLIC_URL). */
  baseUrl: string;
  apiKey: string;
  /** A connection id to use by default; the user's default connection otherwise. */
  connection: string | null;
  tools: readonly ToolDefinition[];
}

/** The fragment to merge into `openclaw.json`. */
export function openclawConfig(input: AgentConfigInput) {
  return {
    plugins: {
      allow: [OPENCLAW_PLUGIN_ID],
      entries: {
        [OPENCLAW_PLUGIN_ID]: {
          enabled: true,
          config: {
            baseUrl: input.baseUrl,
            apiKey: input.apiKey,
            ...(input.connection ? { connection: input.connection } : {}),
          },
        },
      },
    },
    tools: { alsoAllow: input.tools.map((tool) => `${OPENCLAW_TOOL_PREFIX}${tool.name}`) },
  };
}

const TIDINGS_BIN = fileURLToPath(new URL('../../bin/tidings.js', import.meta.url));

/** The `mcpServers` block most MCP clients read; stdio runs `tidings mcp` on this install. */
export function mcpConfig(input: AgentConfigInput, transport: 'http' | 'stdio') {
  const base = input.baseUrl.replace(/\/+$/, '');
  const server =
    transport === 'http'
      ? { type: 'http', url: `${base}/mcp`, headers: { Authorization: `Bearer ${input.apiKey}` } }
      : {
          type: 'stdio',
          command: 'node',
          args: [TIDINGS_BIN, 'mcp'],
          env: { TIDINGS_URL: base, TIDINGS_API_KEY: input.apiKey },
        };
  return { mcpServers: { tidings: server } };
}
