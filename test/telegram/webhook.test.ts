import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerTelegramWebhook } from '../../src/telegram/index.ts';
import { startBotFixture, TOKEN } from './bot.harness.ts';
import type { BotFixture } from './bot.harness.ts';

const SECRET = 'webhook-secret_value-123';
let f: BotFixture;
let app: FastifyInstance;
let route: { idle(): Promise<void> };

async function botApi(method: string, params: Record<string, unknown>): Promise<unknown> {
  const response = await fetch(`${f.telegram.url}/bot${TOKEN}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(params),
  });
  return response.json();
}

beforeAll(async () => {
  f = await startBotFixture({ mode: 'webhook' });
  app = Fastify();
  route = registerTelegramWebhook(app, { bot: f.bot, secret: SECRET });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  await botApi('setWebhook', { url: `${address}/telegram/webhook`, secret_token: SECRET });
  await f.door.signUp(6001, 'Alex');
});
afterAll(async () => {
  await botApi('deleteWebhook', {});
  await app?.close();
  await f?.close();
});

describe('the webhook route', () => {
  it('refuses a missing or wrong secret with 401 before reading the body', async () => {
    const update = JSON.stringify({ update_id: 700_001, message: { text: '/help' } });
    const missing = await app.inject({
      method: 'POST',
      url: '/telegram/webhook',
      headers: { 'content-type': 'application/json' },
      payload: update,
    });
    const wrong = await app.inject({
      method: 'POST',
      url: '/telegram/webhook',
      headers: {
        'content-type': 'application/json',
        'x-telegram-bot-api-secret-token': 'webhook-secret_value-124',
      },
      payload: '{not even json',
    });
    expect([
      { status: missing.statusCode, body: missing.json() },
      { status: wrong.statusCode, body: wrong.json() },
      f.door.invoked,
    ]).toStrictEqual([
      { status: 401, body: { ok: false, error: 'unauthorized' } },
      { status: 401, body: { ok: false, error: 'unauthorized' } },
      [],
    ]);
  });

  it('acknowledges at once and keeps the order of one chat while a slow answer runs', async () => {
    await f.google.control('POST', '/__sandbox/faults', {
      path: '/calendar/v3',
      latencyMs: 300,
      count: 4,
    });
    await f.control.write(6001, '/today', 'Alex');
    await f.control.write(6001, '/help', 'Alex');
    await f.control.write(6001, '/privacy', 'Alex');
    const inbox = await f.control.inbox(6001, { count: 3 });
    await route.idle();
    expect({
      firstLines: inbox.map((m) => m.text.split('\n')[0]),
      delivered: (await f.control.stats()).webhooks,
    }).toStrictEqual({
      firstLines: [
        '📅 Today · Tuesday 3 March',
        'Ask me in your own words, for example:',
        'What Tidings stores about you',
      ],
      delivered: { delivered: 3, failed: 0 },
    });
  });
});
