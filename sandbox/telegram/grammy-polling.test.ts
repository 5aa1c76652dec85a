import { Bot, InlineKeyboard } from 'grammy';
import type { Context } from 'grammy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelegramControl } from './control-client.ts';
import { startTelegramSandbox } from './index.ts';
import type { TelegramSandbox } from './index.ts';

const TOKEN = '5150:AAGrammyPollingAgainstTheSandbox_xyz';
let sandbox: TelegramSandbox;
let control: ReturnType<typeof createTelegramControl>;
let bot: Bot;
let running: Promise<void>;
const pressed: ((query: NonNullable<Context['callbackQuery']>) => void)[] = [];

const escapeHtml = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

beforeAll(async () => {
  sandbox = await startTelegramSandbox({});
  control = createTelegramControl(sandbox.url);
  bot = new Bot(TOKEN, { client: { apiRoot: sandbox.url } });
  bot.command('start', (ctx) => ctx.reply(`Hello, ${ctx.from?.first_name}! Payload: ${ctx.match}`));
  bot.on('message:text', (ctx) =>
    ctx.reply(`<b>You said</b> ${escapeHtml(ctx.message.text)}`, {
      parse_mode: 'HTML',
      reply_markup: new InlineKeyboard()
        .text('Again', 'again')
        .url('Docs', 'https://example.com/docs'),
    }),
  );
  bot.callbackQuery('again', async (ctx) => {
    await ctx.answerCallbackQuery({ text: 'Again!' });
    await ctx.editMessageText('Pressed');
    pressed.shift()?.(ctx.callbackQuery);
  });
  await new Promise<void>((resolve, reject) => {
    running = bot.start({ onStart: () => resolve() });
    running.catch(reject);
  });
});

afterAll(async () => {
  await bot.stop();
  await running;
  await sandbox.close();
});

describe('a grammY bot polling the sandbox', () => {
  it('gets a user message and its reply lands in the inbox', async () => {
    await control.write(3001, '/start from-test', 'Pat');
    expect(await control.inbox(3001, { count: 1 })).toStrictEqual([
      { message_id: 2, text: 'Hello, Pat! Payload: from-test', date: expect.any(Number) },
    ]);
  });

  it('gets a button press as a callback query and can answer and edit', async () => {
    await control.write(3002, 'a < b', 'Lee');
    const [reply] = await control.inbox(3002, { count: 1 });
    expect(reply).toStrictEqual({
      message_id: 2,
      text: 'You said a < b',
      html: '<b>You said</b> a &lt; b',
      reply_markup: {
        inline_keyboard: [
          [
            { text: 'Again', callback_data: 'again' },
            { text: 'Docs', url: 'https://example.com/docs' },
          ],
        ],
      },
      date: expect.any(Number),
    });
    const handled = new Promise<NonNullable<Context['callbackQuery']>>((resolve) =>
      pressed.push(resolve),
    );
    const { callback_query_id } = await control.press(3002, 2, 'again');
    const query = await handled;
    expect({
      id: query.id,
      data: query.data,
      from: query.from.id,
      message: query.message?.message_id,
    }).toStrictEqual({
      id: callback_query_id,
      data: 'again',
      from: 3002,
      message: 2,
    });
    expect(await control.inbox(3002)).toStrictEqual([
      { message_id: 2, text: 'Pressed', date: expect.any(Number), edited: true },
    ]);
    expect(await control.callbackAnswers(3002)).toStrictEqual([
      {
        callback_query_id,
        message_id: 2,
        data: 'again',
        text: 'Again!',
        show_alert: false,
        date: expect.any(Number),
      },
    ]);
  });
});
