/**
 * The whole product through Telegram at the real time of day: connect, questions, a
 * revoked grant, short-lived tokens. Answers are checked against the seed
 * (`sandbox/seed/alex@example.com`): the seed calendar moves by whole weeks onto the current
 * week in New York, so what a day holds follows from its weekday; mail dates are the ones
 * the Google sandbox's Gmail API gives.
 */
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usHolidaysOn } from '../../sandbox/seed/us-holidays.ts';
import type { InboxItem } from '../../sandbox/telegram/index.ts';
import { DATABASES } from '../support/databases.harness.ts';
import { type Stack, startConnect, startStack } from '../support/stack.harness.ts';

const ALEX = 7101;
const ZONE = 'America/New_York';
const JOIN = '   🎥 Join call';

interface Button {
  text: string;
  url?: string;
  callback_data?: string;
}

function keyboardOf(item: InboxItem | undefined): Button[][] {
  const markup = item?.reply_markup as { inline_keyboard?: Button[][] } | undefined;
  return markup?.inline_keyboard ?? [];
}

interface SeedEvent {
  start: DateTime;
  /** Timed, and not declined: what `/next` may answer with. */
  timed: boolean;
  lines: string[];
  /** All-day events only: how they sort among themselves (by end, then title). */
  order?: string;
}

/**
 * Alex's seed calendars (primary, Family, US holidays) from Monday (`day` 0) of the
 * current week in New York to the next Monday (`day` 7), each event as the bot writes it
 * (en-GB, New York time). Events written in London or Tokyo time keep their wall-clock
 * time there.
 */
function seedDay(monday: DateTime, day: number): SeedEvent[] {
  const date = monday.plus({ days: day });
  const at = (time: string, zone = ZONE, days = 0) => {
    const [hour, minute] = time.split(':').map(Number);
    const local = date.plus({ days });
    return DateTime.fromObject(
      { year: local.year, month: local.month, day: local.day, hour, minute },
      { zone },
    ).setZone(ZONE);
  };
  const timed = (
    from: string,
    to: string,
    title: string,
    more: string[] = [],
    zone = ZONE,
    days = 0,
  ) => {
    const start = at(from, zone, days);
    const end = at(to, zone, days);
    const declined = title.endsWith('(declined)');
    const range = `${start.toFormat('HH:mm')}–${end.toFormat('HH:mm')}`;
    return { start, timed: !declined, lines: [`${range}  ${title}`, ...more] };
  };
  const allDay = (title: string, more: string[] = [], range = 'all day', ends = 1) => ({
    start: date.startOf('day'),
    timed: false,
    lines: [`${range}  ${title}`, ...more],
    order: `${ends} ${title}`,
  });
  const wednesday = monday.plus({ days: 2 });
  const summitDays = new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'short',
    timeZone: ZONE,
  })
    .formatRange(wednesday.toJSDate(), wednesday.plus({ days: 2 }).toJSDate())
    .replace(/[\u202f\u2009\u00a0]/g, ' ');
  // The summit runs Wednesday to Friday: it ends after a one-day event on its first days.
  const summit = allDay(
    'Config Design Summit',
    ['   📍 Boston Convention Center'],
    summitDays,
    Math.max(1, 5 - day),
  );
  const standUp = timed('09:00', '09:15', 'Daily stand-up', [JOIN]);
  const days: SeedEvent[][] = [
    [
      allDay('Northwind brand guidelines due'),
      standUp,
      timed('13:00', '14:00', 'Design review: Northwind onboarding', [JOIN]),
    ],
    [
      timed(
        '09:00',
        '09:30',
        'Call with Ellis Park (London print studio) (maybe)',
        [],
        'Europe/London',
      ),
      standUp,
      timed('11:00', '12:00', 'Studio team meeting', ['   📍 Brightline Studio, 2nd floor', JOIN]),
      timed('12:30', '13:30', 'Lunch with Alice Chen', [
        '   📍 Tartine Bistro, 214 Grand St, New York',
      ]),
    ],
    [
      summit,
      standUp,
      // Thursday 09:00 in Tokyo is Wednesday evening in New York.
      timed('09:00', '09:45', 'Sync with Kenji Sato (Tokyo office)', [JOIN], 'Asia/Tokyo', 1),
    ],
    [
      summit,
      standUp,
      timed('10:00', '11:00', 'Client review: Harbor Coffee packaging', [JOIN]),
      timed('15:00', '16:00', 'Vendor pitch: StockPix Pro (declined)'),
      timed('17:00', '17:45', 'Maya: piano lesson', ['   📍 Park Slope Music School']),
    ],
    [
      summit,
      standUp,
      timed('13:00', '16:00', 'Focus: Harbor Coffee label drafts'),
      timed('17:30', '19:30', 'Studio drinks (maybe)', ['   📍 The Copper Kettle']),
    ],
    [
      timed('10:00', '11:30', "Maya's soccer game", ['   📍 Brooklyn Sports Dome, indoor field 3']),
      timed('19:00', '22:00', "Dinner at Jordan's", ['   📍 88 Halsey St, Brooklyn']),
    ],
    [
      allDay("Grandma Rosa's birthday"),
      timed('10:00', '11:00', 'Yoga class', ['   📍 Bend & Bloom Yoga, 7th Ave']),
    ],
    // The next week's Monday: the studio team meeting is cancelled that day.
    [standUp],
  ];
  // The US holidays fall on their real dates (yearly rules), among the all-day events by
  // end, then title.
  const events: SeedEvent[] = [
    ...usHolidaysOn(date).map((title) => allDay(title)),
    ...(days[day] ?? []),
  ];
  const allDays = events
    .filter((event) => event.order !== undefined)
    .sort((a, b) => (a.order! < b.order! ? -1 : a.order! > b.order! ? 1 : 0));
  return [...allDays, ...events.filter((event) => event.order === undefined)];
}

