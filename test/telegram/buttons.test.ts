import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPIRED_NOTE } from '../../src/telegram/dialogue/button-handlers.ts';
import { keyboard, startBotFixture } from './bot.harness.ts';
import type { BotFixture } from './bot.harness.ts';

let f: BotFixture;

beforeAll(async () => {
  f = await startBotFixture();
  await f.door.signUp(4101, 'Alex');
});
afterAll(async () => {
  await f?.close();
});

const answersSoFar = () => f.calls.filter((c) => c.method === 'answerCallbackQuery').length;

describe('inline buttons', () => {
  it('takes a double tap as one: the second edit changes nothing and says nothing', async () => {
    const [privacy] = await f.ask(4101, '/privacy');
    const data = keyboard(privacy)[0]?.[0]?.callback_data ?? '';
    const before = answersSoFar();
    const presses = await Promise.all([
      f.control.press(4101, privacy?.message_id ?? 0, data),
      f.control.press(4101, privacy?.message_id ?? 0, data),
    ]);
    const answers = await f.callCount('answerCallbackQuery', before + 2);
    const inbox = await f.control.inbox(4101);
    expect({
      answered: answers
        .slice(before)
        .map((a) => a.params.callback_query_id)
        .sort(),
      messages: inbox.map((m) => m.text.split('\n')[0]),
      edited: inbox[0]?.edited,
    }).toStrictEqual({
      answered: presses.map((p) => p.callback_query_id).sort(),
      messages: ['Delete everything?'],
      edited: true,
    });
  });

  it('answers a button press whose message Telegram no longer attaches', async () => {
    const before = answersSoFar();
    await f.bot.handleUpdate({
      update_id: 910_001,
      callback_query: {
        id: 'cq-no-message',
        from: { id: 4101, is_bot: false, first_name: 'Alex' },
        chat_instance: '4101',
        data: 'pd',
      },
    });
    expect(
      f.calls
        .slice(0)
        .filter((c) => c.method === 'answerCallbackQuery')
        .slice(before),
    ).toStrictEqual([
      {
        method: 'answerCallbackQuery',
        params: { callback_query_id: 'cq-no-message', text: EXPIRED_NOTE },
      },
    ]);
  });
});
