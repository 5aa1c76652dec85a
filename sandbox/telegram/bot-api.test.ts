import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTelegramControl } from './control-client.ts';
import { startTelegramSandbox } from './index.ts';
import type { TelegramSandbox } from './index.ts';

const TOKEN = '424242:AAHsandboxTokenForTheBotApiTests_0123';
let sandbox: TelegramSandbox;
let control: ReturnType<typeof createTelegramControl>;

async function call(method: string, params: Record<string, unknown> = {}, token = TOKEN) {
  const response = await fetch(`${sandbox.url}/bot${token}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(params),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const bad = (status: number, description: string, parameters?: Record<string, unknown>) => ({
  status,
  body: { ok: false, error_code: status, description, ...(parameters ? { parameters } : {}) },
});

beforeAll(async () => {
  sandbox = await startTelegramSandbox({ port: 0, host: '127.0.0.1' });
  control = createTelegramControl(sandbox.url);
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.reset());

describe('the Bot API front door', () => {
  it('answers 401 for a malformed token', async () => {
    expect(await call('getMe', {}, '42:short')).toStrictEqual(bad(401, 'Unauthorized'));
  });

  it('answers 404 for an unknown method and finds known ones case-insensitively', async () => {
    expect(await call('sendPigeon')).toStrictEqual(bad(404, 'Not Found'));
    expect((await call('GETME')).body.result).toStrictEqual({
      id: 424242,
      is_bot: true,
      first_name: 'Tidings',
      username: 'tidings_sandbox_bot',
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
      can_connect_to_business: false,
      has_main_web_app: false,
    });
  });

  it('reads parameters from the query string, form and multipart bodies', async () => {
    await control.write(7, 'hi', 'Kim');
    const base = `${sandbox.url}/bot${TOKEN}`;
    const form = new FormData();
    form.set('chat_id', '7');
    form.set('text', 'by multipart');
    form.set(
      'reply_markup',
      JSON.stringify({ inline_keyboard: [[{ text: 'Go', url: 'https://example.com' }]] }),
    );
    const answers = await Promise.all([
      fetch(`${base}/sendMessage?chat_id=7&text=by%20query`),
      fetch(`${base}/sendMessage`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'chat_id=7&text=by+form',
      }),
      fetch(`${base}/sendMessage`, { method: 'POST', body: form }),
    ]);
    expect(answers.map((answer) => answer.status)).toStrictEqual([200, 200, 200]);
    expect(
      (await control.inbox(7)).map(({ text, reply_markup }) => ({ text, reply_markup })),
    ).toStrictEqual([
      { text: 'by query', reply_markup: undefined },
      { text: 'by form', reply_markup: undefined },
      {
        text: 'by multipart',
        reply_markup: { inline_keyboard: [[{ text: 'Go', url: 'https://example.com' }]] },
      },
    ]);
  });
});

describe('sendMessage', () => {
  it('answers a real Message with entities parsed from the HTML', async () => {
    await control.write(7, 'hello', 'Kim');
    const sent = await call('sendMessage', {
      chat_id: 7,
      text: '<b>Inbox</b>: 3 unread, see /mail',
      parse_mode: 'HTML',
      reply_markup: { inline_keyboard: [[{ text: 'Open', callback_data: 'open:1' }]] },
      link_preview_options: { is_disabled: true },
    });
    expect(sent).toStrictEqual({
      status: 200,
      body: {
        ok: true,
        result: {
          message_id: 2,
          from: {
            id: 424242,
            is_bot: true,
            first_name: 'Tidings',
            username: 'tidings_sandbox_bot',
          },
          chat: { id: 7, type: 'private', first_name: 'Kim' },
          date: expect.any(Number),
          text: 'Inbox: 3 unread, see /mail',
          entities: [
            { type: 'bold', offset: 0, length: 5 },
            { type: 'bot_command', offset: 21, length: 5 },
          ],
          reply_markup: { inline_keyboard: [[{ text: 'Open', callback_data: 'open:1' }]] },
          link_preview_options: { is_disabled: true },
        },
      },
    });
  });

  it('refuses a chat the user never opened', async () => {
    expect(await call('sendMessage', { chat_id: 99, text: 'hi' })).toStrictEqual(
      bad(400, 'Bad Request: chat not found'),
    );
  });

  it('refuses a user who blocked the bot, until they unblock it', async () => {
    await control.write(7, 'hello');
    await control.block(7);
    expect(await call('sendMessage', { chat_id: 7, text: 'hi' })).toStrictEqual(
      bad(403, 'Forbidden: bot was blocked by the user'),
    );
    await control.unblock(7);
    expect((await call('sendMessage', { chat_id: 7, text: 'hi' })).status).toBe(200);
  });

  it('refuses a bad entity, an empty text and a too long text', async () => {
    await control.write(7, 'hello');
    expect(
      await call('sendMessage', { chat_id: 7, text: '<b>x</i>', parse_mode: 'HTML' }),
    ).toStrictEqual(
      bad(
        400,
        'Bad Request: can\'t parse entities: Unmatched end tag at byte offset 4, expected "</b>", found "</i>"',
      ),
    );
    expect(await call('sendMessage', { chat_id: 7, text: '' })).toStrictEqual(
      bad(400, 'Bad Request: message text is empty'),
    );
    expect(await call('sendMessage', { chat_id: 7, text: 'x'.repeat(4097) })).toStrictEqual(
      bad(400, 'Bad Request: message is too long'),
    );
  });

  it('refuses callback data longer than 64 bytes', async () => {
    await control.write(7, 'hello');
    const markup = { inline_keyboard: [[{ text: 'Too long', callback_data: 'é'.repeat(33) }]] };
    expect(
      await call('sendMessage', { chat_id: 7, text: 'x', reply_markup: markup }),
    ).toStrictEqual(bad(400, 'Bad Request: BUTTON_DATA_INVALID'));
  });

  it('answers 429 with retry_after once a chat exceeds its burst', async () => {
    await control.write(7, 'hello');
    await control.settings({ floodLimitPerChat: 0.05, burst: 2 });
    expect((await call('sendMessage', { chat_id: 7, text: '1' })).status).toBe(200);
    expect((await call('sendMessage', { chat_id: 7, text: '2' })).status).toBe(200);
    expect(await call('sendMessage', { chat_id: 7, text: '3' })).toStrictEqual(
      bad(429, 'Too Many Requests: retry after 20', { retry_after: 20 }),
    );
    await control.settings({ floodLimitPerChat: 0, floodLimitGlobal: 0 });
    expect((await call('sendMessage', { chat_id: 7, text: '4' })).status).toBe(200);
  });
});

describe('edits, deletions and callback answers', () => {
  it('shows edits in place and drops deleted messages from the inbox', async () => {
    await control.write(7, 'hello');
    const first = await call('sendMessage', {
      chat_id: 7,
      text: 'one',
      reply_markup: { inline_keyboard: [[{ text: 'A', callback_data: 'a' }]] },
    });
    await call('sendMessage', { chat_id: 7, text: 'two' });
    const id = (first.body.result as { message_id: number }).message_id;
    expect(
      (
        await call('editMessageText', {
          chat_id: 7,
          message_id: id,
          text: '<i>uno</i>',
          parse_mode: 'HTML',
        })
      ).status,
    ).toBe(200);
    expect(
      await call('editMessageText', {
        chat_id: 7,
        message_id: id,
        text: '<i>uno</i>',
        parse_mode: 'HTML',
      }),
    ).toStrictEqual(
      bad(
        400,
        'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
      ),
    );
    await call('deleteMessage', { chat_id: 7, message_id: id + 1 });
    expect(await control.inbox(7)).toStrictEqual([
      { message_id: id, text: 'uno', html: '<i>uno</i>', date: expect.any(Number), edited: true },
    ]);
  });

  it('lets a callback query be answered once', async () => {
    await control.write(7, 'hello');
    const sent = await call('sendMessage', {
      chat_id: 7,
      text: 'pick',
      reply_markup: { inline_keyboard: [[{ text: 'A', callback_data: 'a' }]] },
    });
    const messageId = (sent.body.result as { message_id: number }).message_id;
    const { callback_query_id } = await control.press(7, messageId, 'a');
    const tooOld = bad(
      400,
      'Bad Request: query is too old and response timeout expired or query ID is invalid',
    );
    expect(await call('answerCallbackQuery', { callback_query_id: 'nope' })).toStrictEqual(tooOld);
    expect(
      (await call('answerCallbackQuery', { callback_query_id, text: 'Done' })).body,
    ).toStrictEqual({ ok: true, result: true });
    expect(await call('answerCallbackQuery', { callback_query_id })).toStrictEqual(tooOld);
    expect(await control.callbackAnswers(7)).toStrictEqual([
      {
        callback_query_id,
        message_id: messageId,
        data: 'a',
        text: 'Done',
        show_alert: false,
        date: expect.any(Number),
      },
    ]);
  });

  it('refuses a press on a button the message does not have', async () => {
    await control.write(7, 'hello');
    await expect(control.press(7, 1, 'a')).rejects.toMatchObject({ status: 404 });
  });

  it('records chat actions and commands', async () => {
    await control.write(7, 'hello');
    expect((await call('sendChatAction', { chat_id: 7, action: 'typing' })).body).toStrictEqual({
      ok: true,
      result: true,
    });
    expect(await control.actions(7)).toStrictEqual([
      { action: 'typing', date: expect.any(Number) },
    ]);
    const commands = [{ command: 'today', description: 'Your agenda for today' }];
    expect((await call('setMyCommands', { commands })).body).toStrictEqual({
      ok: true,
      result: true,
    });
    expect((await call('getMyCommands')).body).toStrictEqual({ ok: true, result: commands });
  });
});

describe('the inbox wait parameter', () => {
  it('answers once the inbox holds the awaited number of messages', async () => {
    await control.write(7, 'hello');
    const waiting = control.inbox(7, { count: 2, timeoutMs: 20_000 });
    await call('sendMessage', { chat_id: 7, text: 'first' });
    await call('sendMessage', { chat_id: 7, text: 'second' });
    expect((await waiting).map((item) => item.text)).toStrictEqual(['first', 'second']);
  });

  it('answers with what there is at the timeout', async () => {
    expect(await control.inbox(7, { count: 1, timeoutMs: 10 })).toStrictEqual([]);
  });
});
