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

    it('acknowledges updates it cannot read with 200, ignores them quietly, and answers on', async () => {
      const marker = 'odd-update-content-7f3a';
      const from = { id: 9201, is_bot: false, first_name: marker };
      const chat = { id: 9201, type: 'private', first_name: marker };
      const odd: unknown[] = [
        { update_id: 1, message: {} },
        { update_id: 2, callback_query: { id: 'cq', data: marker } },
        { update_id: 3, message: { message_id: 1, date: 0, chat: null, from, text: marker } },
        { update_id: 4, message: { message_id: 1, date: 0, chat, text: marker } },
        { update_id: 5, message: { message_id: 1, date: 0, chat: { id: '9201' }, from } },
        { update_id: 6, callback_query: { id: 'cq', from, data: 7, message: { chat } } },
        { update_id: 7, callback_query: { id: 'cq', from: { id: 9201 }, data: marker } },
        { update_id: 8, message: { message_id: 1, date: 0, chat, from: { ...from, id: 'x' } } },
        { update_id: 9, edited_message: { text: marker } },
        { update_id: 10, message: null },
        { update_id: '11', message: { message_id: 1, date: 0, chat, from, text: marker } },
        { update_id: 1.5 },
        { message: { text: marker } },
        {},
        { update_id: 12, message: [marker] },
        { update_id: 13, callback_query: { id: 'cq', from: null, message: { chat } } },
        {
          update_id: 14,
          message: { message_id: 1, date: 0, chat, from: { ...from, language_code: 5 } },
        },
      ];
      const before = stack.logs.length;
      const post = (body: string) =>
        fetch(`${stack.app.url}/telegram/webhook`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-telegram-bot-api-secret-token': SECRET,
          },
          body,
        });
      const answers = [];
      for (const update of odd) {
        const answer = await post(JSON.stringify(update));
        answers.push({ status: answer.status, body: await answer.json() });
      }
      await stack.app.telegram?.idle();
      await stack.chat?.write(9201, '/help', 'Alex');
      const [reply] = (await stack.chat?.inbox(9201, { count: 1 })) ?? [];
      const logs = stack.logs.slice(before);
      expect({
        answers,
        reply: reply?.text.split('\n')[0],
        ignored: logs.filter((l) => l.includes('ignored a Telegram update')).length,
        debugOnly: logs
          .filter((l) => l.includes('ignored a Telegram update'))
          .every((l) => l.includes('"level":20')),
        failed: logs.filter((l) => /"level":(40|50|60)/.test(l)),
        leaked: logs.filter((l) => l.includes(marker)),
      }).toStrictEqual({
        answers: odd.map(() => ({ status: 200, body: { ok: true } })),
        reply: 'Ask me in your own words, for example:',
        ignored: odd.length,
        debugOnly: true,
        failed: [],
        leaked: [],
      });
    });

    it('refuses a body that is not JSON or not an object with a 400, even with the secret', async () => {
      const post = (body: string) =>
        fetch(`${stack.app.url}/telegram/webhook`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-telegram-bot-api-secret-token': SECRET,
          },
          body,
        });
      const answers = [];
      for (const body of ['[1]', '"update"', 'null', '42', 'true', '{"update_id":1,']) {
        const answer = await post(body);
        answers.push({ status: answer.status, body: await answer.json() });
      }
      const notAnObject = {
        status: 400,
        body: { ok: false, error: 'the body is not a Telegram update (a JSON object)' },
      };
      expect(answers).toStrictEqual([
        notAnObject,
        notAnObject,
        notAnObject,
        notAnObject,
        notAnObject,
        {
          status: 400,
          body: {
            type: 'https://tidings.dev/problems/invalid_request',
            title: 'Invalid request',
            status: 400,
            code: 'invalid_request',
            detail: "Body is not valid JSON but content-type is set to 'application/json'",
          },
        },
      ]);
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
