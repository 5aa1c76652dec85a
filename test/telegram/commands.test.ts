import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/telegram/render/help-text.ts';
import { TEXT_ONLY } from '../../src/telegram/dialogue/update-handler.ts';
import { keyboard, startBotFixture } from './bot.harness.ts';
import type { BotFixture } from './bot.harness.ts';
import { CONNECT_URL } from './bot-front-door.harness.ts';

let f: BotFixture;
const userIdOf = (telegramId: number) =>
  [...f.door.users_.values()].find((u) => u.telegramUserId === String(telegramId))?.id ?? '';

beforeAll(async () => {
  f = await startBotFixture();
  await f.door.signUp(6101, 'Alex');
});
afterAll(async () => {
  await f?.close();
});

describe('commands', () => {
  it('registers every command with Telegram', async () => {
    const response = await fetch(`${f.telegram.url}/__sandbox/commands`);
    expect(await response.json()).toStrictEqual(
      COMMANDS.map((c) => ({ command: c.command, description: c.description })),
    );
  });

  it('ignores a command addressed to another bot and answers one addressed to itself', async () => {
    await f.control.write(6101, '/start@other_bot', 'Alex');
    const [reply] = await f.ask(6101, '/help@tidings_sandbox_bot');
    const inbox = await f.control.inbox(6101);
    expect({ first: reply?.text.split('\n')[0], count: inbox.length }).toStrictEqual({
      first: 'Ask me in your own words, for example:',
      count: 1,
    });
  });

  it('answers a message without text with what it can read', async () => {
    const before = (await f.control.inbox(6101)).length;
    await f.bot.handleUpdate({
      update_id: 920_001,
      message: {
        message_id: 99,
        date: 0,
        from: { id: 6101, is_bot: false, first_name: 'Alex' },
        chat: { id: 6101, type: 'private', first_name: 'Alex' },
        photo: [{ file_id: 'f', file_unique_id: 'u', width: 1, height: 1 }],
      },
    });
    expect((await f.control.inbox(6101)).slice(before).map((m) => m.text)).toStrictEqual([
      TEXT_ONLY,
    ]);
  });

  it('stores a time zone typed in any case under its canonical name', async () => {
    const [reply] = await f.ask(6101, '/timezone etc/gmt+5');
    expect({
      reply: reply?.html,
      stored: f.door.users_.get(userIdOf(6101))?.timeZone,
    }).toStrictEqual({
      reply: 'Time zone set to <b>Etc/GMT+5</b> (it is 09:00 there now).',
      stored: 'Etc/GMT+5',
    });
    await f.ask(6101, '/timezone auto');
  });

  it('lists action items with who asks, by when, and a button to open each', async () => {
    const [reply] = await f.ask(6101, '/actions');
    const lines = reply?.html?.split('\n') ?? [];
    const rows = keyboard(reply);
    expect({
      heading: lines.slice(0, 5),
      numbers: rows.flat().map((b) => b.text),
      opens: rows.flat().every((b) => /^o:[0-9a-f]{16}$/.test(b.callback_data ?? '')),
    }).toStrictEqual({
      heading: [
        '✅ <b>To do</b> (the last 7 days)',
        '',
        '<b>1.</b> If you only have time for one section, please look at that one first.',
        '<i>from Dana Whitfield</i> · re: Master services agreement v3 for review',
      ],
      numbers: ['1'],
      opens: true,
    });
  });
});

describe('/accounts with several accounts', () => {
  it('shows each account, offers to switch the default and to reconnect a broken one', async () => {
    await f.door.signUp(6102, 'Sam', 'sam@example.com');
    await f.door.signUp(6102, 'Sam', 'sam@work.example');
    await f.door.signUp(6102, 'Sam', 'sam@old.example');
    const own = f.door.connections_.filter((c) => c.userId === userIdOf(6102));
    for (const [i, c] of own.entries()) c.isDefault = i === 0;
    const broken = own[2];
    if (broken) {
      broken.status = 'needs_reauth';
      broken.statusReason = 'revoked';
    }
    const [accounts] = await f.ask(6102, '/accounts', 1, 'Sam');
    const makeWork = keyboard(accounts).find((row) => row[0]?.text.includes('sam@work'));
    const edited = f.nextCall('answerCallbackQuery');
    await f.control.press(6102, accounts?.message_id ?? 0, makeWork?.[0]?.callback_data ?? '');
    await edited;
    const [after] = await f.control.inbox(6102);
    expect({
      before: accounts?.text,
      buttons: keyboard(accounts).map((row) => row.map((b) => b.text)),
      reconnect: keyboard(accounts)[1]?.[0]?.url,
      after: after?.text.split('\n\n').slice(1, 3),
      defaults: own.map((c) => [c.email, c.isDefault]),
    }).toStrictEqual({
      before: [
        'Your Google accounts',
        '',
        'sam@example.com ⭐ default',
        'Gmail and Calendar · working',
        '',
        'sam@work.example',
        'Gmail and Calendar · working',
        '',
        'sam@old.example',
        'Gmail and Calendar · needs reconnecting: access was revoked at Google',
      ].join('\n'),
      buttons: [
        ['Make sam@work.example default'],
        ['Reconnect sam@old.example'],
        ['Make sam@old.example default'],
        ['Add an account'],
      ],
      reconnect: `${CONNECT_URL}?ticket=${userIdOf(6102)}-${broken?.id}`,
      after: [
        'sam@example.com\nGmail and Calendar · working',
        'sam@work.example ⭐ default\nGmail and Calendar · working',
      ],
      defaults: [
        ['sam@example.com', false],
        ['sam@work.example', true],
        ['sam@old.example', false],
      ],
    });
  });
});
