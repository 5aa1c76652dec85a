/**
 * What the doctor reads from a database, and nothing it writes: the migrations applied
 * (the `tidings_migrations` records) and the vault's key versions with their wrapped
 * keys (ciphertext under a master key, opened only in the doctor's own process). Read the
 * same way in the CLI's process and, over the admin socket, inside a running server
 * (`doctor.database`), so both give the same answer. Also the migrations this version of
 * Tidings ships, to compare with.
 */
import { readdir } from 'node:fs/promises';
import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/index.ts';

export interface VaultKeyRow {
  version: number;
  /** The non-secret fingerprint of the master key that wraps it. */
  rootKeyId: string;
  retired: boolean;
  /** base64url; empty once retired. */
  wrappedKey: string;
}

export interface DatabaseState {
  /** Migration names applied, in order; empty when none ever ran. */
  applied: string[];
  /** Null when the vault's table does not exist yet. */
  vaultKeys: VaultKeyRow[] | null;
}

const DatabaseStateSchema = z.object({
  applied: z.array(z.string()),
  vaultKeys: z
    .array(
      z.object({
        version: z.number().int(),
        rootKeyId: z.string(),
        retired: z.boolean(),
        wrappedKey: z.string(),
      }),
    )
    .nullable(),
});

/** Reads the state; never creates or changes anything. */
export async function readDatabaseState(db: Kysely<Database>): Promise<DatabaseState> {
  const { rows } = await sql<{ migrations: boolean; vault: boolean }>`
    select to_regclass('tidings_migrations') is not null as migrations,
           to_regclass('vault_keys') is not null as vault`.execute(db);
  const present = rows[0] ?? { migrations: false, vault: false };
  const applied = present.migrations
    ? (
        await sql<{ name: string }>`select name from tidings_migrations order by name`.execute(db)
      ).rows.map((row) => row.name)
    : [];
  const vaultKeys = present.vault
    ? (
        await db
          .selectFrom('vault_keys')
          .select(['version', 'root_key_id', 'retired_at', 'wrapped_key'])
          .orderBy('version')
          .execute()
      ).map((row) => ({
        version: row.version,
        rootKeyId: row.root_key_id,
        retired: row.retired_at !== null,
        wrappedKey: row.wrapped_key,
      }))
    : null;
  return { applied, vaultKeys };
}

/** The state as one line of the admin socket's answer. */
export function encodeDatabaseState(state: DatabaseState): string {
  return JSON.stringify(state);
}

/** The state from a running server's answer, or null when it is not one. */
export function decodeDatabaseState(lines: readonly string[]): DatabaseState | null {
  try {
    const parsed = DatabaseStateSchema.safeParse(JSON.parse(lines[0] ?? ''));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

const MIGRATIONS_DIR = new URL('../db/migrations/', import.meta.url);
const MIGRATION_FILE = /^(\d{4}-[a-z0-9-]+)\.ts$/;

/**
 * The migrations this version of Tidings ships, in order: the files `db/migrate.ts`
 * applies (each `NNNN-name.ts` in `db/migrations/`, named by its file).
 */
export async function shippedMigrations(): Promise<string[]> {
  const files = await readdir(MIGRATIONS_DIR);
  return files
    .map((file) => MIGRATION_FILE.exec(file)?.[1])
    .filter((name): name is string => name !== undefined)
    .sort();
}
