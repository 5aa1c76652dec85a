/**
 * After a restore: does the master key this DATA_DIR would start with open the restored
 * vault? Compares the non-secret fingerprints in `vault_keys` with those of the key(s) in
 * TIDINGS_MASTER_KEY or, in development, the file DATA_DIR/master.key. Reads keys, never
 * creates one, and never prints one: only fingerprints and where the key must come from.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { DatabaseHandle } from '../db/index.ts';
import { parseMasterKeys } from '../vault/index.ts';

export type KeyCheck =
  /** No vault yet: nothing was ever sealed. */
  | { kind: 'no_vault' }
  | { kind: 'no_key'; needed: string[] }
  | { kind: 'opens'; source: 'TIDINGS_MASTER_KEY' | 'master.key' }
  | { kind: 'wrong_key'; source: 'TIDINGS_MASTER_KEY' | 'master.key'; needed: string[] }
  | { kind: 'unreadable'; source: 'TIDINGS_MASTER_KEY' | 'master.key'; reason: string };

/** Fingerprints of the master keys the vault's live key versions are wrapped by. */
async function neededFingerprints(database: DatabaseHandle): Promise<string[]> {
  const rows = await database.db
    .selectFrom('vault_keys')
    .select('root_key_id')
    .where('retired_at', 'is', null)
    .execute();
  return [...new Set(rows.map((row) => row.root_key_id))].sort();
}

export async function checkMasterKey(
  database: DatabaseHandle,
  configured: string | null,
  dataDir: string,
): Promise<KeyCheck> {
  const needed = await neededFingerprints(database);
  if (needed.length === 0) return { kind: 'no_vault' };
  const source = configured ? 'TIDINGS_MASTER_KEY' : 'master.key';
  let text = configured;
  if (!text) {
    text = await readFile(path.join(dataDir, 'master.key'), 'utf8').catch(() => null);
    if (text === null) return { kind: 'no_key', needed };
  }
  try {
    const given = new Set(parseMasterKeys(text).map((key) => key.id));
    const missing = needed.filter((id) => !given.has(id));
    return missing.length === 0
      ? { kind: 'opens', source }
      : { kind: 'wrong_key', source, needed: missing };
  } catch (error) {
    // parseMasterKeys' messages never echo the value.
    return { kind: 'unreadable', source, reason: (error as Error).message };
  }
}

const WHERE_THE_KEY_COMES_FROM =
  'give Tidings the master key(s) this backup was made with: TIDINGS_MASTER_KEY (several comma-separated during a key change), or in development copy the master.key file you kept apart into DATA_DIR/master.key';

/** The lines `restore` prints about the key. */
export function keyCheckLines(check: KeyCheck): string[] {
  switch (check.kind) {
    case 'no_vault':
      return ['master key: the backup holds no vault yet (nothing was sealed); any key will do'];
    case 'no_key':
      return [
        `master key: NOT given. Before starting, ${WHERE_THE_KEY_COMES_FROM} (fingerprint ${check.needed.join(', ')}). Without it every stored Google connection is unreadable and Tidings will not start on this database.`,
      ];
    case 'opens':
      return [
        `master key: the key in ${check.source === 'master.key' ? 'DATA_DIR/master.key' : 'TIDINGS_MASTER_KEY'} opens this vault; keep using the same key(s)`,
      ];
    case 'wrong_key':
      return [
        `master key: WARNING, the key in ${check.source === 'master.key' ? 'DATA_DIR/master.key' : 'TIDINGS_MASTER_KEY'} does not open this vault: ${WHERE_THE_KEY_COMES_FROM} (fingerprint ${check.needed.join(', ')}).`,
      ];
    case 'unreadable':
      return [`master key: WARNING, ${check.reason}. ${WHERE_THE_KEY_COMES_FROM}.`];
    default: {
      const never: never = check;
      return never;
    }
  }
}
