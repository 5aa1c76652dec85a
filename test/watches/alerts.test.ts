/**
 * New-mail alerts end to end: the product with its jobs, the Google and Telegram
 * sandboxes over real HTTP, and a short watch interval. A mail imported into the sandbox
 * from a watched sender reaches the chat once; mail that was there before the rule, the
 * user's own sent mail and mail no rule matches never alert; quiet hours hold alerts and
 * send one digest after; an expired history id starts again from now without a flood;
 * an account to reconnect pauses its rules and says so once.
 */
import { once } from 'node:events';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboxItem } from '../../sandbox/telegram/index.ts';
import { watchCreate } from '../../src/capabilities/index.ts';
import type { PollOutcome } from '../../src/jobs/index.ts';
import { DATABASES } from '../support/databases.harness.ts';
import { connectWithAutoApprove, type Stack, startStack } from '../support/stack.harness.ts';

/** Each person has a mailbox of their own in the sandbox. */
let people = 0;

for (const database of DATABASES) {
  describe(`new-mail alerts on ${database.name}`, () => {
    let stack: Stack;
    beforeAll(async () => {
      stack = await startStack(database, {
        telegram: true,
        start: { jobs: true },
        env: { WATCH_INTERVAL_SECONDS: '1' },
      });
    }, 180_000);
    afterAll(async () => {
      await stack?.close();
    });

    /** A Telegram user connected to a mailbox of their own, in UTC. */
    async function person() {
      people++;
      const chatId = 8100 + people;
      const email = `watcher${people}@example.com`;
      await stack.control('/users', { body: { email, name: `Watcher ${people}` } });
      await stack.chat!.write(chatId, '/start', `Watcher${people}`);
      await stack.chat!.inbox(chatId, { count: 1, timeoutMs: 30_000 });
      const user = (await stack.app.parts.frontDoor.users.byTelegramId(String(chatId)))!;
      await stack.app.parts.frontDoor.users.update(user.id, { timeZone: 'UTC' });
      expect((await connectWithAutoApprove(stack, user.id, email)).status).toBe(200);
      // The "connected" notice.
      await stack.chat!.inbox(chatId, { count: 2, timeoutMs: 30_000 });
      const [connection] = await stack.app.parts.frontDoor.connections.list(user.id);
      return { chatId, email, user, connection: connection! };
    }

    async function deliver(
      email: string,
      mail: { from: string; subject: string; labels?: string },
    ): Promise<string> {
      const raw = `From: ${mail.from}\r\nTo: ${email}\r\nSubject: ${mail.subject}\r\nDate: ${new Date().toUTCString()}\r\nMessage-ID: <${Math.random().toString(36).slice(2)}@example.org>\r\n\r\nAbout ${mail.subject}.\r\n`;
      const imported = await fetch(
        `${stack.google.url}/__sandbox/users/${email}/messages?labelIds=${mail.labels ?? 'INBOX,UNREAD'}`,
        { method: 'POST', headers: { 'content-type': 'message/rfc822' }, body: raw },
      );
      expect(imported.status).toBe(201);
      return ((await imported.json()) as { id: string }).id;
    }

    /** The next poll of `connectionId` that ends with one of `outcomes`. */
    async function polled(connectionId: string, outcomes?: PollOutcome[]): Promise<PollOutcome> {
      const events = stack.app.jobs!.events;
      for (;;) {
        const [done] = (await once(events, 'watched')) as [
          { connectionId: string; outcome: PollOutcome },
        ];
        if (done.connectionId !== connectionId) continue;
        if (!outcomes || outcomes.includes(done.outcome)) return done.outcome;
      }
    }

    async function newMessages(chatId: number, before: number, count: number) {
      const inbox = await stack.chat!.inbox(chatId, { count: before + count, timeoutMs: 30_000 });
      return inbox.slice(before);
    }

    function buttonsOf(item: InboxItem | undefined) {
      const markup = item?.reply_markup as
        | { inline_keyboard?: Array<Array<{ text: string; url?: string }>> }
        | undefined;
      return markup?.inline_keyboard?.flat() ?? [];
    }

    it('announces a mail from a watched sender once, and nothing else', async () => {
      const { chatId, email, user, connection } = await person();
      // Mail that was there before the rule never alerts.
      await deliver(email, { from: 'Alice <alice@northwind.example>', subject: 'Old news' });
      const created = await stack.app.parts.frontDoor.invoke(user.id, watchCreate, {
        query: 'from:alice@northwind.example',
      });
      expect(created).toMatchObject({ created: true, watch: { account: email, paused: null } });
      await polled(connection.id);
      const before = (await stack.chat!.inbox(chatId)).length;

      await deliver(email, { from: 'Bob <bob@example.org>', subject: 'Not watched' });
      await deliver(email, {
        from: `Watcher <${email}>`,
        subject: 'My own note',
        labels: 'SENT',
      });
      const id = await deliver(email, {
        from: 'Alice Liddell <alice@northwind.example>',
        subject: 'Invoice 2291',
      });
      expect(await polled(connection.id, ['alerted'])).toBe('alerted');
      const [alert] = await newMessages(chatId, before, 1);
      expect(alert!.text).toContain('Invoice 2291');
      expect(alert!.text).toContain('Alice Liddell');
      expect(alert!.text).not.toContain('Old news');
      expect(buttonsOf(alert)).toContainEqual(
        expect.objectContaining({ text: 'Open', url: expect.stringContaining(id) }),
      );

      // Later polls find nothing more: one alert, ever.
      await polled(connection.id, ['quiet']);
      await polled(connection.id, ['quiet']);
      await stack.app.telegram?.kickOutbox();
      const after = await stack.chat!.inbox(chatId);
      expect(after.slice(before).map((m) => m.text)).toStrictEqual([alert!.text]);
      const rows = await stack.handle.db
        .selectFrom('notifications')
        .select(['kind', 'payload', 'delivered_at'])
        .where('user_id', '=', user.id)
        .where('kind', '=', 'watch_alert')
        .execute();
      expect(rows).toHaveLength(1);
      // Delivered: what the mail said is not kept.
      expect(rows[0]!.delivered_at).not.toBeNull();
      expect(JSON.stringify(rows[0]!.payload)).not.toContain('Invoice');
    });

    it('queues nothing for a person without a chat, and still moves on', async () => {
      people++;
      const email = `watcher${people}@example.com`;
      await stack.control('/users', { body: { email, name: `Watcher ${people}` } });
      const user = await stack.app.parts.frontDoor.users.create({ displayName: 'API only' });
      expect((await connectWithAutoApprove(stack, user.id, email)).status).toBe(200);
      const [connection] = await stack.app.parts.frontDoor.connections.list(user.id);
      await stack.app.parts.frontDoor.invoke(user.id, watchCreate, { query: 'subject:invoice' });
      await polled(connection!.id);
      const cursor = async () =>
        (
          await stack.handle.db
            .selectFrom('watch_cursors')
            .select('history_id')
            .where('connection_id', '=', connection!.id)
            .executeTakeFirstOrThrow()
        ).history_id;
      const before = await cursor();
      await deliver(email, { from: 'Alice <alice@northwind.example>', subject: 'Invoice 7' });
      // A check reads the new mail (the cursor moves past it) and matches it, but no chat
      // could ever receive it.
      const outcomes: PollOutcome[] = [];
      while ((await cursor()) === before) outcomes.push(await polled(connection!.id));
      expect(outcomes.at(-1)).toBe('quiet');
      const rows = await stack.handle.db
        .selectFrom('notifications')
        .select('id')
        .where('user_id', '=', user.id)
        .where('kind', 'in', ['watch_alert', 'watch_digest'])
        .execute();
      expect(rows).toStrictEqual([]);
    });

    it('holds alerts through quiet hours and sends one digest after', async () => {
      const { chatId, email, user, connection } = await person();
      const hour = new Date().getUTCHours();
      const clock = (h: number) => `${String((h + 24) % 24).padStart(2, '0')}:00`;
      await stack.app.parts.frontDoor.users.update(user.id, {
        settings: { quietHours: { from: clock(hour - 1), to: clock(hour + 2) } },
      });
      await stack.app.parts.frontDoor.invoke(user.id, watchCreate, { query: 'subject:report' });
      await polled(connection.id);
      const before = (await stack.chat!.inbox(chatId)).length;

      await deliver(email, { from: 'Dana <dana@example.org>', subject: 'Weekly report' });
      await deliver(email, { from: 'Eli <eli@example.org>', subject: 'Monthly report' });
      await polled(connection.id, ['held']);
      const held = await stack.handle.db
        .selectFrom('watch_held')
        .select('message_id')
        .where('user_id', '=', user.id)
        .execute();
      expect(held.length).toBeGreaterThanOrEqual(1);
      await stack.app.jobs!.watchNow();
      expect((await stack.chat!.inbox(chatId)).length).toBe(before);

      await stack.app.parts.frontDoor.users.update(user.id, { settings: { quietHours: null } });
      // Both held (they may have arrived in one poll or two), then the digest goes out.
      for (;;) {
        const left = await stack.handle.db
          .selectFrom('watch_held')
          .select('message_id')
          .where('user_id', '=', user.id)
          .execute();
        const waiting = await stack.handle.db
          .selectFrom('notifications')
          .select('id')
          .where('user_id', '=', user.id)
          .where('kind', '=', 'watch_digest')
          .execute();
        if (left.length === 0 && waiting.length > 0) break;
        await stack.app.jobs!.watchNow();
      }
      const [digest] = await newMessages(chatId, before, 1);
      expect(digest!.text).toContain('Weekly report');
      expect(digest!.text).toContain('Monthly report');
      await polled(connection.id, ['quiet']);
      expect((await stack.chat!.inbox(chatId)).length).toBe(before + 1);
    });

    it('starts again from now when the history id expired, without a flood', async () => {
      const { chatId, email, user, connection } = await person();
      await stack.app.parts.frontDoor.invoke(user.id, watchCreate, {
        query: 'from:old@example.org',
      });
      await polled(connection.id);
      await deliver(email, { from: 'old@example.org', subject: 'Lost in the gap' });
      // A cursor older than anything Gmail keeps (a long pause): Gmail answers 404.
      await sql`update watch_cursors set history_id = '1' where connection_id = ${connection.id}`.execute(
        stack.handle.db,
      );
      expect(await polled(connection.id, ['restarted', 'raced'])).toBe('restarted');
      const before = (await stack.chat!.inbox(chatId)).length;
      await deliver(email, { from: 'old@example.org', subject: 'After the gap' });
      await polled(connection.id, ['alerted']);
      const [alert] = await newMessages(chatId, before, 1);
      expect(alert!.text).toContain('After the gap');
      expect(stack.logs.join('')).not.toContain('Lost in the gap');
    });

    it('pauses the rules of an account to reconnect and says so once', async () => {
      const { chatId, email, user, connection } = await person();
      await stack.app.parts.frontDoor.invoke(user.id, watchCreate, { query: 'from:x@example.org' });
      await polled(connection.id);
      await stack.control(`/users/${email}/revoke`, { body: {} });
      await stack.app.parts.broker.refresh(connection.id, { force: true });
      await polled(connection.id, ['paused']);
      await polled(connection.id, ['paused']);
      // The notices (the broken connection, the paused watches) arrive in some order.
      let inbox = await stack.chat!.inbox(chatId);
      while (!inbox.some((m) => m.text.includes('paused'))) {
        inbox = await stack.chat!.inbox(chatId, { count: inbox.length + 1, timeoutMs: 30_000 });
      }
      await polled(connection.id, ['paused']);
      const rows = await stack.handle.db
        .selectFrom('notifications')
        .select('id')
        .where('user_id', '=', user.id)
        .where('kind', '=', 'watch_paused')
        .execute();
      expect(rows).toHaveLength(1);
      const paused = (await stack.chat!.inbox(chatId)).filter((m) => m.text.includes('paused'));
      expect(paused).toHaveLength(1);
      expect(paused[0]!.text).toContain(email);
    });
  });
}
