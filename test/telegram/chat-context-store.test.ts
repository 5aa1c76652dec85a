/**
 * The chat context and the connect-button notes in the database: kept per user, whole,
 * until they expire; never read for anyone else; gone with the user; pruned once expired.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createUserStore } from '../../src/users/index.ts';
import { createTelegramStore } from '../../src/telegram/index.ts';
import { CHAT_CONTEXT_TTL_MS, EMPTY_CONTEXT } from '../../src/telegram/store/index.ts';
import type { ChatContext } from '../../src/telegram/store/index.ts';
import { DATABASES, type TestDatabaseHandle } from '../support/databases.harness.ts';

const MINUTE = 60_000;
const context = (question: string): ChatContext => ({
  ...EMPTY_CONTEXT,
  list: {
    kind: 'mail',
    query: 'from:alice',
    label: 'mail from alice',
    first: 1,
    messageIds: ['m1', 'm2'],
    nextPage: null,
    unread: false,
  },
  person: { email: 'alice@northwind.example', name: 'Alice Chen' },
  history: [{ question, shown: 'Listed 2 messages.' }],
});

for (const database of DATABASES) {
  describe(`the chat context on ${database.name}`, () => {
    let handle: TestDatabaseHandle;
    let clock = new Date('2026-03-03T14:00:00Z');
    const now = () => clock;
    afterEach(async () => {
      await handle?.close();
    });

    async function open() {
      clock = new Date('2026-03-03T14:00:00Z');
      handle = await database.open();
      const users = createUserStore(handle.db);
      const alex = await users.create({ displayName: 'Alex', telegramUserId: '1001' });
      const sam = await users.create({ displayName: 'Sam', telegramUserId: '1002' });
      return { store: createTelegramStore(handle.db, now), users, alex: alex.id, sam: sam.id };
    }

    it('keeps a user’s context whole until 15 minutes after the last exchange', async () => {
      const { store, alex } = await open();
      await store.keepChatContext(alex, 1001, context('first'), CHAT_CONTEXT_TTL_MS);
      clock = new Date(clock.getTime() + 10 * MINUTE);
      const kept = await store.chatContext(alex);
      await store.keepChatContext(alex, 1001, context('second'), CHAT_CONTEXT_TTL_MS);
      clock = new Date(clock.getTime() + 14 * MINUTE);
      const extended = await store.chatContext(alex);
      clock = new Date(clock.getTime() + MINUTE);
      expect({ kept, extended, expired: await store.chatContext(alex) }).toStrictEqual({
        kept: context('first'),
        extended: context('second'),
        expired: null,
      });
    });

    it('never reads one user’s context for another', async () => {
      const { store, alex, sam } = await open();
      await store.keepChatContext(alex, 1001, context('alex asks'), CHAT_CONTEXT_TTL_MS);
      expect([await store.chatContext(sam), await store.chatContext(alex)]).toStrictEqual([
        null,
        context('alex asks'),
      ]);
    });

    it('forgets the context and the connect-button notes with the user', async () => {
      const { store, users, alex, sam } = await open();
      await store.keepChatContext(alex, 1001, context('alex asks'), CHAT_CONTEXT_TTL_MS);
      await store.keepChatContext(sam, 1002, context('sam asks'), CHAT_CONTEXT_TTL_MS);
      await store.keepConnectButtons(alex, { chatId: 1001, messageId: 4, keyboard: null }, MINUTE);
      await users.remove(alex);
      const rows = async (table: 'telegram_chat_context' | 'telegram_connect_buttons') =>
        (await handle.db.selectFrom(table).select('user_id').execute()).map((r) => r.user_id);
      expect({
        contexts: await rows('telegram_chat_context'),
        buttons: await rows('telegram_connect_buttons'),
      }).toStrictEqual({ contexts: [sam], buttons: [] });
    });

    it('hands out a user’s connect-button messages once, with what else each keyboard held', async () => {
      const { store, alex, sam } = await open();
      const keep = { text: 'Make sam@work.example default', callback_data: 'ad:conn-2' };
      await store.keepConnectButtons(
        alex,
        { chatId: 1001, messageId: 9, keyboard: [[keep]] },
        MINUTE,
      );
      await store.keepConnectButtons(alex, { chatId: 1001, messageId: 3, keyboard: null }, MINUTE);
      await store.keepConnectButtons(alex, { chatId: 1001, messageId: 5, keyboard: null }, MINUTE);
      await store.keepConnectButtons(sam, { chatId: 1002, messageId: 3, keyboard: null }, MINUTE);
      await store.forgetConnectButtons(1001, 5);
      expect({
        first: await store.takeConnectButtons(alex),
        again: await store.takeConnectButtons(alex),
        sam: await store.takeConnectButtons(sam),
      }).toStrictEqual({
        first: [
          { chatId: 1001, messageId: 3, keyboard: null },
          { chatId: 1001, messageId: 9, keyboard: [[keep]] },
        ],
        again: [],
        sam: [{ chatId: 1002, messageId: 3, keyboard: null }],
      });
    });

    it('prunes expired context and connect-button notes, and keeps the rest', async () => {
      const { store, alex, sam } = await open();
      await store.keepChatContext(alex, 1001, context('old'), CHAT_CONTEXT_TTL_MS);
      await store.keepConnectButtons(alex, { chatId: 1001, messageId: 2, keyboard: null }, MINUTE);
      clock = new Date(clock.getTime() + 20 * MINUTE);
      await store.keepChatContext(sam, 1002, context('fresh'), CHAT_CONTEXT_TTL_MS);
      const pruned = await store.prune(new Date(clock.getTime() - 7 * 86_400_000));
      const left = await handle.db.selectFrom('telegram_chat_context').select('user_id').execute();
      expect({
        pruned,
        left: left.map((r) => r.user_id),
        buttons: await store.takeConnectButtons(alex),
      }).toStrictEqual({ pruned: 2, left: [sam], buttons: [] });
    });
  });
}
