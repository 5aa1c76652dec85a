/**
 * Agent tools: what MCP clients and the OpenClaw plugin see of Tidings. The tool
 * definitions (plain JSON), one tool runner that turns a call into text for a model and a
 * structured value, and the `/v1` client for runtimes outside the server process.
 *
 * Everything in this folder (tests and their harness aside) runs without the rest of
 * Tidings: it imports nothing outside it and no package, because the OpenClaw plugin
 * ships it as plain JavaScript.
 */
export {
  ACCOUNT_TOOL_NAMES,
  CONNECTION_ARGUMENT,
  type JsonSchema,
  OPENCLAW_PLUGIN_ID,
  OPENCLAW_TOOL_PREFIX,
  type ToolDefinition,
  type ToolEffect,
  type ToolTarget,
  toolNameOf,
} from './catalogue.ts';
export {
  createRuntimeClient,
  type RuntimeClientOptions,
  settingsProblem,
  toolProblemOf,
} from './runtime-client.ts';
export {
  createToolRunner,
  type Outcome,
  type ToolBackend,
  type ToolProblem,
  type ToolResult,
  type ToolRunner,
  type ToolRunnerOptions,
} from './tool-runner.ts';
export { neutralise } from './tool-text.ts';
