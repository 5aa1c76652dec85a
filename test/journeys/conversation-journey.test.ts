/**
 * Conversations through the whole product — the real server and database (PGlite, and
 * PostgreSQL when DATABASE_URL is set), the Google and Telegram sandboxes over HTTP — with
 * Telegram delivering by long polling and by webhook: connect buttons edited away once
 * connected, the welcome for a grant without Calendar, follow-ups on a list of mail ("open
 * 1", "read the first one", "the second", "more"), on an agenda ("and friday?") and on a
 * sender ("anything else from her?"), `/unread` with senders and subjects before the
 * totals, follow-ups with nothing kept, the answer to a message nothing understands, the
 * context expiring on an injected clock, "friday at 3" asked on a Friday evening (next
 * Friday) and "today at 3" after 3 (passed), and, on PostgreSQL, another instance answering
 * "open 1" from the context the first one kept.
 */
import { Writable } from 'node:stream';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboxItem } from '../../sandbox/telegram/index.ts';
import { type RunningApp, startApp } from '../../src/app.ts';
import { createLogger } from '../../src/log.ts';
import { DATABASES } from '../support/databases.harness.ts';
import { type Stack, startConnect, startStack } from '../support/stack.harness.ts';

const ALEX = 7401;
const SAM = 7402;
/** Each conversation has a person of its own: the bot answers 20 messages a minute each. */
const PEOPLE = {
  list: 7411,
  days: 7412,
  sender: 7413,
  unread: 7414,
  expiry: 7415,
  other: 7416,
  time: 7417,
};
const SECRET = 'conversation-journey-secret_0123456789';
const GMAIL_ONLY = ['openid', 'email', 'profile', 'https://www.googleapis.com/auth/gmail.readonly'];
const MODES = ['polling', 'webhook'] as const;

const NO_LIST =
  'I have no list to pick from: I keep what I showed for 15 minutes after your last message. Ask again, for example /inbox, /unread, /today or "anything from Alice?", then say "open 1" or "more".';

interface Button {
  text: string;
  url?: string;
  callback_data?: string;
}

function keyboardOf(item: InboxItem | undefined): Button[][] {
  const markup = item?.reply_markup as { inline_keyboard?: Button[][] } | undefined;
  return markup?.inline_keyboard ?? [];
}

/** The numbered entries of a mail list, without its heading. */
const entries = (item: InboxItem | undefined) => item?.text.split('\n\n').slice(1);

