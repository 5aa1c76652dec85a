/**
 * The watch store on its own: the per-user limit holds against adds at once, the same
 * query on the same account is one rule, a connection without rules has no cursor and is
 * never due, a poll that lost the race writes nothing, a pause is told once, and held
 * alerts leave as one digest.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionView } from '../../src/connections/index.ts';
import { createWatchStore, type WatchStore } from '../../src/watches/index.ts';
import { DATABASES, type TestDatabaseHandle } from '../support/databases.harness.ts';

const ALERT = {
  id: 'm1',
  threadId: 't1',
  from: { name: 'Alice', email: 'alice@northwind.example' },
  to: [],
  subject: 'Invoice 2291',
  date: null,
  snippet: 'Please find the invoice',
  labels: ['INBOX', 'UNREAD'],
  unread: true,
  link: 'https://mail.google.com/mail/u/a@example.com/#all/m1',
  matched: ['from:alice@northwind.example'],
};

for (const database of DATABASES) {
  describe(`watch rules on ${database.name}`, () => {
    let handle: TestDatabaseHandle;
    let store: WatchStore;
    let clock = Date.parse('2026-12-05T12:00:00Z');
    const now = () => new Date(clock);
    beforeAll(async () => {
      handle = await database.open();
      store = createWatchStore({ db: handle.db, now, limit: 3 });
    });
    afterAll(async () => {
      await handle?.close();
    });

    /** A user with one connection, as rows. */
    async function person(): Promise<{ userId: string; connection: ConnectionView }> {
      const userId = randomUUID();
      const connectionId = randomUUID();
      const email = `${connectionId.slice(0, 8)}@example.com`;
      await handle.db
        .insertInto('users')
        .values({ id: userId, display_name: 'P', settings: '{}', telegram_user_id: null })
        .execute();
      await handle.db
        .insertInto('connections')
        .values({
          id: connectionId,
          user_id: userId,
          provider: 'google',
          subject: connectionId,
          email,
          display_name: null,
          hosted_domain: null,
          granted_scopes: '[]',
          status: 'active',
          status_reason: null,
          access_expires_at: null,
          last_refreshed_at: null,
          last_used_at: null,
          last_checked_at: null,
          next_attempt_at: null,
          token_ciphertext: null,
          key_version: null,
          refresh_lease: null,
          refreshing_until: null,
          failure_kind: null,
          refresh_token_digest: null,
          granted_at: null,
          updated_at: now(),
        })
        .execute();
      return { userId, connection: { id: connectionId, email } as ConnectionView };
    }

    it('keeps to the limit when rules are added at once, and one rule per query', async () => {
      const { userId, connection } = await person();
      const book = store.book(userId, connection);
      const results = await Promise.allSettled(
        ['a', 'b', 'c', 'd', 'e'].map((q) => book.add(`from:${q}@example.org`, '100')),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
      const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(refused.reason).toMatchObject({
        code: 'invalid_request',
        details: { field: 'query' },
      });
      const [first] = await book.list();
      expect(await book.add(first!.query, '200')).toStrictEqual({ rule: first, created: false });
      expect(await book.list()).toHaveLength(3);
    });

    it('forgets the cursor and held alerts with the last rule, and never polls again', async () => {
      const { userId, connection } = await person();
      const book = store.book(userId, connection);
      const { rule } = await book.add('subject:report', '100');
      const { rule: second } = await book.add('subject:memo', '100');
      clock += 60_000;
      expect(await store.due(30_000, 100)).toContain(connection.id);
      await store.advance((await store.start(connection.id))!, '101', [ALERT], { hold: true });
      await book.remove(second.id);
      expect(await store.holding()).toContain(userId);
      expect(await book.remove(rule.id)).toMatchObject({ id: rule.id });
      expect(await store.holding()).not.toContain(userId);
      expect(await book.remove(rule.id)).toBeNull();
      expect(await store.due(30_000, 100)).not.toContain(connection.id);
      expect(await store.start(connection.id)).toBeNull();
      // Someone else's rule id is not theirs to remove.
      const other = await person();
      const { rule: theirs } = await store.book(other.userId, other.connection).add('x', '1');
      expect(await book.remove(theirs.id)).toBeNull();
    });

    it('writes nothing for a poll that lost the race, and alerts once', async () => {
      const { userId, connection } = await person();
      await store.book(userId, connection).add('from:alice@northwind.example', '100');
      const start = (await store.start(connection.id))!;
      expect(start).toMatchObject({ userId, account: connection.email, historyId: '100' });
      const [a, b] = await Promise.all([
        store.advance(start, '105', [ALERT], { hold: false }),
        store.advance(start, '105', [ALERT], { hold: false }),
      ]);
      expect([a, b].filter(Boolean)).toHaveLength(1);
      const rows = await handle.db
        .selectFrom('notifications')
        .select(['kind', 'payload'])
        .where('user_id', '=', userId)
        .execute();
      expect(rows.map((r) => r.kind)).toStrictEqual(['watch_alert']);
      expect((await store.start(connection.id))!.historyId).toBe('105');
    });

    it('tells a pause once, and holds alerts until one digest', async () => {
      const { userId, connection } = await person();
      await store.book(userId, connection).add('subject:invoice', '100');
      const start = (await store.start(connection.id))!;
      expect(await store.pause(start, 'reauth_required')).toBe(true);
      expect(await store.pause(start, 'reauth_required')).toBe(false);
      expect((await store.book(userId, null).list())[0]!.paused).toBe('reauth_required');
      // A poll that reads again resumes the rules.
      expect(await store.advance(start, '110', [ALERT], { hold: true })).toBe(true);
      expect((await store.book(userId, null).list())[0]!.paused).toBeNull();
      const next = (await store.start(connection.id))!;
      await store.advance(next, '120', [{ ...ALERT, id: 'm2', subject: 'Second' }], { hold: true });
      expect(await store.holding()).toContain(userId);
      expect(await store.releaseDigest(userId)).toBe(2);
      expect(await store.releaseDigest(userId)).toBe(0);
      const rows = await handle.db
        .selectFrom('notifications')
        .select(['kind', 'payload'])
        .where('user_id', '=', userId)
        .orderBy('id')
        .execute();
      expect(rows.map((r) => r.kind)).toStrictEqual(['watch_paused', 'watch_digest']);
      const digest = rows[1]!.payload as unknown as { alerts: Array<{ subject: string }> };
      expect(digest.alerts.map((a) => a.subject)).toStrictEqual(['Invoice 2291', 'Second']);
    });
  });
}
