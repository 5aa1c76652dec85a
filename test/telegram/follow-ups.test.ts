/**
 * Follow-ups in the chat, through the Telegram sandbox: what "open 1", "the second",
 * "more", "and friday?", "anything else from her?" or "unread ones?" answer after a list,
 * what they answer with nothing kept (or kept too long ago), and that a failure to keep
 * the context never fails the answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboxItem } from '../../sandbox/telegram/index.ts';
import { keyboard, NOW, startBotFixture } from './bot.harness.ts';
import type { BotFixture } from './bot.harness.ts';

let f: BotFixture;
/** How far the bot's clock runs ahead of NOW. */
let ahead = 0;

const NO_LIST =
  'I have no list to pick from: I keep what I showed for 15 minutes after your last message. Ask again, for example /inbox, /unread, /today or "anything from Alice?", then say "open 1" or "more".';

beforeAll(async () => {
  f = await startBotFixture({ now: () => new Date(NOW.getTime() + ahead) });
});
afterAll(async () => {
  await f?.close();
});

/** Presses a button of a message and answers the message the bot sends for it. */
async function press(userId: number, item: InboxItem | undefined, data: string) {
  const before = (await f.control.inbox(userId)).length;
  await f.control.press(userId, item?.message_id ?? 0, data);
  return (await f.control.inbox(userId, { count: before + 1 })).at(-1);
}

const text = async (userId: number, message: string) => (await f.ask(userId, message))[0]?.text;

describe('follow-ups on a list of mail', () => {
  it('opens the messages of the last list by number and by place', async () => {
    await f.door.signUp(7001, 'Alex');
    const [list] = await f.ask(7001, 'anything from Alice?');
    const [first, second, fifth] = [0, 1, 4].map((i) => keyboard(list)[0]?.[i]?.callback_data);
    const byButton = [
      (await press(7001, list, first ?? ''))?.text,
      (await press(7001, list, second ?? ''))?.text,
      (await press(7001, list, fifth ?? ''))?.text,
    ];
    expect([
      await text(7001, 'open 1'),
      await text(7001, 'the second'),
      await text(7001, 'read the first one'),
      await text(7001, 'number 2'),
      await text(7001, 'the last one'),
    ]).toStrictEqual([byButton[0], byButton[1], byButton[0], byButton[1], byButton[2]]);
  });

  it('shows the next page for "more", and numbers on from there', async () => {
    await f.door.signUp(7002, 'Alex');
    const [list] = await f.ask(7002, '/inbox');
    const [more] = await f.ask(7002, 'more');
    const [seventh] = await f.ask(7002, 'open 7');
    const pressed = await press(7002, more, keyboard(more)[0]?.[1]?.callback_data ?? '');
    expect({
      first: list?.text.split('\n')[2]?.slice(0, 3),
      more: more?.text.split('\n')[2]?.slice(0, 3),
      numbers: keyboard(more)[0]?.map((b) => b.text),
      nav: keyboard(more)[1]?.map((b) => b.text),
      seventh: seventh?.text,
    }).toStrictEqual({
      first: '1. ',
      more: '6. ',
      numbers: ['6', '7', '8', '9', '10'],
      nav: ['‹ Back', 'More ›'],
      seventh: pressed?.text,
    });
  });

  it('follows the page a "More" button turned to', async () => {
    await f.door.signUp(7006, 'Alex');
    const [list] = await f.ask(7006, '/inbox');
    const turned = f.nextCall('answerCallbackQuery');
    await f.control.press(7006, list?.message_id ?? 0, keyboard(list)[1]?.[0]?.callback_data ?? '');
    await turned;
    const [page] = (await f.control.inbox(7006)).filter((m) => m.message_id === list?.message_id);
    const pressed = await press(7006, page, keyboard(page)[0]?.[1]?.callback_data ?? '');
    expect(await text(7006, 'open 7')).toStrictEqual(pressed?.text);
  });

  it('says what the list holds when asked for an item it does not show', async () => {
    await f.door.signUp(7003, 'Alex');
    await f.ask(7003, 'anything from Alice?');
    expect([await text(7003, 'open 7'), await text(7003, 'the sixth one')]).toStrictEqual([
      'There is no number 7 in the last list: it shows 1 to 5. Say "open 1" to "open 5".',
      'There is no number 6 in the last list: it shows 1 to 5. Say "open 1" to "open 5".',
    ]);
  });

  it('looks for more mail from the sender of the message opened', async () => {
    await f.door.signUp(7004, 'Alex');
    await f.ask(7004, 'anything from Alice?');
    await f.ask(7004, 'open 1');
    const [more] = await f.ask(7004, 'anything else from her?');
    const [same] = await f.ask(7004, '/inbox from:alice@northwind.example');
    expect({
      heading: more?.text.split('\n')[0],
      entries: more?.text.split('\n\n').slice(1),
      same: same?.text.split('\n\n').slice(1),
    }).toStrictEqual({
      heading: 'Mail from Alice Chen',
      entries: same?.text.split('\n\n').slice(1),
      same: expect.any(Array),
    });
  });

  it('narrows the last list to its unread messages', async () => {
    await f.door.signUp(7005, 'Alex');
    await f.ask(7005, 'anything from Alice?');
    const [unread] = await f.ask(7005, 'unread ones?');
    expect(unread?.text.split('\n').slice(0, 3)).toStrictEqual([
      'Unread mail from alice',
      '',
      '1. ● Quote Q-2210 - Harbor & Pine menus',
    ]);
  });
});