for (const database of DATABASES) {
  for (const mode of MODES) {
    describe(`conversations on ${database.name}, delivered by ${mode}`, () => {
      let stack: Stack;
      /** How far the app's clock runs ahead of the real one. */
      let ahead = 0;
      const now = () => new Date(Date.now() + ahead);

      beforeAll(async () => {
        stack = await startStack(database, {
          telegram: true,
          env:
            mode === 'webhook' ? { TELEGRAM_MODE: 'webhook', TELEGRAM_WEBHOOK_SECRET: SECRET } : {},
          start: { now },
        });
      });
      afterAll(async () => {
        await stack?.close();
      });

      /** Writes as `user` and waits for `count` new bot messages. */
      async function say(text: string, user = ALEX, count = 1): Promise<InboxItem[]> {
        const before = (await stack.chat!.inbox(user)).length;
        await stack.chat!.write(user, text, user === SAM ? 'Sam' : 'Alex');
        const inbox = await stack.chat!.inbox(user, { count: before + count, timeoutMs: 15_000 });
        expect(inbox.length).toBeGreaterThanOrEqual(before + count);
        return inbox.slice(before);
      }
      const answer = async (text: string, user = ALEX) => (await say(text, user))[0];

      /** Presses a button that sends a new message, and answers that message. */
      async function press(item: InboxItem | undefined, data: string, user = ALEX) {
        const before = (await stack.chat!.inbox(user)).length;
        await stack.chat!.press(user, item?.message_id ?? 0, data);
        const inbox = await stack.chat!.inbox(user, { count: before + 1, timeoutMs: 15_000 });
        return inbox[before];
      }

      /** The message with this id as the chat shows it now (after any edit). */
      async function current(item: InboxItem | undefined, user = ALEX) {
        return (await stack.chat!.inbox(user)).find((m) => m.message_id === item?.message_id);
      }

      /** Opens a connect button's link and consents; answers the "connected" notice. */
      async function connect(
        button: Button | undefined,
        user: number,
        email: string,
        scopes?: string[],
      ) {
        await stack.control('/auto-approve', { body: scopes ? { email, scopes } : { email } });
        const before = (await stack.chat!.inbox(user)).length;
        const start = await startConnect(button?.url ?? '');
        const callback = (await fetch(start.authorizeUrl!, { redirect: 'manual' })).headers.get(
          'location',
        )!;
        expect((await fetch(callback, { headers: { cookie: start.cookie! } })).status).toBe(200);
        const inbox = await stack.chat!.inbox(user, { count: before + 1, timeoutMs: 15_000 });
        return inbox.at(-1);
      }

      /** A person who has connected alex@example.com through the chat. */
      async function connected(user: number): Promise<number> {
        const reply = await answer('/connect', user);
        await connect(keyboardOf(reply)[0]?.[0], user, 'alex@example.com');
        return user;
      }

      /** Asks the Google sandbox's Gmail API directly, with Alex's current access token. */
      async function gmail<T>(path: string): Promise<T> {
        const { frontDoor } = stack.app.parts;
        const user = await frontDoor.users.byTelegramId(String(ALEX));
        const [connection] = await frontDoor.connections.list(user!.id);
        const token = await stack.app.parts.broker.accessToken(connection!.id);
        const response = await fetch(`${stack.google.url}/gmail/v1/users/me/${path}`, {
          headers: { authorization: `Bearer ${token}` },
        });
        return (await response.json()) as T;
      }

      it('removes the earlier connect buttons once connected, and suggests what was granted', async () => {
        const welcome = await answer('/start');
        const connectReply = await answer('/connect');
        const notice = await connect(keyboardOf(connectReply)[0]?.[0], ALEX, 'alex@example.com');
        expect({
          before: [welcome, connectReply].map((m) =>
            keyboardOf(m)
              .flat()
              .map((b) => b.text),
          ),
          after: [
            (await current(welcome))?.reply_markup,
            (await current(connectReply))?.reply_markup,
          ],
          notice: notice?.text,
          buttons: notice?.reply_markup,
        }).toStrictEqual({
          before: [['Connect Google'], ['Connect Google']],
          after: [undefined, undefined],
          notice:
            '✅ Connected as alex@example.com — Gmail and Calendar.\n\nTry "What\'s on today?", "Any unread mail?" or /help.\n\nNot you? If you did not connect this Google account, remove it now with /disconnect alex@example.com',
          buttons: undefined,
        });
      });

      it('welcomes a grant without Calendar with what it can do and how to add Calendar', async () => {
        const connectReply = await answer('/connect', SAM);
        const notice = await connect(
          keyboardOf(connectReply)[0]?.[0],
          SAM,
          'sam@example.com',
          GMAIL_ONLY,
        );
        expect({
          text: notice?.text,
          buttons: keyboardOf(notice)
            .flat()
            .map((b) => b.text),
          spent: (await current(connectReply, SAM))?.reply_markup,
        }).toStrictEqual({
          text: '✅ Connected as sam@example.com — Gmail.\n\nTry "Any unread mail?" or /help.\n\nGoogle Calendar was left unticked, so I cannot read your agenda. To add it, reconnect and tick Google Calendar on Google\'s page.\n\nNot you? If you did not connect this Google account, remove it now with /disconnect sam@example.com',
          buttons: ['Reconnect Google'],
          spent: undefined,
        });
      });

      it('follows a list of mail: "open 1", "read the first one", "the second", "more"', async () => {
        const me = await connected(PEOPLE.list);
        const list = await answer('anything from Alice?', me);
        const [first, second] = keyboardOf(list)[0] ?? [];
        const opened = [
          await answer('open 1', me),
          await answer('read the first one', me),
          await answer('the second', me),
        ];
        const more = await answer('more', me);
        const byButton = [
          await press(list, first?.callback_data ?? '', me),
          await press(list, second?.callback_data ?? '', me),
        ];
        // "More ›" turns the list itself to the next page; a chat's updates are answered in
        // order, so once the next message is answered, so is the press.
        await stack.chat!.press(
          me,
          list?.message_id ?? 0,
          keyboardOf(list)[1]?.[0]?.callback_data ?? '',
        );
        await answer('thanks', me);
        const page = await current(list, me);
        expect({
          opened: opened.map((m) => m?.text),
          heading: list?.text.split('\n')[0],
          more: more?.text.split('\n\n').map((entry) => entry.split('. ')[0]),
          sameAsButton: more?.text === page?.text,
        }).toStrictEqual({
          opened: [byButton[0]?.text, byButton[0]?.text, byButton[1]?.text],
          heading: 'Mail from alice',
          more: ['Mail from alice', ...(entries(more) ?? []).map((_, i) => String(6 + i))],
          sameAsButton: true,
        });
      });

      it('asks about another day: "what\'s on tomorrow" then "and friday?"', async () => {
        const me = await connected(PEOPLE.days);
        const tomorrow = await answer("what's on tomorrow?", me);
        const friday = await answer('and friday?', me);
        const direct = await answer('/agenda friday', me);
        expect({ tomorrow: tomorrow?.text.split(' · ')[0], friday: friday?.text }).toStrictEqual({
          tomorrow: '📅 Tomorrow',
          friday: direct?.text,
        });
      });

      it('follows a sender: mail from Alice, "open 1", then "anything else from her?"', async () => {
        const me = await connected(PEOPLE.sender);
        await answer('emails from alice', me);
        const opened = await answer('open 1', me);
        const more = await answer('anything else from her?', me);
        const same = await answer('/inbox from:alice@northwind.example', me);
        expect({
          from: opened?.text.split('\n')[1],
          heading: more?.text.split('\n')[0],
          entries: entries(more),
        }).toStrictEqual({
          from: 'From: Alice Chen <alice@northwind.example>',
          heading: 'Mail from Alice Chen',
          entries: entries(same),
        });
      });

      it('lists /unread with senders and subjects first and the totals after; "open 1" opens the newest', async () => {
        const me = await connected(PEOPLE.unread);
        const unread = await answer('/unread', me);
        const opened = await answer('open 1', me);
        const { messages } = await gmail<{ messages: Array<{ id: string }> }>(
          `messages?q=${encodeURIComponent('in:inbox is:unread')}&maxResults=5`,
        );
        const ids = messages.map((m) => m.id);
        const listed = unread?.text.split('\n\n') ?? [];
        expect({
          heading: listed[0],
          // "1. Maya Lopez · 2 days ago", then the subject.
          items: listed.slice(1, -1).map((item) => /^\d\. [^\n]+ · [^\n]+\n[^\n]+$/.test(item)),
          totals: listed.at(-1)?.split('\n')[0],
          byLabel: listed.at(-1)?.split('\n')[1]?.startsWith('Unread by label: '),
          buttons: keyboardOf(unread),
          opened: opened?.text === (await press(unread, `o:${ids[0]}`, me))?.text,
        }).toStrictEqual({
          heading: '📥 Unread in your inbox',
          items: [true, true, true, true, true],
          // The seed inbox: 21 unread messages in 18 conversations.
          totals: '21 unread messages in your inbox, in 18 conversations.',
          byLabel: true,
          buttons: [
            ids.map((id, i) => ({ text: String(i + 1), callback_data: `o:${id}` })),
            [{ text: 'More ›', callback_data: expect.stringMatching(/^p:[\w-]+$/) }],
          ],
          opened: true,
        });
      });

      it('says what to do when a follow-up has nothing to follow, and what it can do otherwise', async () => {
        const followUps = [await answer('more', SAM), await answer('from her?', SAM)];
        const fallback = await answer('blorp zing quux', SAM);
        expect({
          followUps: followUps.map((m) => m?.text),
          fallback: fallback?.text.split('\n\n')[0],
          examples: fallback?.text.split('\n\n')[2]?.split('\n').length,
        }).toStrictEqual({
          followUps: [
            NO_LIST,
            'I am not sure who you mean. Open a message first, or ask for mail from someone ("anything from Alice?"), then ask "anything else from her?"',
          ],
          fallback: "I can't answer that one. Here is what I can do:",
          examples: 5,
        });
      });

      it('forgets the list 15 minutes after the last exchange (an injected clock)', async () => {
        const me = await connected(PEOPLE.expiry);
        await answer('anything from Alice?', me);
        ahead = 14 * 60_000;
        const within = await answer('open 1', me);
        ahead = 29 * 60_000 + 1_000;
        try {
          expect([within?.text.split('\n')[1], (await answer('open 1', me))?.text]).toStrictEqual([
            'From: Alice Chen <alice@northwind.example>',
            NO_LIST,
          ]);
        } finally {
          ahead = 0;
        }
      });

      it('reads "friday at 3" asked on a Friday evening as next Friday, and "today at 3" as passed', async () => {
        const me = await connected(PEOPLE.time);
        // The app's clock on the coming Friday at 19:00 in Alex's calendar zone.
        const real = DateTime.now().setZone('America/New_York');
        const evening = real.plus({ days: (5 - real.weekday + 7) % 7 }).set({
          hour: 19,
          minute: 0,
          second: 0,
          millisecond: 0,
        });
        const friday = evening < real ? evening.plus({ days: 7 }) : evening;
        ahead = Math.max(0, friday.toMillis() - Date.now());
        try {
          const next = await answer('am I free friday at 3?', me);
          const today = await answer('am I free today at 3?', me);
          const nextFriday = friday.plus({ days: 7 }).setLocale('en-GB').toFormat('cccc d LLLL');
          expect({
            next: next?.text.includes(`${nextFriday} at 15:00`),
            today: today?.text.split('\n')[0],
          }).toStrictEqual({
            next: true,
            today: '⌛ Today at 15:00 has passed (it is 19:00 now).',
          });
        } finally {
          ahead = 0;
        }
      });

      if (database.name === 'postgres') {
        it('answers "open 1" on another instance from the context the first one kept', async () => {
          const me = await connected(PEOPLE.other);
          const list = await answer('anything from Alice?', me);
          const expected = await press(list, keyboardOf(list)[0]?.[0]?.callback_data ?? '', me);
          const logger = createLogger(
            'warn',
            new Writable({
              write(_chunk, _encoding, done) {
                done();
              },
            }),
          );
          // The first instance stops taking updates: in webhook mode the second one's start
          // points Telegram at itself; in polling mode the first one stops polling.
          if (mode === 'polling') await stack.app.telegram!.stop();
          let other: RunningApp | null = null;
          try {
            other = await startApp(stack.app.services.config, {
              database: await stack.handle.openAnother(),
              logger,
              jobs: false,
              now,
            });
            const opened = await answer('open 1', me);
            const token = stack.app.services.config.telegram.botToken;
            const info = (await (
              await fetch(`${stack.telegram!.url}/bot${token}/getWebhookInfo`)
            ).json()) as { result: { url: string } };
            expect({ text: opened?.text, webhook: info.result.url }).toStrictEqual({
              text: expected?.text,
              // Polling: the first instance polls no more; webhook: Telegram delivers to the other.
              webhook: mode === 'webhook' ? `${other.url}/telegram/webhook` : '',
            });
          } finally {
            await other?.stop();
            if (mode === 'polling') await stack.app.telegram!.start();
            else await stack.app.telegram!.setWebhook(`${stack.app.url}/telegram/webhook`, SECRET);
          }
        });
      }
    });
  }
}
