/**
 * What a `/v1` request may take from memory instead of the database, and when it must
 * not: a verified key, the user record and the connection listing are remembered for a
 * few seconds, a revocation, deletion or disconnect in this process is seen at once, and
 * the broker serves a held access token only for the row it has just read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKeyStore } from '../../src/api-keys/index.ts';
import { holdsToken } from '../../src/connections/held-tokens.ts';
import { DATABASES } from '../support/databases.harness.ts';
import { connectWithAutoApprove, type Stack, startStack } from '../support/stack.harness.ts';

for (const database of DATABASES) {
  describe(`what a /v1 request keeps in memory, on ${database.name}`, () => {
    let stack: Stack;
    let clock = Date.now();
    const now = () => new Date(clock);
    beforeAll(async () => {
      stack = await startStack(database, { start: { now } });
    });
    afterAll(async () => {
      await stack?.close();
    });

    /** A new user with the sandbox's `alex@example.com` connected (`name` tells them apart). */
    async function connectedUser(name: string, email = 'alex@example.com') {
      const { frontDoor } = stack.app.parts;
      const user = await frontDoor.users.create({ displayName: name });
      expect((await connectWithAutoApprove(stack, user.id, email)).status).toBe(200);
      const [connection] = await frontDoor.connections.list(user.id);
      // A store of its own, as the `api-keys` command has.
      const keys = createApiKeyStore(stack.handle.db, now);
      const { key, id } = await keys.create(user.id, 'memory');
      return { user, connection: connection!, key, keyId: id, keys };
    }

    async function status(path: string, key: string): Promise<number> {
      const response = await fetch(`${stack.app.url}/v1${path}`, {
        headers: { authorization: `Bearer ${key}` },
      });
      await response.arrayBuffer();
      return response.status;
    }

    const revokedBehindOurBack = (keyId: string) =>
      stack.handle.db
        .updateTable('api_keys')
        .set({ revoked_at: now() })
        .where('id', '=', keyId)
        .execute();

    it('refuses a key on the request after its revocation in this process', async () => {
      const alex = await connectedUser('alex revoked');
      const before = await status('/gmail/unread', alex.key);
      await alex.keys.revoke(null, alex.keyId);
      expect([before, await status('/gmail/unread', alex.key)]).toStrictEqual([200, 401]);
    });

    it('refuses a key revoked by another process on the very next request', async () => {
      const alex = await connectedUser('alex elsewhere');
      const before = await status('/connections', alex.key);
      await revokedBehindOurBack(alex.keyId);
      expect([before, await status('/connections', alex.key)]).toStrictEqual([200, 401]);
    });

    it('refuses the keys of a deleted user at once', async () => {
      const alex = await connectedUser('alex deleted');
      const before = await status('/connections', alex.key);
      await stack.app.parts.frontDoor.users.deleteEverything(alex.user.id);
      expect([before, await status('/connections', alex.key)]).toStrictEqual([200, 401]);
    });

    it('never serves a connection disconnected by another process, though its listing is remembered', async () => {
      const alex = await connectedUser('alex gone');
      const before = await status('/gmail/unread', alex.key);
      await stack.handle.db
        .updateTable('connections')
        .set({ status: 'revoked', token_ciphertext: null })
        .where('id', '=', alex.connection.id)
        .execute();
      const after = await fetch(`${stack.app.url}/v1/gmail/unread`, {
        headers: { authorization: `Bearer ${alex.key}` },
      });
      const body = (await after.json()) as { code: string };
      expect([before, after.status, body.code, holdsToken(alex.connection.id)]).toStrictEqual([
        200,
        409,
        'not_connected',
        false,
      ]);
    });

    it('answers reauth_required, not the held token, once the row needs reconnecting', async () => {
      const alex = await connectedUser('alex reauth');
      const before = await status('/gmail/unread', alex.key);
      const held = holdsToken(alex.connection.id);
      await stack.handle.db
        .updateTable('connections')
        .set((eb) => ({
          status: 'needs_reauth',
          status_reason: 'revoked',
          token_ciphertext: null,
          token_version: eb('token_version', '+', 1),
        }))
        .where('id', '=', alex.connection.id)
        .execute();
      const after = await fetch(`${stack.app.url}/v1/gmail/unread`, {
        headers: { authorization: `Bearer ${alex.key}` },
      });
      const body = (await after.json()) as { code: string };
      expect([before, held, body.code, holdsToken(alex.connection.id)]).toStrictEqual([
        200,
        true,
        'reauth_required',
        false,
      ]);
    });

    it('drops the held token on disconnect, and on a refresh', async () => {
      const { broker, frontDoor } = stack.app.parts;
      const alex = await connectedUser('alex dropped');
      const sam = await connectedUser('sam refreshed', 'sam@example.com');
      await broker.accessToken(alex.connection.id);
      await broker.accessToken(sam.connection.id);
      const heldBefore = [holdsToken(alex.connection.id), holdsToken(sam.connection.id)];
      await frontDoor.connections.disconnect(alex.user.id, alex.connection.id);
      await broker.refresh(sam.connection.id, { force: true });
      expect({
        heldBefore,
        heldAfter: [holdsToken(alex.connection.id), holdsToken(sam.connection.id)],
      }).toStrictEqual({ heldBefore: [true, true], heldAfter: [false, false] });
    });

    it('serves the token opened from a row only while that row is unchanged', async () => {
      const { broker } = stack.app.parts;
      const alex = await connectedUser('alex version');
      const first = await broker.accessToken(alex.connection.id);
      const again = await broker.accessToken(alex.connection.id);
      // A refresh in another process: new tokens, a new ciphertext.
      clock += 2 * 60 * 60_000;
      try {
        const refreshed = await broker.accessToken(alex.connection.id);
        expect([again === first, refreshed === first]).toStrictEqual([true, false]);
      } finally {
        clock = Date.now();
      }
    });

    it('uses a new default connection on the next request', async () => {
      const { frontDoor } = stack.app.parts;
      const alex = await connectedUser('alex first');
      expect((await connectWithAutoApprove(stack, alex.user.id, 'sam@example.com')).status).toBe(
        200,
      );
      const listed = await frontDoor.connections.list(alex.user.id);
      const second = listed.find((c) => c.email === 'sam@example.com')!;
      const answer = async () =>
        (
          (await (
            await fetch(`${stack.app.url}/v1/gmail/messages?pageSize=1`, {
              headers: { authorization: `Bearer ${alex.key}` },
            })
          ).json()) as { messages: Array<{ link: string }> }
        ).messages[0]?.link ?? '';
      const before = await answer();
      await frontDoor.connections.setDefault(alex.user.id, second.id);
      const after = await answer();
      expect([
        before.includes('alex@example.com'),
        after.includes('sam@example.com'),
      ]).toStrictEqual([true, true]);
    });
  });
}
