import Fastify from 'fastify';
import type { Update } from 'grammy/types';
import { afterEach, describe, expect, it } from 'vitest';
import { registerTelegramWebhook } from './webhook-route.ts';

const SECRET = 'webhook-route-secret_0123';
let app: ReturnType<typeof Fastify> | null = null;

afterEach(async () => {
  await app?.close();
  app = null;
});

/** The route in front of a receiver that keeps updates, or fails to while `away` is set. */
async function routeTo(receiver: { away: boolean; kept: number[] }) {
  app = Fastify();
  registerTelegramWebhook(app, {
    secret: SECRET,
    bot: {
      async receive(update: Update) {
        if (receiver.away) throw new Error('database away');
        receiver.kept.push(update.update_id);
      },
      idle: async () => {},
    },
  });
  await app.ready();
  return (updateId: number) =>
    app!.inject({
      method: 'POST',
      url: '/telegram/webhook',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
      payload: JSON.stringify({ update_id: updateId, message: { text: 'hi' } }),
    });
}

describe('the webhook route', () => {
  it('acknowledges an update only once it is kept, and refuses it with 503 when it cannot be', async () => {
    const receiver = { away: true, kept: [] as number[] };
    const post = await routeTo(receiver);
    const refused = await post(41);
    receiver.away = false;
    const accepted = await post(41);
    expect({
      refused: {
        status: refused.statusCode,
        retryAfter: refused.headers['retry-after'],
        body: refused.json(),
      },
      accepted: { status: accepted.statusCode, body: accepted.json() },
      kept: receiver.kept,
    }).toStrictEqual({
      refused: {
        status: 503,
        retryAfter: '5',
        body: { ok: false, error: 'the update could not be stored; deliver it again' },
      },
      accepted: { status: 200, body: { ok: true } },
      kept: [41],
    });
  });
});
