/**
 * The Telegram bot: a grammY `Bot` pointed at any Bot API server, with the update handler,
 * the command list registered with Telegram, long polling or webhook delivery, the
 * outbox delivery and the daily briefing. Built from its dependencies; no globals.
 */
import { autoRetry } from '@grammyjs/auto-retry';
import { Bot } from 'grammy';
import type { Update } from 'grammy/types';
import type { FrontDoor } from '../front-door.ts';
import type { Logger } from '../log.ts';
import { createCallbackData } from './callback-data.ts';
import { chatKeyOf, createChatQueue } from './chat-queue.ts';
import { COMMANDS } from './help-text.ts';
import { createOutboxDelivery, turnForUser } from './outbox-delivery.ts';
import { createPoller } from './polling.ts';
import type { Poller } from './polling.ts';
import { createRateLimiter } from './rate-limit.ts';
import { buildBriefing } from './briefing.ts';
import { createShortState } from './short-state.ts';
import { loggableError } from './loggable-error.ts';
import { errorReply } from './turn.ts';
import type { BotServices, MailPageState } from './turn.ts';
import { createUpdateHandler } from './update-handler.ts';
import { createZoneMemory } from './zone-memory.ts';

export interface TelegramBotDeps {
  token: string;
  apiRoot: string;
  frontDoor: FrontDoor;
  logger: Logger;
  /** Telegram user ids allowed to use the bot; null lets everyone in. */
  allowedUsers: readonly string[] | null;
  now?: () => Date;
  mode: 'polling' | 'webhook';
  /** Messages and button presses per user and minute (default 20). */
  rateLimitPerMinute?: number;
  /** How long a run may take before the chat shows "typing…" (default 400 ms). */
  typingAfterMs?: number;
  /** The fetch grammY uses (default: its own). */
  fetch?: typeof fetch;
}

export interface TelegramBot {
  /** Polling: removes the webhook and starts polling. Webhook: registers the commands only. */
  start(): Promise<void>;
  /** Stops polling and waits for the updates being answered. */
  stop(): Promise<void>;
  /** Answers one update completely (webhook deliveries, tests). */
  handleUpdate(update: Update): Promise<void>;
  /** Sends what the outbox holds; answers how many notifications were delivered. */
  deliverOutbox(): Promise<number>;
  /** Builds and sends today's briefing to the user's chat. */
  sendBriefing(userId: string): Promise<void>;
}

export function createTelegramBot(deps: TelegramBotDeps): TelegramBot {
  const now = deps.now ?? (() => new Date());
  const bot = new Bot(deps.token, {
    client: { apiRoot: deps.apiRoot, ...(deps.fetch ? { fetch: deps.fetch } : {}) },
  });
  bot.api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 30 }));
  const services: BotServices = {
    frontDoor: deps.frontDoor,
    logger: deps.logger,
    now,
    callbacks: createCallbackData(createShortState<string>({ max: 5_000, ttlMs: 86_400_000, now })),
    pages: createShortState<MailPageState>({ max: 5_000, ttlMs: 86_400_000, now }),
    zones: createZoneMemory(),
    typingAfterMs: deps.typingAfterMs ?? 400,
  };
  bot.use(
    createUpdateHandler({
      services,
      limiter: createRateLimiter({ limit: deps.rateLimitPerMinute ?? 20, windowMs: 60_000, now }),
      allowedUsers: deps.allowedUsers ? new Set(deps.allowedUsers) : null,
    }),
  );
  bot.catch((failure) => {
    deps.logger.error(
      { err: loggableError(failure.error), updateId: failure.ctx.update.update_id },
      'telegram update failed',
    );
  });

  let ready: Promise<void> | null = null;
  const init = () => {
    ready ??= bot.init().catch((error: unknown) => {
      ready = null;
      throw error;
    });
    return ready;
  };
  const handleUpdate = async (update: Update) => {
    await init();
    await bot.handleUpdate(update);
  };
  const queue = createChatQueue((error) =>
    deps.logger.error({ err: loggableError(error) }, 'telegram update failed'),
  );
  let poller: Poller | null = null;

  return {
    async start() {
      await init();
      await bot.api
        .setMyCommands(COMMANDS.map((c) => ({ command: c.command, description: c.description })))
        .catch((error: unknown) =>
          deps.logger.warn({ err: loggableError(error) }, 'setMyCommands failed'),
        );
      if (deps.mode !== 'polling' || poller) return;
      poller = createPoller({
        api: bot.api,
        logger: deps.logger,
        dispatch: (update) => {
          void queue.run(chatKeyOf(update), () => handleUpdate(update));
        },
      });
      await poller.start();
    },
    async stop() {
      await poller?.stop();
      poller = null;
      await queue.idle();
    },
    handleUpdate,
    deliverOutbox: createOutboxDelivery(services, bot.api),
    async sendBriefing(userId) {
      const turn = await turnForUser(services, bot.api, userId);
      let reply: Awaited<ReturnType<typeof buildBriefing>>;
      try {
        reply = await buildBriefing(turn);
      } catch (error) {
        reply = await errorReply(turn, error);
      }
      await turn.send(reply);
    },
  };
}
