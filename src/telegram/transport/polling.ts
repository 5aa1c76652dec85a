/**
 * Long polling: removes any webhook, then asks for updates in a loop and hands each batch
 * to the bot, which keeps it (in the inbox) and answers in the background, so one
 * person's slow answer does not hold up everyone else. Stops at once when asked (the open
 * request is aborted); a failing request is retried after a growing pause. Any update is
 * handed on (the bot ignores the ones it cannot read). The offset moves past every integer
 * `update_id` only once the batch is kept: Telegram forgets what an offset confirms, so a
 * batch the bot could not keep (the database is away), or one fetched by a process that
 * dies before keeping it, is fetched again. An answer that is not a list of updates
 * counts as a failed request.
 */
import type { Api } from 'grammy';
import type { Update } from 'grammy/types';
import type { Logger } from '../../log.ts';
import { loggableError } from './loggable-error.ts';

export interface Poller {
  /** Resolves once the webhook is removed and polling has begun. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

const ALLOWED = ['message', 'callback_query'] as const;

export function createPoller(deps: {
  api: Api;
  logger: Logger;
  /** Keeps the batch; rejects, having logged why, when it could not. */
  deliver: (updates: Update[]) => Promise<void>;
  timeoutSeconds?: number;
}): Poller {
  const abort = new AbortController();
  let loop: Promise<void> | null = null;

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      abort.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      });
    });

  async function poll(): Promise<void> {
    let offset = 0;
    let failures = 0;
    while (!abort.signal.aborted) {
      let updates: Update[];
      try {
        updates = await deps.api.getUpdates(
          { offset, timeout: deps.timeoutSeconds ?? 30, allowed_updates: [...ALLOWED] },
          abort.signal as Parameters<Api['getUpdates']>[1],
        );
        if (!Array.isArray(updates)) throw new TypeError('getUpdates answered no list');
      } catch (error) {
        if (abort.signal.aborted) return;
        failures += 1;
        deps.logger.warn({ err: loggableError(error), failures }, 'telegram getUpdates failed');
        await pause(Math.min(60_000, 500 * 2 ** failures));
        continue;
      }
      try {
        await deps.deliver(updates);
      } catch {
        failures += 1;
        await pause(Math.min(60_000, 500 * 2 ** failures));
        continue;
      }
      failures = 0;
      for (const update of updates) {
        const id = (update as { update_id?: unknown } | null)?.update_id;
        if (Number.isSafeInteger(id)) offset = Math.max(offset, (id as number) + 1);
      }
    }
  }

  return {
    async start() {
      if (loop) return;
      await deps.api.deleteWebhook({ drop_pending_updates: false });
      loop = poll();
    },
    async stop() {
      abort.abort();
      await loop;
    },
  };
}
