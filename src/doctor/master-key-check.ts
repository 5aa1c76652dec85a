/**
 * Check 3: the configured master key(s) open every active vault key version. Reads the
 * keys the way `openServices` does — `TIDINGS_MASTER_KEY`, else the development key in
 * `DATA_DIR/master.key` — but never generates one, and unwraps each version in this
 * process only. A failure names the version and the (non-secret) fingerprint of the
 * master key that wraps it; no key material is ever shown.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.ts';
import { kekAad, parseMasterKeys, type RootKey } from '../vault/index.ts';
import { gcmDecrypt } from '../vault/envelope.ts';
import type { DatabaseState, VaultKeyRow } from './database-state.ts';
import { type CheckResult, fail, pass, skip } from './report.ts';

const ID = 'master-key';

type Keys =
  | { ok: true; keys: RootKey[]; source: string }
  | { ok: true; keys: null; source: string }
  | { ok: false; result: CheckResult };

async function configuredKeys(config: Config): Promise<Keys> {
  if (config.masterKey) {
    try {
      const keys = parseMasterKeys(config.masterKey);
      return { ok: true, keys, source: 'TIDINGS_MASTER_KEY' };
    } catch (error) {
      return {
        ok: false,
        result: fail(
          ID,
          (error as Error).message,
          'Set TIDINGS_MASTER_KEY to the base64 master key(s) this installation uses (new one first during a change).',
        ),
      };
    }
  }
  if (config.env === 'production') {
    return {
      ok: false,
      result: fail(
        ID,
        'TIDINGS_MASTER_KEY is not set, and production never uses a generated key',
        'Set TIDINGS_MASTER_KEY to the master key (openssl rand -base64 32 for a new installation) and keep a copy somewhere safe.',
      ),
    };
  }
  const file = path.join(config.dataDir, 'master.key');
  let text: string;
  try {
    text = (await readFile(file, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return { ok: true, keys: null, source: `DATA_DIR/master.key (${file})` };
    }
    return {
      ok: false,
      result: fail(
        ID,
        `cannot read the development master key ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
        'Make the file readable by this user, or set TIDINGS_MASTER_KEY.',
      ),
    };
  }
  try {
    return { ok: true, keys: parseMasterKeys(text), source: `DATA_DIR/master.key (${file})` };
  } catch {
    return {
      ok: false,
      result: fail(
        ID,
        `the development master key ${file} is not a valid master key`,
        'Restore the file from a backup, or set TIDINGS_MASTER_KEY to the master key this database was set up with.',
      ),
    };
  }
}

type Opened = { version: number; problem: null } | { version: number; problem: string };

function openVersion(row: VaultKeyRow, keys: readonly RootKey[]): Opened {
  const root = keys.find((candidate) => candidate.id === row.rootKeyId);
  if (!root) {
    return {
      version: row.version,
      problem: `vault key version ${row.version} is wrapped by master key ${row.rootKeyId}, which is not among the configured ones`,
    };
  }
  try {
    gcmDecrypt(root.key, Buffer.from(row.wrappedKey, 'base64url'), kekAad(row.version)).fill(0);
    return { version: row.version, problem: null };
  } catch {
    return {
      version: row.version,
      problem: `vault key version ${row.version} does not open with master key ${row.rootKeyId}: its stored copy is damaged`,
    };
  }
}

export async function checkMasterKey(
  config: Config,
  state: DatabaseState | null,
): Promise<CheckResult> {
  const found = await configuredKeys(config);
  if (!found.ok) return found.result;
  const { keys, source } = found;
  if (state === null) {
    return skip(
      ID,
      keys
        ? `${source} is well-formed; the vault was not checked because the database could not be read`
        : 'the vault was not checked because the database could not be read',
    );
  }
  const active = (state.vaultKeys ?? []).filter((row) => !row.retired);
  if (active.length === 0) {
    return pass(
      ID,
      keys
        ? `${source} is well-formed; the vault has no keys yet (the first start makes them under it)`
        : 'no master key yet: the first start generates DATA_DIR/master.key (back it up), or set TIDINGS_MASTER_KEY',
    );
  }
  const versions = active.map((row) => row.version);
  if (keys === null) {
    return fail(
      ID,
      `the vault has key version(s) ${versions.join(', ')} but no master key: TIDINGS_MASTER_KEY is unset and ${source} is missing`,
      'Set TIDINGS_MASTER_KEY to the master key this database was set up with (or restore DATA_DIR/master.key); without it no stored Google connection can be opened.',
      { versions },
    );
  }
  const problems = active.map((row) => openVersion(row, keys)).filter((opened) => opened.problem);
  const fingerprints = keys.map((key) => key.id);
  if (problems.length > 0) {
    return fail(
      ID,
      `${problems.map((opened) => opened.problem).join('; ')}: the records those versions protect (stored Google connections) cannot be opened`,
      `${source} is not the master key this database was set up with (a wrong key, or a new one set without the old). Set it back to the original; to change master keys, list the new key first and the old one after it, then run tidings keys rotate.`,
      {
        failedVersions: problems.map((opened) => opened.version),
        masterKeys: fingerprints,
      },
    );
  }
  return pass(
    ID,
    `${source} opens every active vault key version (${versions.map((v) => `v${v}`).join(', ')})`,
    { versions, masterKeys: fingerprints },
  );
}
