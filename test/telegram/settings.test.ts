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

async function press(userId: number, messageId: number, data: string): Promise<void> {
  const answered = f.nextCall('answerCallbackQuery');
  await f.control.press(userId, messageId, data);
  await answered;
}

describe('settings and privacy', () => {
  it('stores a time zone and reads "today" in it', async () => {
    const user = await f.door.signUp(5001, 'Alex');
    const [set] = await f.ask(5001, '/timezone Tokyo');
    const [today] = await f.ask(5001, '/today');
    expect({
      set: set?.text,
      stored: f.door.users_.get(user.id)?.timeZone,
      heading: today?.text.split('\n')[0],
    }).toStrictEqual({
      set: 'Time zone set to Asia/Tokyo (it is 23:00 there now).',
      stored: 'Asia/Tokyo',
      heading: '📅 Today · Tuesday 3 March',
    });
  });

  it('refuses a zone it does not know', async () => {
    expect((await f.ask(5001, '/timezone Atlantis'))[0]?.text).toStrictEqual(
      'I do not know that time zone. Try a city or a zone name such as Europe/Paris, America/New_York, Tokyo or UTC+2.',
    );
  });

  it('stores the daily briefing time and turns it off', async () => {
    const user = await f.door.signUp(5002, 'Sam');
    const [on] = await f.ask(5002, '/briefing 7:30');
    const stored = f.door.users_.get(user.id)?.settings;
    const [off] = await f.ask(5002, '/briefing off');
    expect({
      on: on?.text,
      stored,
      off: off?.text,
      after: f.door.users_.get(user.id)?.settings,
    }).toStrictEqual({
      on: 'Daily briefing set for 07:30 (America/New_York). /briefing off stops it.',
      stored: { briefingTime: '07:30' },
      off: 'Daily briefing is off.',
      after: { briefingTime: null },
    });
  });

  it('deletes everything only after the confirming button', async () => {
    const user = await f.door.signUp(5003, 'Kim');
    const [privacy] = await f.ask(5003, '/privacy');
    const id = privacy?.message_id ?? 0;
    await press(5003, id, keyboard(privacy)[0]?.[0]?.callback_data ?? '');
    const [asked] = (await f.control.inbox(5003)).filter((m) => m.message_id === id);
    const deletedBefore = [...f.door.deleted];
    await press(5003, id, keyboard(asked)[0]?.[0]?.callback_data ?? '');
    const [done] = (await f.control.inbox(5003)).filter((m) => m.message_id === id);
    expect({
      asked: asked?.text,
      buttons: keyboard(asked)[0]?.map((b) => b.text),
      deletedBefore,
      deleted: f.door.deleted,
      done: done?.text,
    }).toStrictEqual({
      asked:
        'Delete everything?\n\nThis revokes every connected Google account at Google and deletes all your data in Tidings. It cannot be undone.',
      buttons: ['Yes, delete everything', 'Cancel'],
      deletedBefore: [],
      deleted: [user.id],
      done: 'Done: your Google accounts are revoked and your data in Tidings is deleted. Send /start if you ever want to begin again.',
    });
  });

  it('disconnects an account after confirmation', async () => {
    await f.door.signUp(5004, 'Lee');
    const [ask] = await f.ask(5004, '/disconnect');
    await press(5004, ask?.message_id ?? 0, keyboard(ask)[0]?.[0]?.callback_data ?? '');
    const [done] = (await f.control.inbox(5004)).filter((m) => m.message_id === ask?.message_id);
    expect({
      ask: ask?.text,
      done: done?.text,
      accounts: (await f.ask(5004, '/accounts'))[0]?.text,
    }).toStrictEqual({
      ask: 'Disconnect alex@example.com? Tidings revokes its access at Google and deletes the stored sign-in.',
      done: 'Disconnected alex@example.com. Its access at Google is revoked.',
      accounts: 'No Google account is connected yet.',
    });
  });

  it('says so when Google does not confirm the revocation of a disconnected account', async () => {
    await f.door.signUp(5005, 'Kim');
    f.door.revokeFailsNext();
    const [ask] = await f.ask(5005, '/disconnect');
    await press(5005, ask?.message_id ?? 0, keyboard(ask)[0]?.[0]?.callback_data ?? '');
    const [done] = (await f.control.inbox(5005)).filter((m) => m.message_id === ask?.message_id);
    expect(done?.text).toBe(
      'Disconnected alex@example.com and deleted its sign-in here, but Google did not confirm the revocation. To be sure, remove Tidings under Third-party apps at myaccount.google.com/permissions.',
    );
  });
});
