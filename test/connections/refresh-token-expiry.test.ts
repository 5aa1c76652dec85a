/**
 * Refresh tokens that stop working on their own, as Google's do: seven days after issue
 * for an app whose consent screen is in Testing, after six months unused, and past the
 * per-client limit of live refresh tokens per account (the oldest goes first). Google
 * answers each with `invalid_grant` "Token has been expired or revoked.", which Tidings
 * cannot tell from a revocation: the connection goes to `needs_reauth` (reason `revoked`)
 * once, with one notice, and reconnecting brings it back. Both clocks (Tidings and the
 * Google sandbox) are the test's.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { gmailUnread } from '../../src/capabilities/index.ts';
import { grantFor } from '../capabilities/sandbox-session.harness.ts';
import { DATABASES } from '../support/databases.harness.ts';
import { connectWithAutoApprove, type Stack, startStack } from '../support/stack.harness.ts';

const DAY = 24 * 60 * 60_000;

for (const database of DATABASES) {
  describe(`refresh tokens that expire at Google on ${database.name}`, () => {
    let stack: Stack;
    let clock = Date.now();
    const now = () => new Date(clock);
    beforeAll(async () => {
      stack = await startStack(database, { start: { now }, googleNow: now });
    });
    afterAll(async () => {
      await stack?.close();
    });
    afterEach(async () => {
      await settings({
        publishingStatus: 'in_production',
        expireUnusedRefreshTokens: true,
        refreshTokensPerClient: 100,
      });
      clock = Date.now();
    });

    async function settings(body: Record<string, unknown>) {
      const response = await stack.control('/settings', { method: 'PUT', body });
      expect(response.status).toBe(200);
    }

    async function connected(email: string) {
      const user = await stack.app.parts.frontDoor.users.create({ displayName: email });
      expect((await connectWithAutoApprove(stack, user.id, email)).status).toBe(200);
      const [connection] = await stack.app.parts.frontDoor.connections.list(user.id);
      return { user, connection: connection! };
    }

    async function tokenCalls() {
      return (await stack.stats()).requests['POST /token'] ?? 0;
    }

    /** Asks for unread counts: what the user gets, as a result or an error code and reason. */
    async function unread(userId: string) {
      try {
        await stack.app.parts.frontDoor.invoke(userId, gmailUnread, {});
        return 'answered';
      } catch (error) {
        const { code, details } = error as { code: string; details: { reason?: string } };
        return `${code} (${details.reason ?? ''})`;
      }
    }

    /**
     * What the user sees when the refresh token has stopped working: two asks, the
     * connection's state, the refreshes tried, the notices; then a reconnect and an ask.
     */
    async function brokenThenReconnected(
      user: { id: string },
      connectionId: string,
      email: string,
    ) {
      const before = await tokenCalls();
      const asks = [await unread(user.id), await unread(user.id)];
      const row = await stack.handle.db
        .selectFrom('connections')
        .select(['status', 'status_reason', 'token_ciphertext'])
        .where('id', '=', connectionId)
        .executeTakeFirstOrThrow();
      const notices = (await stack.app.parts.outbox.pending(100))
        .filter((n) => n.userId === user.id && n.kind === 'connection_broken')
        .map((n) => n.payload);
      const refreshes = (await tokenCalls()) - before;
      const again = await connectWithAutoApprove(stack, user.id, email);
      const [after] = await stack.app.parts.frontDoor.connections.list(user.id);
      return {
        asks,
        row,
        refreshes,
        notices,
        reconnected: again.html.includes(`Reconnected ${email}`),
        status: after?.status,
        answer: await unread(user.id),
      };
    }

    const BROKEN = (email: string) => ({
      asks: ['reauth_required (revoked)', 'reauth_required (revoked)'],
      row: { status: 'needs_reauth', status_reason: 'revoked', token_ciphertext: null },
      refreshes: 1,
      notices: [{ email, reason: 'revoked' }],
      reconnected: true,
      status: 'active',
      answer: 'answered',
    });

    it('an app in Testing: the refresh token stops working seven days after it was issued', async () => {
      await settings({ publishingStatus: 'testing' });
      const { user, connection } = await connected('alex@example.com');
      clock += 6 * DAY;
      const sixDaysOn = await unread(user.id);
      clock += DAY;
      expect({
        sixDaysOn,
        sevenDaysOn: await brokenThenReconnected(user, connection.id, 'alex@example.com'),
      }).toStrictEqual({ sixDaysOn: 'answered', sevenDaysOn: BROKEN('alex@example.com') });
    });

    it('a refresh token unused for six months stops working; one in use goes on', async () => {
      const { user, connection } = await connected('alex@example.com');
      clock += 150 * DAY;
      const fiveMonthsOn = await unread(user.id);
      clock += 150 * DAY;
      const tenMonthsOn = await unread(user.id);
      clock += 190 * DAY;
      expect({
        fiveMonthsOn,
        tenMonthsOn,
        sixMonthsIdle: await brokenThenReconnected(user, connection.id, 'alex@example.com'),
      }).toStrictEqual({
        fiveMonthsOn: 'answered',
        tenMonthsOn: 'answered',
        sixMonthsIdle: BROKEN('alex@example.com'),
      });
    });

    it('past the per-client limit, the oldest refresh token of the account stops working', async () => {
      await settings({ refreshTokensPerClient: 2 });
      const { user, connection } = await connected('sam@example.com');
      // The same OAuth client signs sam in twice elsewhere (another install, say).
      await grantFor(stack.google.url, 'sam@example.com');
      clock += 2 * 60 * 60_000;
      const oneMore = await unread(user.id);
      await grantFor(stack.google.url, 'sam@example.com');
      clock += 2 * 60 * 60_000;
      expect({
        oneMore,
        twoMore: await brokenThenReconnected(user, connection.id, 'sam@example.com'),
      }).toStrictEqual({ oneMore: 'answered', twoMore: BROKEN('sam@example.com') });
    });
  });
}
