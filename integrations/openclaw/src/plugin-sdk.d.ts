/**
 * The part of OpenClaw's plugin SDK the Tidings plugin uses, declared here so Tidings'
 * type check does not need OpenClaw installed. OpenClaw is a peer dependency: at run time
 * these come from the gateway that loads the plugin (`docs/plugins/building-plugins.md`).
 */
declare module 'openclaw/plugin-sdk/plugin-entry' {
  export interface AgentToolResult {
    content: Array<{ type: 'text'; text: string }>;
    details?: unknown;
  }

  export interface AgentTool {
    name: string;
    label?: string;
    description: string;
    parameters: Record<string, unknown>;
    outputSchema?: Record<string, unknown>;
    execute(toolCallId: string, params: unknown, signal?: AbortSignal): Promise<AgentToolResult>;
  }

  export interface OpenClawPluginApi {
    /** `plugins.entries.<id>.config`, validated against the manifest's configSchema. */
    pluginConfig?: unknown;
    registerTool(tool: AgentTool): void;
  }

  export interface PluginEntry {
    id: string;
    name: string;
    description: string;
    register(api: OpenClawPluginApi): void;
  }

  export function definePluginEntry<E extends PluginEntry>(entry: E): E;
}
