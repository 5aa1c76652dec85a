import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TidingsError } from '../../src/errors.ts';
import { startBotFixture } from './bot.harness.ts';
import type { BotFixture } from './bot.harness.ts';
import { CONNECT_URL } from './bot-front-door.harness.ts';

let f: BotFixture;
const date = expect.any(Number);
const NO_PREVIEW = { is_disabled: true };

beforeAll(async () => {
  f = await startBotFixture();
});
afterAll(async () => {
  await f?.close();
});

describe('notifications from the outbox', () => {
  it('tells about a broken grant once, with a reconnect button', async () => {
    const user = await f.door.signUp(4001, 'Alex');
    await f.ask(4001, '/help');
    await f.door.outbox.enqueue({
      userId: user.id,
      kind: 'connection_broken',
      payload: { email: 'alex@example.com', reason: 'revoked', connectionId: 'conn-2' },
    });
    const first = await f.bot.deliverOutbox();
    const second = await f.bot.deliverOutbox();
    expect({ first, second, inbox: (await f.control.inbox(4001)).slice(1) }).toStrictEqual({
      first: 1,
      second: 0,
      inbox: [
        {
          message_id: 3,
          text: '⚠️ I can no longer read alex@example.com: access was revoked at Google. Reconnect it to keep your answers and briefings coming.',
          html: '⚠️ I can no longer read <b>alex@example.com</b>: access was revoked at Google. Reconnect it to keep your answers and briefings coming.',
          reply_markup: {
            inline_keyboard: [
              [{ text: 'Reconnect Google', url: `${CONNECT_URL}?ticket=${user.id}-conn-2` }],
            ],
          },
          link_preview_options: NO_PREVIEW,
          date,
        },
      ],
    });
  });

  it('says why when Google disabled the account, for hijacking or otherwise', async () => {
    const user = await f.door.signUp(4010, 'Noa');
    await f.ask(4010, '/help');
    for (const eventReason of ['hijacking', null]) {
      await f.door.outbox.enqueue({
        userId: user.id,
        kind: 'connection_broken',
        payload: {
          email: 'noa@example.com',
          reason: 'revoked',
          securityEvent: 'account-disabled',
          eventReason,
          connectionId: 'conn-9',
        },
      });
    }
    expect(await f.bot.deliverOutbox()).toStrictEqual(2);
    expect(
      (await f.control.inbox(4010)).slice(1).map((m) => [m.html, m.reply_markup]),
    ).toStrictEqual([
      [
        '⚠️ Google disabled <b>noa@example.com</b> because someone else may have taken it over, so I deleted the access it gave me. Secure the account with Google first, then reconnect it.',
        {
          inline_keyboard: [
            [{ text: 'Reconnect Google', url: `${CONNECT_URL}?ticket=${user.id}-conn-9` }],
          ],
        },
      ],
      [
        '⚠️ Google disabled <b>noa@example.com</b>, so I can no longer read it and deleted the access it gave me. Once Google enables it again, reconnect it.',
        {
          inline_keyboard: [
            [{ text: 'Reconnect Google', url: `${CONNECT_URL}?ticket=${user.id}-conn-9` }],
          ],
        },
      ],
    ]);
  });

  it('does not repeat a break that the answer to a question has just explained', async () => {
    const user = await f.door.signUp(4009, 'Alex');
    f.door.failNext(
      new TidingsError('reauth_required', 'refresh failed', {
        reason: 'revoked',
        connectionId: 'conn-77',
      }),
    );
    const [answer] = await f.ask(4009, '/today');
    for (const connectionId of ['conn-77', 'conn-78']) {
      await f.door.outbox.enqueue({
        userId: user.id,
        kind: 'connection_broken',
        payload: { email: `${connectionId}@example.com`, reason: 'revoked', connectionId },
      });
    }
    const sent = await f.bot.deliverOutbox();
    expect({
      answer: answer?.text,
      sent,
      inbox: (await f.control.inbox(4009)).slice(1).map((m) => m.text),
      settled: f.door.outbox_
        .filter((o) => o.userId === user.id)
        .map((o) => [o.connectionId, o.deliveredAt !== null]),
    }).toStrictEqual({
      answer:
        "I can't reach your Google account: access was revoked at Google. Reconnect it and ask me again.",
      sent: 1,
      inbox: [
        '⚠️ I can no longer read conn-78@example.com: access was revoked at Google. Reconnect it to keep your answers and briefings coming.',
      ],
      settled: [
        ['conn-77', true],
        ['conn-78', true],
      ],
    });
  });

  it('says which account and services a new connection brings, and how to remove it', async () => {
    const user = await f.door.signUp(4002, 'Sam');
    await f.ask(4002, '/help');
    await f.door.outbox.enqueue({
      userId: user.id,
      kind: 'connected',
      payload: { email: 'alex@example.com', capabilities: ['gmail', 'calendar'] },
    });
    expect(await f.bot.deliverOutbox()).toStrictEqual(1);
    const notice = (await f.control.inbox(4002)).at(-1);
    expect({ text: notice?.text, buttons: notice?.reply_markup ?? null }).toStrictEqual({
      text: '✅ Connected as alex@example.com — Gmail and Calendar.\n\nTry "What\'s on today?", "Any unread mail?" or /help.\n\nNot you? If you did not connect this Google account, remove it now with /disconnect alex@example.com',
      buttons: null,
    });
  });

  it('suggests only what was granted, and says how to add what was left unticked', async () => {
    const user = await f.door.signUp(4011, 'Ari');
    await f.ask(4011, '/help');
    for (const capabilities of [['gmail'], ['calendar'], []]) {
      await f.door.outbox.enqueue({
        userId: user.id,
        kind: 'connected',
        connectionId: 'conn-5',
        payload: { email: 'ari@example.com', capabilities },
      });
    }
    expect(await f.bot.deliverOutbox()).toStrictEqual(3);
    const reconnect = {
      inline_keyboard: [
        [{ text: 'Reconnect Google', url: `${CONNECT_URL}?ticket=${user.id}-conn-5` }],
      ],
    };
    const notYou =
      'Not you? If you did not connect this Google account, remove it now with /disconnect ari@example.com';
    expect(
      (await f.control.inbox(4011))
        .slice(1)
        .map((m) => ({ text: m.text, buttons: m.reply_markup })),
    ).toStrictEqual([
      {
        text: `✅ Connected as ari@example.com — Gmail.\n\nTry "Any unread mail?" or /help.\n\nGoogle Calendar was left unticked, so I cannot read your agenda. To add it, reconnect and tick Google Calendar on Google's page.\n\n${notYou}`,
        // The earlier notices' buttons are spent once the next account is connected.
        buttons: undefined,
      },
      {
        text: `✅ Connected as ari@example.com — Calendar.\n\nTry "What's on today?" or /help.\n\nGmail was left unticked, so I cannot read your mail. To add it, reconnect and tick Gmail on Google's page.\n\n${notYou}`,
        buttons: undefined,
      },
      {
        text: `✅ Connected as ari@example.com — no services yet.\n\nNeither Gmail nor Google Calendar was ticked, so I cannot read anything yet. Reconnect and tick both on Google's page.\n\n${notYou}`,
        buttons: reconnect,
      },
    ]);
  });

  it('settles at once, without sending, a notice for a user with no Telegram chat', async () => {
    const runtimeOnly = await f.door.users.create({ displayName: 'Runtime only' });
    // Known to Telegram by id, but never wrote to the bot: Telegram knows no such chat.
    const neverWrote = await f.door.users.create({ displayName: 'Quiet', telegramUserId: '4099' });
    for (const user of [runtimeOnly, neverWrote]) {
      await f.door.outbox.enqueue({
        userId: user.id,
        kind: 'connected',
        payload: { email: 'alex@example.com', capabilities: ['gmail'] },
      });
    }
    const sentBefore = f.calls.filter((c) => c.method === 'sendMessage').length;
    const delivered = [await f.bot.deliverOutbox(), await f.bot.deliverOutbox()];
    const sent = f.calls.filter((c) => c.method === 'sendMessage').slice(sentBefore);
    const items = [runtimeOnly, neverWrote].map((u) =>
      f.door.outbox_.find((o) => o.userId === u.id),
    );
    expect({
      delivered,
      sentTo: sent.map((c) => c.params.chat_id),
      attempts: items.map((item) => item?.attempts),
      errors: items.map((item) => item?.errors),
    }).toStrictEqual({
      delivered: [0, 0],
      sentTo: [4099],
      attempts: [1, 1],
      errors: [['not_found'], ['telegram 400: Bad Request: chat not found']],
    });
  });

  it("builds the daily briefing from today's agenda, unread mail and action items", async () => {
    const user = await f.door.signUp(4003, 'Kim');
    await f.ask(4003, '/help');
    await f.door.outbox.enqueue({ userId: user.id, kind: 'briefing', payload: {} });
    expect(await f.bot.deliverOutbox()).toStrictEqual(1);
    const text = (await f.control.inbox(4003)).at(-1)?.text ?? '';
    expect(text.split('\n').slice(0, 11)).toStrictEqual([
      '☀️ Your briefing, Kim · Tuesday 3 March',
      '',
      'Today',
      '04:00–04:30  Call with Ellis Park (London print studio)',
      '09:00–09:15  Daily stand-up',
      '11:00–12:00  Studio team meeting',
      '12:30–13:30  Lunch with Alice Chen',
      '',
      'Mail',
      '21 unread in your inbox.',
      '',
    ]);
  });

  it('marks an item failed when the user blocked the bot, and does not try again', async () => {
    const user = await f.door.signUp(4004, 'Lee');
    await f.ask(4004, '/help');
    await f.control.block(4004);
    await f.door.outbox.enqueue({
      userId: user.id,
      kind: 'connected',
      payload: { email: 'alex@example.com', capabilities: ['gmail'] },
    });
    const delivered = [await f.bot.deliverOutbox(), await f.bot.deliverOutbox()];
    const item = f.door.outbox_.find((o) => o.userId === user.id);
    expect({ delivered, attempts: item?.attempts, errors: item?.errors }).toStrictEqual({
      delivered: [0, 0],
      attempts: 1,
      errors: ['telegram 403: Forbidden: bot was blocked by the user'],
    });
  });

  it('sends a briefing on request of the scheduler', async () => {
    const user = await f.door.signUp(4005, 'Ana');
    await f.ask(4005, '/help');
    await f.bot.sendBriefing(user.id);
    expect((await f.control.inbox(4005)).at(-1)?.text.split('\n')[0]).toStrictEqual(
      '☀️ Your briefing, Ana · Tuesday 3 March',
    );
  });
});
