import { afterEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db/index.ts';
import { DATABASES, type TestDatabaseHandle } from '../../test/support/databases.harness.ts';
import { CLAIM_MS, createOutbox } from './outbox.ts';
import { createUserStore } from '../users/store.ts';

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

    it('keeps what a watch alert quotes from the mail only until it is sent or given up', async () => {
      handle = await database.open();
      const user = await createUserStore(handle.db).create({ displayName: 'Alex' });
      const outbox = createOutbox(handle.db, () => new Date());
      const quoted = { alert: { subject: 'Invoice 2291', snippet: 'Please pay' } };
      for (const n of [1, 2, 3]) {
        await outbox.enqueue({
          userId: user.id,
          kind: 'watch_alert',
          payload: quoted,
          dedupeKey: `w:${n}`,
        });
      }
      await outbox.enqueue({
        userId: user.id,
        kind: 'connected',
        payload: { email: 'a@example.com' },
      });
      const [sent, dropped, retried, connected] = await outbox.pending(10);
      await outbox.delivered(sent!.id);
      await outbox.failed(dropped!.id, 'telegram 403', { permanent: true });
      await outbox.failed(retried!.id, 'telegram 502');
      await outbox.delivered(connected!.id);
      const payloads = await handle.db
        .selectFrom('notifications')
        .select(['kind', 'payload'])
        .orderBy('id')
        .execute();
      expect(payloads.map((row) => [row.kind, row.payload])).toStrictEqual([
        ['watch_alert', {}],
        ['watch_alert', {}],
        // Still to be tried again: it still needs what it says.
        ['watch_alert', quoted],
        ['connected', { email: 'a@example.com' }],
      ]);
    });

    it('hands each notification to one claimer until it is delivered, failed or the claim runs out', async () => {
      handle = await database.open();
      // On PostgreSQL the second claimer is another process (its own pool); PGlite is one.
      const second: DatabaseHandle =
        database.name === 'postgres' ? await handle.openAnother() : handle;
      try {
        let clock = Date.now();
        const now = () => new Date(clock);
        const user = await createUserStore(handle.db).create({ displayName: 'Alex' });
        const a = createOutbox(handle.db, now);
        const b = createOutbox(second.db, now);
        for (let i = 0; i < 10; i++) {
          await a.enqueue({ userId: user.id, kind: 'connected', payload: { n: i } });
        }
        const [first, other] = await Promise.all([a.claim(6), b.claim(6)]);
        const ids = [...first!, ...other!].map((item) => item.payload.n);
        expect([ids.length, new Set(ids).size]).toStrictEqual([10, 10]);
        expect(await a.claim(10)).toStrictEqual([]);
        const [delivered, failed, ...rest] = [...first!, ...other!];
        await a.delivered(delivered!.id);
        await b.failed(failed!.id, 'telegram 502');
        expect((await b.claim(10)).map((item) => item.id)).toStrictEqual([failed!.id]);
        clock += CLAIM_MS;
        expect((await a.claim(10)).map((item) => item.id).sort()).toStrictEqual(
          [failed!.id, ...rest.map((item) => item.id)].sort(),
        );
      } finally {
        if (second !== handle) await second.close();
      }
    });
  });
}
