import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyboard, startBotFixture } from './bot.harness.ts';
import type { BotFixture } from './bot.harness.ts';
import { CONNECT_URL } from './bot-front-door.harness.ts';

let f: BotFixture;
const NO_PREVIEW = { is_disabled: true };
const date = expect.any(Number);

beforeAll(async () => {
  f = await startBotFixture();
  await f.door.signUp(1001, 'Alex');
});
afterAll(async () => {
  await f?.close();
});

describe('a conversation through the Telegram sandbox', () => {
  it('welcomes a new person with a button to connect Google', async () => {
    const [reply] = await f.ask(1100, '/start', 1, 'Robin');
    expect(reply).toStrictEqual({
      message_id: 2,
      text: '👋 Hi Robin! I read your Gmail and Google Calendar and answer here, in your own words or with commands.\n\nFirst, connect your Google account: I only ask to read, never to send or change anything.',
      html: '👋 Hi Robin! I read your Gmail and Google Calendar and answer here, in your own words or with commands.\n\nFirst, connect your Google account: I only ask to read, never to send or change anything.',
      reply_markup: {
        inline_keyboard: [[{ text: 'Connect Google', url: `${CONNECT_URL}?ticket=user-3` }]],
      },
      link_preview_options: NO_PREVIEW,
      date,
    });
  });

  it('offers the connect button for the deep link payload even when connected', async () => {
    const [reply] = await f.ask(1001, '/start connect');
    expect(reply?.reply_markup).toStrictEqual({
      inline_keyboard: [[{ text: 'Connect Google', url: `${CONNECT_URL}?ticket=user-1` }]],
    });
  });

  it("answers /today with the day's events in the calendar's zone", async () => {
    const [reply] = await f.ask(1001, '/today');
    expect(reply?.html).toStrictEqual(
      [
        '📅 <b>Today</b> · Tuesday 3 March',
        '',
        '04:00–04:30  Call with Ellis Park (London print studio) (maybe, ended)',
        '09:00–09:15  Daily stand-up',
        '   🎥 <a href="https://meet.google.com/kdr-mpqt-vzn">Join call</a>',
        '11:00–12:00  Studio team meeting',
        '   📍 Brightline Studio, 2nd floor',
        '   🎥 <a href="https://meet.google.com/bqe-hmtr-kfa">Join call</a>',
        '12:30–13:30  Lunch with Alice Chen',
        '   📍 Tartine Bistro, 214 Grand St, New York',
      ].join('\n'),
    );
  });

  it('reads "what\'s on tomorrow?" as tomorrow\'s agenda', async () => {
    const [reply] = await f.ask(1001, "what's on tomorrow?");
    expect(reply?.text).toStrictEqual(
      [
        '📅 Tomorrow · Wednesday 4 March',
        '',
        '4 – 6 Mar  Config Design Summit',
        '   📍 Boston Convention Center',
        '09:00–09:15  Daily stand-up',
        '   🎥 Join call',
        '19:00–19:45  Sync with Kenji Sato (Tokyo office)',
        '   🎥 Join call',
      ].join('\n'),
    );
  });

  it('answers "anything from Alice?" with her mail, escaped, previews off, buttons to open and page', async () => {
    const [reply] = await f.ask(1001, 'anything from Alice?');
    const lines = reply?.html?.split('\n') ?? [];
    expect({
      head: lines.slice(0, 5),
      count: reply?.text.match(/Alice Chen · /g)?.length,
      preview: reply?.link_preview_options,
      openRow: keyboard(reply)[0]?.length,
      nav: keyboard(reply)[1]?.map((b) => b.text),
    }).toStrictEqual({
      head: [
        '<b>Mail from alice</b>',
        '',
        '<b>1.</b> ● <b>Quote Q-2210 - Harbor &amp; Pine menus</b>',
        'Alice Chen · Thursday 26 February at 14:40',
        "<i>Hi Alex, Here's the quote you asked for: 400 menus, A4 folded, 300 gsm uncoated, $612.00 including delivery. Prices hold for 30 days. (And…</i>",
      ],
      count: 5,
      preview: NO_PREVIEW,
      openRow: 5,
      nav: ['More ›'],
    });
  });

  it('opens a message from its button, with an Open in Gmail button and previews off', async () => {
    const [list] = await f.ask(1001, 'anything from Alice?');
    const keyboard = list?.reply_markup?.inline_keyboard as Array<Array<{ callback_data: string }>>;
    const data = keyboard[0]?.[1]?.callback_data ?? '';
    const before = (await f.control.inbox(1001)).length;
    await f.control.press(1001, list?.message_id ?? 0, data);
    const [opened] = (await f.control.inbox(1001, { count: before + 1 })).slice(before);
    const id = data.slice(2);
    expect({
      head: opened?.text.split('\n').slice(0, 4),
      quoted: opened?.html?.includes('<blockquote>Hi Alex,'),
      buttons: opened?.reply_markup,
      preview: opened?.link_preview_options,
    }).toStrictEqual({
      head: [
        'Re: Invoice NW-4471 - Lumen Health brochure print run',
        'From: Alice Chen <alice@northwind.example>',
        'To: Alex Rivera <alex@example.com>',
        'Date: Tuesday 24 February at 13:15',
      ],
      quoted: true,
      buttons: {
        inline_keyboard: [
          [
            {
              text: 'Open in Gmail',
              url: `https://mail.google.com/mail/u/alex@example.com/#all/${id}`,
            },
          ],
        ],
      },
      preview: NO_PREVIEW,
    });
  });

  it('pages forward and back through results by editing the message in place', async () => {
    const [first] = await f.ask(1001, '/inbox');
    const more = keyboard(first)[1]?.[0]?.callback_data;
    const edited = f.nextCall('answerCallbackQuery');
    await f.control.press(1001, first?.message_id ?? 0, more ?? '');
    await edited;
    const [second] = (await f.control.inbox(1001)).filter(
      (m) => m.message_id === first?.message_id,
    );
    const nav = keyboard(second)[1];
    const back = f.nextCall('answerCallbackQuery');
    await f.control.press(1001, first?.message_id ?? 0, nav?.[0]?.callback_data ?? '');
    await back;
    const [again] = (await f.control.inbox(1001)).filter((m) => m.message_id === first?.message_id);
    expect({
      secondStartsAt: second?.text.split('\n')[2]?.slice(0, 3),
      edited: second?.edited,
      nav: nav?.map((b) => b.text),
      backToFirst: again?.text,
    }).toStrictEqual({
      secondStartsAt: '6. ',
      edited: true,
      nav: ['‹ Back', 'More ›'],
      backToFirst: first?.text,
    });
  });

  it('answers an expired paging button politely', async () => {
    // A key whose kept state has expired (or never existed).
    const [list] = await f.ask(1001, '/inbox');
    const from = { id: 1001, is_bot: false, first_name: 'Alex' };
    const chat = { id: 1001, type: 'private' as const, first_name: 'Alex' };
    await f.bot.handleUpdate({
      update_id: 900_001,
      callback_query: {
        id: 'cq-expired',
        from,
        chat_instance: '1001',
        data: 'p~forgotten1',
        message: { message_id: list?.message_id ?? 0, date: 0, chat, text: list?.text ?? '' },
      },
    });
    expect(f.calls.filter((c) => c.method === 'answerCallbackQuery').at(-1)?.params).toStrictEqual({
      callback_query_id: 'cq-expired',
      text: 'This button has expired. Send the command again for a fresh one.',
    });
  });

  it('answers "/free friday at 3" directly', async () => {
    expect((await f.ask(1001, '/free friday at 3'))[0]?.text).toStrictEqual(
      '✅ You are free Friday 6 March at 15:00.',
    );
  });

  it('names what is in the way when busy', async () => {
    expect((await f.ask(1001, 'am I free tomorrow at 9:05?'))[0]?.html).toStrictEqual(
      '❌ You are busy tomorrow at 09:05: <b>Daily stand-up</b>.',
    );
  });

  it('answers a phrase it does not understand with what it can do and examples', async () => {
    expect((await f.ask(1001, 'blorp zing quux'))[0]?.text).toStrictEqual(
      [
        "I can't answer that one. Here is what I can do:",
        '',
        '📅 Your calendar: a day or a week, free time, your next event',
        '📬 Your mail: by sender or topic, unread mail, reading a message',
        '✅ To-dos: what your recent mail asks of you',
        '↩️ Follow-ups after a list: "open 1", "more", "and friday?", "anything else from her?"',
        '',
        'For example:',
        "• What's on my calendar today?",
        '• Am I free tomorrow at 3?',
        '• Any unread mail from Alice?',
        '• What do I need to reply to?',
        '',
        'Commands: /today, /inbox, /unread, /free; /help lists them all.',
      ].join('\n'),
    );
  });

  it('explains how to write a day it cannot read', async () => {
    expect((await f.ask(1001, '/agenda the day after the heat death'))[0]?.text).toStrictEqual(
      'I did not understand that day. Try /agenda friday, /agenda tomorrow, /agenda 2026-03-06 or /agenda next week.',
    );
  });

  it('shows "typing…" while Google is slow', async () => {
    await f.google.control('POST', '/__sandbox/faults', {
      path: '/calendar/v3',
      latencyMs: 700,
      count: 3,
    });
    const [reply] = await f.ask(1001, '/next');
    // Renewed every 4 s while Google is slow, so a loaded machine may show it more than once;
    // typing.test.ts checks that it stops with the answer.
    const actions = (await f.control.actions(1001)).map((a) => a.action);
    expect({
      text: reply?.text,
      typing: actions.length > 0 && actions.every((a) => a === 'typing'),
    }).toStrictEqual({
      text: '⏭ Next, now:\n\n09:00–09:15  Daily stand-up\n   🎥 Join call',
      typing: true,
    });
  });
});
