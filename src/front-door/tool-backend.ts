/**
 * The agent-tools backend that runs tools inside this process, for one user, through the
 * front door: MCP over HTTP and the chat model both use it. Capabilities run on that
 * user's connections only, the connections tool lists theirs, and our errors become tool
 * problems with the same code and fields a `/v1` problem carries, so every runtime reads
 * the same advice. What an unexpected failure says, and whether connect links are made,
 * is the caller's.
 */
import type { Outcome, ToolBackend, ToolProblem } from '../agent-tools/index.ts';
import type { AnyCapability } from '../capabilities/index.ts';
import { TidingsError } from '../errors.ts';
import type { FrontDoor } from './contract.ts';
import { connectionJson } from './views.ts';

/** Our error as a tool problem: the code and only the fields a caller acts on. */
export function toolProblemOfError(error: TidingsError): ToolProblem {
  const problem: ToolProblem = { code: error.code, detail: error.message };
  const { reason, scopes, field, retryAfterSeconds, settings, connectionId } = error.details;
  if (reason) problem.reason = reason;
  if (scopes) problem.scopes = [...scopes];
  if (field) problem.field = field;
  if (retryAfterSeconds !== undefined) problem.retryAfterSeconds = retryAfterSeconds;
  if (settings) problem.settings = [...settings];
  if (connectionId) problem.connection = connectionId;
  return problem;
}

export interface FrontDoorToolBackendOptions {
  /** The capability a tool names, or undefined (the registry, or a test's own list). */
  capability(name: string): AnyCapability | undefined;
  /** The problem an unexpected failure becomes (after the caller has logged it). */
  unexpected(error: unknown): ToolProblem;
  /** Makes a connect link; without it the tool answers `forbidden`. */
  connectLink?: ToolBackend['connectLink'];
}

/** Runs `work`; our errors become problems, anything else what `unexpected` says. */
export async function toolOutcome(
  work: () => Promise<Record<string, unknown>>,
  unexpected: (error: unknown) => ToolProblem,
): Promise<Outcome> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    if (error instanceof TidingsError) return { ok: false, problem: toolProblemOfError(error) };
    return { ok: false, problem: unexpected(error) };
  }
}

export function frontDoorToolBackend(
  frontDoor: Pick<FrontDoor, 'invoke' | 'connections'>,
  userId: string,
  options: FrontDoorToolBackendOptions,
): ToolBackend {
  const attempt = (work: () => Promise<Record<string, unknown>>) =>
    toolOutcome(work, options.unexpected);
  return {
    capability: (name, input, connection) =>
      attempt(async () => {
        const capability = options.capability(name);
        if (!capability) throw new TidingsError('not_found', `There is no capability ${name}.`);
        // Every capability answers an object (its zod output schema is one).
        const output = await frontDoor.invoke(userId, capability, input, { connection });
        return output as Record<string, unknown>;
      }),
    connections: () =>
      attempt(async () => ({
        connections: (await frontDoor.connections.list(userId)).map(connectionJson),
      })),
    connectLink:
      options.connectLink ??
      (async () => ({
        ok: false,
        problem: {
          code: 'forbidden',
          detail: 'Links to connect an account are not given here: tell the user to send /connect.',
        },
      })),
  };
}