/** What "what's on tomorrow?" answers when it is `now` in New York. */
function tomorrowText(now: DateTime): string {
  const tomorrow = now.plus({ days: 1 }).startOf('day');
  const monday = now.startOf('week');
  const events = seedDay(monday, tomorrow.diff(monday, 'days').days);
  return [
    `📅 Tomorrow · ${tomorrow.setLocale('en-GB').toFormat('cccc d LLLL')}`,
    '',
    ...events.flatMap((event) => event.lines),
  ].join('\n');
}

/** The seed's next timed event not declined from `now`, as `/next` writes it. */
function nextEvent(now: DateTime): SeedEvent {
  const monday = now.startOf('week');
  const today = now.startOf('day').diff(monday, 'days').days;
  const coming = [today, today + 1].flatMap((day) => seedDay(monday, day));
  const next = coming.find((event) => event.timed && event.start >= now);
  if (!next) throw new Error(`the seed has no timed event after ${now.toISO()}`);
  return next;
}

/** Alice Chen's five latest messages in the seed mailbox, newest first. */
const ALICE_MAIL = [
  { subject: 'Quote Q-2210 - Harbor & Pine menus', unread: true },
  { subject: 'Re: Invoice NW-4471 - Lumen Health brochure print run', unread: true },
  // The month and year follow the seed's dates, moved onto the current week.
  { subject: /^Statement of account - [A-Z][a-z]+ \d{4}$/, unread: false },
  { subject: 'Re: Invoice NW-4471 - Lumen Health brochure print run', unread: false },
  { subject: 'Invoice NW-4471 - Lumen Health brochure print run', unread: false },
];

const CONNECT_TEXT =
  'Open this link to connect a Google account. It works once and expires in a few minutes.';

