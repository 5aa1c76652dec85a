/**
 * The Telegram bot: a grammY `Bot` pointed at any Bot API server, with the update handler,
 * the command list registered with Telegram, long polling or webhook delivery, the
 * outbox delivery and the daily briefing. Built from its dependencies; no globals.
 *
 * Updates are answered in order per chat (`chat-queue.ts`); a failing update is logged as
 * the Bot API method, error code and description only, never with its context. Flood
 * control (429) is waited out when Telegram asks for at most `maxRetryDelaySeconds`.
 * Seen update ids and expired button state are pruned on a timer. Stopping waits a bounded
 * time for the updates being answered.
 */
import { autoRetry } from '@grammyjs/auto-retry';
import { Bot } from 'grammy';
import type { Update } from 'grammy/types';
import type { FrontDoor } from '../front-door.ts';
import type { Logger } from '../log.ts';
import { chatKeyOf, createChatQueue } from './chat-queue.ts';
import { COMMANDS } from './help-text.ts';
import { loggableError } from './loggable-error.ts';
import { createOutboxDelivery, turnForUser } from './outbox-delivery.ts';
import { createPoller } from './polling.ts';
import type { Poller } from './polling.ts';
import { createRateLimiter } from './rate-limit.ts';
import { createRecentNotices } from './recent-notices.ts';
import { buildBriefing } from './briefing.ts';
import { errorReply } from './turn.ts';
import type { BotServices } from './turn.ts';
import { createUpdateHandler } from './update-handler.ts';
import { createZoneMemory } from './zone-memory.ts';

const DAY_MS = 86_400_000;

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
  /** The longest flood-control wait (`retry_after`) honoured before giving up (default 30 s). */
  maxRetryDelaySeconds?: number;
  /** How long `stop()` waits for the updates being answered (default 10 s). */
  drainTimeoutMs?: number;
  /** How often seen update ids and expired button state are pruned (default hourly). */
  pruneEveryMs?: number;
  /** How long a seen update id is kept (default 7 days; Telegram redelivers for 24 h). */
  keepUpdatesMs?: number;
}

export interface TelegramBot {
  /** Registers the commands, starts pruning and, in polling mode, removes the webhook and polls. */
  start(): Promise<void>;
  /** Stops polling and pruning; waits, at most `drainTimeoutMs`, for the updates being answered. */
  stop(): Promise<void>;
  /** Answers one update completely, now (tests); throws what answering it threw. */
  handleUpdate(update: Update): Promise<void>;
  /** Queues an update behind the earlier ones of its chat and answers it in the background. */
  receive(update: Update): void;
  /** Resolves once every received update is answered. */
  idle(): Promise<void>;
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
  bot.api.config.use(
    autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: deps.maxRetryDelaySeconds ?? 30 }),
  );
  const services: BotServices = {
    frontDoor: deps.frontDoor,
    logger: deps.logger,
    now,
    zones: createZoneMemory(),
    notices: createRecentNotices({ now }),
    typingAfterMs: deps.typingAfterMs ?? 400,
  };
  bot.use(
    createUpdateHandler({
      services,
      limiter: createRateLimiter({ limit: deps.rateLimitPerMinute ?? 20, windowMs: 60_000, now }),
      allowedUsers: deps.allowedUsers ? new Set(deps.allowedUsers) : null,
    }),
  );

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
  const queue = createChatQueue((error, key) =>
    deps.logger.error({ err: loggableError(error), chat: key }, 'telegram update failed'),
  );
  const receive = (update: Update) => {
    void queue.run(chatKeyOf(update), () => handleUpdate(update));
  };

  let poller: Poller | null = null;
  let pruning: NodeJS.Timeout | null = null;
  const prune = () => {
    const before = new Date(now().getTime() - (deps.keepUpdatesMs ?? 7 * DAY_MS));
    deps.frontDoor.telegram.prune(before).catch((error: unknown) => {
      deps.logger.warn({ err: error }, 'pruning Telegram state failed');
    });
  };

  return {
    async start() {
      await init();
      await bot.api
        .setMyCommands(COMMANDS.map((c) => ({ command: c.command, description: c.description })))
        .catch((error: unknown) =>
          deps.logger.warn({ err: loggableError(error) }, 'setMyCommands failed'),
        );
      if (!pruning) {
        prune();
        pruning = setInterval(prune, deps.pruneEveryMs ?? 3_600_000);
        pruning.unref();
      }
      if (deps.mode !== 'polling' || poller) return;
      poller = createPoller({ api: bot.api, logger: deps.logger, dispatch: receive });
      await poller.start();
    },
    async stop() {
      if (pruning) clearInterval(pruning);
      pruning = null;
      await poller?.stop();
      poller = null;
      const drained = await queue.idle(deps.drainTimeoutMs ?? 10_000);
      if (!drained) {
        deps.logger.warn(
          { chats: queue.size },
          'stopped before every Telegram update was answered',
        );
      }
    },
    handleUpdate,
    receive,
    idle: async () => {
      await queue.idle();
    },
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
