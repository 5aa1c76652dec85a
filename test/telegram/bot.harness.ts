/**
 * The rig for the bot's conversation tests: the real Google sandbox (seeded, clock fixed
 * inside its reference week), the real Telegram sandbox, the in-memory test FrontDoor and
 * the bot polling the sandbox. Bot API calls go through an observing fetch, so tests can
 * await a call (an edit, a button answer) instead of sleeping, and can stand in for the
 * group chats the Telegram sandbox does not model.
 */
import { Writable } from 'node:stream';
import { startSession } from '../capabilities/sandbox-session.harness.ts';
import type { Session } from '../capabilities/sandbox-session.harness.ts';
import { createLogger } from '../../src/log.ts';
import { createTelegramBot } from '../../src/telegram/index.ts';
import type { TelegramBot, TelegramBotDeps } from '../../src/telegram/index.ts';
import { createTelegramControl, startTelegramSandbox } from '../../sandbox/telegram/index.ts';
import type { InboxItem, TelegramControl, TelegramSandbox } from '../../sandbox/telegram/index.ts';
import { createBotFrontDoor } from './bot-front-door.harness.ts';
import type { BotTestFrontDoor } from './bot-front-door.harness.ts';

/** Tuesday 3 March 2026, 09:00 in New York: the seed's reference week, shifted by zero days. */
export const NOW = new Date('2026-03-03T14:00:00Z');
export const TOKEN = '7001:AATidingsBotConversationTests_abcdef';

export interface Button {
  text: string;
  callback_data?: string;
  url?: string;
}

/** The inline keyboard of a message the bot sent (empty without one). */
export function keyboard(item: InboxItem | undefined): Button[][] {
  return (item?.reply_markup?.inline_keyboard as Button[][] | undefined) ?? [];
}

export interface ApiCall {
  method: string;
  params: Record<string, unknown>;
}

/** Answers a Bot API call itself instead of the sandbox (return undefined to pass on). */
export type Intercept = (call: ApiCall) => unknown;

export interface BotFixture {
  google: Session;
  telegram: TelegramSandbox;
  control: TelegramControl;
  door: BotTestFrontDoor;
  bot: TelegramBot;
  calls: ApiCall[];
  logs: string[];
  intercept: { current: Intercept | null };
  /** Resolves with the next completed Bot API call of that method. */
  nextCall(method: string): Promise<ApiCall>;
  /** Resolves once `count` calls of that method have completed in all. */
  callCount(method: string, count: number): Promise<ApiCall[]>;
  /** Resolves with the first log line (already written or still to come) containing `text`. */
  logged(text: string): Promise<string>;
  /** The user writes; resolves with the `count` new messages the bot sent. */
  ask(userId: number, text: string, count?: number, name?: string): Promise<InboxItem[]>;
  close(): Promise<void>;
}

export async function startBotFixture(
  options: Partial<
    Pick<TelegramBotDeps, 'allowedUsers' | 'rateLimitPerMinute' | 'mode' | 'drainTimeoutMs' | 'now'>
  > = {},
): Promise<BotFixture> {
  // The bot's clock (what it keeps expires by it); Google's stays at NOW.
  const now = options.now ?? (() => NOW);
  const google = await startSession({ email: 'alex@example.com', now: () => NOW });
  const telegram = await startTelegramSandbox({ port: 0 });
  const control = createTelegramControl(telegram.url);
  await control.settings({ floodLimitPerChat: 0, floodLimitGlobal: 0 });
  const door = createBotFrontDoor({ apiRoot: google.url, now, grant: google.grant });
  const logs: string[] = [];
  const logWaiters: Array<{ text: string; resolve: (line: string) => void }> = [];
  const logger = createLogger(
    'warn',
    new Writable({
      write(chunk, _encoding, done) {
        const line = String(chunk);
        logs.push(line);
        for (const waiter of logWaiters.filter((w) => line.includes(w.text))) {
          logWaiters.splice(logWaiters.indexOf(waiter), 1);
          waiter.resolve(line);
        }
        done();
      },
    }),
  );
  const calls: ApiCall[] = [];
  const waiters: Array<{ method: string; resolve: (call: ApiCall) => void }> = [];
  const counters: Array<{ method: string; count: number; resolve: (calls: ApiCall[]) => void }> =
    [];
  const ofMethod = (method: string) => calls.filter((c) => c.method === method);
  const intercept: { current: Intercept | null } = { current: null };

  const observed: typeof fetch = async (input, init) => {
    const url = String(input);
    const method = url.slice(url.lastIndexOf('/') + 1);
    const params =
      typeof init?.body === 'string' ? (JSON.parse(init.body) as Record<string, unknown>) : {};
    const call = { method, params };
    const own = intercept.current?.(call);
    let response: Response;
    if (own !== undefined) {
      response = Response.json({ ok: true, result: own });
    } else {
      const native = new AbortController();
      const given = init?.signal as
        | { aborted?: boolean; addEventListener?: (type: string, listener: () => void) => void }
        | undefined;
      if (given?.aborted) native.abort();
      given?.addEventListener?.('abort', () => native.abort());
      response = await fetch(input, { ...init, signal: native.signal });
    }
    calls.push(call);
    for (const waiter of waiters.filter((w) => w.method === method)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(call);
    }
    for (const counter of counters.filter((c) => c.method === method)) {
      if (ofMethod(method).length < counter.count) continue;
      counters.splice(counters.indexOf(counter), 1);
      counter.resolve(ofMethod(method));
    }
    return response;
  };

  const bot = createTelegramBot({
    token: TOKEN,
    apiRoot: telegram.url,
    frontDoor: door,
    store: door.telegram,
    outbox: door.outbox,
    outboxIntervalMs: null,
    logger,
    allowedUsers: options.allowedUsers ?? null,
    now,
    mode: options.mode ?? 'polling',
    ...(options.rateLimitPerMinute ? { rateLimitPerMinute: options.rateLimitPerMinute } : {}),
    ...(options.drainTimeoutMs ? { drainTimeoutMs: options.drainTimeoutMs } : {}),
    fetch: observed,
  });
  await bot.start();

  return {
    google,
    telegram,
    control,
    door,
    bot,
    calls,
    logs,
    intercept,
    nextCall: (method) => new Promise((resolve) => waiters.push({ method, resolve })),
    callCount: (method, count) =>
      new Promise((resolve) => {
        if (ofMethod(method).length >= count) resolve(ofMethod(method));
        else counters.push({ method, count, resolve });
      }),
    logged: (text) =>
      new Promise((resolve) => {
        const line = logs.find((l) => l.includes(text));
        if (line) resolve(line);
        else logWaiters.push({ text, resolve });
      }),
    async ask(userId, text, count = 1, name = 'Alex') {
      const before = (await control.inbox(userId)).length;
      await control.write(userId, text, name);
      const after = await control.inbox(userId, { count: before + count });
      return after.slice(before);
    },
    async close() {
      await bot.stop();
      await telegram.close();
      await google.close();
    },
  };
}
