/**
 * Starts the Telegram sandbox: one Fastify server with the Bot API, the control API, the
 * event stream and the web chat page. Accepts Bot API parameters as JSON (an empty body
 * too), form-urlencoded or multipart, like Telegram. Closing ends long polls, inbox waits
 * and event streams at once and stops webhook delivery.
 */
import formbody from '@fastify/formbody';
import Fastify from 'fastify';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { callBotMethod, registerBotApi } from './bot-api-routes.ts';
import type { BotApiDeps } from './bot-api-routes.ts';
import { registerChatPage } from './chat-page.ts';
import { registerSandboxFavicon } from '../favicon.ts';
import { registerControlRoutes } from './control-routes.ts';
import { type DemoMailOptions, registerDemoMail, registerNoDemoMail } from './demo-mail.ts';
import { multipartBoundary, parseMultipart } from './multipart.ts';
import { createSandboxState } from './sandbox-state.ts';
import { createWebhookDelivery } from './webhook-delivery.ts';

export interface TelegramSandbox {
  /** Base URL without trailing slash, e.g. `http://127.0.0.1:4020`; grammY's `apiRoot`. */
  url: string;
  close(): Promise<void>;
  /** Forgets chats, pending updates, callback queries, stats and settings. */
  reset(): void;
}

export interface TelegramSandboxOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Defaults to 127.0.0.1. */
  host?: string;
  /** Used for webhook delivery (defaults to the global fetch). */
  fetch?: typeof fetch;
  /** The clock for message dates and flood control, in epoch milliseconds. */
  nowMs?: () => number;
  /** The web chat's "Drop a new mail" button (the demo); absent: no button. */
  demoMail?: DemoMailOptions;
}

const BODY_LIMIT = 50 * 1024 * 1024;

export async function startTelegramSandbox(
  opts: TelegramSandboxOptions = {},
): Promise<TelegramSandbox> {
  const closing = new AbortController();
  const nowMs = opts.nowMs ?? Date.now;
  const state = createSandboxState({ nowMs, onQueued: (bot) => delivery.kick(bot) });
  const delivery = createWebhookDelivery({
    settings: () => state.settings,
    unixNow: () => state.unixNow(),
    fetch: opts.fetch ?? fetch,
    onReply: (bot, call) => {
      void callBotMethod(deps, bot.token, String(call.method), call).catch(() => {});
    },
    count: (outcome) => {
      state.deliveries[outcome] += 1;
    },
  });
  const deps: BotApiDeps = { state, delivery, closing: closing.signal };

  const app = Fastify({ logger: false, bodyLimit: BODY_LIMIT, forceCloseConnections: true });
  await app.register(formbody);
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, {});
    try {
      done(null, JSON.parse(text));
    } catch {
      done(httpError(400, "can't parse JSON"), undefined);
    }
  });
  app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer' }, (request, body, done) => {
    const boundary = multipartBoundary(String(request.headers['content-type']));
    try {
      if (!boundary) throw new Error('no boundary');
      done(null, parseMultipart(body as Buffer, boundary));
    } catch {
      done(httpError(400, "can't parse multipart/form-data"), undefined);
    }
  });
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, _body, done) => done(null, {}));
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 500;
    const message = status === 500 ? 'Internal Server Error' : error.message;
    if (!isBotPath(request.url)) return reply.code(status).send({ error: message });
    const prefix = status === 500 ? '' : 'Bad Request: ';
    return reply
      .code(status)
      .send({ ok: false, error_code: status, description: `${prefix}${message}` });
  });
  app.setNotFoundHandler((request, reply) =>
    isBotPath(request.url)
      ? reply.code(404).send({ ok: false, error_code: 404, description: 'Not Found' })
      : reply.code(404).send({ error: 'Not Found' }),
  );

  registerBotApi(app, deps);
  registerSandboxFavicon(app);
  registerControlRoutes(app, state, closing.signal);
  registerChatPage(app);
  if (opts.demoMail) registerDemoMail(app, opts.demoMail);
  else registerNoDemoMail(app);
  app.get('/', (_request, reply) => reply.redirect('/chat'));
  app.addHook('preClose', async () => {
    closing.abort();
    await delivery.close();
  });

  const host = opts.host ?? '127.0.0.1';
  await app.listen({ port: opts.port ?? 0, host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  const shownHost =
    host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  let closed: Promise<void> | undefined;
  return {
    url: `http://${shownHost}:${port}`,
    close: () => {
      closed ??= app.close();
      return closed;
    },
    reset: () => state.reset(),
  };
}

function isBotPath(url: string): boolean {
  return url.startsWith('/bot');
}

function httpError(statusCode: number, message: string): Error & { statusCode: number } {
  return Object.assign(new Error(message), { statusCode });
}
