import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotFixture } from './bot.harness.ts';
import type { BotFixture } from './bot.harness.ts';

let f: BotFixture;
const html = async (text: string) => (await f.ask(5101, text))[0]?.html;

beforeAll(async () => {
  f = await startBotFixture();
  await f.door.signUp(5101, 'Alex');
});
afterAll(async () => {
  await f?.close();
});

describe('calendar questions', () => {
  it('checks the whole span asked about: 8:50 for 30 minutes runs into the 09:00 stand-up', async () => {
    expect(await html('am I free tomorrow at 8:50 for 30 minutes?')).toStrictEqual(
      '❌ You are busy tomorrow at 08:50: <b>Daily stand-up</b>.',
    );
  });

  it('looks for free time on a Saturday when Saturday is the day asked about', async () => {
    expect([
      await html('when am I free saturday'),
      await html('when am I free this weekend'),
    ]).toStrictEqual([
      '🟢 <b>Free time Saturday 7 March</b>\n\n<b>Saturday 7 March</b>: 09:00–10:00, 11:30–18:00',
      '🟢 <b>Free time the weekend</b>\n\n<b>Saturday 7 March</b>: 09:00–10:00, 11:30–18:00\n<b>Sunday 8 March</b>: 09:00–10:00, 11:00–18:00',
    ]);
  });

  it('answers a duration it cannot look for with what it can do', async () => {
    const invoked = f.door.invoked.length;
    expect({
      long: await html('when am I free tomorrow for 30 hours'),
      short: await html('when am I free tomorrow for 2 minutes'),
      longAt: await html('am I free tomorrow at 3 for 30 hours'),
      invoked: f.door.invoked.slice(invoked),
    }).toStrictEqual({
      long: 'A free slot is at most a day long, inside working hours. Try &quot;when am I free this week for 2 hours?&quot;',
      short:
        'I look for free time of 5 minutes or more. Try &quot;when am I free tomorrow for 15 minutes?&quot;',
      longAt:
        'I can check up to 24 hours at a time. Try &quot;am I free friday at 3 for 2 hours?&quot;, or /free friday for the free time that day.',
      invoked: [],
    });
  });

  it('answers a date it cannot look at with the dates it can', async () => {
    const sentence =
      'I cannot look at that date: try a day between 1970 and 2100, and at most two months at a time.';
    expect([
      await html('/agenda 9999-12-31'),
      await html("what's on in 99999999 days?"),
    ]).toStrictEqual([sentence, sentence]);
  });

  it("answers /tomorrow with tomorrow's events", async () => {
    expect(await html('/tomorrow')).toStrictEqual(
      [
        '📅 <b>Tomorrow</b> · Wednesday 4 March',
        '',
        '4 – 6 Mar  Config Design Summit',
        '   📍 Boston Convention Center',
        '09:00–09:15  Daily stand-up',
        '   🎥 <a href="https://meet.google.com/kdr-mpqt-vzn">Join call</a>',
        '19:00–19:45  Sync with Kenji Sato (Tokyo office)',
        '   🎥 <a href="https://zoom.us/j/5550142233">Join call</a>',
      ].join('\n'),
    );
  });

  it('answers /week with the rest of the week, grouped by day', async () => {
    const lines = (await html('/week'))?.split('\n') ?? [];
    expect({
      heading: lines[0],
      days: lines.filter((line) => /^<b>\w+day \d+ March<\/b>$/.test(line)),
      declined: lines.find((line) => line.includes('<s>')),
      lastDay: lines.slice(-5),
    }).toStrictEqual({
      heading: '📅 <b>This week</b>',
      days: [
        '<b>Tuesday 3 March</b>',
        '<b>Wednesday 4 March</b>',
        '<b>Thursday 5 March</b>',
        '<b>Friday 6 March</b>',
        '<b>Saturday 7 March</b>',
        '<b>Sunday 8 March</b>',
      ],
      declined: '15:00–16:00  <s>Vendor pitch: StockPix Pro</s> (declined)',
      lastDay: [
        '<b>Sunday 8 March</b>',
        'all day  Daylight Saving Time starts',
        "all day  Grandma Rosa's birthday",
        '10:00–11:00  Yoga class',
        '   📍 Bend &amp; Bloom Yoga, 7th Ave',
      ],
    });
  });

  it("reads today's weekday at a time already past as next week's: the dentist on Tuesday 10 March", async () => {
    expect([await html('am I free tuesday at 8?'), await html('/free tuesday at 8')]).toStrictEqual(
      [
        '❌ You are busy Tuesday 10 March at 08:00: <b>Dentist check-up</b>.',
        '❌ You are busy Tuesday 10 March at 08:00: <b>Dentist check-up</b>.',
      ],
    );
  });

  it('says a time asked about today has passed and offers what is still free today', async () => {
    const later = [
      '🟢 <b>Free time later today</b>',
      '',
      '<b>Tuesday 3 March</b>: 09:15–11:00, 12:00–12:30, 13:30–18:00',
    ];
    expect([
      await html('am I free today at 8?'),
      await html('/free today at 4am'),
      await html('when am I free yesterday?'),
    ]).toStrictEqual([
      ['⌛ Today at 08:00 has passed (it is 09:00 now).', '', ...later].join('\n'),
      ['⌛ Today at 04:00 has passed (it is 09:00 now).', '', ...later].join('\n'),
      ['⌛ Yesterday is over (it is 09:00 now).', '', ...later].join('\n'),
    ]);
  });

  it("marks today's finished events as ended", async () => {
    expect((await html('/today'))?.split('\n').slice(0, 4)).toStrictEqual([
      '📅 <b>Today</b> · Tuesday 3 March',
      '',
      '04:00–04:30  Call with Ellis Park (London print studio) (maybe, ended)',
      '09:00–09:15  Daily stand-up',
    ]);
  });
});
