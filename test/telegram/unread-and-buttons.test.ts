/**
 * `/unread` as a list of the unread mail with the totals after it; connect buttons removed
 * from earlier messages once an account is connected; and the privacy statement saying
 * what the chat keeps, and for how long.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyboard, startBotFixture } from './bot.harness.ts';
import type { BotFixture } from './bot.harness.ts';

let f: BotFixture;

beforeAll(async () => {
  f = await startBotFixture();
});
afterAll(async () => {
  await f?.close();
});

describe('/unread', () => {
  it('lists the newest unread mail first, then the totals, and opens it by number', async () => {
    await f.door.signUp(7101, 'Alex');
    const [unread] = await f.ask(7101, '/unread');
    const [shown] = await f.ask(7101, 'show unread');
    const [opened] = await f.ask(7101, 'open 1');
    expect({
      text: unread?.text,
      numbers: keyboard(unread)[0]?.map((b) => b.text),
      nav: keyboard(unread)[1]?.map((b) => b.text),
      same: shown?.text === unread?.text,
      opened: opened?.text.split('\n').slice(0, 2),
      invoked: f.door.invoked.slice(-3),
    }).toStrictEqual({
      text: [
        '📥 Unread in your inbox',
        '',
        '1. Maya Lopez · 3 days ago',
        "Re: Dinner for Noor's 30th on Saturday?",
        '',
        '2. Figment Community · 3 days ago',
        '[Figment Community] Weekly digest: icon grids, variables, plugins',
        '',
        '3. Priya Natarajan · 4 days ago',
        'Great pitch today 🎉',
        '',
        '4. Kiln CI · 4 days ago',
        '[fernhill/lumen-site] Deployed to production',
        '',
        '5. Jess Moreau · 4 days ago',
        'Timesheets due today at 5pm',
        '',
        // The seed inbox: 21 unread messages in 18 conversations; labels overlap.
        '21 unread messages in your inbox, in 18 conversations.',
        'Unread by label: Primary 16, Clients 5, Updates 2, Forums 1, Invoices 1, Promotions 1, … (a message can carry several labels, so these overlap).',
      ].join('\n'),
      numbers: ['1', '2', '3', '4', '5'],
      nav: ['More ›'],
      same: true,
      opened: [
        "Re: Dinner for Noor's 30th on Saturday?",
        'From: Maya Lopez <maya.lopez@postbox.example>',
      ],
      invoked: ['gmail.search', 'gmail.unread', 'gmail.read'],
    });
  });

  it('pages on through the unread mail in the same form', async () => {
    await f.door.signUp(7102, 'Alex');
    const [unread] = await f.ask(7102, '/unread');
    const turned = f.nextCall('answerCallbackQuery');
    await f.control.press(
      7102,
      unread?.message_id ?? 0,
      keyboard(unread)[1]?.[0]?.callback_data ?? '',
    );
    await turned;
    const [page] = (await f.control.inbox(7102)).filter((m) => m.message_id === unread?.message_id);
    expect({
      lines: page?.text.split('\n').slice(0, 4),
      numbers: keyboard(page)[0]?.map((b) => b.text),
      nav: keyboard(page)[1]?.map((b) => b.text),
    }).toStrictEqual({
      lines: [
        '📥 Unread in your inbox',
        '',
        expect.stringMatching(/^6\. .+ · \d+ days ago$/),
        expect.any(String),
      ],
      numbers: ['6', '7', '8', '9', '10'],
      nav: ['‹ Back', 'More ›'],
    });
  });
});

describe('spent connect buttons', () => {
  it('are removed from earlier messages once an account is connected; other buttons stay', async () => {
    const user = await f.door.signUp(7111, 'Sam', 'sam@example.com');
    await f.door.signUp(7111, 'Sam', 'sam@work.example');
    const own = f.door.connections_.filter((c) => c.userId === user.id);
    for (const [i, c] of own.entries()) c.isDefault = i === 0;
    const [welcome] = await f.ask(7111, '/start connect', 1, 'Sam');
    const [accounts] = await f.ask(7111, '/accounts', 1, 'Sam');
    const [help] = await f.ask(7111, '/help', 1, 'Sam');
    const before = [welcome, accounts].map((m) => keyboard(m).map((row) => row.map((b) => b.text)));
    await f.door.outbox.enqueue({
      userId: user.id,
      kind: 'connected',
      payload: { email: 'sam@home.example', capabilities: ['gmail', 'calendar'] },
    });
    expect(await f.bot.deliverOutbox()).toStrictEqual(1);
    const after = new Map((await f.control.inbox(7111)).map((m) => [m.message_id, m]));
    expect({
      before,
      welcome: after.get(welcome?.message_id ?? 0)?.reply_markup ?? null,
      accounts: keyboard(after.get(accounts?.message_id ?? 0)).map((row) => row.map((b) => b.text)),
      help: after.get(help?.message_id ?? 0)?.edited ?? false,
      notice: [...after.values()].at(-1)?.text.split('\n')[0],
    }).toStrictEqual({
      before: [[['Connect Google']], [['Make sam@work.example default'], ['Add an account']]],
      welcome: null,
      accounts: [['Make sam@work.example default']],
      help: false,
      notice: '✅ Connected as sam@home.example — Gmail and Calendar.',
    });
  });

  it('ignores a message Telegram no longer lets the bot edit', async () => {
    const user = await f.door.signUp(7112, 'Kim');
    f.door.connectButtons_.set('7112:999', {
      userId: user.id,
      message: { chatId: 7112, messageId: 999, keyboard: null },
    });
    await f.ask(7112, '/help', 1, 'Kim');
    await f.door.outbox.enqueue({
      userId: user.id,
      kind: 'connected',
      payload: { email: 'alex@example.com', capabilities: ['gmail', 'calendar'] },
    });
    expect(await f.bot.deliverOutbox()).toStrictEqual(1);
    expect((await f.control.inbox(7112)).at(-1)?.text.split('\n')[0]).toStrictEqual(
      '✅ Connected as alex@example.com — Gmail and Calendar.',
    );
  });
});

describe('the privacy statement', () => {
  it('says what the chat keeps for follow-ups and of each message, and for how long', async () => {
    await f.door.signUp(7121, 'Alex');
    const [privacy] = await f.ask(7121, '/privacy');
    expect(privacy?.text.split('\n').slice(5, 8)).toStrictEqual([
      '• For 15 minutes after your last message, so that "open 1", "more" or "and friday?" work: your last few questions (up to 6), which list I showed last (the ids of its messages or events), the day and the mail search you asked about, and the name and address of the sender of the mail you opened last. Then it is deleted.',
      '• Each message you send, until it is answered (usually under a second); then only its Telegram update id, for 7 days, so a message Telegram delivers twice is answered once.',
      '• For up to 2 days, which of my messages carry a "Connect Google" button, so I can remove those buttons once you have connected.',
    ]);
  });
});
