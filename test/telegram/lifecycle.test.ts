import { afterEach, describe, expect, it } from 'vitest';
import { NOW, startBotFixture } from './bot.harness.ts';
import type { BotFixture } from './bot.harness.ts';

const WEEK_MS = 7 * 86_400_000;
let f: BotFixture | null = null;

afterEach(async () => {
  await f?.close();
  f = null;
});

describe('starting and stopping the bot', () => {
  it('prunes seen updates older than a week as it starts', async () => {
    f = await startBotFixture();
    expect(f.door.pruned).toStrictEqual([new Date(NOW.getTime() - WEEK_MS)]);
  });

  it('answers the updates it has received before it stops', async () => {
    f = await startBotFixture();
    await f.door.signUp(9201, 'Alex');
    await f.google.control('POST', '/__sandbox/faults', {
      path: '/calendar/v3',
      latencyMs: 500,
      count: 2,
    });
    const typing = f.nextCall('sendChatAction');
    await f.control.write(9201, '/today', 'Alex');
    // The update is being answered (Google is slow, so the chat shows typing…).
    await typing;
    await f.bot.stop();
    const inbox = await f.control.inbox(9201);
    expect(inbox.map((m) => m.text.split(' ·')[0])).toStrictEqual(['📅 Today']);
  });

  it('stops within its bound when an answer takes too long, and says so', async () => {
    f = await startBotFixture({ drainTimeoutMs: 50 });
    await f.door.signUp(9202, 'Alex');
    await f.google.control('POST', '/__sandbox/faults', {
      path: '/calendar/v3',
      latencyMs: 3_000,
      count: 1,
    });
    const typing = f.nextCall('sendChatAction');
    await f.control.write(9202, '/today', 'Alex');
    await typing;
    await f.bot.stop();
    const line = JSON.parse(await f.logged('stopped before every')) as Record<string, unknown>;
    expect({ msg: line.msg, chats: line.chats }).toStrictEqual({
      msg: 'stopped before every Telegram update was answered',
      chats: 1,
    });
  });
});
