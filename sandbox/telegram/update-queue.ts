/**
 * A bot token's update queue, as getUpdates and webhooks see it: updates get increasing
 * `update_id`s, stay until confirmed (an `offset` past them, or a 2xx from the webhook),
 * and wake whoever waits for them — a long poll or the webhook delivery loop — without
 * any polling.
 */
import type { BotRecord, TgUpdate, UpdateBody } from './types.ts';

/** Update types a bot gets when it never said which (Telegram's default). */
const DEFAULT_EXCLUDED = new Set(['chat_member', 'message_reaction', 'message_reaction_count']);

/** The kind of an update: the name of its one field besides `update_id`. */
export function updateType(body: UpdateBody): string {
  return Object.keys(body).find((key) => key !== 'update_id') ?? '';
}

export function isAllowed(bot: BotRecord, type: string): boolean {
  const allowed = bot.allowedUpdates;
  if (allowed && allowed.length > 0) return allowed.includes(type);
  return !DEFAULT_EXCLUDED.has(type);
}

/** Appends an update (unless the bot's allowed_updates exclude it) and wakes waiters. */
export function pushUpdate(bot: BotRecord, body: UpdateBody): TgUpdate | undefined {
  if (!isAllowed(bot, updateType(body))) return undefined;
  bot.lastUpdateId += 1;
  const update = { update_id: bot.lastUpdateId, ...body } as TgUpdate;
  bot.queue.push(update);
  wake(bot);
  return update;
}

export function wake(bot: BotRecord): void {
  const waiters = [...bot.waiters];
  bot.waiters.clear();
  for (const waiter of waiters) waiter();
}

/**
 * Confirms updates the way getUpdates' `offset` does: a positive offset forgets every
 * update with a smaller id; a negative one keeps only the last `-offset` updates.
 */
export function confirmUpdates(bot: BotRecord, offset: number | undefined): void {
  if (offset === undefined || offset === 0) return;
  if (offset > 0) bot.queue = bot.queue.filter((update) => update.update_id >= offset);
  else bot.queue = bot.queue.slice(offset);
}

/** The updates a getUpdates call would return now (dropping types no longer allowed). */
export function pendingUpdates(bot: BotRecord, limit: number): TgUpdate[] {
  bot.queue = bot.queue.filter((update) => isAllowed(bot, updateType(update)));
  return bot.queue.slice(0, limit);
}

/** Resolves when the bot is woken, after `timeoutMs`, or when `signal` aborts. */
export function waitForWake(bot: BotRecord, timeoutMs: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      bot.waiters.delete(done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    bot.waiters.add(done);
    signal.addEventListener('abort', done, { once: true });
  });
}
