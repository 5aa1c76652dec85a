import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASES, type TestDatabaseHandle } from '../../test/support/databases.harness.ts';
import { parseEnvelope } from './envelope.ts';
import { parseMasterKeys, rootKeyId } from './master-key.ts';
import { createVault, type Vault } from './vault.ts';
import { VaultError } from './index.ts';

const rootA = randomBytes(32).toString('base64');
const rootB = randomBytes(32).toString('base64');

async function insertConnection(
  handle: TestDatabaseHandle,
  vault: Vault,
  id: string,
  secret: string,
) {
  await handle.db
    .insertInto('users')
    .values({ id: `u-${id}`, display_name: 'Test', settings: '{}' })
    .onConflict((oc) => oc.doNothing())
    .execute();
  const sealed = await vault.seal({ purpose: 'connection-token', recordId: id }, secret);
  await handle.db
    .insertInto('connections')
    .values({
      id,
      user_id: `u-${id}`,
      provider: 'google',
      subject: id,
      email: `${id}@example.com`,
      granted_scopes: '[]',
      status: 'active',
      token_ciphertext: sealed.ciphertext,
      key_version: sealed.keyVersion,
      updated_at: new Date(),
    })
    .execute();
  return sealed;
}

async function openRow(handle: TestDatabaseHandle, vault: Vault, id: string): Promise<string> {
  const row = await handle.db
    .selectFrom('connections')
    .select(['token_ciphertext'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return (
    await vault.open({ purpose: 'connection-token', recordId: id }, row.token_ciphertext!)
  ).toString();
}

for (const database of DATABASES) {
  describe(`vault on ${database.name}`, () => {
    let handle: TestDatabaseHandle;
    afterEach(async () => {
      await handle?.close();
    });

    it('round-trips a record and stores no plaintext', async () => {
      handle = await database.open();
      const vault = await createVault(handle.db, parseMasterKeys(rootA));
      await insertConnection(handle, vault, 'c1', 'refresh-1//0secret');
      expect(await openRow(handle, vault, 'c1')).toBe('refresh-1//0secret');
      const keys = await handle.db.selectFrom('vault_keys').selectAll().execute();
      expect(keys.map((k) => [k.version, k.root_key_id])).toStrictEqual([
        [1, rootKeyId(Buffer.from(rootA, 'base64'))],
      ]);
    });

    it('refuses a ciphertext moved to another row', async () => {
      handle = await database.open();
      const vault = await createVault(handle.db, parseMasterKeys(rootA));
      const first = await insertConnection(handle, vault, 'c1', 'one');
      await insertConnection(handle, vault, 'c2', 'two');
      await handle.db
        .updateTable('connections')
        .set({ token_ciphertext: first.ciphertext })
        .where('id', '=', 'c2')
        .execute();
      await expect(openRow(handle, vault, 'c2')).rejects.toStrictEqual(
        new VaultError('authentication_failed', 'ciphertext failed authentication'),
      );
    });

    it('rotation re-wraps every record without touching payloads, and each still opens', async () => {
      handle = await database.open();
      const vault = await createVault(handle.db, parseMasterKeys(rootA));
      const before = new Map<string, string>();
      for (let i = 0; i < 25; i++) {
        before.set(
          `c${i}`,
          (await insertConnection(handle, vault, `c${i}`, `secret-${i}`)).ciphertext,
        );
      }
      const outcome = await vault.rotate();
      expect(outcome).toStrictEqual({ version: 2, rewrapped: 25, keysRewrapped: 0 });
      const rows = await handle.db
        .selectFrom('connections')
        .select(['id', 'token_ciphertext', 'key_version'])
        .execute();
      for (const row of rows) {
        expect(row.key_version).toBe(2);
        const old = parseEnvelope(before.get(row.id)!);
        const now = parseEnvelope(row.token_ciphertext!);
        expect(now.keyVersion).toBe(2);
        expect(now.payload.equals(old.payload)).toBe(true);
        expect(now.wrappedKey.equals(old.wrappedKey)).toBe(false);
        expect(await openRow(handle, vault, row.id)).toBe(`secret-${row.id.slice(1)}`);
      }
      expect(await vault.status()).toStrictEqual([
        { version: 1, current: false, retired: false, records: 0 },
        { version: 2, current: true, retired: false, records: 25 },
      ]);
    });

    it('an old version still opens until it is retired', async () => {
      handle = await database.open();
      const vault = await createVault(handle.db, parseMasterKeys(rootA));
      const kept = await vault.seal({ purpose: 'connection-token', recordId: 'x' }, 'kept aside');
      await vault.rotate();
      expect(
        (
          await vault.open({ purpose: 'connection-token', recordId: 'x' }, kept.ciphertext)
        ).toString(),
      ).toBe('kept aside');
      await vault.retire(1);
      await expect(
        vault.open({ purpose: 'connection-token', recordId: 'x' }, kept.ciphertext),
      ).rejects.toStrictEqual(
        new VaultError('unknown_key_version', 'vault key version 1 is not available'),
      );
    });

    it('refuses to retire the current version or one still in use', async () => {
      handle = await database.open();
      const vault = await createVault(handle.db, parseMasterKeys(rootA));
      await insertConnection(handle, vault, 'c1', 'one');
      await expect(vault.retire(1)).rejects.toThrow('vault key version 1 is current; rotate first');
      const other = await createVault(handle.db, parseMasterKeys(rootA));
      await other.rotate();
      // A process that has not seen the rotation yet writes under version 1.
      await handle.db
        .updateTable('connections')
        .set({ key_version: 1 })
        .where('id', '=', 'c1')
        .execute();
      await expect(other.retire(1)).rejects.toThrow('still protects 1 connections record(s)');
    });

    it('a second process picks up a rotation made by another', async () => {
      handle = await database.open();
      const first = await createVault(handle.db, parseMasterKeys(rootA));
      const second = await createVault(handle.db, parseMasterKeys(rootA));
      await first.rotate();
      const sealed = await first.seal({ purpose: 'connection-token', recordId: 'r' }, 'fresh');
      expect(sealed.keyVersion).toBe(2);
      expect(
        (
          await second.open({ purpose: 'connection-token', recordId: 'r' }, sealed.ciphertext)
        ).toString(),
      ).toBe('fresh');
    });

    it('a new master key re-wraps the vault keys on rotation; the old one can then go', async () => {
      handle = await database.open();
      const vaultA = await createVault(handle.db, parseMasterKeys(rootA));
      await insertConnection(handle, vaultA, 'c1', 'survives');
      const vaultBA = await createVault(handle.db, parseMasterKeys(`${rootB},${rootA}`));
      const outcome = await vaultBA.rotate();
      expect(outcome).toStrictEqual({ version: 2, rewrapped: 1, keysRewrapped: 1 });
      const vaultB = await createVault(handle.db, parseMasterKeys(rootB));
      expect(await openRow(handle, vaultB, 'c1')).toBe('survives');
      await expect(createVault(handle.db, parseMasterKeys(rootA))).rejects.toThrow(
        /which is not in TIDINGS_MASTER_KEY/,
      );
    });
  });
}
