/**
 * The root of the key hierarchy: one or more 256-bit master keys from
 * `TIDINGS_MASTER_KEY` (base64, comma-separated, the first is current). In development,
 * when none is given, one is generated into `DATA_DIR/master.key` (mode 0600).
 * Master keys only wrap the vault's versioned key-encryption keys; they never touch
 * a record directly.
 */
import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface RootKey {
  /** A short, non-secret fingerprint that names the key in `vault_keys.root_key_id`. */
  id: string;
  key: Buffer;
}

export function rootKeyId(key: Buffer): string {
  return createHash('sha256').update('tidings-root-key-id').update(key).digest('hex').slice(0, 16);
}

/** Parses `TIDINGS_MASTER_KEY`; throws with a message that never echoes the value. */
export function parseMasterKeys(value: string): RootKey[] {
  const keys = value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part, index) => {
      const key = Buffer.from(part, 'base64');
      if (
        key.length !== 32 ||
        key.toString('base64').replace(/=+$/, '') !== part.replace(/=+$/, '')
      ) {
        throw new Error(
          `TIDINGS_MASTER_KEY entry ${index + 1} must be 32 random bytes in base64 ` +
            '(generate: openssl rand -base64 32)',
        );
      }
      return { id: rootKeyId(key), key };
    });
  if (keys.length === 0) throw new Error('TIDINGS_MASTER_KEY is empty');
  return keys;
}

export interface MasterKeySource {
  keys: RootKey[];
  /** Set when the key was generated or read from `DATA_DIR` (development only). */
  generatedFile: string | null;
  created: boolean;
}

/** The configured master keys, or (development) the one kept in `DATA_DIR/master.key`. */
export async function resolveMasterKeys(
  configured: string | null,
  dataDir: string,
): Promise<MasterKeySource> {
  if (configured) return { keys: parseMasterKeys(configured), generatedFile: null, created: false };
  const file = path.join(dataDir, 'master.key');
  try {
    const text = (await readFile(file, 'utf8')).trim();
    return { keys: parseMasterKeys(text), generatedFile: file, created: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const generated = randomBytes(32).toString('base64');
  await writeFile(file, `${generated}\n`, { mode: 0o600, flag: 'wx' }).catch(async (error) => {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  });
  await chmod(file, 0o600);
  const text = (await readFile(file, 'utf8')).trim();
  return { keys: parseMasterKeys(text), generatedFile: file, created: true };
}
