/**
 * The Telegram bot: a grammY `Bot` pointed at any Bot API server, with the update handler,
 * the command list registered with Telegram, long polling or webhook delivery, the
 * outbox delivery (on a timer and on demand) and the daily briefing. Built from its
 * dependencies; no globals.
 *
 * Updates are kept in the inbox every instance shares before they are acknowledged, and
 * answered from it in order per chat, by one instance at a time (`update-intake.ts`); one
 * of a shape the bot cannot read is ignored with a debug line naming only its id and why,
 * so neither the webhook nor polling fails on it. A failing update is logged as the Bot
 * API method, error code and description only, never with its context. Flood control
 * (429) is waited out when Telegram asks for at most `maxRetryDelaySeconds`. Answered
 * update ids, and expired button state, chat context and connect-button notes, are pruned
 * on a timer. Stopping takes no new chat and waits a bounded time for the updates being
 * answered; what is left waits in the inbox for another instance or the next start.
 */
import { autoRetry } from '@grammyjs/auto-retry';
import { Bot, BotError, GrammyError } from 'grammy';
import type { Update } from 'grammy/types';
import type { Outbox } from '../connections/index.ts';
import type { Assistant } from '../assistant/index.ts';
import type { FrontDoor } from '../front-door/index.ts';
import { TidingsError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { countBotApiCalls, type TelegramMetrics } from './metrics.ts';
import { createUpdateIntake } from './transport/index.ts';
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
  /** The inbox, updates seen, button state, chat context (`createTelegramStore`). */
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
  /** Counts updates and Bot API calls; none by default. */
  metrics?: TelegramMetrics;
}

export interface TelegramBot {
  /**
   * Registers the commands, starts pruning, the outbox delivery and answering what the
   * inbox holds and, in polling mode, removes the webhook and polls.
   */
  start(): Promise<void>;
  /**
   * Stops the outbox delivery, polling and pruning, and takes no new chat from the inbox;
   * waits, at most `drainTimeoutMs`, for the updates being answered.
   */
  stop(): Promise<void>;
  /** Points Telegram at our webhook, with the secret Telegram sends back on every delivery. */
  setWebhook(url: string, secret: string): Promise<void>;
  /** Answers one update completely, now (tests); throws what answering it threw. */
  handleUpdate(update: Update): Promise<void>;
  /**
   * Keeps an update in the inbox, behind the earlier ones of its chat, and answers it in
   * the background; resolves once it is kept, rejects (logged) when it could not be. An
   * update of any other shape is ignored.
   */
  receive(update: Update): Promise<void>;
  /** Resolves once no update is being answered by this process. */
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
  // Beneath the retries, so every attempt (a 429 waited out too) is counted.
  if (deps.metrics) bot.api.config.use(countBotApiCalls(deps.metrics));
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
      metrics: deps.metrics,
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
  const intake = createUpdateIntake({
    inbox: deps.store.inbox ?? null,
    answer: async (update) => {
      await init();
      await bot.handleUpdate(update);
    },
    retryable: databaseWasAway,
    logger: deps.logger,
  });

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
      intake.start();
      if (deps.mode !== 'polling' || poller) return;
      poller = createPoller({ api: bot.api, logger: deps.logger, deliver: intake.deliver });
      await poller.start();
    },
    async stop() {
      outboxLoop.stop();
      if (pruning) clearInterval(pruning);
      pruning = null;
      await poller?.stop();
      poller = null;
      await intake.stop(deps.drainTimeoutMs ?? 10_000);
    },
    handleUpdate: intake.handle,
    receive: intake.receive,
    idle: intake.idle,
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

/** A failure the database caused (grammY wraps what the handler threw): worth a later try. */
function databaseWasAway(error: unknown): boolean {
  const inner = error instanceof BotError ? (error.error as unknown) : error;
  return inner instanceof TidingsError && inner.code === 'database_unavailable';
}
