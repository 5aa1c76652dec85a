/**
 * The tools of the chat model run on the front door's in-process backend, for the asking
 * user only; connect links are never made (the model must not hand out links), and an
 * unexpected failure is logged (type only) and hidden from the model.
 */
import type { ToolBackend, ToolProblem } from '../agent-tools/index.ts';
import { capabilityNamed } from '../capabilities/index.ts';
import { type FrontDoor, frontDoorToolBackend } from '../front-door/index.ts';
import type { Logger } from '../log.ts';

export type AssistantFrontDoor = Pick<FrontDoor, 'invoke' | 'connections'>;

/** What the model reads when Tidings fails unexpectedly; the log has the rest. */
export function unexpectedProblem(logger: Logger, error: unknown, what: string): ToolProblem {
  logger.error({ err: error }, what);
  return { code: 'internal_error', detail: 'Tidings failed unexpectedly; try again later.' };
}

export function assistantBackend(
  frontDoor: AssistantFrontDoor,
  userId: string,
  logger: Logger,
): ToolBackend {
  return frontDoorToolBackend(frontDoor, userId, {
    capability: capabilityNamed,
    unexpected: (error) => unexpectedProblem(logger, error, 'assistant tool failed'),
  });
}
