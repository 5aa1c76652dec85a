/**
 * The tools of one answer, with every defence in front of them. Each call the model makes
 * is checked before anything runs, in this order, and refused with a short sentence the
 * model reads (recorded as `refused`) when:
 * - the answer has already made `maxCalls` calls (`call_limit`);
 * - the tool is not one of those offered (`unknown_tool`): nothing outside the read-only
 *   capabilities and the connections tool, never `connect_link`;
 * - the arguments are not an object, or fail the capability's own zod input schema
 *   (`invalid_request`);
 * - `connection` is not one of the asking user's own connections, by id or address
 *   (`not_found`): another user's account is never even looked up;
 * - provenance forbids it (`provenance`, see `provenance.ts`).
 * A call that passes runs through the shared agent-tools runner on the user's resolved
 * connection, so the model reads the same fenced text MCP clients read; its result feeds
 * provenance and the list of links the reply may keep.
 */
import {
  CONNECTION_ARGUMENT,
  createToolRunner,
  type ToolDefinition,
  type ToolRunner,
} from '../agent-tools/index.ts';
import { capabilityNamed } from '../capabilities/index.ts';
import type { ConnectionView } from '../connections/index.ts';
import { TidingsError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { ToolCallRecord } from './contract.ts';
import { type AllowedLinks, collectLinks, emptyAllowedLinks } from './links.ts';
import { createProvenance, type GatedCall } from './provenance.ts';
import { toolProblemOfError } from '../front-door/index.ts';
import { type AssistantFrontDoor, assistantBackend, unexpectedProblem } from './tool-backend.ts';

export type RefusalCode =
  | 'call_limit'
  | 'unknown_tool'
  | 'invalid_request'
  | 'not_found'
  | 'provenance';

export interface ToolTurnDeps {
  userId: string;
  frontDoor: AssistantFrontDoor;
  /** The tools offered to the model. */
  tools: readonly ToolDefinition[];
  logger: Logger;
  /** Tool calls one answer may make, refused ones included. */
  maxCalls: number;
}

/** A tool call as the model library reports it after the answer. */
export interface ReportedCall {
  toolCallId: string;
  toolName: string;
  input: unknown;
  /** The library could not parse it (an unknown tool, arguments that are not JSON). */
  invalid?: boolean;
  unknownTool?: boolean;
}

export interface ToolTurn {
  /** A model call begins (provenance judges its calls on what came before). */
  beginStep(): void;
  /** Checks and runs one call; answers the text the model reads. Never throws. */
  run(name: string, args: unknown, callId: string): Promise<string>;
  /** What happened to each call, in the order the model made them. */
  records(calls: readonly ReportedCall[]): ToolCallRecord[];
  /** Links the reply may keep: found in the data returned in this answer. */
  readonly links: AllowedLinks;
}

type Verdict =
  | { ok: true; call: GatedCall; args: Record<string, unknown> }
  | { ok: false; code: RefusalCode | string; text: string; refused: boolean };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function refuse(code: RefusalCode, reason: string): Verdict {
  return { ok: false, code, text: `Refused (${code}): ${reason}`, refused: true };
}

/** A `<untrusted-data` block opens at the start of a line only in our own framing. */
function carriesUntrustedData(text: string): boolean {
  return /^<untrusted-data /m.test(text);
}

/** The first problem of a zod parse, as `field: message`. */
function issueText(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): string {
  const issue = issues[0];
  if (!issue) return 'the arguments are not valid';
  const field = issue.path.map(String).join('.');
  return `${field === '' ? 'arguments' : field}: ${issue.message}`;
}

/** The input as the capability's zod schema parses it (defaults applied), or a refusal. */
function parsedInput(
  tool: ToolDefinition,
  input: Record<string, unknown>,
  namedConnection: boolean,
): { input: Record<string, unknown> } | Verdict {
  if (tool.target.kind !== 'capability') {
    return Object.keys(input).length > 0 || namedConnection
      ? refuse('invalid_request', `${tool.name} takes no arguments.`)
      : { input: {} };
  }
  const result = capabilityNamed(tool.target.capability)?.input.safeParse(input);
  if (!result?.success) {
    return refuse(
      'invalid_request',
      `${issueText(result?.error.issues ?? [])}; correct it and call again.`,
    );
  }
  return { input: isRecord(result.data) ? result.data : {} };
}

function ownConnection(
  own: readonly ConnectionView[],
  selector: string,
): ConnectionView | undefined {
  const wanted = selector.trim().toLowerCase();
  return own.find((c) => c.id === selector.trim() || c.email.toLowerCase() === wanted);
}

export function createToolTurn(deps: ToolTurnDeps): ToolTurn {
  const runner: ToolRunner = createToolRunner({
    tools: deps.tools,
    backend: assistantBackend(deps.frontDoor, deps.userId, deps.logger),
  });
  const byName = new Map(deps.tools.map((t) => [t.name, t]));
  const provenance = createProvenance();
  const links = emptyAllowedLinks();
  const done = new Map<string, ToolCallRecord[]>();
  let calls = 0;
  let own: Promise<ConnectionView[]> | null = null;

  const connections = () => {
    own ??= deps.frontDoor.connections.list(deps.userId);
    return own;
  };

  async function connectionOf(
    selector: unknown,
  ): Promise<{ id: string | null; named: boolean } | Verdict> {
    const list = await connections();
    if (selector === undefined || selector === null) {
      return { id: (list.find((c) => c.isDefault) ?? list[0])?.id ?? null, named: false };
    }
    if (typeof selector !== 'string' || selector.trim() === '' || selector.length > 320) {
      return refuse('invalid_request', 'connection: a connection id or email address');
    }
    const match = ownConnection(list, selector);
    if (!match) {
      return refuse(
        'not_found',
        "that connection is not one of the user's accounts; leave connection out for the default account.",
      );
    }
    return { id: match.id, named: true };
  }

  async function check(name: string, args: unknown): Promise<Verdict> {
    calls += 1;
    if (calls > deps.maxCalls) {
      return refuse(
        'call_limit',
        `this answer has used its ${deps.maxCalls} tool calls; answer with what you have.`,
      );
    }
    const tool = byName.get(name);
    if (!tool)
      return refuse('unknown_tool', `there is no tool named ${JSON.stringify(name.slice(0, 64))}.`);
    const given = args === undefined || args === null ? {} : args;
    if (!isRecord(given)) return refuse('invalid_request', 'the arguments must be a JSON object.');
    const { [CONNECTION_ARGUMENT]: selector, ...input } = given;
    const connection = await connectionOf(selector);
    if ('ok' in connection) return connection;
    const parsed = parsedInput(tool, input, connection.named);
    if ('ok' in parsed) return parsed;
    const call: GatedCall = {
      capability: tool.target.kind === 'capability' ? tool.target.capability : null,
      input: parsed.input,
      connectionId: connection.id,
    };
    const reason = provenance.refusal(call);
    if (reason) return refuse('provenance', reason);
    // The connection checked is the connection used: by id, never the model's words.
    const runArgs = connection.named ? { ...input, [CONNECTION_ARGUMENT]: connection.id } : input;
    return { ok: true, call, args: runArgs };
  }

  async function verdictOf(name: string, args: unknown): Promise<Verdict> {
    try {
      return await check(name, args);
    } catch (error) {
      const problem =
        error instanceof TidingsError
          ? toolProblemOfError(error)
          : unexpectedProblem(deps.logger, error, 'assistant tool check failed');
      return {
        ok: false,
        code: problem.code,
        text: `Error ${problem.code}: ${problem.detail}`,
        refused: false,
      };
    }
  }

  function remember(callId: string, record: ToolCallRecord): void {
    done.set(callId, [...(done.get(callId) ?? []), record]);
  }

  return {
    links,
    beginStep: () => provenance.beginStep(),
    async run(name, args, callId) {
      const verdict = await verdictOf(name, args);
      if (!verdict.ok) {
        remember(callId, {
          name,
          args,
          outcome: verdict.refused ? 'refused' : 'failed',
          code: verdict.code,
        });
        return verdict.text;
      }
      const result = await runner.run(name, verdict.args);
      if (!result.ok) {
        remember(callId, { name, args, outcome: 'failed', code: result.problem?.code ?? 'error' });
        return result.text;
      }
      remember(callId, { name, args, outcome: 'ran' });
      provenance.learn(verdict.call, result.value, carriesUntrustedData(result.text));
      collectLinks(result.value, links);
      return result.text;
    },
    records(reported) {
      return reported.map((call): ToolCallRecord => {
        if (call.invalid) {
          return {
            name: call.toolName,
            args: call.input,
            outcome: 'refused',
            code: call.unknownTool ? 'unknown_tool' : 'invalid_request',
          };
        }
        const queue = done.get(call.toolCallId) ?? [];
        const record = queue.shift();
        return (
          record ?? { name: call.toolName, args: call.input, outcome: 'failed', code: 'not_run' }
        );
      });
    },
  };
}
