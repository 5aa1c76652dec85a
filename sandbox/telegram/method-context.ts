/**
 * What a Bot API method handler receives and returns. Handlers are plain functions of
 * this context; they answer with a result (or `described(result, text)` when Telegram
 * adds a `description` to a success) and throw `BotApiError` for failures.
 */
import type { Params } from './params.ts';
import type { SandboxState } from './sandbox-state.ts';
import type { BotRecord } from './types.ts';
import type { WebhookDelivery } from './webhook-delivery.ts';

export interface MethodContext {
  state: SandboxState;
  delivery: WebhookDelivery;
  bot: BotRecord;
  params: Params;
  /** Aborts when the caller goes away or the sandbox closes (ends long polls). */
  signal: AbortSignal;
}

export type MethodHandler = (context: MethodContext) => unknown;

const DESCRIBED = Symbol('described');

export interface Described {
  [DESCRIBED]: true;
  result: unknown;
  description: string;
}

/** A success that carries a description, like setWebhook's "Webhook was set". */
export function described(result: unknown, description: string): Described {
  return { [DESCRIBED]: true, result, description };
}

export function isDescribed(value: unknown): value is Described {
  return typeof value === 'object' && value !== null && DESCRIBED in value;
}
