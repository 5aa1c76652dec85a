import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotFixture } from './bot.harness.ts';
import type { BotFixture } from './bot.harness.ts';

let f: BotFixture;
const localeOf = (telegramId: number) =>
  [...f.door.users_.values()].find((u) => u.telegramUserId === String(telegramId))?.locale;

/** Writes in a Telegram app set to `language`; resolves with the answer's text. */
async function askIn(userId: number, language: string, text: string): Promise<string> {
  const before = (await f.control.inbox(userId)).length;
  await f.control.write(userId, text, 'Alex', { language_code: language });
  return (await f.control.inbox(userId, { count: before + 1 }))[before]?.text ?? '';
}

beforeAll(async () => {
  f = await startBotFixture();
  for (const id of [7201, 7202, 7203]) await f.door.signUp(id, 'Alex');
});
afterAll(async () => {
  await f?.close();
});

describe('dates and times in the language of the Telegram app', () => {
  it('writes 12-hour times and month-first dates for en-US', async () => {
    expect({
      today: (await askIn(7201, 'en-US', '/today')).split('\n').slice(0, 4),
      free: await askIn(7201, 'en-US', 'am I free friday at 3?'),
      stored: localeOf(7201),
    }).toStrictEqual({
      today: [
        '📅 Today · Tuesday, March 3',
        '',
        '4:00 – 4:30 AM  Call with Ellis Park (London print studio) (maybe, ended)',
        '9:00 – 9:15 AM  Daily stand-up',
      ],
      free: '✅ You are free Friday, March 6 at 3:00 PM.',
      stored: 'en-US',
    });
  });

  it('writes German day names and 24-hour times for de', async () => {
    expect({
      today: (await askIn(7202, 'de', '/today')).split('\n').slice(0, 4),
      slots: await askIn(7202, 'de', 'when am I free tomorrow'),
      stored: localeOf(7202),
    }).toStrictEqual({
      today: [
        '📅 Today · Dienstag, 3. März',
        '',
        '04:00–04:30 Uhr  Call with Ellis Park (London print studio) (maybe, ended)',
        '09:00–09:15 Uhr  Daily stand-up',
      ],
      slots: '🟢 Free time tomorrow\n\nMittwoch, 4. März: 09:15–18:00 Uhr',
      stored: 'de',
    });
  });

  it('reads plain "en", which names no country, as en-GB', async () => {
    expect({
      today: (await askIn(7203, 'en', '/today')).split('\n')[0],
      stored: localeOf(7203),
    }).toStrictEqual({ today: '📅 Today · Tuesday 3 March', stored: 'en-GB' });
  });

  it('follows the app when its language changes', async () => {
    await askIn(7201, 'de', '/help');
    expect(localeOf(7201)).toStrictEqual('de');
  });
});
