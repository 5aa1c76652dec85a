import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../support/databases.harness.ts';
import { connectWithAutoApprove, type Stack, startStack } from '../support/stack.harness.ts';

const SECRET = 'tidings-webhook-secret_0123456789abcdef';

for (const database of DATABASES) {
  describe(`startApp in webhook mode on ${database.name}`, () => {
    let stack: Stack;
    let token: string;
    const botApi = async (method: string) =>
      (await (await fetch(`${stack.telegram?.url}/bot${token}/${method}`)).json()) as {
        result: Record<string, unknown>;
      };

    beforeAll(async () => {
      stack = await startStack(database, {
        telegram: true,
        env: { TELEGRAM_MODE: 'webhook', TELEGRAM_WEBHOOK_SECRET: SECRET },
      });
      token = stack.app.services.config.telegram.botToken ?? '';
    });
    afterAll(async () => {
      await stack?.close();
    });

    it('registers its webhook and answers what Telegram delivers to it', async () => {
      const info = await botApi('getWebhookInfo');
      await stack.chat?.write(9001, '/help', 'Alex');
      const [reply] = (await stack.chat?.inbox(9001, { count: 1 })) ?? [];
      expect({
        url: info.result.url,
        pending: info.result.pending_update_count,
        reply: reply?.text.split('\n')[0],
        webhooks: (await stack.chat?.stats())?.webhooks,
        polled: (await stack.chat?.stats())?.requests.getUpdates ?? 0,
      }).toStrictEqual({
        url: `${stack.app.url}/telegram/webhook`,
        pending: 0,
        reply: 'Ask me in your own words, for example:',
        // Delivered with the secret it registered: a wrong one would be refused and retried.
        webhooks: { delivered: 1, failed: 0 },
        polled: 0,
      });
    });

    it('refuses a missing or wrong secret before reading the body', async () => {
      const post = (headers: Record<string, string>, body: string) =>
        fetch(`${stack.app.url}/telegram/webhook`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body,
        });
      const update = JSON.stringify({ update_id: 1, message: { text: '/privacy' } });
      const answers = [
        await post({}, update),
        await post({ 'x-telegram-bot-api-secret-token': `${SECRET}x` }, update),
        // Not JSON, and over the body limit: refused for the secret, so neither was read.
        await post({ 'x-telegram-bot-api-secret-token': 'wrong' }, `{${'x'.repeat(2_000_000)}`),
      ];
      expect(
        await Promise.all(answers.map(async (a) => ({ status: a.status, body: await a.json() }))),
      ).toStrictEqual(
        Array.from({ length: 3 }, () => ({
          status: 401,
          body: { ok: false, error: 'unauthorized' },
        })),
      );
    });

    it('keeps each chat in order while several chats are delivered at once', async () => {
      const people = [
        { telegramId: 9101, email: 'alex@example.com' },
        { telegramId: 9102, email: 'sam@example.com' },
      ];
      // Each person writes first (a bot cannot start a chat), then connects; the "connected
      // as …" notice comes from the outbox on its own time, so wait for it before counting.
      for (const person of people) {
        await stack.chat?.write(person.telegramId, '/start', 'Alex');
        await stack.chat?.inbox(person.telegramId, { count: 1, timeoutMs: 15_000 });
        const user = await stack.app.parts.frontDoor.users.byTelegramId(String(person.telegramId));
        await connectWithAutoApprove(stack, user!.id, person.email);
        const inbox =
          (await stack.chat?.inbox(person.telegramId, { count: 2, timeoutMs: 15_000 })) ?? [];
        expect(inbox.at(-1)?.text.split(' —')[0]).toBe(`✅ Connected as ${person.email}`);
      }
      await stack.chat?.settings({ webhookConcurrency: 4 });
      // The first calendar calls are slow, so each chat's first answer is the slowest.
      await stack.control('/faults', { body: { path: '/calendar/v3', latencyMs: 400, count: 6 } });
      const before = new Map<number, number>();
      for (const { telegramId } of people) {
        before.set(telegramId, (await stack.chat?.inbox(telegramId))?.length ?? 0);
      }
      for (const text of ['/today', '/help', '/privacy']) {
        for (const { telegramId } of people) await stack.chat?.write(telegramId, text, 'Alex');
      }
      const firstLines = [];
      for (const { telegramId } of people) {
        const skip = before.get(telegramId) ?? 0;
        const inbox =
          (await stack.chat?.inbox(telegramId, { count: skip + 3, timeoutMs: 20_000 })) ?? [];
        firstLines.push(inbox.slice(skip).map((m) => m.text.split(' ·')[0]?.split('\n')[0]));
      }
      expect(firstLines).toStrictEqual(
        people.map(() => [
          '📅 Today',
          'Ask me in your own words, for example:',
          'What Tidings stores about you',
        ]),
      );
    });
  });
}

describe('stopping in webhook mode', () => {
  it('answers the updates received from the webhook before it stops', async () => {
    let calendarCalled: () => void = () => {};
    const calendar = new Promise<void>((resolve) => {
      calendarCalled = resolve;
    });
    const observed: typeof fetch = (input, init) => {
      if (String(input instanceof Request ? input.url : input).includes('/calendar/v3/')) {
        calendarCalled();
      }
      return fetch(input, init);
    };
    const database = DATABASES[0];
    if (!database) throw new Error('no database to test on');
    const stack = await startStack(database, {
      telegram: true,
      env: { TELEGRAM_MODE: 'webhook', TELEGRAM_WEBHOOK_SECRET: SECRET },
      start: { fetch: observed },
    });
    try {
      const user = await stack.app.parts.frontDoor.users.ensureTelegramUser('9301', 'Alex');
      await stack.chat?.write(9301, '/help', 'Alex');
      await stack.chat?.inbox(9301, { count: 1 });
      await connectWithAutoApprove(stack, user.id, 'alex@example.com');
      await stack.control('/faults', { body: { path: '/calendar/v3', latencyMs: 500, count: 2 } });
      await stack.chat?.write(9301, '/today', 'Alex');
      await calendar;
      await stack.app.stop();
      const inbox = (await stack.chat?.inbox(9301)) ?? [];
      expect(inbox.map((m) => m.text.split(' ·')[0]?.split('\n')[0])).toContain('📅 Today');
    } finally {
      await stack.close();
    }
  });
});
