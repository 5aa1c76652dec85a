import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTelegramControl } from './control-client.ts';
import { startTelegramSandbox } from './index.ts';
import type { TelegramSandbox } from './index.ts';

const TOKEN = '434343:AAHsandboxTokenForGetUpdatesTests_0123';
let sandbox: TelegramSandbox;
let control: ReturnType<typeof createTelegramControl>;

async function call(method: string, params: Record<string, unknown> = {}, token = TOKEN) {
  const response = await fetch(`${sandbox.url}/bot${token}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(params),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const bad = (status: number, description: string, parameters?: Record<string, unknown>) => ({
  status,
  body: { ok: false, error_code: status, description, ...(parameters ? { parameters } : {}) },
});

beforeAll(async () => {
  sandbox = await startTelegramSandbox({ port: 0, host: '127.0.0.1' });
  control = createTelegramControl(sandbox.url);
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.reset());

describe('getUpdates', () => {
  it('keeps updates until an offset confirms them', async () => {
    await call('getMe');
    await control.write(7, 'one');
    await control.write(7, 'two');
    type Update = { update_id: number; message: { text: string } };
    const fetchUpdates = async (params: Record<string, unknown>) =>
      (await call('getUpdates', params)).body.result as Update[];
    const all = await fetchUpdates({});
    const first = all[0]?.update_id ?? 0;
    const texts = (updates: Update[]) => updates.map((u) => [u.update_id - first, u.message.text]);
    expect(texts(all)).toStrictEqual([
      [0, 'one'],
      [1, 'two'],
    ]);
    expect(texts(await fetchUpdates({ offset: first + 1 }))).toStrictEqual([[1, 'two']]);
    expect(texts(await fetchUpdates({ offset: first + 2 }))).toStrictEqual([]);
    await control.write(7, 'three');
    await control.write(7, 'four');
    expect(texts(await fetchUpdates({ offset: -1 }))).toStrictEqual([[3, 'four']]);
  });

  it('queues messages written before any bot called for the first token that does', async () => {
    const fresh = await startTelegramSandbox({});
    try {
      await createTelegramControl(fresh.url).write(8, '/start deep_link-1', 'Sam');
      const token = '777:BBHsandboxTokenWrittenBeforeConnect_99';
      const response = await fetch(`${fresh.url}/bot${token}/getUpdates?limit=1`);
      expect(await response.json()).toStrictEqual({
        ok: true,
        result: [
          {
            update_id: expect.any(Number),
            message: {
              message_id: 1,
              from: { id: 8, is_bot: false, first_name: 'Sam', language_code: 'en' },
              chat: { id: 8, type: 'private', first_name: 'Sam' },
              date: expect.any(Number),
              text: '/start deep_link-1',
              entities: [{ type: 'bot_command', offset: 0, length: 6 }],
            },
          },
        ],
      });
    } finally {
      await fresh.close();
    }
  });

  it('answers a long poll as soon as an update arrives', async () => {
    await call('getMe');
    const poll = call('getUpdates', { timeout: 50 });
    await control.write(7, 'wake up');
    const { body } = await poll;
    expect(
      (body.result as { message: { text: string } }[]).map((u) => u.message.text),
    ).toStrictEqual(['wake up']);
  });

  it('delivers only the update types named in allowed_updates', async () => {
    await control.write(7, 'hello');
    const sent = await call('sendMessage', {
      chat_id: 7,
      text: 'pick',
      reply_markup: { inline_keyboard: [[{ text: 'A', callback_data: 'a' }]] },
    });
    await call('getUpdates', { offset: -1, allowed_updates: ['callback_query'] });
    const messageId = (sent.body.result as { message_id: number }).message_id;
    await control.write(7, 'ignored');
    await control.press(7, messageId, 'a');
    const updates = (await call('getUpdates')).body.result as Record<string, unknown>[];
    expect(updates.map((update) => Object.keys(update))).toStrictEqual([
      ['update_id', 'callback_query'],
    ]);
  });

  it('ends a waiting long poll with 409 when a newer getUpdates arrives', async () => {
    await call('getMe');
    await call('getUpdates', { offset: -1 });
    const polls = (await control.stats()).requests.getUpdates ?? 0;
    const older = call('getUpdates', { timeout: 50 });
    // The older poll is waiting once the sandbox has counted it (no event to await here).
    while (((await control.stats()).requests.getUpdates ?? 0) <= polls) {}
    const newer = await call('getUpdates', { timeout: 0 });
    expect(newer.status).toBe(200);
    expect(await older).toStrictEqual(
      bad(
        409,
        'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
      ),
    );
  });
});
