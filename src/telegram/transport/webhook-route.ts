/**
 * The webhook route: checks `X-Telegram-Bot-Api-Secret-Token` in constant time before the
 * body is read (401 otherwise), hands the update to the bot, which stores it in the inbox
 * every instance shares, and acknowledges with 200 once it is stored; the bot answers it
 * in the background, in order per chat, so Telegram never waits on Google. An update that
 * could not be stored (the database is away) is refused with 503, so Telegram delivers it
 * again; one stored already is acknowledged and stored once.
 *
 * Telegram delivers an update again for as long as it is not answered 200, so with the
 * right secret every JSON object is acknowledged: one the bot cannot read is ignored by
 * the bot, and a `__proto__` or `constructor.prototype` property is dropped while parsing
 * (it is never part of an update). A body that is not JSON, or not an object, is a 400.
 */
import type { FastifyInstance } from 'fastify';
import type { Update } from 'grammy/types';
import { secretEquals } from '../../common/index.ts';

const HEADER = 'x-telegram-bot-api-secret-token';

/** Where Telegram delivers updates, under `PUBLIC_URL`. */
export const WEBHOOK_PATH = '/telegram/webhook';

/** What the route hands updates to: the bot's inbox. */
export interface UpdateReceiver {
  /**
   * Resolves once the update is kept (an update of a shape it cannot read is ignored);
   * rejects, having logged why, when it could not be.
   */
  receive(update: Update): Promise<void> | void;
  idle(): Promise<void>;
}

const NOT_AN_OBJECT = { ok: false, error: 'the body is not a Telegram update (a JSON object)' };
const NOT_STORED = { ok: false, error: 'the update could not be stored; deliver it again' };
/** Telegram retries on its own schedule; this says when trying again makes sense. */
const RETRY_AFTER_SECONDS = 5;

export function registerTelegramWebhook(
  app: FastifyInstance,
  deps: { bot: UpdateReceiver; secret: string; path?: string },
): { idle(): Promise<void> } {
  app.register(async (scope) => {
    // This route's own JSON: poisoning properties are removed instead of refused.
    if (scope.hasContentTypeParser('application/json'))
      scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser(
      'application/json',
      { parseAs: 'string' },
      scope.getDefaultJsonParser('remove', 'remove'),
    );
    scope.post(
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
        const body = request.body;
        if (typeof body !== 'object' || body === null || Array.isArray(body)) {
          return reply.code(400).send(NOT_AN_OBJECT);
        }
        try {
          await deps.bot.receive(body as Update);
        } catch {
          // The bot has logged why (never the update).
          return reply.code(503).header('retry-after', RETRY_AFTER_SECONDS).send(NOT_STORED);
        }
        return reply.code(200).send({ ok: true });
      },
    );
  });
  return { idle: () => deps.bot.idle() };
}
