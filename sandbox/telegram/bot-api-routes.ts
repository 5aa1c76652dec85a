/**
 * The Bot API front door: `/bot<token>/<method>` by GET or POST, parameters from the query
 * string and a JSON, form-urlencoded or multipart body. Checks the token's shape (401),
 * finds the method case-insensitively (404), counts the call, refuses it when it meets an
 * injected fault (`flood-control.ts`), and answers Telegram's `{ok, result}` /
 * `{ok: false, error_code, description, parameters?}` envelope.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BotApiError } from './bot-api-error.ts';
import { isDescribed } from './method-context.ts';
import type { MethodHandler } from './method-context.ts';
import { MESSAGE_METHODS } from './methods-messages.ts';
import { MISC_METHODS } from './methods-misc.ts';
import { UPDATE_METHODS } from './methods-updates.ts';
import { mergeParams } from './params.ts';
import type { Params } from './params.ts';
import type { SandboxState } from './sandbox-state.ts';
import type { WebhookDelivery } from './webhook-delivery.ts';

export const TOKEN_PATTERN = /^\d+:[A-Za-z0-9_-]{30,}$/;

const METHODS = new Map<string, [string, MethodHandler]>(
  Object.entries({ ...UPDATE_METHODS, ...MESSAGE_METHODS, ...MISC_METHODS }).map(
    ([name, handler]) => [name.toLowerCase(), [name, handler]],
  ),
);

export interface BotApiDeps {
  state: SandboxState;
  delivery: WebhookDelivery;
  /** Aborts when the sandbox closes, ending long polls. */
  closing: AbortSignal;
}

export interface BotApiAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** Runs one Bot API call for a token; never throws for Telegram-level failures. */
export async function callBotMethod(
  deps: BotApiDeps,
  token: string,
  method: string,
  params: Params,
  signal: AbortSignal = deps.closing,
): Promise<BotApiAnswer> {
  if (!TOKEN_PATTERN.test(token)) {
    return { status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } };
  }
  const entry = METHODS.get(method.toLowerCase());
  if (!entry)
    return { status: 404, body: { ok: false, error_code: 404, description: 'Not Found' } };
  const [name, handler] = entry;
  const { state } = deps;
  state.stats.set(name, (state.stats.get(name) ?? 0) + 1);
  const injected = state.flood.fault(name, chatOf(params));
  if (injected) {
    const refusal = new BotApiError(
      injected.errorCode,
      injected.description,
      injected.retryAfter === undefined ? undefined : { retry_after: injected.retryAfter },
    );
    return { status: refusal.errorCode, body: refusal.toBody() };
  }
  try {
    const bot = state.bot(token);
    const result = await handler({ state, delivery: deps.delivery, bot, params, signal });
    if (isDescribed(result)) {
      return {
        status: 200,
        body: { ok: true, result: result.result, description: result.description },
      };
    }
    return { status: 200, body: { ok: true, result } };
  } catch (error) {
    if (error instanceof BotApiError) return { status: error.errorCode, body: error.toBody() };
    throw error;
  }
}

/** The chat a call is about, for per-chat faults (0 when it names none). */
function chatOf(params: Params): number {
  const value = params.chat_id;
  const id = typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;
  return typeof id === 'number' && Number.isSafeInteger(id) ? id : 0;
}

export function registerBotApi(app: FastifyInstance, deps: BotApiDeps): void {
  const handle = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const { token, method } = request.params as { token: string; method: string };
    const gone = new AbortController();
    reply.raw.on('close', () => {
      if (!reply.raw.writableFinished) gone.abort();
    });
    const params = mergeParams(request.query, request.body);
    const signal = AbortSignal.any([gone.signal, deps.closing]);
    const answer = await callBotMethod(deps, token, method, params, signal);
    await reply.code(answer.status).send(answer.body);
  };
  app.route({ method: ['GET', 'POST'], url: '/bot:token/:method', handler: handle });
  app.route({
    method: ['GET', 'POST'],
    url: '/bot:token',
    handler: async (_request, reply) =>
      reply.code(404).send({ ok: false, error_code: 404, description: 'Not Found' }),
  });
}
