/**
 * Updates of shapes the bot cannot read — an empty message, a button press without a
 * sender, a `null` chat, a batch that is not even made of objects — arriving by long
 * polling: each is skipped, polling goes on, and the next real message is answered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotFixture } from './bot.harness.ts';
import type { BotFixture } from './bot.harness.ts';

let f: BotFixture;

beforeAll(async () => {
  f = await startBotFixture();
  await f.door.signUp(6301, 'Alex');
});
afterAll(async () => {
  await f?.close();
});

/** Low update ids: below the sandbox's own, so skipping them never skips a real update. */
const ODD: unknown[] = [
  { update_id: 1, message: {} },
  { update_id: 2, callback_query: { id: 'cq', data: 'pd' } },
  { update_id: 3, message: { message_id: 1, date: 0, chat: null, text: '/help' } },
  {
    update_id: 4,
    callback_query: { id: 'cq', from: { id: 6301 }, message: { message_id: 1, chat: null } },
  },
  { update_id: 5, edited_message: { message_id: 1, chat: { id: 6301 } } },
  { update_id: '6', message: { text: '/help' } },
  { message: { text: '/help' } },
  null,
  'update',
  [],
];

describe('odd updates by long polling', () => {
  it('skips updates it cannot read and keeps answering', async () => {
    const polled = f.calls.filter((c) => c.method === 'getUpdates').length;
    // The poll after the one in flight answers the odd batch, once.
    f.intercept.current = (call) => {
      if (call.method !== 'getUpdates') return undefined;
      f.intercept.current = null;
      return ODD;
    };
    const [first] = await f.ask(6301, '/help');
    await f.callCount('getUpdates', polled + 2);
    const [second] = await f.ask(6301, '/privacy');
    expect({
      first: first?.text.split('\n')[0],
      second: second?.text.split('\n')[0],
      failed: f.logs.filter((l) => l.includes('telegram update failed')),
    }).toStrictEqual({
      first: 'Ask me in your own words, for example:',
      second: 'What Tidings stores about you',
      failed: [],
    });
  });

  it('ignores an odd update handed to it directly', async () => {
    const before = f.calls.length;
    for (const update of ODD) await f.bot.handleUpdate(update as never);
    expect(f.calls.slice(before).filter((c) => c.method !== 'getUpdates')).toStrictEqual([]);
  });
});
