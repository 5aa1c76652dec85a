/**
 * The webhook route: checks `X-Telegram-Bot-Api-Secret-Token` in constant time before the
 * body is read (401 otherwise), acknowledges at once with 200, and answers the update in
 * the background, in order per chat, so Telegram never waits on Google.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Update } from 'grammy/types';
import type { TelegramBot } from './bot.ts';
import { chatKeyOf, createChatQueue } from './chat-queue.ts';

const HEADER = 'x-telegram-bot-api-secret-token';

function sameSecret(given: unknown, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
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
  deps: { bot: TelegramBot; secret: string; path?: string },
): { idle(): Promise<void> } {
  const queue = createChatQueue((error) =>
    app.log.error({ err: error }, 'telegram webhook update failed'),
  );
  app.post(
    deps.path ?? '/telegram/webhook',
    {
      bodyLimit: 1024 * 1024,
      onRequest: async (request, reply) => {
        if (!sameSecret(request.headers[HEADER], deps.secret)) {
          return reply.code(401).send({ ok: false, error: 'unauthorized' });
        }
        return undefined;
      },
    },
    async (request, reply) => {
      const update = request.body;
      if (isUpdate(update)) {
        void queue.run(chatKeyOf(update), () => deps.bot.handleUpdate(update));
      }
      return reply.code(200).send({ ok: true });
    },
  );
  return { idle: () => queue.idle() };
}
