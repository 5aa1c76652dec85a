import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTelegramControl } from './control-client.ts';
import { startTelegramSandbox } from './index.ts';
import type { TelegramSandbox } from './index.ts';

interface Delivery {
  headers: IncomingHttpHeaders;
  update: { update_id: number; message?: { text: string } };
}
interface Answer {
  status: number;
  body?: unknown;
}

let sandbox: TelegramSandbox;
let control: ReturnType<typeof createTelegramControl>;
let botServer: Server;
let webhookUrl: string;
let answers: Answer[] = [];
let received: Delivery[] = [];
let waiting: ((delivery: Delivery) => void)[] = [];
const attempts: (() => void)[] = [];
let tokenCount = 0;
let token = '';

/** The next webhook request the tiny bot server receives (in order). */
function nextDelivery(): Promise<Delivery> {
  const ready = received.shift();
  if (ready) return Promise.resolve(ready);
  return new Promise((resolve) => waiting.push(resolve));
}

async function call(method: string, params: Record<string, unknown> = {}) {
  const response = await fetch(`${sandbox.url}/bot${token}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(params),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  const observed: typeof fetch = async (input, init) => {
    try {
      return await fetch(input, init);
    } finally {
      for (const settled of attempts.splice(0)) settled();
    }
  };
  sandbox = await startTelegramSandbox({ fetch: observed });
  control = createTelegramControl(sandbox.url);
  botServer = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      const answer = answers.shift() ?? { status: 200 };
      response.writeHead(answer.status, { 'content-type': 'application/json' });
      response.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
      const delivery = { headers: request.headers, update: JSON.parse(body) };
      const waiter = waiting.shift();
      if (waiter) waiter(delivery);
      else received.push(delivery);
    });
  });
  await new Promise<void>((resolve) => botServer.listen(0, '127.0.0.1', resolve));
  webhookUrl = `http://127.0.0.1:${(botServer.address() as AddressInfo).port}/telegram/webhook`;
});

afterAll(async () => {
  await sandbox.close();
  await new Promise((resolve) => botServer.close(resolve));
});

beforeEach(async () => {
  sandbox.reset();
  answers = [];
  received = [];
  waiting = [];
  tokenCount += 1;
  token = `${9000 + tokenCount}:AAWebhookDeliveryTestsForTheSandbox_${tokenCount}`;
  await control.settings({ webhookRetryBaseMs: 10, webhookRetryMaxMs: 50 });
});

afterEach(async () => {
  await call('deleteWebhook', { drop_pending_updates: true });
});

describe('webhooks', () => {
  it('POSTs each update with the secret token header', async () => {
    expect(
      (await call('setWebhook', { url: webhookUrl, secret_token: 'S3cret_value-1' })).body,
    ).toStrictEqual({
      ok: true,
      result: true,
      description: 'Webhook was set',
    });
    await control.write(4001, 'hello webhook', 'Ana');
    const delivery = await nextDelivery();
    expect({
      secret: delivery.headers['x-telegram-bot-api-secret-token'],
      type: delivery.headers['content-type'],
      text: delivery.update.message?.text,
    }).toStrictEqual({ secret: 'S3cret_value-1', type: 'application/json', text: 'hello webhook' });
  });

  it('answers 409 to getUpdates while a webhook is set, and not after deleteWebhook', async () => {
    await call('setWebhook', { url: webhookUrl });
    expect(await call('getUpdates')).toStrictEqual({
      status: 409,
      body: {
        ok: false,
        error_code: 409,
        description:
          "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      },
    });
    expect((await call('deleteWebhook')).body).toStrictEqual({
      ok: true,
      result: true,
      description: 'Webhook was deleted',
    });
    expect(await call('getUpdates')).toStrictEqual({ status: 200, body: { ok: true, result: [] } });
  });

  it('redelivers an update until the bot answers 2xx, in order', async () => {
    answers = [{ status: 500 }, { status: 502 }, { status: 200 }, { status: 200 }];
    await call('setWebhook', { url: webhookUrl });
    await control.write(4002, 'first');
    await control.write(4002, 'second');
    const ids = [];
    for (let i = 0; i < 4; i += 1) {
      const { update } = await nextDelivery();
      ids.push([update.update_id, update.message?.text]);
    }
    const first = ids[0]?.[0] as number;
    expect(ids).toStrictEqual([
      [first, 'first'],
      [first, 'first'],
      [first, 'first'],
      [first + 1, 'second'],
    ]);
    const info = (await call('getWebhookInfo')).body.result as Record<string, unknown>;
    expect(info.last_error_message).toBe('Wrong response from the webhook: 502 Bad Gateway');
  });

  it('reports pending updates and the last error in getWebhookInfo', async () => {
    await control.settings({ webhookRetryBaseMs: 60_000, webhookRetryMaxMs: 60_000 });
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const unreachable = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/gone`;
    await new Promise((resolve) => closed.close(resolve));
    await call('setWebhook', { url: unreachable, max_connections: 5 });
    const attempted = new Promise<void>((resolve) => attempts.push(resolve));
    await control.write(4003, 'lost');
    await attempted;
    expect(await call('getWebhookInfo')).toStrictEqual({
      status: 200,
      body: {
        ok: true,
        result: {
          url: unreachable,
          has_custom_certificate: false,
          pending_update_count: 1,
          max_connections: 5,
          ip_address: '127.0.0.1',
          last_error_date: expect.any(Number),
          last_error_message: 'Connection refused',
        },
      },
    });
    expect((await control.stats()).webhooks).toStrictEqual({ delivered: 0, failed: 1 });
  });

  it('runs a method the bot returns in its webhook answer', async () => {
    answers = [
      {
        status: 200,
        body: { method: 'sendMessage', chat_id: 4004, text: 'replied in the answer' },
      },
    ];
    await call('setWebhook', { url: webhookUrl });
    await control.write(4004, 'hi');
    expect(await control.inbox(4004, { count: 1 })).toStrictEqual([
      { message_id: 2, text: 'replied in the answer', date: expect.any(Number) },
    ]);
  });
});
