import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApiKeyStore, LAST_USED_THROTTLE_MS } from '../../src/api-keys/index.ts';
import type { ApiKeyStore } from '../../src/api-keys/index.ts';
import { isTidingsError } from '../../src/errors.ts';
import { DATABASES } from '../support/databases.harness.ts';
import type { TestDatabaseHandle } from '../support/databases.harness.ts';

for (const database of DATABASES) {
  describe(`API key store on ${database.name}`, () => {
    let handle: TestDatabaseHandle;
    let store: ApiKeyStore;
    let clock: Date;

    beforeEach(async () => {
      handle = await database.open();
      clock = new Date('2026-03-10T09:00:00.000Z');
      store = createApiKeyStore(handle.db, () => clock);
      for (const id of ['user-a', 'user-b']) {
        await handle.db
          .insertInto('users')
          .values({ id, display_name: id, settings: '{}' })
          .execute();
      }
    });
    afterEach(async () => {
      await handle.close();
    });

    const lastUsed = async (id: string) =>
      (
        await handle.db
          .selectFrom('api_keys')
          .select('last_used_at')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).last_used_at;

    it('returns the key once and stores only its hash and prefix', async () => {
      const created = await store.create('user-a', 'assistant runtime');
      const rows = await handle.db.selectFrom('api_keys').selectAll().execute();
      expect(created.key).toMatch(new RegExp(`^tid_${created.prefix}_[0-9a-f]{64}$`));
      expect(rows).toStrictEqual([
        {
          id: created.id,
          user_id: 'user-a',
          name: 'assistant runtime',
          hash: expect.stringMatching(/^[0-9a-f]{64}$/),
          prefix: created.prefix,
          created_at: clock,
          last_used_at: null,
          revoked_at: null,
        },
      ]);
      expect(JSON.stringify(rows)).not.toContain(created.key.slice(13));
    });

    it('verifies a key to its id and user', async () => {
      const created = await store.create('user-a', 'k');
      expect(await store.verify(created.key)).toStrictEqual({ id: created.id, userId: 'user-a' });
    });

    it('refuses unknown, altered and malformed keys', async () => {
      const created = await store.create('user-a', 'k');
      const last = created.key.at(-1) === '0' ? '1' : '0';
      const answers = await Promise.all(
        [
          `${created.key.slice(0, -1)}${last}`,
          `tid_${created.prefix}_${'0'.repeat(64)}`,
          `tid_zzzzzzzz_${created.key.slice(13)}`,
          created.key.toUpperCase(),
          `${created.key} `,
          '',
          'x'.repeat(100_000),
        ].map((key) => store.verify(key)),
      );
      expect(answers).toStrictEqual([null, null, null, null, null, null, null]);
    });

    it('writes last_used_at at most once a minute', async () => {
      const created = await store.create('user-a', 'k');
      const first = new Date(clock);
      await store.verify(created.key);
      expect(await lastUsed(created.id)).toStrictEqual(first);
      clock = new Date(first.getTime() + LAST_USED_THROTTLE_MS - 1);
      await store.verify(created.key);
      expect(await lastUsed(created.id)).toStrictEqual(first);
      clock = new Date(first.getTime() + LAST_USED_THROTTLE_MS + 1);
      await store.verify(created.key);
      expect(await lastUsed(created.id)).toStrictEqual(clock);
    });

    it('lists the keys of one user, newest first, without secrets', async () => {
      const older = await store.create('user-a', 'older');
      clock = new Date('2026-03-11T09:00:00.000Z');
      const newer = await store.create('user-a', 'newer');
      await store.create('user-b', 'other user');
      expect(await store.list('user-a')).toStrictEqual([
        {
          id: newer.id,
          userId: 'user-a',
          name: 'newer',
          prefix: newer.prefix,
          createdAt: new Date('2026-03-11T09:00:00.000Z'),
          lastUsedAt: null,
          revokedAt: null,
        },
        {
          id: older.id,
          userId: 'user-a',
          name: 'older',
          prefix: older.prefix,
          createdAt: new Date('2026-03-10T09:00:00.000Z'),
          lastUsedAt: null,
          revokedAt: null,
        },
      ]);
    });

    it('revokes by id or by prefix, after which the key no longer verifies', async () => {
      const byId = await store.create('user-a', 'one');
      const byPrefix = await store.create('user-a', 'two');
      const revokedById = await store.revoke(null, byId.id);
      const revokedByPrefix = await store.revoke('user-a', `tid_${byPrefix.prefix}`);
      expect([
        revokedById.map((k) => [k.id, k.revokedAt]),
        revokedByPrefix.map((k) => [k.id, k.revokedAt]),
        await store.verify(byId.key),
        await store.verify(byPrefix.key),
        await store.revoke(null, byId.id),
      ]).toStrictEqual([[[byId.id, clock]], [[byPrefix.id, clock]], null, null, []]);
    });

    it("does not revoke another user's key", async () => {
      const created = await store.create('user-b', 'k');
      expect(await store.revoke('user-a', created.prefix)).toStrictEqual([]);
      expect(await store.verify(created.key)).toStrictEqual({ id: created.id, userId: 'user-b' });
    });

    it('refuses a key for an unknown user or with an empty name', async () => {
      const outcomes = await Promise.all([
        store.create('user-nobody', 'k').catch((e: unknown) => e),
        store.create('user-a', '   ').catch((e: unknown) => e),
      ]);
      expect(outcomes.map((e) => (isTidingsError(e) ? [e.code, e.details] : e))).toStrictEqual([
        ['not_found', {}],
        ['invalid_request', { field: 'name' }],
      ]);
    });
  });
}
