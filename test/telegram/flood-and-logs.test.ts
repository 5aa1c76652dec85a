import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotFixture, TOKEN } from './bot.harness.ts';
import type { BotFixture } from './bot.harness.ts';

let f: BotFixture;

beforeAll(async () => {
  f = await startBotFixture();
  await f.door.signUp(8101, 'Alex');
  await f.door.signUp(8102, 'Sam');
});
afterAll(async () => {
  await f?.close();
});

describe('Telegram flood control', () => {
  it('waits out a short flood wait, so the person still gets every answer', async () => {
    // One message at once per chat, then one a second: the second answer is told to retry
    // after a second.
    await f.control.settings({ floodLimitPerChat: 1, burst: 1 });
    const [privacy] = await f.ask(8101, '/privacy');
    const [help] = await f.ask(8101, '/help');
    expect({
      privacy: privacy?.text.split('\n')[0],
      help: help?.text.split('\n')[0],
      sendMessage: (await f.control.stats()).requests.sendMessage,
    }).toStrictEqual({
      privacy: 'What Tidings stores about you',
      help: 'Ask me in your own words, for example:',
      // The refused attempt, then the retry: three calls for two answers.
      sendMessage: 3,
    });
  });

  it('logs a flood wait too long to honour as the method, code and description only', async () => {
    await f.control.settings({ floodLimitPerChat: 0.01, burst: 1 });
    await f.ask(8102, '/privacy');
    await f.control.write(8102, '/privacy my secret question about the invoice', 'Sam');
    const line = JSON.parse(await f.logged('telegram update failed')) as Record<string, unknown>;
    const text = JSON.stringify(line);
    expect({
      err: line.err,
      msg: line.msg,
      token: text.includes(TOKEN) || text.includes(TOKEN.split(':')[1] ?? TOKEN),
      userText: text.includes('secret question'),
      replyText: text.includes('What Tidings stores'),
    }).toStrictEqual({
      err: {
        type: 'GrammyError',
        method: 'sendMessage',
        error_code: 429,
        description: expect.stringMatching(/^Too Many Requests: retry after \d+$/),
        retry_after: expect.any(Number),
      },
      msg: 'telegram update failed',
      token: false,
      userText: false,
      replyText: false,
    });
  });
});
