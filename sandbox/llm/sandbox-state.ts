/**
 * What the model sandbox holds while it runs: the mode and its options, the recorded
 * requests and gullible attempts, the model id, and the bearer key check (constant time,
 * the key never echoed).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { missingKey, type OpenAiError, wrongKey } from './openai-errors.ts';
import type { FailureKind, GullibleAttempt, ModelMode, RecordedRequest } from './types.ts';

export interface SandboxState {
  mode: ModelMode;
  failure: FailureKind;
  /** `slow`: answer after this many ms; null waits until the client or the sandbox goes. */
  delayMs: number | null;
  readonly model: string;
  readonly requests: RecordedRequest[];
  readonly attempts: GullibleAttempt[];
  readonly now: () => Date;
  /** Aborted when the sandbox closes, so no handler keeps waiting. */
  readonly closing: AbortSignal;
  /** Null when the request may pass, else the 401 to answer. */
  checkKey(authorization: string | undefined): OpenAiError | null;
}

export interface StateOptions {
  mode: ModelMode;
  failure: FailureKind;
  delayMs: number | null;
  model: string;
  apiKey: string | null;
  now: () => Date;
  closing: AbortSignal;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

export function createSandboxState(options: StateOptions): SandboxState {
  const expected = options.apiKey === null ? null : digest(options.apiKey);
  return {
    mode: options.mode,
    failure: options.failure,
    delayMs: options.delayMs,
    model: options.model,
    requests: [],
    attempts: [],
    now: options.now,
    closing: options.closing,
    checkKey(authorization) {
      if (expected === null) return null;
      const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
      if (!match?.[1]) return missingKey();
      return timingSafeEqual(digest(match[1]), expected) ? null : wrongKey();
    },
  };
}
