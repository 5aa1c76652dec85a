/**
 * Connect buttons in the chat are Telegram login buttons: the link opens only with
 * Telegram's signed login data for the user it was made for, so a forwarded message's
 * button refuses whoever else presses it. Where Telegram refuses login buttons (the domain
 * was not linked with BotFather's /setdomain), the bot sends plain links instead, warns
 * once, and those links work.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboxItem } from '../../sandbox/telegram/index.ts';
import {
  backFromGoogle,
  codeOf,
  connectThrough,
  createBrowser,
  open,
  pressContinue,
} from '../connections/browser.harness.ts';
import { DATABASES } from '../support/databases.harness.ts';
import { type Stack, startStack } from '../support/stack.harness.ts';

interface Button {
  text: string;
  url?: string;
  login_url?: { url: string };
}

const keyboardOf = (item: InboxItem | undefined): Button[][] =>
  (item?.reply_markup as { inline_keyboard?: Button[][] } | undefined)?.inline_keyboard ?? [];

/** Writes as `userId` and waits for the bot's one answer. */
async function say(stack: Stack, userId: number, text: string, name: string) {
  const before = (await stack.chat!.inbox(userId)).length;
  await stack.chat!.write(userId, text, name);
  const inbox = await stack.chat!.inbox(userId, { count: before + 1, timeoutMs: 15_000 });
  return inbox.slice(before)[0]!;
}

function connectUrl(stack: Stack): unknown {
  const root = stack.app.url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return expect.stringMatching(new RegExp(`^${root}/oauth/google/start\\?ticket=[\\w-]{43}$`));
}

for (const database of DATABASES) {
  describe(`login buttons for connect links on ${database.name}`, () => {
    let stack: Stack;
    /** How far our clock runs ahead of the real one (Telegram's stays real). */
    let ahead = 0;
    beforeAll(async () => {
      stack = await startStack(database, {
        telegram: true,
        start: { now: () => new Date(Date.now() + ahead) },
      });
      // BotFather's /setdomain for the host Tidings is reached at.
      await stack.chat!.settings({ loginDomain: '127.0.0.1' });
      await stack.control('/auto-approve', { body: { email: 'alex@example.com' } });
    });
    afterAll(async () => {
      await stack?.close();
    });

    it('opens for its own Telegram user, names the account, connects and tells the chat', async () => {
      const reply = await say(stack, 7301, '/connect', 'Olive');
      const { url } = await stack.chat!.openLoginUrl(7301, reply.message_id);
      const browser = createBrowser();
      const page = await open(browser, url);
      const continued = await pressContinue(browser, page);
      const before = (await stack.chat!.inbox(7301)).length;
      const result = await backFromGoogle(browser, continued.authorizeUrl!);
      const notices = await stack.chat!.inbox(7301, { count: before + 1, timeoutMs: 15_000 });
      expect({
        keyboard: keyboardOf(reply),
        page: [page.status, page.html.includes('<strong>Olive</strong>')],
        continued: continued.status,
        result: [result.status, result.html.includes('Connected alex@example.com')],
        notice: notices.at(-1)?.text,
      }).toStrictEqual({
        keyboard: [[{ text: 'Connect Google', login_url: { url: connectUrl(stack) } }]],
        page: [200, true],
        continued: 303,
        result: [200, true],
        notice:
          '✅ Connected as alex@example.com — Gmail and Calendar.\n\nTry "What\'s on today?", "Any unread mail?" or /help.\n\nNot you? If you did not connect this Google account, remove it now with /disconnect alex@example.com',
      });
    });

    it('refuses a forwarded button pressed by someone else, a bare link and changed data', async () => {
      const reply = await say(stack, 7302, '/connect', 'Mallory');
      const forwarded = await stack.chat!.openLoginUrl(7303, reply.message_id, { chatId: 7302 });
      const own = await stack.chat!.openLoginUrl(7302, reply.message_id);
      const bare = new URL(own.url);
      for (const name of [...bare.searchParams.keys()]) {
        if (name !== 'ticket') bare.searchParams.delete(name);
      }
      const changed = new URL(own.url);
      changed.searchParams.set('id', '7303');
      const pages = [];
      for (const url of [forwarded.url, bare.href, changed.href]) {
        pages.push(await open(createBrowser(), url));
      }
      expect({
        pages: pages.map((p) => [p.status, codeOf(p.html)]),
        forwarded: pages[0]!.html.includes('made for another Telegram account'),
        // Refusing the others did not use the link up: its own user still can.
        own: (await open(createBrowser(), own.url)).status,
      }).toStrictEqual({
        pages: [
          [403, 'forbidden'],
          [403, 'forbidden'],
          [403, 'forbidden'],
        ],
        forwarded: true,
        own: 200,
      });
    });

    it('refuses a button pressed more than ten minutes ago', async () => {
      // Telegram's clock stays; ours moves on, so the press reads as old and the link fresh.
      ahead += 11 * 60_000;
      try {
        const reply = await say(stack, 7304, '/connect', 'Slow');
        const { url } = await stack.chat!.openLoginUrl(7304, reply.message_id);
        const page = await open(createBrowser(), url);
        expect([
          page.status,
          codeOf(page.html),
          page.html.includes('pressed more than 10 minutes ago'),
        ]).toStrictEqual([400, 'oauth_state_expired', true]);
      } finally {
        ahead = 0;
      }
    });
  });

  describe(`connect buttons where Telegram refuses login buttons, on ${database.name}`, () => {
    let stack: Stack;
    beforeAll(async () => {
      // No domain linked with /setdomain: the Telegram sandbox answers BOT_DOMAIN_INVALID.
      stack = await startStack(database, { telegram: true });
      await stack.control('/auto-approve', { body: { email: 'alex@example.com' } });
    });
    afterAll(async () => {
      await stack?.close();
    });

    it('sends plain links that work, and warns once', async () => {
      const first = await say(stack, 7311, '/connect', 'Pat');
      const second = await say(stack, 7311, '/start connect', 'Pat');
      const result = await connectThrough(createBrowser(), keyboardOf(second)[0]![0]!.url!);
      expect({
        keyboards: [keyboardOf(first), keyboardOf(second)],
        warnings: stack.logs.filter((line) => line.includes('BOT_DOMAIN_INVALID')).length,
        result: [result.status, result.html.includes('Connected alex@example.com')],
      }).toStrictEqual({
        keyboards: [
          [[{ text: 'Connect Google', url: connectUrl(stack) }]],
          [[{ text: 'Connect Google', url: connectUrl(stack) }]],
        ],
        warnings: 1,
        result: [200, true],
      });
    });
  });
}
