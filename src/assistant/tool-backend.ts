/**
 * The agent-tools backend the model's tools run on, inside this process: capabilities go
 * through the front door for the asking user only, the connections tool lists that user's
 * accounts, and connect links are never made (the model must not hand out links). Our
 * errors become tool problems with the same stable code and fields a `/v1` problem
 * carries, so the model reads the same advice as MCP clients do.
 */
import type { Outcome, ToolBackend, ToolProblem } from '../agent-tools/index.ts';
import { capabilityNamed } from '../capabilities/index.ts';
import { TidingsError } from '../errors.ts';
import { connectionJson, type FrontDoor } from '../front-door/index.ts';
import type { Logger } from '../log.ts';

export type AssistantFrontDoor = Pick<FrontDoor, 'invoke' | 'connections'>;

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

/** Runs `work`; our errors become problems, anything else is logged (type only) and hidden. */
export async function outcomeOf(
  logger: Logger,
  work: () => Promise<Record<string, unknown>>,
): Promise<Outcome> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    if (error instanceof TidingsError) return { ok: false, problem: toolProblemOfError(error) };
    logger.error({ err: error }, 'assistant tool failed');
    return {
      ok: false,
      problem: { code: 'internal_error', detail: 'Tidings failed unexpectedly; try again later.' },
    };
  }
}

export function assistantBackend(
  frontDoor: AssistantFrontDoor,
  userId: string,
  logger: Logger,
): ToolBackend {
  return {
    capability: (name, input, connection) =>
      outcomeOf(logger, async () => {
        const capability = capabilityNamed(name);
        if (!capability) throw new TidingsError('not_found', `There is no capability ${name}.`);
        const output = await frontDoor.invoke(userId, capability, input, { connection });
        // Every capability answers an object (its zod output schema is one).
        return output as Record<string, unknown>;
      }),
    connections: () =>
      outcomeOf(logger, async () => ({
        connections: (await frontDoor.connections.list(userId)).map(connectionJson),
      })),
    connectLink: async () => ({
      ok: false,
      problem: {
        code: 'forbidden',
        detail: 'Links to connect an account are not given here: tell the user to send /connect.',
      },
    }),
  };
}
