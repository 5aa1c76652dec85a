import { createServer } from 'node:http';
import type { ServerResponse, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelegramControl } from './control-client.ts';
import { startTelegramSandbox } from './index.ts';
import type { TelegramSandbox } from './index.ts';

const TOKEN = '6070:AAWebhookConcurrencyOfTheSandbox_abcde';

interface Held {
  text: string;
  respond: () => void;
}

let sandbox: TelegramSandbox;
let server: Server;
let url: string;
const held: Held[] = [];
let arrived: (() => void) | null = null;

/** Resolves once `count` deliveries are being held, unanswered. */
async function holding(count: number): Promise<string[]> {
  while (held.length < count) {
    await new Promise<void>((resolve) => {
      arrived = resolve;
    });
  }
  return held.map((h) => h.text).sort();
}

function answer(text: string): void {
  const index = held.findIndex((h) => h.text === text);
  const [delivery] = held.splice(index, 1);
  delivery?.respond();
}

beforeAll(async () => {
  sandbox = await startTelegramSandbox();
  server = createServer((request, response: ServerResponse) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      const update = JSON.parse(body) as { message: { text: string } };
      held.push({ text: update.message.text, respond: () => response.end('') });
      arrived?.();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});

afterAll(async () => {
  for (const h of held.splice(0)) h.respond();
  await sandbox?.close();
  await new Promise((resolve) => server.close(resolve));
});

describe('concurrent webhook delivery', () => {
  it('sends several chats at once, up to the setting, and each chat in order', async () => {
    const control = createTelegramControl(sandbox.url);
    await control.settings({ webhookConcurrency: 3 });
    await fetch(`${sandbox.url}/bot${TOKEN}/setWebhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url }),
    });
    for (const [user, text] of [
      [1, 'a1'],
      [1, 'a2'],
      [2, 'b1'],
      [3, 'c1'],
      [4, 'd1'],
    ] as const) {
      await control.write(user, text);
    }
    const first = await holding(3);
    answer('b1');
    const second = await holding(3);
    answer('a1');
    const third = await holding(3);
    for (const text of ['c1', 'd1', 'a2']) answer(text);
    expect({ first, second, third }).toStrictEqual({
      first: ['a1', 'b1', 'c1'],
      second: ['a1', 'c1', 'd1'],
      third: ['a2', 'c1', 'd1'],
    });
  });
});
