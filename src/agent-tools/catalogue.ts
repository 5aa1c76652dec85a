/**
 * What an agent runtime is offered: one tool per capability, plus two account tools (the
 * user's connections, and a connect link for when a tool answers `not_connected` or
 * `reauth_required`). A `ToolDefinition` is plain JSON (JSON Schema for input and output),
 * built from the capability registry by `front-door/tool-catalogue.ts` and shipped as data
 * inside the OpenClaw plugin, so MCP and the plugin describe every tool the same way.
 */

export type JsonSchema = Record<string, unknown>;

/** What a tool runs: a capability of the registry (by its dotted name), or an account step. */
export type ToolTarget =
  | { kind: 'capability'; capability: string }
  | { kind: 'connections' }
  | { kind: 'connect-link' };

/**
 * What a call does to the user's Tidings: only reads, adds a record (calling it again with
 * the same arguments answers the same record), or removes one.
 */
export type ToolEffect = 'reads' | 'adds' | 'removes';

export interface ToolDefinition {
  /** Without a runtime prefix: `gmail_search`, `connect_link`. */
  name: string;
  /** For people: `Search mail`. */
  title: string;
  /** For models: what it answers and when to use it. */
  description: string;
  /** An object schema; every tool takes an optional `connection`. */
  inputSchema: JsonSchema;
  /** An object schema: the structured result, exactly what `/v1` answers. */
  outputSchema: JsonSchema;
  target: ToolTarget;
  effect: ToolEffect;
}

/** The tool argument that picks one of the user's Google accounts. */
export const CONNECTION_ARGUMENT = 'connection';

/** The account tools' names (before any runtime prefix). */
export const ACCOUNT_TOOL_NAMES = {
  connections: 'connections',
  connectLink: 'connect_link',
} as const;

/** The OpenClaw plugin's id (its config key) and the prefix of its tool names. */
export const OPENCLAW_PLUGIN_ID = 'tidings';
export const OPENCLAW_TOOL_PREFIX = 'tidings_';

/** `gmail.search` → `gmail_search`: tool names allow neither dots nor spaces everywhere. */
export function toolNameOf(capabilityName: string): string {
  return capabilityName.replace(/[^A-Za-z0-9_-]/g, '_');
}