for (const database of DATABASES) {
  describe(`the Telegram journey on ${database.name}`, () => {
    let stack: Stack;
    beforeAll(async () => {
      stack = await startStack(database, { telegram: true });
    });
    afterAll(async () => {
      await stack?.close();
    });

    /** Writes as Alex and waits for `count` new bot messages. */
    async function say(text: string, count = 1): Promise<InboxItem[]> {
      const before = (await stack.chat!.inbox(ALEX)).length;
      await stack.chat!.write(ALEX, text, 'Alex');
      const inbox = await stack.chat!.inbox(ALEX, { count: before + count, timeoutMs: 15_000 });
      expect(inbox.length).toBeGreaterThanOrEqual(before + count);
      return inbox.slice(before);
    }

    /** A one-time connect link of this server, as a button carries it. */
    function connectUrl(): unknown {
      const root = stack.app.url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      return expect.stringMatching(new RegExp(`^${root}/oauth/google/start\\?ticket=[\\w-]{43}$`));
    }

    /** Asks the Google sandbox's Gmail API directly, with Alex's current access token. */
    async function gmail<T>(path: string): Promise<T> {
      const user = await stack.app.parts.frontDoor.users.byTelegramId(String(ALEX));
      const [connection] = await stack.app.parts.frontDoor.connections.list(user!.id);
      const token = await stack.app.parts.broker.accessToken(connection!.id);
      const response = await fetch(`${stack.google.url}/gmail/v1/users/me/${path}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(response.status).toBe(200);
      return (await response.json()) as T;
    }

    /** When Gmail says a message arrived, as the bot writes it. */
    async function receivedAt(id: string): Promise<string> {
      const { internalDate } = await gmail<{ internalDate: string }>(
        `messages/${id}?format=minimal`,
      );
      return DateTime.fromMillis(Number(internalDate), { zone: ZONE })
        .setLocale('en-GB')
        .toFormat("cccc d LLLL 'at' HH:mm");
    }

    it('start → connect → consent → connected → tomorrow → Alice → open a message', async () => {
      const [welcome] = await say('/start');
      const [connectReply] = await say('/connect');
      expect(
        [welcome, connectReply].map((m) => ({ text: m?.text, keyboard: keyboardOf(m) })),
      ).toStrictEqual([
        {
          text: '👋 Hi Alex! I read your Gmail and Google Calendar and answer here, in your own words or with commands.\n\nFirst, connect your Google account: I only ask to read, never to send or change anything.',
          keyboard: [[{ text: 'Connect Google', url: connectUrl() }]],
        },
        { text: CONNECT_TEXT, keyboard: [[{ text: 'Connect Google', url: connectUrl() }]] },
      ]);

      // The person opens the button's URL in a browser and allows on Google's page.
      await stack.control('/auto-approve', { body: { email: 'alex@example.com' } });
      const before = (await stack.chat!.inbox(ALEX)).length;
      const start = await startConnect(keyboardOf(connectReply)[0]![0]!.url!);
      const cookie = start.cookie!;
      const callback = (await fetch(start.authorizeUrl!, { redirect: 'manual' })).headers.get(
        'location',
      )!;
      const page = await fetch(callback, { headers: { cookie } });
      expect(page.status).toBe(200);
      const connected = await stack.chat!.inbox(ALEX, { count: before + 1, timeoutMs: 15_000 });
      expect(connected.at(-1)!.text).toBe(
        '✅ Connected as alex@example.com — Gmail and Calendar.\n\nTry "What\'s on today?", "Any unread mail?" or /help.\n\nNot you? If you did not connect this Google account, remove it now with /disconnect alex@example.com',
      );

      const [tomorrowReply] = await say("what's on tomorrow?");
      expect(tomorrowReply!.text).toBe(tomorrowText(DateTime.now().setZone(ZONE)));

      const [aliceReply] = await say('anything from Alice?');
      const { messages } = await gmail<{ messages: Array<{ id: string }> }>(
        `messages?q=${encodeURIComponent('from:alice')}&maxResults=5`,
      );
      const ids = messages.map((m) => m.id);
      const dates = await Promise.all(ids.map(receivedAt));
      const entries = aliceReply!.text.split('\n\n');
      expect({
        heading: entries[0],
        // Number, unread mark and subject; sender and date (the third line is the snippet).
        entries: entries.slice(1).map((entry) => entry.split('\n').slice(0, 2)),
        keyboard: keyboardOf(aliceReply),
        previews: aliceReply!.link_preview_options,
      }).toStrictEqual({
        heading: 'Mail from alice',
        entries: ALICE_MAIL.map((mail, i) => [
          typeof mail.subject === 'string'
            ? `${i + 1}. ${mail.unread ? '● ' : ''}${mail.subject}`
            : expect.stringMatching(new RegExp(`^${i + 1}\\. ${mail.subject.source.slice(1)}`)),
          `Alice Chen · ${dates[i]}`,
        ]),
        keyboard: [
          ids.map((id, i) => ({ text: String(i + 1), callback_data: `o:${id}` })),
          [{ text: 'More ›', callback_data: expect.stringMatching(/^p:[\w-]+$/) }],
        ],
        previews: { is_disabled: true },
      });

      const count = (await stack.chat!.inbox(ALEX)).length;
      await stack.chat!.press(ALEX, aliceReply!.message_id, `o:${ids[0]}`);
      const opened = await stack.chat!.inbox(ALEX, { count: count + 1, timeoutMs: 15_000 });
      const message = opened.at(-1)!;
      expect({
        text: message.text,
        keyboard: keyboardOf(message),
        previews: message.link_preview_options,
      }).toStrictEqual({
        text: [
          'Quote Q-2210 - Harbor & Pine menus',
          'From: Alice Chen <alice@northwind.example>',
          'To: Alex Rivera <alex@example.com>',
          `Date: ${dates[0]}`,
          '',
          'Hi Alex,',
          '',
          "Here's the quote you asked for: 400 menus, A4 folded, 300 gsm uncoated,",
          '$612.00 including delivery. Prices hold for 30 days.',
          '',
          '(And thanks for sorting out NW-4471 — much appreciated.)',
          '',
          'Alice',
        ].join('\n'),
        keyboard: [
          [
            {
              text: 'Open in Gmail',
              url: `https://mail.google.com/mail/u/alex@example.com/#all/${ids[0]}`,
            },
          ],
        ],
        previews: { is_disabled: true },
      });
    });

    it('a revoked grant sends one notification with a reconnect button, and reconnecting answers again', async () => {
      const user = await stack.app.parts.frontDoor.users.byTelegramId(String(ALEX));
      const [connection] = await stack.app.parts.frontDoor.connections.list(user!.id);
      const before = (await stack.chat!.inbox(ALEX)).length;
      await stack.control('/users/alex@example.com/revoke', { body: {} });
      expect(await stack.app.parts.broker.refresh(connection!.id, { force: true })).toBe(
        'needs_reauth',
      );
      await stack.app.telegram!.deliverOutbox();
      await stack.app.telegram!.deliverOutbox();
      const inbox = await stack.chat!.inbox(ALEX, { count: before + 1, timeoutMs: 15_000 });
      const notices = inbox.slice(before);
      expect(notices.map((n) => ({ text: n.text, keyboard: keyboardOf(n) }))).toStrictEqual([
        {
          text: '⚠️ I can no longer read alex@example.com: access was revoked at Google. Reconnect it to keep your answers and briefings coming.',
          keyboard: [[{ text: 'Reconnect Google', url: connectUrl() }]],
        },
      ]);

      await stack.control('/auto-approve', { body: { email: 'alex@example.com' } });
      const start = await startConnect(keyboardOf(notices[0])[0]![0]!.url!);
      const callback = (await fetch(start.authorizeUrl!, { redirect: 'manual' })).headers.get(
        'location',
      )!;
      expect((await fetch(callback, { headers: { cookie: start.cookie! } })).status).toBe(200);
      // The "connected as …" message comes from the outbox, on its own time: wait for it
      // so that it is not taken for the answer below.
      const reconnected = await stack.chat!.inbox(ALEX, { count: before + 2, timeoutMs: 15_000 });
      expect(reconnected.at(-1)!.text).toBe(
        '✅ Connected as alex@example.com — Gmail and Calendar.\n\nTry "What\'s on today?", "Any unread mail?" or /help.\n\nNot you? If you did not connect this Google account, remove it now with /disconnect alex@example.com',
      );
      const [answer] = await say('/unread', 1);
      // The seed inbox: 21 unread messages in 18 conversations.
      const paragraphs = answer!.text.split('\n\n');
      expect({
        heading: paragraphs[0],
        listed: paragraphs.length - 2,
        totals: paragraphs.at(-1),
        numbers: keyboardOf(answer)[0]?.map((b) => b.text),
      }).toStrictEqual({
        heading: '📥 Unread in your inbox',
        listed: 5,
        totals:
          '21 unread messages in your inbox, in 18 conversations.\nUnread by label: Primary 16, Clients 5, Updates 2, Forums 1, Invoices 1, Promotions 1, … (a message can carry several labels, so these overlap).',
        numbers: ['1', '2', '3', '4', '5'],
      });
    });

    it('with access tokens living seconds, questions keep working with no visible change', async () => {
      await fetch(`${stack.google.url}/__sandbox/settings`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ accessTokenTtlSeconds: 2 }),
      });
      try {
        const answers = [];
        for (let i = 0; i < 3; i++) {
          const [reply] = await say('/next');
          const next = nextEvent(DateTime.now().setZone(ZONE));
          const [when, ...event] = reply!.text.split('\n\n');
          answers.push({ when, event: event.join('\n\n'), expected: next });
        }
        for (const { when, event, expected } of answers) {
          // "in 25 min" within the hour, else "today at 15:00 (in 3 h 5 min)" and the like.
          const at = expected.start.toFormat('HH:mm');
          expect(when).toMatch(new RegExp(`^⏭ Next, (in \\d+ min|.+ at ${at} \\(in [\\w ]+\\)):$`));
          expect(event).toBe(expected.lines.join('\n'));
        }
      } finally {
        await fetch(`${stack.google.url}/__sandbox/settings`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ accessTokenTtlSeconds: 3599 }),
        });
      }
    });
  });
}
