/**
 * The vault: versioned key-encryption keys (KEKs) kept in `vault_keys`, each wrapped by a
 * master key, and seal/open of records under them. Rotation adds a KEK version and
 * re-wraps every record's data key online — payloads are never re-encrypted — and re-wraps
 * older KEKs under the current master key. A version keeps opening records until retired.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.ts';
import {
  formatEnvelope,
  gcmDecrypt,
  gcmEncrypt,
  openWith,
  parseEnvelope,
  type RecordBinding,
  sealWith,
  unwrapDataKey,
  VaultError,
  wrapDataKey,
} from './envelope.ts';
import type { RootKey } from './master-key.ts';

/** Every column the vault seals, so rotation can find them all. */
export const SEALED_COLUMNS = [
  { table: 'connections', column: 'token_ciphertext', purpose: 'connection-token' },
  { table: 'oauth_states', column: 'verifier_ciphertext', purpose: 'oauth-state' },
] as const;

export interface Sealed {
  ciphertext: string;
  keyVersion: number;
}

export interface RotationOutcome {
  version: number;
  rewrapped: number;
  keysRewrapped: number;
}

export interface Vault {
  seal(binding: RecordBinding, plaintext: string | Buffer): Promise<Sealed>;
  open(binding: RecordBinding, ciphertext: string): Promise<Buffer>;
  currentVersion(): Promise<number>;
  rotate(): Promise<RotationOutcome>;
  retire(version: number): Promise<void>;
  status(): Promise<
    Array<{ version: number; current: boolean; retired: boolean; records: number }>
  >;
}

/** The additional data a wrapped key-encryption key is bound to (its version). */
export const kekAad = (version: number) => Buffer.from(`tidings:vault-key:${version}`, 'utf8');

