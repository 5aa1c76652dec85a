/**
 * The control API under `/__sandbox/` (JSON), which tests and scripts use to act as
 * Telegram users and to see what the bot did, and to inject faults into the Bot API
 * (`/__sandbox/faults`). Paths are a contract (DESIGN.md); errors answer `{error}` with 400
 * or 404.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { inboxOf } from './chat-views.ts';
import { openLoginButton } from './login-url.ts';
import type { InboxItem } from './chat-views.ts';
import { openEventStream } from './event-stream.ts';
import { defaultCommands } from './methods-misc.ts';
import type { SandboxState } from './sandbox-state.ts';
import type { SandboxSettings } from './types.ts';
import { parseUserId, pressButton, setBlocked, writeMessage } from './user-actions.ts';
import type { Outcome } from './user-actions.ts';

const MessageBody = z.object({
  text: z.string(),
  first_name: z.string().min(1).max(64).optional(),
  last_name: z.string().min(1).max(64).optional(),
  username: z
    .string()
    .regex(/^[A-Za-z0-9_]{5,32}$/)
    .optional(),
  language_code: z
    .string()
    .regex(/^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8}){0,3}$/)
    .optional(),
});
const CallbackBody = z.object({ message_id: z.number().int().positive(), data: z.string() });
const LoginPressBody = z.object({
  message_id: z.number().int().positive(),
  chat_id: z.number().int().positive().optional(),
  text: z.string().optional(),
});
const LoginPressQuery = z.object({
  message_id: z.coerce.number().int().positive(),
  chat_id: z.coerce.number().int().positive().optional(),
  text: z.string().optional(),
});
const Settings = z.object({
  floodLimitPerChat: z.number().min(0).optional(),
  burst: z.number().int().min(1).optional(),
  floodLimitGlobal: z.number().min(0).optional(),
  webhookRetryBaseMs: z.number().int().min(1).optional(),
  webhookRetryMaxMs: z.number().int().min(1).optional(),
  webhookTimeoutMs: z.number().int().min(1).optional(),
  webhookConcurrency: z.number().int().min(1).max(100).optional(),
  loginDomain: z
    .string()
    .regex(/^[A-Za-z0-9.-]{1,253}$/)
    .nullable()
    .optional(),
});
const FaultBody = z.strictObject({
  methods: z.array(z.string().regex(/^[A-Za-z]{1,64}$/)).min(1),
  status: z
    .number()
    .int()
    .refine((status) => status === 429 || (status >= 500 && status <= 599), {
      message: 'status must be 429 or a 5xx',
    }),
  rate: z.number().gt(0).max(1).optional(),
  retryAfter: z.number().int().min(1).max(3600).optional(),
  count: z.number().int().min(1).optional(),
});
const WaitQuery = z.object({
  wait: z.coerce.number().int().min(0).optional(),
  timeout: z.coerce.number().int().min(0).max(300_000).optional(),
});
const DEFAULT_WAIT_TIMEOUT_MS = 10_000;

export function registerControlRoutes(
  app: FastifyInstance,
  state: SandboxState,
  closing: AbortSignal,
): void {
  const userOf = (request: FastifyRequest, reply: FastifyReply): number | undefined => {
    const id = parseUserId((request.params as { id: string }).id);
    if (id === undefined) void reply.code(400).send({ error: 'invalid Telegram user id' });
    return id;
  };
  const parse = <T>(schema: z.ZodType<T>, value: unknown, reply: FastifyReply): T | undefined => {
    const result = schema.safeParse(value ?? {});
    if (result.success) return result.data;
    void reply.code(400).send({ error: z.prettifyError(result.error) });
    return undefined;
  };
  const answer = <T>(outcome: Outcome<T>, reply: FastifyReply): FastifyReply =>
    outcome.ok
      ? reply.send(outcome.value)
      : reply.code(outcome.refusal.status).send({ error: outcome.refusal.error });

  app.post('/__sandbox/users/:id/messages', async (request, reply) => {
    const id = userOf(request, reply);
    const body = id === undefined ? undefined : parse(MessageBody, request.body, reply);
    if (id === undefined || !body) return reply;
    const { text, ...profile } = body;
    return answer(writeMessage(state, id, text, profile), reply);
  });

  app.post('/__sandbox/users/:id/callbacks', async (request, reply) => {
    const id = userOf(request, reply);
    const body = id === undefined ? undefined : parse(CallbackBody, request.body, reply);
    if (id === undefined || !body) return reply;
    return answer(pressButton(state, id, body.message_id, body.data), reply);
  });

  // Pressing a login button: the URL the presser's browser opens, signed for the presser.
  app.post('/__sandbox/users/:id/login-url', async (request, reply) => {
    const id = userOf(request, reply);
    const body = id === undefined ? undefined : parse(LoginPressBody, request.body, reply);
    if (id === undefined || !body) return reply;
    const press = { messageId: body.message_id, chatId: body.chat_id, text: body.text };
    return answer(openLoginButton(state, id, press), reply);
  });

  // The same from the web chat: the browser is sent on to the signed URL.
  app.get('/__sandbox/users/:id/login-url', async (request, reply) => {
    const id = userOf(request, reply);
    const query = id === undefined ? undefined : parse(LoginPressQuery, request.query, reply);
    if (id === undefined || !query) return reply;
    const press = { messageId: query.message_id, chatId: query.chat_id, text: query.text };
    const opened = openLoginButton(state, id, press);
    return opened.ok ? reply.redirect(opened.value.url, 302) : answer(opened, reply);
  });

  app.get('/__sandbox/users/:id/inbox', async (request, reply) => {
    const id = userOf(request, reply);
    const query = id === undefined ? undefined : parse(WaitQuery, request.query, reply);
    if (id === undefined || !query) return reply;
    if (!query.wait) return reply.send(inboxOf(state.chats.get(id)));
    const items = await waitForInbox(
      state,
      id,
      query.wait,
      query.timeout ?? DEFAULT_WAIT_TIMEOUT_MS,
      closing,
    );
    return reply.send(items);
  });

  app.get('/__sandbox/users/:id/actions', async (request, reply) => {
    const id = userOf(request, reply);
    if (id !== undefined) await reply.send(state.chats.get(id)?.actions ?? []);
    return reply;
  });

  app.get('/__sandbox/users/:id/callback-answers', async (request, reply) => {
    const id = userOf(request, reply);
    if (id !== undefined) await reply.send(state.chats.get(id)?.callbackAnswers ?? []);
    return reply;
  });

  for (const [path, blocked] of [
    ['block', true],
    ['unblock', false],
  ] as const) {
    app.post(`/__sandbox/users/:id/${path}`, async (request, reply) => {
      const id = userOf(request, reply);
      if (id !== undefined) await reply.send(setBlocked(state, id, blocked));
      return reply;
    });
  }

  app.get('/__sandbox/users/:id/events', (request, reply) => {
    const id = userOf(request, reply);
    if (id !== undefined) openEventStream(state, id, reply, closing);
  });

  app.post('/__sandbox/reset', async () => {
    state.reset();
    state.flood.clearFaults();
    return { ok: true };
  });

  app.get('/__sandbox/stats', async () => ({
    requests: Object.fromEntries(state.stats),
    webhooks: { ...state.deliveries },
    faults: state.flood.faulted(),
  }));

  app.get('/__sandbox/faults', async () => state.flood.faults());
  app.post('/__sandbox/faults', async (request, reply) => {
    const body = parse(FaultBody, request.body, reply);
    if (!body) return reply;
    if (body.retryAfter !== undefined && body.status !== 429) {
      return reply.code(400).send({ error: 'retryAfter goes with status 429' });
    }
    const fault = {
      methods: body.methods,
      status: body.status,
      rate: body.rate ?? 1,
      retryAfter: body.status === 429 ? (body.retryAfter ?? 1) : null,
      remaining: body.count ?? null,
    };
    state.flood.addFault(fault);
    return reply.code(201).send(fault);
  });
  app.delete('/__sandbox/faults', async () => {
    state.flood.clearFaults();
    return { ok: true };
  });

  app.get('/__sandbox/settings', async () => state.settings);
  app.put('/__sandbox/settings', async (request, reply) => {
    const changes = parse(Settings, request.body, reply);
    if (!changes) return reply;
    const defined = Object.entries(changes).filter(([, value]) => value !== undefined);
    state.settings = {
      ...state.settings,
      ...(Object.fromEntries(defined) as Partial<SandboxSettings>),
    };
    state.flood.reset();
    return reply.send(state.settings);
  });

  app.get('/__sandbox/commands', async () => defaultCommands(state.bots.values()));
}

/** The inbox once it holds at least `count` messages, or as it is at the timeout. */
function waitForInbox(
  state: SandboxState,
  userId: number,
  count: number,
  timeoutMs: number,
  closing: AbortSignal,
): Promise<InboxItem[]> {
  const current = (): InboxItem[] => inboxOf(state.chats.get(userId));
  const now = current();
  if (now.length >= count) return Promise.resolve(now);
  return new Promise((resolve) => {
    const finish = (): void => {
      clearTimeout(timer);
      unsubscribe();
      closing.removeEventListener('abort', finish);
      resolve(current());
    };
    const timer = setTimeout(finish, timeoutMs);
    const unsubscribe = state.subscribe(userId, () => {
      if (current().length >= count) finish();
    });
    closing.addEventListener('abort', finish, { once: true });
  });
}
