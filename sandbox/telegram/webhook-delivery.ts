/**
 * Webhook delivery: for each bot token with a webhook, POSTs its queued updates to the
 * webhook URL in order — one at a time, or with `webhookConcurrency` several chats at
 * once, each chat still in order — with `X-Telegram-Bot-Api-Secret-Token` when a secret
 * is set. An update leaves the queue only when the bot answers 2xx; otherwise the
 * error is recorded for getWebhookInfo and the same update is retried with exponential
 * backoff. A 2xx answer whose JSON body names a `method` is executed, as Telegram does
 * ("webhook reply").
 */
import type { BotRecord, SandboxSettings, TgUpdate, Webhook } from './types.ts';

export interface WebhookDelivery {
  /** Starts delivering the bot's queue if it has a webhook and is not being delivered. */
  kick(bot: BotRecord): void;
  /** Cuts a pending backoff short (the webhook was changed or removed). */
  retryNow(bot: BotRecord): void;
  close(): Promise<void>;
}

export interface WebhookDeliveryDeps {
  settings: () => SandboxSettings;
  unixNow: () => number;
  fetch: typeof fetch;
  /** Executes a method call the bot returned in its webhook answer. */
  onReply: (bot: BotRecord, call: Record<string, unknown>) => void;
  /** Counts deliveries by outcome. */
  count: (outcome: 'delivered' | 'failed') => void;
}

export function createWebhookDelivery(deps: WebhookDeliveryDeps): WebhookDelivery {
  const active = new Set<BotRecord>();
  const loops = new Set<Promise<void>>();
  const interrupts = new Map<BotRecord, () => void>();
  const closing = new AbortController();

  const sleep = (bot: BotRecord, ms: number): Promise<void> =>
    new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        interrupts.delete(bot);
        resolve();
      };
      const timer = setTimeout(done, ms);
      interrupts.set(bot, done);
    });

  const post = async (
    bot: BotRecord,
    hook: Webhook,
    update: TgUpdate,
  ): Promise<string | undefined> => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (hook.secretToken) headers['x-telegram-bot-api-secret-token'] = hook.secretToken;
    const signal = AbortSignal.any([
      closing.signal,
      AbortSignal.timeout(deps.settings().webhookTimeoutMs),
    ]);
    try {
      const response = await deps.fetch(hook.url, {
        method: 'POST',
        headers,
        body: JSON.stringify(update),
        signal,
      });
      const body = await response.text();
      if (!response.ok) {
        return `Wrong response from the webhook: ${response.status} ${response.statusText}`;
      }
      const call = parseReply(body);
      if (call) deps.onReply(bot, call);
      return undefined;
    } catch (error) {
      if (signal.aborted) return 'Read timeout expired';
      const code = (error as { cause?: { code?: string } }).cause?.code;
      return code === 'ECONNREFUSED' ? 'Connection refused' : 'Failed to connect to the webhook';
    }
  };

  /**
   * Delivers until the queue is empty; `active` is cleared in the tick the queue empties.
   * Up to `webhookConcurrency` updates are in flight at once (bounded by the webhook's
   * `max_connections`), but like Telegram never two of the same chat: a chat's next update
   * waits until the one before it is acknowledged.
   */
  const run = async (bot: BotRecord): Promise<void> => {
    let failures = 0;
    const inFlight = new Map<TgUpdate, Promise<boolean>>();
    const start = (hook: Webhook, update: TgUpdate) => {
      const attempt = post(bot, hook, update).then((error) => {
        inFlight.delete(update);
        if (closing.signal.aborted || bot.webhook !== hook) return true;
        if (error === undefined) {
          bot.queue = bot.queue.filter((queued) => queued !== update);
          deps.count('delivered');
          return true;
        }
        deps.count('failed');
        hook.lastErrorDate = deps.unixNow();
        hook.lastErrorMessage = error;
        return false;
      });
      inFlight.set(update, attempt);
    };
    try {
      while (!closing.signal.aborted) {
        const hook = bot.webhook;
        if (!hook || (bot.queue.length === 0 && inFlight.size === 0)) return;
        const limit = Math.max(
          1,
          Math.min(deps.settings().webhookConcurrency, hook.maxConnections),
        );
        const chats = new Set<string>();
        for (const update of bot.queue) {
          const chat = chatOf(update);
          if (chats.has(chat)) continue;
          chats.add(chat);
          if (!inFlight.has(update) && inFlight.size < limit) start(hook, update);
        }
        if (inFlight.size === 0) return;
        // Wakes on the first answer, or when a new update is queued.
        const woken = new Promise<boolean>((resolve) => {
          const done = () => resolve(true);
          bot.waiters.add(done);
          void Promise.race(inFlight.values()).then(() => bot.waiters.delete(done));
        });
        const delivered = await Promise.race([...inFlight.values(), woken]);
        if (closing.signal.aborted) return;
        if (delivered) {
          failures = 0;
          continue;
        }
        const { webhookRetryBaseMs, webhookRetryMaxMs } = deps.settings();
        await Promise.all(inFlight.values());
        await sleep(bot, Math.min(webhookRetryMaxMs, webhookRetryBaseMs * 2 ** failures));
        failures += 1;
      }
    } finally {
      await Promise.all(inFlight.values());
      active.delete(bot);
    }
  };

  return {
    kick(bot) {
      if (active.has(bot) || closing.signal.aborted || !bot.webhook) return;
      active.add(bot);
      const loop = run(bot);
      loops.add(loop);
      void loop.finally(() => loops.delete(loop));
    },
    retryNow(bot) {
      interrupts.get(bot)?.();
    },
    async close() {
      closing.abort();
      for (const interrupt of [...interrupts.values()]) interrupt();
      await Promise.all([...loops.values()]);
    },
  };
}

function parseReply(body: string): Record<string, unknown> | undefined {
  if (!body.trim().startsWith('{')) return undefined;
  try {
    const parsed = JSON.parse(body) as unknown;
    if (
      parsed &&
      typeof parsed === 'object' &&
      typeof (parsed as { method?: unknown }).method === 'string'
    ) {
      return parsed as Record<string, unknown>;
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/** The chat an update belongs to: updates of one chat are delivered one after another. */
function chatOf(update: TgUpdate): string {
  const chat = 'message' in update ? update.message.chat.id : update.callback_query.message.chat.id;
  return String(chat);
}
