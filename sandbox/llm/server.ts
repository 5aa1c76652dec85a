/**
 * Starts the scripted model: one Fastify server with OpenAI's `GET /v1/models` and
 * `POST /v1/chat/completions`, and a control API: `POST /__sandbox/mode`
 * `{mode, failure?, delayMs?}`, `GET /__sandbox/mode`, `GET /__sandbox/requests`,
 * `GET /__sandbox/attempts`, `POST /__sandbox/reset`. Every error on the OpenAI paths
 * has OpenAI's shape. Closing ends waiting requests at once, so a `slow` sandbox never
 * keeps the process alive.
 */
import Fastify from 'fastify';
import type { FastifyError, FastifyInstance } from 'fastify';
import { registerChatRoute } from './chat-route.ts';
import { registerSandboxFavicon } from '../favicon.ts';
import { notFound, openAiError } from './openai-errors.ts';
import { createSandboxState, type SandboxState } from './sandbox-state.ts';
import {
  FAILURE_KINDS,
  type FailureKind,
  type GullibleAttempt,
  MODEL_MODES,
  type ModelMode,
  type RecordedRequest,
} from './types.ts';

export interface ModelSandboxOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Defaults to 127.0.0.1. */
  host?: string;
  /** Defaults to `cooperative`. */
  mode?: ModelMode;
  /** The one model id served; default `tidings-scripted`. */
  model?: string;
  /** When set, every `/v1` request needs `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  /** How `failing` fails; default `http-500`. */
  failure?: FailureKind;
  /** How long `slow` waits before answering; default: until the client gives up. */
  delayMs?: number;
  /** The clock for `created` and for "today" when the system message names no date. */
  now?: () => Date;
}

export interface ModelSandbox {
  /** Base URL for the client, ending in `/v1`. */
  url: string;
  /** Get or set at any time. */
  mode: ModelMode;
  failure: FailureKind;
  delayMs: number | null;
  /** Every valid chat/completions request body received, in order. */
  requests: RecordedRequest[];
  /** What the gullible mode tried, in order, with the client's answers once seen. */
  attempts: GullibleAttempt[];
  /** Forgets requests and attempts. */
  reset(): void;
  close(): Promise<void>;
}

export const DEFAULT_MODEL = 'tidings-scripted';

function isMode(value: unknown): value is ModelMode {
  return MODEL_MODES.some((mode) => mode === value);
}

function isFailure(value: unknown): value is FailureKind {
  return FAILURE_KINDS.some((kind) => kind === value);
}

function isDelay(value: unknown): value is number | null {
  return value === null || (typeof value === 'number' && Number.isInteger(value) && value >= 0);
}

function registerControl(app: FastifyInstance, state: SandboxState, reset: () => void): void {
  const modeView = () => ({ mode: state.mode, failure: state.failure, delayMs: state.delayMs });
  app.get('/__sandbox/mode', async () => modeView());
  app.post('/__sandbox/mode', async (request, reply) => {
    let body: unknown = request.body;
    try {
      body = typeof body === 'string' ? JSON.parse(body) : body;
    } catch {
      body = null;
    }
    const { mode, failure, delayMs } = (body ?? {}) as Record<string, unknown>;
    if (
      !isMode(mode) ||
      (failure !== undefined && !isFailure(failure)) ||
      (delayMs !== undefined && !isDelay(delayMs))
    ) {
      const error = openAiError(
        400,
        `Send {"mode": ${MODEL_MODES.map((m) => `"${m}"`).join(' | ')}, "failure"?: ${FAILURE_KINDS.map((f) => `"${f}"`).join(' | ')}, "delayMs"?: integer ≥ 0 | null}.`,
        { code: 'invalid_mode' },
      );
      return reply.code(400).send(error.body);
    }
    state.mode = mode;
    if (failure !== undefined) state.failure = failure;
    if (delayMs !== undefined) state.delayMs = delayMs;
    return modeView();
  });
  app.get('/__sandbox/requests', async () => state.requests);
  app.get('/__sandbox/attempts', async () => state.attempts);
  app.post('/__sandbox/reset', async () => {
    reset();
    return { ok: true };
  });
}

function registerModels(app: FastifyInstance, state: SandboxState): void {
  const model = { id: state.model, object: 'model', created: 0, owned_by: 'tidings-sandbox' };
  app.get('/v1/models', async (request, reply) => {
    const denied = state.checkKey(request.headers.authorization);
    return denied ? reply.code(denied.status).send(denied.body) : { object: 'list', data: [model] };
  });
}

export async function startModelSandbox(options: ModelSandboxOptions = {}): Promise<ModelSandbox> {
  const closing = new AbortController();
  const state = createSandboxState({
    mode: options.mode ?? 'cooperative',
    failure: options.failure ?? 'http-500',
    delayMs: options.delayMs ?? null,
    model: options.model ?? DEFAULT_MODEL,
    apiKey: options.apiKey ?? null,
    now: options.now ?? (() => new Date()),
    closing: closing.signal,
  });
  const reset = () => {
    state.requests.length = 0;
    state.attempts.length = 0;
  };
  const app = Fastify({ logger: false, bodyLimit: 32 * 1024 * 1024, forceCloseConnections: true });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  app.setErrorHandler((error: FastifyError, _request, reply) => {
    const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 500;
    const message =
      status === 500 ? 'The server had an error while processing your request.' : error.message;
    return reply.code(status).send(
      openAiError(status, message, {
        type: status === 500 ? 'server_error' : 'invalid_request_error',
      }).body,
    );
  });
  app.setNotFoundHandler((request, reply) => {
    const error = notFound(request.method, request.url.split('?')[0] ?? '');
    return reply.code(404).send(error.body);
  });
  registerModels(app, state);
  registerSandboxFavicon(app);
  registerChatRoute(app, state);
  registerControl(app, state, reset);
  app.addHook('preClose', async () => closing.abort());

  const host = options.host ?? '127.0.0.1';
  await app.listen({ port: options.port ?? 0, host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const shownHost =
    host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  let closed: Promise<void> | undefined;
  return {
    url: `http://${shownHost}:${port}/v1`,
    get mode() {
      return state.mode;
    },
    set mode(mode: ModelMode) {
      if (!isMode(mode)) throw new Error(`unknown model sandbox mode: ${String(mode)}`);
      state.mode = mode;
    },
    get failure() {
      return state.failure;
    },
    set failure(failure: FailureKind) {
      if (!isFailure(failure)) throw new Error(`unknown failure kind: ${String(failure)}`);
      state.failure = failure;
    },
    get delayMs() {
      return state.delayMs;
    },
    set delayMs(delayMs: number | null) {
      if (!isDelay(delayMs)) throw new Error('delayMs must be an integer ≥ 0 or null');
      state.delayMs = delayMs;
    },
    requests: state.requests,
    attempts: state.attempts,
    reset,
    close: () => {
      closed ??= app.close();
      return closed;
    },
  };
}
