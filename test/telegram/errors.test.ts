import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES, TidingsError } from '../../src/errors.ts';
import { errorSentence } from '../../src/telegram/index.ts';
import { startBotFixture } from './bot.harness.ts';
import type { BotFixture } from './bot.harness.ts';
import { CONNECT_URL } from './bot-front-door.harness.ts';

let f: BotFixture;
const userIdOf = (telegramId: number) =>
  [...f.door.users_.values()].find((u) => u.telegramUserId === String(telegramId))?.id;
const date = expect.any(Number);
const NO_PREVIEW = { is_disabled: true };

beforeAll(async () => {
  f = await startBotFixture();
  await f.door.signUp(3001, 'Alex');
  await f.door.signUp(3002, 'Sam');
  await f.door.signUp(3003, 'Kim');
});
afterAll(async () => {
  await f?.close();
});

describe('errors in the chat', () => {
  it('says a human sentence for every error code, with a button where one helps', async () => {
    const seen = [];
    for (const code of ERROR_CODES) {
      f.door.failNext(new TidingsError(code, 'internal wording never shown', {}));
      const [reply] = await f.ask(3001, '/next');
      seen.push({ code, text: reply?.text, buttons: reply?.reply_markup ?? null });
    }
    expect(seen).toStrictEqual(
      ERROR_CODES.map((code) => {
        const sentence = errorSentence(code);
        const label = sentence.button === 'reconnect' ? 'Reconnect Google' : 'Connect Google';
        return {
          code,
          text: sentence.text,
          buttons: sentence.button
            ? {
                inline_keyboard: [
                  [{ text: label, url: `${CONNECT_URL}?ticket=${userIdOf(3001)}` }],
                ],
              }
            : null,
        };
      }),
    );
  });

  it('asks to reconnect a revoked grant, with a button for that connection', async () => {
    f.door.failNext(
      new TidingsError('reauth_required', 'refresh failed', {
        reason: 'revoked',
        connectionId: 'conn-4',
      }),
    );
    expect(await f.ask(3002, "what's on today?")).toStrictEqual([
      {
        message_id: 2,
        text: "I can't reach your Google account: access was revoked at Google. Reconnect it and ask me again.",
        html: "I can't reach your Google account: access was revoked at Google. Reconnect it and ask me again.",
        reply_markup: {
          inline_keyboard: [
            [{ text: 'Reconnect Google', url: `${CONNECT_URL}?ticket=${userIdOf(3002)}-conn-4` }],
          ],
        },
        link_preview_options: NO_PREVIEW,
        date,
      },
    ]);
  });

  it('offers to connect when no account is connected yet', async () => {
    const replies = await f.ask(3009, '/today', 1, 'Noor');
    expect(replies).toStrictEqual([
      {
        message_id: 2,
        text: 'You have not connected a Google account yet. Connect one and ask me again.',
        html: 'You have not connected a Google account yet. Connect one and ask me again.',
        reply_markup: {
          inline_keyboard: [
            [{ text: 'Connect Google', url: `${CONNECT_URL}?ticket=${userIdOf(3009)}` }],
          ],
        },
        link_preview_options: NO_PREVIEW,
        date,
      },
    ]);
  });

  it('never shows a stack trace for an unexpected failure, and logs it', async () => {
    f.door.failNext(new Error('database exploded at /srv/secret/path.ts:12'));
    const [reply] = await f.ask(3003, '/unread');
    expect({
      text: reply?.text,
      logged: f.logs.some((line) => line.includes('telegram handler failed')),
    }).toStrictEqual({
      text: 'Something went wrong on my side. Please try again; if it keeps happening, tell the owner of this Tidings server.',
      logged: true,
    });
  });
});
