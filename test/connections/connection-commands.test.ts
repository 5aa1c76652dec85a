/**
 * `tidings connections list` and `tidings connections disconnect` on a real connection:
 * status, email, capabilities, scopes and expiry — never a token — and a disconnect that
 * says what happened at Google.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdminCommand } from '../../src/admin/commands.ts';
import { DATABASES } from '../support/databases.harness.ts';
import { connectWithAutoApprove, type Stack, startStack } from '../support/stack.harness.ts';

for (const database of DATABASES) {
  describe(`connection commands on ${database.name}`, () => {
    let stack: Stack;
    beforeAll(async () => {
      stack = await startStack(database);
    });
    afterAll(async () => {
      await stack?.close();
    });

    const run = (name: string, args: string[]) =>
      runAdminCommand({ ...stack.app.services, parts: stack.app.parts }, name, args);

    async function connected(email: string) {
      const user = await stack.app.parts.frontDoor.users.create({ displayName: email });
      await connectWithAutoApprove(stack, user.id, email);
      const [connection] = await stack.app.parts.frontDoor.connections.list(user.id);
      return { user, connection: connection! };
    }

    it('lists status, email, capabilities, scopes and expiry, and no token', async () => {
      const { user, connection } = await connected('alex@example.com');
      const lines = await run('connections.list', ['--user', user.id]);
      expect(lines).toStrictEqual([
        `${connection.id}  alex@example.com  active  default  can=gmail,calendar  ` +
          'scopes=email,calendar.readonly,gmail.readonly,openid,profile  ' +
          `access-expires=${connection.accessExpiresAt!.toISOString()}  ` +
          `refreshed=${connection.lastRefreshedAt!.toISOString()}  user=${user.id}`,
      ]);
      expect(lines.join('\n')).not.toMatch(/ya29\.|1\/\/0/);
    });

    it('disconnect says the grant was revoked at Google when it was', async () => {
      const { connection } = await connected('sam@example.com');
      expect(await run('connections.disconnect', [connection.id])).toStrictEqual([
        'disconnected sam@example.com: grant revoked at Google and tokens deleted',
      ]);
    });

    it('disconnect says when Google’s revoke did not go through, and what to do', async () => {
      const { connection } = await connected('alex@example.com');
      await stack.control('/faults', { body: { path: '/revoke', status: 503, count: 5 } });
      let lines: string[];
      try {
        lines = await run('connections.disconnect', [connection.id]);
      } finally {
        await stack.control('/faults', { method: 'DELETE' });
      }
      expect(lines).toStrictEqual([
        "disconnected alex@example.com: tokens deleted here, but Google's revoke did not go through (Google's OAuth endpoint answered 503)",
        'to be sure the grant is gone, remove Tidings at https://myaccount.google.com/permissions',
      ]);
      const [row] = await stack.handle.db
        .selectFrom('connections')
        .select(['status', 'token_ciphertext'])
        .where('id', '=', connection.id)
        .execute();
      expect(row).toStrictEqual({ status: 'revoked', token_ciphertext: null });
    });
  });
}
