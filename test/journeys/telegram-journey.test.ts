import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboxItem } from '../../sandbox/telegram/index.ts';
import { DATABASES } from '../support/databases.ts';
import { type Stack, startConnect, startStack } from '../support/stack.ts';

const ALEX = 7101;

interface Button {
  text: string;
  url?: string;
  callback_data?: string;
}

function buttonsOf(item: InboxItem | undefined): Button[] {
  const markup = item?.reply_markup as { inline_keyboard?: Button[][] } | undefined;
  return markup?.inline_keyboard?.flat() ?? [];
}

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

    it('start → connect → consent → connected → tomorrow → Alice → open a message', async () => {
      const [welcome] = await say('/start');
      expect(welcome!.text).toMatch(/Hi Alex/);

      const [connectReply] = await say('/connect');
      const connectButton = buttonsOf(connectReply).find((b) => b.url);
      expect(connectButton?.url).toContain('/oauth/google/start?ticket=');

      // The person opens the button's URL in a browser and allows on Google's page.
      await stack.control('/auto-approve', { body: { email: 'alex@example.com' } });
      const before = (await stack.chat!.inbox(ALEX)).length;
      const start = await startConnect(connectButton!.url!);
      const cookie = start.cookie!;
      const callback = (await fetch(start.authorizeUrl!, { redirect: 'manual' })).headers.get(
        'location',
      )!;
      const page = await fetch(callback, { headers: { cookie } });
      expect(page.status).toBe(200);
      const connected = await stack.chat!.inbox(ALEX, { count: before + 1, timeoutMs: 15_000 });
      expect(connected.at(-1)!.text).toContain('alex@example.com');

      const user = await stack.app.core.frontDoor.users.byTelegramId(String(ALEX));
      const [tomorrowReply] = await say("what's on tomorrow?");
      const zone = 'America/New_York';
      const { DateTime } = await import('luxon');
      const tomorrow = DateTime.now().setZone(zone).plus({ days: 1 }).startOf('day');
      const agenda = (await stack.app.core.frontDoor.invoke(user!.id, 'calendar.agenda', {
        from: tomorrow.toISO(),
        to: tomorrow.plus({ days: 1 }).toISO(),
      })) as { events: Array<{ title: string }> };
      for (const event of agenda.events) expect(tomorrowReply!.text).toContain(event.title);
      if (agenda.events.length === 0)
        expect(tomorrowReply!.text).toMatch(/nothing|no events|free/i);

      const [aliceReply] = await say('anything from Alice?');
      expect(aliceReply!.text).toContain('Alice');
      expect(aliceReply!.link_preview_options?.is_disabled).toBe(true);
      const open = buttonsOf(aliceReply).find(
        (b) => b.callback_data && /open|read|^1/i.test(b.text),
      );
      expect(open).toBeDefined();
      const count = (await stack.chat!.inbox(ALEX)).length;
      await stack.chat!.press(ALEX, aliceReply!.message_id, open!.callback_data!);
      const opened = await stack.chat!.inbox(ALEX, { count: count + 1, timeoutMs: 15_000 });
      const message = opened.at(-1)!;
      expect(message.text).toContain('Alice');
      expect(message.link_preview_options?.is_disabled).toBe(true);
    });

    it('a revoked grant sends one notification with a reconnect button, and reconnecting answers again', async () => {
      const user = await stack.app.core.frontDoor.users.byTelegramId(String(ALEX));
      const [connection] = await stack.app.core.frontDoor.connections.list(user!.id);
      const before = (await stack.chat!.inbox(ALEX)).length;
      await stack.control('/users/alex@example.com/revoke', { body: {} });
      expect(await stack.app.core.broker.refresh(connection!.id, { force: true })).toBe(
        'needs_reauth',
      );
      await stack.app.telegram!.deliverOutbox();
      await stack.app.telegram!.deliverOutbox();
      const inbox = await stack.chat!.inbox(ALEX, { count: before + 1, timeoutMs: 15_000 });
      const notices = inbox.slice(before);
      expect(notices).toHaveLength(1);
      const reconnect = buttonsOf(notices[0]).find((b) => b.url?.includes('/oauth/google/start'));
      expect(reconnect).toBeDefined();

      await stack.control('/auto-approve', { body: { email: 'alex@example.com' } });
      const start = await startConnect(reconnect!.url!);
      const callback = (await fetch(start.authorizeUrl!, { redirect: 'manual' })).headers.get(
        'location',
      )!;
      expect((await fetch(callback, { headers: { cookie: start.cookie! } })).status).toBe(200);
      // The "connected as …" message comes from the outbox, on its own time: wait for it
      // so that it is not taken for the answer below.
      const reconnected = await stack.chat!.inbox(ALEX, { count: before + 2, timeoutMs: 15_000 });
      expect(reconnected.at(-1)!.text).toContain('Connected as alex@example.com');
      const [answer] = await say('/unread', 1);
      expect(answer!.text).toMatch(/unread/i);
    });

    it('with access tokens living seconds, questions keep working with no visible change', async () => {
      await fetch(`${stack.google.url}/__sandbox/settings`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ accessTokenTtlSeconds: 2 }),
      });
      try {
        for (let i = 0; i < 3; i++) {
          const [reply] = await say('/next');
          expect(reply!.text).not.toMatch(/error|reconnect|went wrong/i);
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
