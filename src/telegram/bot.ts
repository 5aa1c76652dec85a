/**
 * The Telegram bot: a grammY `Bot` pointed at any Bot API server, with the update handler,
 * the command list registered with Telegram, long polling or webhook delivery, the
 * outbox delivery (on a timer and on demand) and the daily briefing. Built from its
 * dependencies; no globals.
 *
 * Updates are answered in order per chat (`chat-queue.ts`); one of a shape the bot cannot
 * read is ignored with a debug line naming only its id and why (`update-shape.ts`), so
 * neither the webhook nor polling fails on it. A failing update is logged as the Bot API
 * method, error code and description only, never with its context. Flood
 * control (429) is waited out when Telegram asks for at most `maxRetryDelaySeconds`.
 * Seen update ids, and expired button state, chat context and connect-button notes, are
 * pruned on a timer. Stopping waits a bounded time for the updates being answered.
 */
import { autoRetry } from '@grammyjs/auto-retry';
import { Bot, GrammyError } from 'grammy';
import type { Update } from 'grammy/types';
import type { Outbox } from '../connections/index.ts';
import type { Assistant } from '../assistant/index.ts';
import type { FrontDoor } from '../front-door/index.ts';
import type { Logger } from '../log.ts';
import { checkUpdate, chatKeyOf, createChatQueue } from './transport/index.ts';
import { COMMANDS, plainConnectButtons } from './render/index.ts';
import { loggableError } from './transport/index.ts';
import { createOutboxDelivery, turnForUser } from './dialogue/index.ts';
import { createOutboxLoop } from './dialogue/index.ts';
import { createPoller } from './transport/index.ts';
import type { Poller } from './transport/index.ts';
import { createRateLimiter } from './transport/index.ts';
import { createRecentNotices } from './dialogue/index.ts';
import { buildBriefing } from './dialogue/index.ts';
import { errorReply } from './dialogue/index.ts';
import type { BotServices } from './dialogue/index.ts';
import { createUpdateHandler } from './dialogue/index.ts';
import { createZoneMemory } from './dialogue/index.ts';
import type { TelegramStore } from './store/index.ts';

const DAY_MS = 86_400_000;

export interface TelegramBotDeps {
  token: string;
  apiRoot: string;
  frontDoor: FrontDoor;
  /** Updates seen, button state, chat context (`createTelegramStore`). */
  store: TelegramStore;
  /** The notification outbox this bot delivers. */
  outbox: Pick<Outbox, 'claim' | 'delivered' | 'failed'>;
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
  /** How often the outbox is delivered without a kick (default 2 s; null: only when kicked). */
  outboxIntervalMs?: number | null;
  /**
   * How often seen update ids and expired button state, chat context and connect-button
   * notes are pruned (default every 15 minutes, the life of a chat's context).
   */
  pruneEveryMs?: number;
  /** How long a seen update id is kept (default 7 days; Telegram redelivers for 24 h). */
  keepUpdatesMs?: number;
  /** The optional model path for questions the router cannot place (none by default). */
  assistant?: Assistant | null;
}

export interface TelegramBot {
  /**
   * Registers the commands, starts pruning and the outbox delivery and, in polling mode,
   * removes the webhook and polls.
   */
  start(): Promise<void>;
  /**
   * Stops the outbox delivery, polling and pruning; waits, at most `drainTimeoutMs`, for
   * the updates being answered.
   */
  stop(): Promise<void>;
  /** Points Telegram at our webhook, with the secret Telegram sends back on every delivery. */
  setWebhook(url: string, secret: string): Promise<void>;
  /** Answers one update completely, now (tests); throws what answering it threw. */
  handleUpdate(update: Update): Promise<void>;
  /**
   * Queues an update behind the earlier ones of its chat and answers it in the background;
   * never throws (an update of any other shape is ignored).
   */
  receive(update: Update): void;
  /** Resolves once every received update is answered. */
  idle(): Promise<void>;
  /** Sends what the outbox holds; answers how many notifications were delivered. */
  deliverOutbox(): Promise<number>;
  /** Delivers the outbox soon (after a connect or a queued notification). */
  kickOutbox(): void;
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
    plainConnectButtons({
      warn: (message) => deps.logger.warn(message),
      unbind: async (url) => deps.frontDoor.unbindConnectLink?.(url),
    }),
  );
  const services: BotServices = {
    frontDoor: deps.frontDoor,
    store: deps.store,
    outbox: deps.outbox,
    logger: deps.logger,
    now,
    zones: createZoneMemory(),
    notices: createRecentNotices({ now }),
    typingAfterMs: deps.typingAfterMs ?? 400,
    assistant: deps.assistant ?? null,
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
  /** The update to answer, or null (logged at debug, without its content) to ignore. */
  const readable = (update: unknown): Update | null => {
    const checked = checkUpdate(update);
    if (checked.ok) return checked.update;
    deps.logger.debug(
      { updateId: checked.updateId, reason: checked.reason },
      'ignored a Telegram update the bot cannot read',
    );
    return null;
  };
  const answer = async (update: Update) => {
    await init();
    await bot.handleUpdate(update);
  };
  const handleUpdate = async (update: Update) => {
    const checked = readable(update);
    if (checked) await answer(checked);
  };
  const queue = createChatQueue((error, key) =>
    deps.logger.error({ err: loggableError(error), chat: key }, 'telegram update failed'),
  );
  const receive = (update: Update) => {
    const checked = readable(update);
    if (checked) void queue.run(chatKeyOf(checked), () => answer(checked));
  };

  let poller: Poller | null = null;
  let pruning: NodeJS.Timeout | null = null;
  const prune = () => {
    const before = new Date(now().getTime() - (deps.keepUpdatesMs ?? 7 * DAY_MS));
    deps.store.prune(before).catch((error: unknown) => {
      deps.logger.warn({ err: error }, 'pruning Telegram state failed');
    });
  };

  const deliverOutbox = createOutboxDelivery(services, bot.api);
  const outboxLoop = createOutboxLoop(deliverOutbox, deps.logger, deps.outboxIntervalMs);

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
        pruning = setInterval(prune, deps.pruneEveryMs ?? 15 * 60_000);
        pruning.unref();
      }
      outboxLoop.start();
      if (deps.mode !== 'polling' || poller) return;
      poller = createPoller({ api: bot.api, logger: deps.logger, dispatch: receive });
      await poller.start();
    },
    async stop() {
      outboxLoop.stop();
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
    async setWebhook(url, secret) {
      try {
        await bot.api.setWebhook(url, {
          secret_token: secret,
          allowed_updates: ['message', 'callback_query'],
        });
      } catch (error) {
        const reason = error instanceof GrammyError ? error.description : 'no answer';
        throw new Error(`Telegram refused the webhook: ${reason}`);
      }
    },
    deliverOutbox,
    kickOutbox: outboxLoop.kick,
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
