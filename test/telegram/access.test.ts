import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GROUP_REFUSAL,
  RATE_LIMITED,
  notAllowedSentence,
} from '../../src/telegram/dialogue/update-handler.ts';
import { startBotFixture } from './bot.harness.ts';
import type { BotFixture } from './bot.harness.ts';

const date = expect.any(Number);

function textUpdate(updateId: number, userId: number, text: string) {
  return {
    update_id: updateId,
    message: {
      message_id: updateId,
      date: 0,
      from: { id: userId, is_bot: false, first_name: 'Alex' },
      chat: { id: userId, type: 'private' as const, first_name: 'Alex' },
      text,
    },
  };
}

describe('who the bot answers', () => {
  let f: BotFixture;
  beforeAll(async () => {
    f = await startBotFixture();
  });
  afterAll(async () => {
    await f?.close();
  });

  it('refuses politely in a group chat and runs nothing', async () => {
    f.intercept.current = (call) =>
      call.method === 'sendMessage' && call.params.chat_id === -5001
        ? { message_id: 1, date: 0, chat: { id: -5001, type: 'group', title: 'Family' } }
        : undefined;
    await f.bot.handleUpdate({
      update_id: 800_001,
      message: {
        message_id: 7,
        date: 0,
        from: { id: 1201, is_bot: false, first_name: 'Alex' },
        chat: { id: -5001, type: 'group', title: 'Family' },
        text: '/today',
      },
    });
    f.intercept.current = null;
    expect({
      sent: f.calls.filter((c) => c.method === 'sendMessage').map((c) => c.params),
      invoked: f.door.invoked,
      users: f.door.users_.size,
    }).toStrictEqual({
      sent: [
        {
          chat_id: -5001,
          text: GROUP_REFUSAL,
          parse_mode: 'HTML',
          link_preview_options: { is_disabled: true },
        },
      ],
      invoked: [],
      users: 0,
    });
  });

  it('answers a redelivered update once', async () => {
    await f.door.signUp(1202, 'Alex');
    await f.ask(1202, '/help');
    const update = textUpdate(800_002, 1202, '/privacy');
    await f.bot.handleUpdate(update);
    await f.bot.handleUpdate(update);
    const inbox = await f.control.inbox(1202);
    expect(inbox.map((m) => m.text.split('\n')[0])).toStrictEqual([
      'Ask me in your own words, for example:',
      'What Tidings stores about you',
    ]);
  });

  it('limits each person to 20 messages a minute, says so once, then stays quiet', async () => {
    await f.door.signUp(1203, 'Alex');
    for (let i = 0; i < 21; i += 1) await f.control.write(1203, `/help ${i}`, 'Alex');
    const inbox = await f.control.inbox(1203, { count: 21 });
    await f.bot.handleUpdate(textUpdate(800_003, 1203, '/help'));
    expect({
      helps: inbox.slice(0, 20).every((m) => m.text.startsWith('Ask me in your own words')),
      last: inbox[20]?.text,
      total: (await f.control.inbox(1203)).length,
      otherPeople: (await f.ask(1204, '/help'))[0]?.text.startsWith('Ask me'),
    }).toStrictEqual({ helps: true, last: RATE_LIMITED, total: 21, otherPeople: true });
  });
});

describe('the allow-list', () => {
  let f: BotFixture;
  beforeAll(async () => {
    f = await startBotFixture({ allowedUsers: ['2001'] });
  });
  afterAll(async () => {
    await f?.close();
  });

  it('answers an allowed person', async () => {
    const [reply] = await f.ask(2001, '/help');
    expect(reply?.text.split('\n')[0]).toStrictEqual('Ask me in your own words, for example:');
  });

  it('turns away anyone else, telling them their id, without creating a user', async () => {
    expect({
      replies: await f.ask(2002, "what's on today?", 1, 'Mallory'),
      users: [...f.door.users_.values()].map((u) => u.telegramUserId),
    }).toStrictEqual({
      replies: [
        {
          message_id: 2,
          text: notAllowedSentence(2002),
          html: notAllowedSentence(2002),
          link_preview_options: { is_disabled: true },
          date,
        },
      ],
      users: ['2001'],
    });
  });
});
