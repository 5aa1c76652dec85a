/**
 * The one translation point of the model boundary: whatever the model library throws
 * becomes an `AssistantUnavailable` with its reason, and a message and log fields that
 * name the failure without the request (the library's errors carry the whole prompt, the
 * server's answer and sometimes its URL with parameters; none of it is kept).
 */
import { AISDKError, APICallError, RetryError, ToolChoiceViolationError } from 'ai';
import { AssistantUnavailable } from './contract.ts';

export interface AnswerSignals {
  /** Fires when the answer's time is up. */
  timeout: AbortSignal;
  timeoutMs: number;
  /** The caller's own signal (shutdown). */
  caller?: AbortSignal | undefined;
  /** Model calls per answer: the last one is told to use no tool. */
  maxSteps: number;
}

/** The answer ran out of model calls while the model still wanted tools. */
export function stepLimit(maxSteps: number): AssistantUnavailable {
  return new AssistantUnavailable(
    'step_limit',
    `The model was still calling tools after ${maxSteps} steps.`,
  );
}

/** What may be logged of a failure: the error's type and the HTTP status, nothing else. */
export interface FailureFields {
  error: string;
  status?: number;
}

function lastOf(error: unknown): unknown {
  return RetryError.isInstance(error) ? (error.lastError ?? error) : error;
}

export function failureFields(error: unknown): FailureFields {
  const last = lastOf(error);
  const name = last instanceof Error ? last.name : typeof last;
  return APICallError.isInstance(last) && last.statusCode !== undefined
    ? { error: name, status: last.statusCode }
    : { error: name };
}

/**
 * The failure as `AssistantUnavailable`, or null when it is not the model's (a bug in
 * Tidings, which the caller rethrows).
 */
export function unavailableOf(error: unknown, signals: AnswerSignals): AssistantUnavailable | null {
  if (signals.timeout.aborted) {
    const seconds = Math.max(1, Math.round(signals.timeoutMs / 1000));
    return new AssistantUnavailable('timeout', `The model did not answer within ${seconds} s.`);
  }
  if (signals.caller?.aborted) {
    return new AssistantUnavailable('timeout', 'The answer was cancelled.');
  }
  if (!AISDKError.isInstance(error)) return null;
  // Only the last step forbids tools; a model that calls one anyway has run out of steps.
  if (ToolChoiceViolationError.isInstance(error)) return stepLimit(signals.maxSteps);
  const last = lastOf(error);
  const message = APICallError.isInstance(last)
    ? last.statusCode === undefined
      ? 'The model server could not be reached.'
      : `The model server answered HTTP ${last.statusCode}.`
    : 'The model server gave an answer that could not be used.';
  return new AssistantUnavailable('model_error', message);
}
