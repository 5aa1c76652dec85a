/**
 * One tool call, whatever the runtime: the arguments are split into the capability input
 * and the optional `connection`, the backend runs it (in the server process, or over
 * `/v1`), and the outcome becomes text a model reads plus the structured value. Errors are
 * values with the stable code, never exceptions: a runtime shows them to the model.
 */
import { ACCOUNT_TOOL_NAMES, CONNECTION_ARGUMENT, type ToolDefinition } from './catalogue.ts';
import {
  connectionsText,
  connectLinkText,
  errorText,
  type ToolProblem,
  toolText,
} from './tool-text.ts';

export type { ToolProblem } from './tool-text.ts';

export type Outcome =
  | { ok: true; value: Record<string, unknown> }
  | { ok: false; problem: ToolProblem };

/** Runs what a tool targets, for the one user the runtime's credential belongs to. */
export interface ToolBackend {
  capability(
    name: string,
    input: Record<string, unknown>,
    connection: string | null,
  ): Promise<Outcome>;
  connections(): Promise<Outcome>;
  connectLink(connection: string | null): Promise<Outcome>;
}

export interface ToolResult {
  ok: boolean;
  /** For the model: compact, with mail and event text fenced as untrusted data. */
  text: string;
  /** The structured result (on success), or `{ error: problem }`. */
  value: Record<string, unknown>;
  problem: ToolProblem | null;
}

export interface ToolRunnerOptions {
  tools: readonly ToolDefinition[];
  backend: ToolBackend;
  /** Prepended to every tool name a runtime sees (`tidings_` in OpenClaw, none in MCP). */
  prefix?: string;
}

export interface ToolRunner {
  /** The tools with their runtime names. */
  readonly tools: readonly ToolDefinition[];
  /** Runs a tool by its runtime name; an unknown name is an `invalid_request`. */
  run(name: string, args: unknown): Promise<ToolResult>;
}

function invalid(detail: string, field?: string): ToolProblem {
  return field === undefined
    ? { code: 'invalid_request', detail }
    : { code: 'invalid_request', detail, field };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Splits tool arguments into the capability input and the connection selector. */
function splitArguments(
  args: unknown,
): { input: Record<string, unknown>; connection: string | null } | ToolProblem {
  if (args === undefined || args === null) return { input: {}, connection: null };
  if (!isRecord(args)) return invalid('the arguments must be a JSON object');
  const { [CONNECTION_ARGUMENT]: connection, ...input } = args;
  if (connection === undefined || connection === null) return { input, connection: null };
  if (typeof connection !== 'string' || connection.trim() === '' || connection.length > 320) {
    return invalid(`${CONNECTION_ARGUMENT}: a connection id or email address`, CONNECTION_ARGUMENT);
  }
  return { input, connection };
}

export function createToolRunner(options: ToolRunnerOptions): ToolRunner {
  const prefix = options.prefix ?? '';
  const tools = options.tools.map((tool) => ({ ...tool, name: `${prefix}${tool.name}` }));
  const byName = new Map(tools.map((tool) => [tool.name, tool]));
  const hints = {
    connectLinkTool: `${prefix}${ACCOUNT_TOOL_NAMES.connectLink}`,
    connectionsTool: `${prefix}${ACCOUNT_TOOL_NAMES.connections}`,
  };

  async function outcomeOf(tool: ToolDefinition, args: unknown): Promise<Outcome> {
    const split = splitArguments(args);
    if ('code' in split) return { ok: false, problem: split };
    const { target } = tool;
    switch (target.kind) {
      case 'capability':
        return options.backend.capability(target.capability, split.input, split.connection);
      case 'connections':
        if (Object.keys(split.input).length > 0 || split.connection !== null) {
          return { ok: false, problem: invalid(`${tool.name} takes no arguments`) };
        }
        return options.backend.connections();
      case 'connect-link': {
        const unknown = Object.keys(split.input)[0];
        if (unknown !== undefined) {
          return { ok: false, problem: invalid(`${unknown}: unknown field`, unknown) };
        }
        return options.backend.connectLink(split.connection);
      }
      default: {
        const unreachable: never = target;
        return unreachable;
      }
    }
  }

  function textOf(tool: ToolDefinition, value: Record<string, unknown>): string {
    switch (tool.target.kind) {
      case 'capability':
        return toolText(tool.target.capability, value);
      case 'connections':
        return connectionsText(value);
      case 'connect-link':
        return connectLinkText(value);
      default: {
        const unreachable: never = tool.target;
        return unreachable;
      }
    }
  }

  return {
    tools,
    async run(name, args) {
      const tool = byName.get(name);
      const outcome: Outcome = tool
        ? await outcomeOf(tool, args)
        : {
            ok: false,
            problem: invalid(`there is no tool named ${JSON.stringify(name.slice(0, 64))}`),
          };
      if (outcome.ok && tool) {
        return { ok: true, text: textOf(tool, outcome.value), value: outcome.value, problem: null };
      }
      const problem = outcome.ok ? invalid('unknown tool') : outcome.problem;
      return { ok: false, text: errorText(problem, hints), value: { error: problem }, problem };
    },
  };
}
