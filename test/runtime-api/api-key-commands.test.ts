import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { API_KEY_COMMANDS } from '../../src/admin/api-key-commands.ts';
import type { ApiKeyCommandContext } from '../../src/admin/api-key-commands.ts';
import { createApiKeyStore } from '../../src/api-keys/index.ts';
import { DATABASES } from '../support/databases.harness.ts';
import type { TestDatabaseHandle } from '../support/databases.harness.ts';

const run = (services: ApiKeyCommandContext, name: string, args: string[]) => {
  const command = API_KEY_COMMANDS[name];
  if (!command) throw new Error(`no command ${name}`);
  return command(services, args);
};

for (const database of DATABASES) {
  describe(`api-keys admin commands on ${database.name}`, () => {
    let handle: TestDatabaseHandle;
    let services: ApiKeyCommandContext;
    const now = new Date('2026-03-10T09:00:00.000Z');

    beforeEach(async () => {
      handle = await database.open();
      services = { database: handle, now: () => now };
      await handle.db
        .insertInto('users')
        .values({ id: 'user-a', display_name: 'A', settings: '{}' })
        .execute();
    });
    afterEach(async () => {
      await handle.close();
    });

    it('creates a key and prints it alone on the last line', async () => {
      const lines = await run(services, 'api-keys.create', ['user-a', 'my', 'runtime']);
      const key = lines.at(-1) ?? '';
      const verified = await createApiKeyStore(handle.db, () => now).verify(key);
      const [info] = await createApiKeyStore(handle.db, () => now).list('user-a');
      expect(lines).toStrictEqual([
        `created API key tid_${info?.prefix}_… (id ${info?.id}) for user user-a`,
        'it is shown only now; use it as "Authorization: Bearer <key>":',
        key,
      ]);
      expect([verified, info?.name]).toStrictEqual([
        { id: info?.id, userId: 'user-a' },
        'my runtime',
      ]);
    });

    it('lists keys without the secret and revokes by prefix', async () => {
      const key = (await run(services, 'api-keys.create', ['user-a'])).at(-1) ?? '';
      const prefix = key.slice(4, 12);
      const [info] = await createApiKeyStore(handle.db, () => now).list('user-a');
      const before = await run(services, 'api-keys.list', ['user-a']);
      const revoked = await run(services, 'api-keys.revoke', [prefix]);
      const after = await run(services, 'api-keys.list', ['user-a']);
      expect([before, revoked, after]).toStrictEqual([
        [`tid_${prefix}_…  ${info?.id}  "default"  created 2026-03-10T09:00:00.000Z  never used`],
        [`revoked tid_${prefix}_… (id ${info?.id}) of user user-a`],
        [
          `tid_${prefix}_…  ${info?.id}  "default"  created 2026-03-10T09:00:00.000Z  revoked 2026-03-10T09:00:00.000Z`,
        ],
      ]);
    });

    it('explains usage and unknown keys with an error', async () => {
      const errors = await Promise.all(
        [
          run(services, 'api-keys.create', []),
          run(services, 'api-keys.list', []),
          run(services, 'api-keys.revoke', []),
          run(services, 'api-keys.revoke', ['abcdefgh']),
          run(services, 'api-keys.create', ['user-nobody']),
        ].map((p) =>
          p.then(
            () => 'ok',
            (e: Error) => e.message,
          ),
        ),
      );
      expect(errors).toStrictEqual([
        'usage: tidings api-keys create <user id> [name]',
        'usage: tidings api-keys list <user id>',
        'usage: tidings api-keys revoke <key id or prefix>',
        'no active API key has that id or prefix',
        'no user with that id',
      ]);
    });

    it('says when a user has no keys', async () => {
      expect(await run(services, 'api-keys.list', ['user-a'])).toStrictEqual([
        'user user-a has no API keys',
      ]);
    });
  });
}
