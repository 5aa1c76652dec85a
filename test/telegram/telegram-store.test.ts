import { afterEach, describe, expect, it } from 'vitest';
import { createUserStore } from '../../src/users/index.ts';
import { createTelegramStore } from '../../src/telegram/index.ts';
import { DATABASES, type TestDatabaseHandle } from '../support/databases.harness.ts';

const DAY = 86_400_000;

for (const database of DATABASES) {
  describe(`the Telegram store on ${database.name}`, () => {
    let handle: TestDatabaseHandle;
    let clock = new Date('2026-03-03T14:00:00Z');
    const now = () => clock;
    afterEach(async () => {
      await handle?.close();
    });

    async function open() {
      handle = await database.open();
      const users = createUserStore(handle.db);
      const alex = await users.create({ displayName: 'Alex', telegramUserId: '1001' });
      const sam = await users.create({ displayName: 'Sam', telegramUserId: '1002' });
      return { store: createTelegramStore(handle.db, now), alex: alex.id, sam: sam.id };
    }

    it('answers true only the first time an update id is seen', async () => {
      const { store } = await open();
      expect([
        await store.firstSeen(41),
        await store.firstSeen(41),
        await store.firstSeen(42),
      ]).toStrictEqual([true, false, true]);
    });

    it('keeps button state for its user until it expires, and never for anyone else', async () => {
      const { store, alex, sam } = await open();
      clock = new Date('2026-03-03T14:00:00Z');
      const page = { query: 'from:alice', label: 'mail from alice', pageToken: '0987', first: 6 };
      const key = await store.keepButtonState(alex, page, DAY);
      const text = await store.keepButtonState(alex, 'just a string', DAY);
      const seen = {
        key: /^[A-Za-z0-9_-]{10}$/.test(key),
        own: await store.buttonState(alex, key),
        string: await store.buttonState(alex, text),
        foreign: await store.buttonState(sam, key),
        unknown: await store.buttonState(alex, 'AAAAAAAAAA'),
        malformed: await store.buttonState(alex, "' or 1=1 --"),
      };
      clock = new Date(clock.getTime() + DAY);
      expect({ ...seen, expired: await store.buttonState(alex, key) }).toStrictEqual({
        key: true,
        own: page,
        string: 'just a string',
        foreign: null,
        unknown: null,
        malformed: null,
        expired: null,
      });
    });

    it('prunes update ids seen before the cut-off and expired button state', async () => {
      const { store, alex } = await open();
      clock = new Date('2026-03-01T00:00:00Z');
      await store.firstSeen(1);
      const old = await store.keepButtonState(alex, 'old', DAY);
      clock = new Date('2026-03-09T00:00:00Z');
      await store.firstSeen(2);
      const fresh = await store.keepButtonState(alex, 'fresh', DAY);
      const pruned = await store.prune(new Date(clock.getTime() - 7 * DAY));
      const updates = await handle.db
        .selectFrom('telegram_updates')
        .select('update_id')
        .orderBy('update_id')
        .execute();
      expect({
        pruned,
        updates: updates.map((row) => Number(row.update_id)),
        old: await handle.db
          .selectFrom('telegram_button_state')
          .select('key')
          .where('key', '=', old)
          .execute(),
        fresh: await store.buttonState(alex, fresh),
        firstSeenAgain: await store.firstSeen(1),
      }).toStrictEqual({ pruned: 2, updates: [2], old: [], fresh: 'fresh', firstSeenAgain: true });
    });

    it('forgets a user’s button state with the user', async () => {
      const { store, alex } = await open();
      const key = await store.keepButtonState(alex, 'x', DAY);
      await createUserStore(handle.db).remove(alex);
      const rows = await handle.db
        .selectFrom('telegram_button_state')
        .select('key')
        .where('key', '=', key)
        .execute();
      expect(rows).toStrictEqual([]);
    });
  });
}
