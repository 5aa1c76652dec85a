/**
 * The webhook route: checks `X-Telegram-Bot-Api-Secret-Token` in constant time before the
 * body is read (401 otherwise), acknowledges at once with 200, and hands the update to the
 * bot, which answers it in the background, in order per chat, so Telegram never waits on
 * Google. Stopping the bot waits (bounded) for what was received here.
 */
import type { FastifyInstance } from 'fastify';
import type { Update } from 'grammy/types';
import { secretEquals } from '../../common/index.ts';

const HEADER = 'x-telegram-bot-api-secret-token';

/** Where Telegram delivers updates, under `PUBLIC_URL`. */
export const WEBHOOK_PATH = '/telegram/webhook';

/** What the route hands updates to: the bot's per-chat queue. */
export interface UpdateReceiver {
  receive(update: Update): void;
  idle(): Promise<void>;
}

function isUpdate(body: unknown): body is Update {
  return (
    typeof body === 'object' &&
    body !== null &&
    Number.isSafeInteger((body as { update_id?: unknown }).update_id)
  );
}

export function registerTelegramWebhook(
  app: FastifyInstance,
  deps: { bot: UpdateReceiver; secret: string; path?: string },
): { idle(): Promise<void> } {
  app.post(
    deps.path ?? WEBHOOK_PATH,
    {
      bodyLimit: 1024 * 1024,
      onRequest: async (request, reply) => {
        if (!secretEquals(request.headers[HEADER], deps.secret)) {
          return reply.code(401).send({ ok: false, error: 'unauthorized' });
        }
        return undefined;
      },
    },
    async (request, reply) => {
      const update = request.body;
      if (isUpdate(update)) deps.bot.receive(update);
      return reply.code(200).send({ ok: true });
    },
  );
  return { idle: () => deps.bot.idle() };
}