describe('follow-ups on the calendar', () => {
  it('asks the same for another day, and opens an event of the agenda', async () => {
    await f.door.signUp(7011, 'Alex');
    await f.ask(7011, "what's on tomorrow?");
    const [friday] = await f.ask(7011, 'and friday?');
    const [direct] = await f.ask(7011, '/agenda friday');
    const [event] = await f.ask(7011, 'open 2');
    expect({
      friday: friday?.text,
      event: event?.text,
      button: keyboard(event)[0]?.[0]?.text,
    }).toStrictEqual({
      friday: direct?.text,
      event: [
        'Daily stand-up',
        '🕒 Friday 6 March, 09:00–09:15',
        '🎥 Join call',
        '📅 Alex Rivera · repeats',
        'Your answer: going',
      ].join('\n'),
      button: 'Open in Google Calendar',
    });
  });

  it('keeps asking about free time for another day after a free-time question', async () => {
    await f.door.signUp(7012, 'Alex');
    await f.ask(7012, 'when am I free tomorrow?');
    expect(await text(7012, 'and friday?')).toStrictEqual(
      await text(7012, 'when am I free friday?'),
    );
  });
});

describe('follow-ups without what they need', () => {
  it('says there is no list, and what to do, when nothing was shown', async () => {
    await f.door.signUp(7021, 'Alex');
    expect([
      await text(7021, 'open 1'),
      await text(7021, 'more'),
      await text(7021, 'from her?'),
    ]).toStrictEqual([
      NO_LIST,
      NO_LIST,
      'I am not sure who you mean. Open a message first, or ask for mail from someone ("anything from Alice?"), then ask "anything else from her?"',
    ]);
  });

  it('forgets the list 15 minutes after the last exchange', async () => {
    await f.door.signUp(7022, 'Alex');
    await f.ask(7022, 'anything from Alice?');
    ahead = 14 * 60_000;
    const within = await text(7022, 'open 1');
    ahead = 29 * 60_000 + 1_000;
    try {
      expect([within?.startsWith('Quote Q-2210'), await text(7022, 'open 1')]).toStrictEqual([
        true,
        NO_LIST,
      ]);
    } finally {
      ahead = 0;
    }
  });

  it('still answers when the context cannot be kept, and logs a warning', async () => {
    await f.door.signUp(7023, 'Alex');
    f.door.contextWriteFailsNext();
    const [list] = await f.ask(7023, 'anything from Alice?');
    expect({
      answered: list?.text.split('\n')[0],
      warned: JSON.parse(await f.logged('could not keep the chat context')).msg,
      next: await text(7023, 'open 1'),
    }).toStrictEqual({
      answered: 'Mail from alice',
      warned: 'could not keep the chat context',
      next: NO_LIST,
    });
  });
});
