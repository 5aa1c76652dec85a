/**
 * Writes that race: a refresh still at Google while the person disconnects, reconnects or
 * adds a scope; two callbacks for the same new account; and a write that fails halfway.
 * Whatever the interleaving, the newest grant stands and every logical write is whole.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../support/databases.harness.ts';
import { connectWithAutoApprove, type Stack, startStack } from '../support/stack.harness.ts';
import { gmailUnread } from '../../src/capabilities/index.ts';

const CALENDAR = 'https://www.googleapis.com/auth/calendar.readonly';

/** Resolves the next time a refresh-token grant leaves for Google. */
function refreshSignal() {
  let arrived: () => void = () => {};
  const watch: typeof fetch = async (input, init) => {
    if (String(init?.body ?? '').includes('grant_type=refresh_token')) arrived();
    return fetch(input, init);
  };
  return {
    fetch: watch,
    next: () =>
      new Promise<void>((resolve) => {
        arrived = resolve;
      }),
  };
}

for (const database of DATABASES) {
  describe(`racing writes on ${database.name}`, () => {
    let stack: Stack;
    const signal = refreshSignal();
    beforeAll(async () => {
      stack = await startStack(database, { start: { fetch: signal.fetch } });
    });
    afterAll(async () => {
      await stack?.close();
    });

    async function row(id: string) {
      const found = await stack.handle.db
        .selectFrom('connections')
        .select(['status', 'status_reason', 'token_ciphertext'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      return { ...found, token_ciphertext: found.token_ciphertext ? 'sealed' : null };
    }

    async function sealed(id: string) {
      const found = await stack.handle.db
        .selectFrom('connections')
        .select('token_ciphertext')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      return found.token_ciphertext;
    }

    async function notices(userId: string) {
      return (await stack.app.parts.outbox.pending(500))
        .filter((n) => n.userId === userId)
        .map((n) => n.kind);
    }

    async function injectFailure(table: string, when = 'true') {
      await sql
        .raw(
          `create or replace function inject_failure() returns trigger language plpgsql as $$
           begin if ${when} then raise exception 'injected failure'; end if; return new; end $$;
           create trigger inject_failure before insert on ${table}
           for each row execute function inject_failure();`,
        )
        .execute(stack.handle.db);
      return async () => {
        await sql
          .raw(`drop trigger inject_failure on ${table}; drop function inject_failure();`)
          .execute(stack.handle.db);
      };
    }

    it('a refresh still at Google when the person disconnects and reconnects leaves the new grant standing', async () => {
      const user = await stack.app.parts.frontDoor.users.create({
        displayName: 'Racer',
        // A chat, so connecting queues its notice in the same transaction.
        telegramUserId: '7101',
      });
      await connectWithAutoApprove(stack, user.id, 'alex@example.com');
      const [connection] = await stack.app.parts.frontDoor.connections.list(user.id);
      await stack.control('/faults', { body: { path: '/token', latencyMs: 600, count: 1 } });
      try {
        const atGoogle = signal.next();
        const refreshing = stack.app.parts.broker.refresh(connection!.id, { force: true });
        await atGoogle;
        await stack.app.parts.frontDoor.connections.disconnect(user.id, connection!.id);
        const again = await connectWithAutoApprove(stack, user.id, 'alex@example.com');
        expect(again.status).toBe(200);
        await refreshing;
      } finally {
        await stack.control('/faults', { method: 'DELETE' });
      }
      expect(await row(connection!.id)).toStrictEqual({
        status: 'active',
        status_reason: 'reconnected',
        token_ciphertext: 'sealed',
      });
      expect(await stack.app.parts.broker.accessToken(connection!.id)).toMatch(/^ya29\./);
      expect(await notices(user.id)).toStrictEqual(['connected', 'connected']);
    });

    it('a refresh still at Google when the person adds Gmail does not take Gmail away again', async () => {
      await stack.control('/users', { body: { email: 'quinn@example.com', name: 'Quinn' } });
      const user = await stack.app.parts.frontDoor.users.create({ displayName: 'Quinn' });
      await connectWithAutoApprove(stack, user.id, 'quinn@example.com', [
        'openid',
        'email',
        'profile',
        CALENDAR,
      ]);
      const [connection] = await stack.app.parts.frontDoor.connections.list(user.id);
      await stack.control('/faults', { body: { path: '/token', latencyMs: 600, count: 1 } });
      try {
        const atGoogle = signal.next();
        const refreshing = stack.app.parts.broker.refresh(connection!.id, { force: true });
        await atGoogle;
        const again = await connectWithAutoApprove(stack, user.id, 'quinn@example.com');
        expect(again.status).toBe(200);
        const reconnected = await sealed(connection!.id);
        await refreshing;
        // The refresh read the old bundle: it must not write over the reconnect's.
        expect(await sealed(connection!.id)).toBe(reconnected);
      } finally {
        await stack.control('/faults', { method: 'DELETE' });
      }
      const [after] = await stack.app.parts.frontDoor.connections.list(user.id);
      expect(after!.capabilities).toStrictEqual(['gmail', 'calendar']);
      await expect(
        stack.app.parts.frontDoor.invoke(user.id, gmailUnread, {}),
      ).resolves.toBeDefined();
    });

    it('concurrent consents for the same new account all succeed and make one connection', async () => {
      const user = await stack.app.parts.frontDoor.users.create({ displayName: 'Twin' });
      const grant = {
        userId: user.id,
        subject: '109876543210987654321',
        email: 'twin@example.com',
        displayName: 'Twin',
        hostedDomain: null,
        scopes: ['email', 'openid', 'profile', CALENDAR],
        accessToken: 'ya29.concurrent-access-token',
        refreshToken: '1//0concurrent-refresh-token',
        expiresIn: 3599,
      };
      const saved = await Promise.all(
        Array.from({ length: 8 }, () => stack.app.parts.connections.saveGrant(grant)),
      );
      expect(saved.filter((s) => s.created)).toHaveLength(1);
      const list = await stack.app.parts.frontDoor.connections.list(user.id);
      expect(list.map((c) => [c.email, c.status, c.isDefault])).toStrictEqual([
        ['twin@example.com', 'active', true],
      ]);
      const events = await stack.handle.db
        .selectFrom('connection_events')
        .select('type')
        .where('connection_id', '=', list[0]!.id)
        .orderBy('id')
        .execute();
      expect(events.map((e) => e.type)).toStrictEqual([
        'connected',
        ...Array.from({ length: 7 }, () => 'reconnected'),
      ]);
    });

    it('a broken grant whose notice cannot be written stays as it was, and is told once on the next try', async () => {
      const user = await stack.app.parts.frontDoor.users.create({
        displayName: 'Crash',
        // A chat, so connecting queues its notice in the same transaction.
        telegramUserId: '7102',
      });
      await connectWithAutoApprove(stack, user.id, 'sam@example.com');
      const [connection] = await stack.app.parts.frontDoor.connections.list(user.id);
      await stack.control('/users/sam@example.com/revoke', { body: {} });
      const restore = await injectFailure('notifications');
      try {
        await expect(
          stack.app.parts.broker.refresh(connection!.id, { force: true }),
        ).rejects.toThrow(/injected failure/);
      } finally {
        await restore();
      }
      expect(await row(connection!.id)).toStrictEqual({
        status: 'active',
        status_reason: null,
        token_ciphertext: 'sealed',
      });
      expect(await stack.app.parts.broker.refresh(connection!.id, { force: true })).toBe(
        'needs_reauth',
      );
      expect(await notices(user.id)).toStrictEqual(['connected', 'connection_broken']);
    });

    it('a consent whose notice cannot be written stores nothing', async () => {
      const user = await stack.app.parts.frontDoor.users.create({
        displayName: 'Half',
        // A chat, so connecting queues its notice in the same transaction.
        telegramUserId: '7103',
      });
      const restore = await injectFailure('notifications');
      try {
        const result = await connectWithAutoApprove(stack, user.id, 'alex@example.com');
        expect(result.status).toBe(500);
      } finally {
        await restore();
      }
      expect(await stack.app.parts.frontDoor.connections.list(user.id)).toStrictEqual([]);
      const events = await stack.handle.db
        .selectFrom('connection_events')
        .select('type')
        .where('user_id', '=', user.id)
        .execute();
      expect(events).toStrictEqual([]);
    });

    it('a disconnect whose failed-revoke record cannot be written changes nothing locally', async () => {
      const user = await stack.app.parts.frontDoor.users.create({ displayName: 'Undo' });
      await connectWithAutoApprove(stack, user.id, 'alex@example.com');
      const [connection] = await stack.app.parts.frontDoor.connections.list(user.id);
      await stack.control('/faults', { body: { path: '/revoke', status: 503, count: 5 } });
      const restore = await injectFailure('connection_events', "new.type = 'revoke_failed'");
      try {
        await expect(
          stack.app.parts.frontDoor.connections.disconnect(user.id, connection!.id),
        ).rejects.toThrow(/injected failure/);
      } finally {
        await restore();
        await stack.control('/faults', { method: 'DELETE' });
      }
      expect(await row(connection!.id)).toStrictEqual({
        status: 'active',
        status_reason: null,
        token_ciphertext: 'sealed',
      });
    });
  });
}
