import { afterEach, describe, expect, it } from 'vitest';
import { DATABASES, type TestDatabaseHandle } from '../../test/support/databases.ts';
import { createOutbox } from './outbox.ts';
import { createUserStore } from './users.ts';

for (const database of DATABASES) {
  describe(`notification outbox on ${database.name}`, () => {
    let handle: TestDatabaseHandle;
    afterEach(async () => {
      await handle?.close();
    });

    it('delivers once, retries a failure up to five times, and stops at a permanent failure', async () => {
      handle = await database.open();
      const user = await createUserStore(handle.db).create({ displayName: 'Alex' });
      const outbox = createOutbox(handle.db, () => new Date());
      await outbox.enqueue({
        userId: user.id,
        kind: 'briefing',
        payload: { date: '2026-03-03' },
        dedupeKey: 'b:1',
      });
      await outbox.enqueue({
        userId: user.id,
        kind: 'briefing',
        payload: { date: '2026-03-03' },
        dedupeKey: 'b:1',
      });
      await outbox.enqueue({
        userId: user.id,
        kind: 'connected',
        payload: { email: 'a@example.com' },
      });
      await outbox.enqueue({
        userId: user.id,
        kind: 'connected',
        payload: { email: 'b@example.com' },
      });
      const [briefing, first, second] = await outbox.pending(10);
      expect([briefing?.kind, first?.payload, second?.payload]).toStrictEqual([
        'briefing',
        { email: 'a@example.com' },
        { email: 'b@example.com' },
      ]);
      await outbox.delivered(briefing!.id);
      for (let i = 0; i < 5; i++) await outbox.failed(first!.id, 'telegram 502');
      await outbox.failed(second!.id, 'telegram 403: Forbidden: bot was blocked by the user', {
        permanent: true,
      });
      expect(await outbox.pending(10)).toStrictEqual([]);
    });
  });
}
