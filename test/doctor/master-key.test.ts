import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { readDatabaseState } from '../../src/doctor/database-state.ts';
import { checkMasterKey } from '../../src/doctor/master-key-check.ts';
import { createVault, parseMasterKeys, rootKeyId } from '../../src/vault/index.ts';
import { DATABASES, type TestDatabaseHandle } from '../support/databases.harness.ts';

const folders: string[] = [];
afterAll(async () => {
  for (const dir of folders) await rm(dir, { recursive: true, force: true });
});

async function folder(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tidings-doctor-key-'));
  folders.push(dir);
  return dir;
}

const newKey = () => randomBytes(32).toString('base64');
const idOf = (key: string) => rootKeyId(Buffer.from(key, 'base64'));

/** A migrated database whose vault was set up (and rotated) under the given keys. */
async function vaultUnder(
  handle: TestDatabaseHandle,
  masterKeys: string,
  rotate = false,
): Promise<void> {
  const vault = await createVault(handle.db, parseMasterKeys(masterKeys));
  if (rotate) await vault.rotate();
}

async function check(handle: TestDatabaseHandle, env: Record<string, string>) {
  const config = loadConfig({ DATA_DIR: await folder(), ...env });
  return checkMasterKey(config, await readDatabaseState(handle.db));
}

describe.each(DATABASES)('the master-key check on $name', (database) => {
  it('passes when the configured key opens every active vault key version', async () => {
    const handle = await database.open();
    try {
      const key = newKey();
      await vaultUnder(handle, key);
      expect(await check(handle, { TIDINGS_MASTER_KEY: key })).toStrictEqual({
        id: 'master-key',
        status: 'pass',
        summary: 'TIDINGS_MASTER_KEY opens every active vault key version (v1)',
        details: { versions: [1], masterKeys: [idOf(key)] },
      });
    } finally {
      await handle.close();
    }
  });

  it('fails naming the version and what a wrong key means', async () => {
    const handle = await database.open();
    try {
      const right = newKey();
      const wrong = newKey();
      await vaultUnder(handle, right);
      const result = await check(handle, { TIDINGS_MASTER_KEY: wrong });
      expect(result).toStrictEqual({
        id: 'master-key',
        status: 'fail',
        summary: `vault key version 1 is wrapped by master key ${idOf(right)}, which is not among the configured ones: the records those versions protect (stored Google connections) cannot be opened`,
        fix: 'TIDINGS_MASTER_KEY is not the master key this database was set up with (a wrong key, or a new one set without the old). Set it back to the original; to change master keys, list the new key first and the old one after it, then run tidings keys rotate.',
        details: { failedVersions: [1], masterKeys: [idOf(wrong)] },
      });
      expect(JSON.stringify(result)).not.toContain(right);
      expect(JSON.stringify(result)).not.toContain(wrong);
    } finally {
      await handle.close();
    }
  });

  it('passes during a master-key change (new key first, old after) and after the rotation', async () => {
    const handle = await database.open();
    try {
      const old = newKey();
      const fresh = newKey();
      await vaultUnder(handle, old);
      const during = await check(handle, { TIDINGS_MASTER_KEY: `${fresh},${old}` });
      await vaultUnder(handle, `${fresh},${old}`, true);
      const after = await check(handle, { TIDINGS_MASTER_KEY: fresh });
      const oldOnly = await check(handle, { TIDINGS_MASTER_KEY: old });
      expect([during.status, after.summary, oldOnly.details?.failedVersions]).toStrictEqual([
        'pass',
        'TIDINGS_MASTER_KEY opens every active vault key version (v1, v2)',
        [1, 2],
      ]);
    } finally {
      await handle.close();
    }
  });

  it('fails when a stored key-encryption key is damaged', async () => {
    const handle = await database.open();
    try {
      const key = newKey();
      await vaultUnder(handle, key);
      await handle.db
        .updateTable('vault_keys')
        .set({ wrapped_key: randomBytes(60).toString('base64url') })
        .execute();
      const result = await check(handle, { TIDINGS_MASTER_KEY: key });
      expect([result.status, result.summary]).toStrictEqual([
        'fail',
        `vault key version 1 does not open with master key ${idOf(key)}: its stored copy is damaged: the records those versions protect (stored Google connections) cannot be opened`,
      ]);
    } finally {
      await handle.close();
    }
  });

  it('fails in development when the vault has keys and no master key is anywhere', async () => {
    const handle = await database.open();
    try {
      await vaultUnder(handle, newKey());
      const dataDir = await folder();
      const result = await check(handle, { DATA_DIR: dataDir });
      expect([result.status, result.summary]).toStrictEqual([
        'fail',
        `the vault has key version(s) 1 but no master key: TIDINGS_MASTER_KEY is unset and DATA_DIR/master.key (${path.join(dataDir, 'master.key')}) is missing`,
      ]);
    } finally {
      await handle.close();
    }
  });

  it('uses the development key in DATA_DIR/master.key, and never generates one', async () => {
    const handle = await database.open();
    try {
      const key = newKey();
      await vaultUnder(handle, key);
      const dataDir = await folder();
      await writeFile(path.join(dataDir, 'master.key'), `${key}\n`);
      const result = await check(handle, { DATA_DIR: dataDir });
      expect(result.summary).toBe(
        `DATA_DIR/master.key (${path.join(dataDir, 'master.key')}) opens every active vault key version (v1)`,
      );
    } finally {
      await handle.close();
    }
  });
});

describe('the master-key check without a vault to open', () => {
  it('says a malformed TIDINGS_MASTER_KEY is wrong without echoing it', async () => {
    const config = loadConfig({ DATA_DIR: await folder(), TIDINGS_MASTER_KEY: 'not-a-key' });
    expect(await checkMasterKey(config, { applied: [], vaultKeys: null })).toStrictEqual({
      id: 'master-key',
      status: 'fail',
      summary:
        'TIDINGS_MASTER_KEY entry 1 must be 32 random bytes in base64 (generate: openssl rand -base64 32)',
      fix: 'Set TIDINGS_MASTER_KEY to the base64 master key(s) this installation uses (new one first during a change).',
    });
  });

  it('passes before the first start, when no key and no vault exist yet, and creates nothing', async () => {
    const dataDir = await folder();
    const result = await checkMasterKey(loadConfig({ DATA_DIR: dataDir }), {
      applied: [],
      vaultKeys: null,
    });
    expect([result.status, result.summary, await readdir(dataDir)]).toStrictEqual([
      'pass',
      'no master key yet: the first start generates DATA_DIR/master.key (back it up), or set TIDINGS_MASTER_KEY',
      [],
    ]);
  });

  it('is skipped when the database could not be read', async () => {
    const config = loadConfig({ DATA_DIR: await folder(), TIDINGS_MASTER_KEY: newKey() });
    expect(await checkMasterKey(config, null)).toStrictEqual({
      id: 'master-key',
      status: 'skip',
      summary:
        'TIDINGS_MASTER_KEY is well-formed; the vault was not checked because the database could not be read',
    });
  });
});
