import type { Update } from 'grammy/types';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASES, type TestDatabaseHandle } from '../../../test/support/databases.harness.ts';
import { createTelegramStore } from './telegram-store.ts';

function message(updateId: number, chatId: number, text = 'hello \u0000 there'): Update {
  const chat = { id: chatId, type: 'private' as const, first_name: 'A' };
  const from = { id: chatId, is_bot: false, first_name: 'A' };
  return { update_id: updateId, message: { message_id: 1, date: 0, chat, from, text } };
}

const entry = (updateId: number, chatId: number) => ({
  updateId,
  chatKey: String(chatId),
  update: message(updateId, chatId),
});

for (const database of DATABASES) {
  describe(`the Telegram inbox on ${database.name}`, () => {
    let handle: TestDatabaseHandle;
    let clock = Date.parse('2026-03-03T10:00:00Z');
    const now = () => new Date(clock);
    afterEach(async () => {
      await handle?.close();
    });

    async function open() {
      handle = await database.open();
      const store = createTelegramStore(handle.db, now);
      return { store, inbox: store.inbox! };
    }

    it('stores an update once and begins each chat’s lowest update first, content erased when done', async () => {
      const { inbox } = await open();
      const added = [
        await inbox.add([entry(12, 7), entry(11, 7), entry(20, 8)]),
        await inbox.add([entry(11, 7)]),
      ];
      const first = await inbox.beginNext('7');
      await inbox.done(11);
      const second = await inbox.beginNext('7');
      const { rows } = await sql<{ update_id: string; body: string | null }>`
        select update_id, body from telegram_inbox order by update_id`.execute(handle.db);
      expect({
        added,
        first,
        second: second && { updateId: second.updateId, attempts: second.attempts },
        bodies: rows.map((row) => [Number(row.update_id), row.body === null]),
      }).toStrictEqual({
        added: [3, 0],
        // Any text Telegram sends is kept as it came, a NUL character too.
        first: { updateId: 11, chatKey: '7', update: message(11, 7), attempts: 1 },
        second: { updateId: 12, attempts: 1 },
        bodies: [
          [11, true],
          [12, false],
          [20, false],
        ],
      });
    });

    it('lends a chat to one holder until it gives it back or the lease runs out', async () => {
      const { inbox } = await open();
      const first = await inbox.takeChat('7', 10_000);
      const whileHeld = await inbox.takeChat('7', 10_000);
      clock += 5_000;
      const renewed = await inbox.renewChat(first!, 10_000);
      clock += 9_999;
      const stillHeld = await inbox.takeChat('7', 10_000);
      clock += 1;
      const second = await inbox.takeChat('7', 10_000);
      const firstRenews = await inbox.renewChat(first!, 10_000);
      await inbox.releaseChat(first!);
      const afterStaleRelease = await inbox.takeChat('7', 10_000);
      await inbox.releaseChat(second!);
      const third = await inbox.takeChat('7', 10_000);
      expect({
        first: first !== null,
        whileHeld,
        renewed,
        stillHeld,
        second: second !== null,
        firstRenews,
        afterStaleRelease,
        third: third !== null,
      }).toStrictEqual({
        first: true,
        whileHeld: null,
        renewed: true,
        stillHeld: null,
        second: true,
        firstRenews: false,
        afterStaleRelease: null,
        third: true,
      });
    });

    it('lists the chats waiting with no live lease, and sees an update as first seen until done', async () => {
      const { store, inbox } = await open();
      await inbox.add([entry(31, 7), entry(41, 8)]);
      const held = await inbox.takeChat('8', 10_000);
      const waiting = await inbox.waitingChats(10);
      const seenWhileWaiting = [await store.firstSeen(31), await store.firstSeen(31)];
      await inbox.done(31);
      clock += 10_000;
      expect({
        held: held !== null,
        waiting,
        seenWhileWaiting,
        seenWhenDone: await store.firstSeen(31),
        afterExpiry: (await inbox.waitingChats(10)).sort(),
        hasWaiting: [await inbox.hasWaiting('7'), await inbox.hasWaiting('8')],
      }).toStrictEqual({
        held: true,
        waiting: ['7'],
        seenWhileWaiting: [true, true],
        seenWhenDone: false,
        afterExpiry: ['8'],
        hasWaiting: [false, true],
      });
    });

    it('prunes answered updates older than the window and leases run out, keeping the rest', async () => {
      const { store, inbox } = await open();
      await inbox.add([entry(51, 7), entry(52, 7), entry(61, 8)]);
      await inbox.done(51);
      await inbox.takeChat('9', 1_000);
      clock += 60_000;
      await inbox.done(52);
      const pruned = await store.prune(new Date(clock - 30_000));
      const { rows } = await sql<{ update_id: string }>`
        select update_id from telegram_inbox order by update_id`.execute(handle.db);
      const { rows: leases } = await sql`select * from telegram_chat_leases`.execute(handle.db);
      expect({
        pruned,
        kept: rows.map((row) => Number(row.update_id)),
        leases: leases.length,
      }).toStrictEqual({ pruned: 2, kept: [52, 61], leases: 0 });
    });
  });
}