export async function createVault(
  db: Kysely<Database>,
  rootKeys: readonly RootKey[],
): Promise<Vault> {
  const currentRoot = rootKeys[0];
  if (!currentRoot) throw new Error('the vault needs at least one master key');
  const keks = new Map<number, Buffer>();
  let current = 0;

  async function load(): Promise<void> {
    const rows = await db.selectFrom('vault_keys').selectAll().orderBy('version').execute();
    keks.clear();
    current = 0;
    for (const row of rows) {
      if (row.retired_at) continue;
      const root = rootKeys.find((candidate) => candidate.id === row.root_key_id);
      if (!root) {
        throw new Error(
          `vault key version ${row.version} is wrapped by master key ${row.root_key_id}, ` +
            'which is not in TIDINGS_MASTER_KEY (add the old key after the new one)',
        );
      }
      const kek = gcmDecrypt(
        root.key,
        Buffer.from(row.wrapped_key, 'base64url'),
        kekAad(row.version),
      );
      keks.set(row.version, kek);
      current = Math.max(current, row.version);
    }
  }

  async function addVersion(version: number): Promise<void> {
    const kek = randomBytes(32);
    await db
      .insertInto('vault_keys')
      .values({
        version,
        wrapped_key: gcmEncrypt(currentRoot!.key, kek, kekAad(version)).toString('base64url'),
        root_key_id: currentRoot!.id,
      })
      .onConflict((oc) => oc.column('version').doNothing())
      .execute();
  }

  await load();
  if (current === 0) {
    await addVersion(1);
    await load();
  }

  async function kekFor(version: number): Promise<Buffer> {
    let kek = keks.get(version);
    if (!kek) {
      await load(); // another process may have rotated
      kek = keks.get(version);
    }
    if (!kek)
      throw new VaultError('unknown_key_version', `vault key version ${version} is not available`);
    return kek;
  }

  async function rewrapRecords(version: number): Promise<number> {
    const target = await kekFor(version);
    let count = 0;
    for (const { table, column, purpose } of SEALED_COLUMNS) {
      // Bounded passes: rows written concurrently under an old version are caught next pass.
      for (let pass = 0; pass < 1000; pass++) {
        const rows = await db
          .selectFrom(table)
          .select(['id', `${column} as sealed`])
          .where('key_version', '<', version)
          .where(column, 'is not', null)
          .limit(200)
          .execute();
        if (rows.length === 0) break;
        for (const row of rows) {
          const sealed = row.sealed as string;
          const binding = { purpose, recordId: row.id };
          const parts = parseEnvelope(sealed);
          const dataKey = unwrapDataKey(await kekFor(parts.keyVersion), parts, binding);
          const next = formatEnvelope({
            keyVersion: version,
            wrappedKey: wrapDataKey(target, version, dataKey, binding),
            payload: parts.payload,
          });
          dataKey.fill(0);
          const result = await db
            .updateTable(table)
            .set({ [column]: next, key_version: version })
            .where('id', '=', row.id)
            .where(column, '=', sealed)
            .executeTakeFirst();
          count += Number(result.numUpdatedRows);
        }
      }
    }
    return count;
  }

  return {
    async seal(binding, plaintext) {
      const version = current;
      const kek = await kekFor(version);
      const data = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext;
      return { ciphertext: sealWith(kek, version, binding, data), keyVersion: version };
    },
    async open(binding, ciphertext) {
      const parts = parseEnvelope(ciphertext);
      const dataKey = unwrapDataKey(await kekFor(parts.keyVersion), parts, binding);
      try {
        return openWith(dataKey, parts, binding);
      } finally {
        dataKey.fill(0);
      }
    },
    async currentVersion() {
      await load();
      return current;
    },
    async rotate() {
      await load();
      const all = await db.selectFrom('vault_keys').select(['version']).execute();
      const version = Math.max(0, ...all.map((row) => row.version)) + 1;
      await addVersion(version);
      await load();
      // Older KEKs wrapped by an older master key move under the current one.
      let keysRewrapped = 0;
      const rows = await db
        .selectFrom('vault_keys')
        .selectAll()
        .where('retired_at', 'is', null)
        .execute();
      for (const row of rows) {
        if (row.root_key_id === currentRoot.id) continue;
        const kek = keks.get(row.version)!;
        await db
          .updateTable('vault_keys')
          .set({
            wrapped_key: gcmEncrypt(currentRoot.key, kek, kekAad(row.version)).toString(
              'base64url',
            ),
            root_key_id: currentRoot.id,
          })
          .where('version', '=', row.version)
          .execute();
        keysRewrapped++;
      }
      const rewrapped = await rewrapRecords(version);
      return { version, rewrapped, keysRewrapped };
    },
    async retire(version) {
      await load();
      if (version === current)
        throw new Error(`vault key version ${version} is current; rotate first`);
      if (!keks.has(version)) throw new Error(`vault key version ${version} is not active`);
      for (const { table } of SEALED_COLUMNS) {
        const row = await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('key_version', '=', version)
          .executeTakeFirstOrThrow();
        if (Number(row.n) > 0) {
          throw new Error(
            `vault key version ${version} still protects ${row.n} ${table} record(s); rotate first`,
          );
        }
      }
      await db
        .updateTable('vault_keys')
        .set({ retired_at: new Date(), wrapped_key: '' })
        .where('version', '=', version)
        .execute();
      keks.get(version)?.fill(0);
      keks.delete(version);
    },
    async status() {
      await load();
      const rows = await db.selectFrom('vault_keys').selectAll().orderBy('version').execute();
      const counts = new Map<number, number>();
      for (const { table } of SEALED_COLUMNS) {
        const grouped = await db
          .selectFrom(table)
          .select(['key_version', (eb) => eb.fn.countAll<string>().as('n')])
          .groupBy('key_version')
          .execute();
        for (const g of grouped) {
          if (g.key_version !== null)
            counts.set(g.key_version, (counts.get(g.key_version) ?? 0) + Number(g.n));
        }
      }
      return rows.map((row) => ({
        version: row.version,
        current: row.version === current,
        retired: row.retired_at !== null,
        records: counts.get(row.version) ?? 0,
      }));
    },
  };
}
