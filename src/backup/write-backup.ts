/**
 * Writes a backup of the embedded database to a file: the data directory as PGlite dumps
 * it (after a checkpoint, between two transactions, so it opens as the database stood at
 * that moment), behind a header that lets `restore` check it. The file appears whole or
 * not at all: it is written to `FILE.partial` (mode 0600), flushed, then moved into place;
 * an existing FILE is replaced only with `force`. Runs wherever the database is open: in
 * the CLI's own process, or inside the running server when the CLI asks over the admin
 * socket. Only the database is copied: the master key is never part of a backup.
 */
import { constants } from 'node:fs';
import { link, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../db/index.ts';
import { VERSION } from '../version.ts';
import { BackupError } from './backup-error.ts';
import { encodeHeader } from './format.ts';

export interface BackupSummary {
  file: string;
  /** The whole file: header and payload. */
  bytes: number;
  schema: string | null;
  createdAt: Date;
}

export const POSTGRES_BACKUP_SENTENCE =
  'with DATABASE_URL set, back up with PostgreSQL\'s own tools, which copy a running database consistently: pg_dump --format=custom "$DATABASE_URL" > tidings.dump (restore into an empty database with: pg_restore --no-owner --dbname "$DATABASE_URL" tidings.dump)';

/** Refuses a target that cannot take a new backup (before any work is done). */
export async function checkTarget(file: string, force: boolean): Promise<void> {
  if (!path.isAbsolute(file)) {
    throw new BackupError('usage', `the backup file must be an absolute path (got ${file})`);
  }
  const existing = await stat(file).catch(() => null);
  if (existing?.isDirectory()) {
    throw new BackupError(
      'file_unusable',
      `${file} is a directory: name the backup file to write.`,
    );
  }
  if (existing && !force) {
    throw new BackupError(
      'file_exists',
      `${file} exists already: choose another name, or pass --force to replace it.`,
    );
  }
  const folder = await stat(path.dirname(file)).catch(() => null);
  if (!folder?.isDirectory()) {
    throw new BackupError(
      'file_unusable',
      `the folder ${path.dirname(file)} does not exist: create it first, or choose another place.`,
    );
  }
}

/** The last migration applied to the database, or null before the first. */
export async function schemaVersion(database: DatabaseHandle): Promise<string | null> {
  const { rows } = await sql<{ name: string }>`
    select name from tidings_migrations order by name desc limit 1`
    .execute(database.db)
    .catch(() => ({ rows: [] as Array<{ name: string }> }));
  return rows[0]?.name ?? null;
}

export async function writeBackup(
  database: DatabaseHandle,
  file: string,
  options: { force: boolean; now: () => Date },
): Promise<BackupSummary> {
  if (database.kind !== 'pglite' || !database.dumpDataDir) {
    throw new BackupError('postgres', POSTGRES_BACKUP_SENTENCE);
  }
  await checkTarget(file, options.force);
  const schema = await schemaVersion(database);
  const payload = new Uint8Array(await (await database.dumpDataDir()).arrayBuffer());
  const createdAt = options.now();
  const header = encodeHeader(
    { tidingsVersion: VERSION, schema, createdAt: createdAt.toISOString() },
    payload,
  );
  const partial = `${file}.partial`;
  try {
    const handle = await open(
      partial,
      constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC,
      0o600,
    );
    try {
      await handle.chmod(0o600);
      await handle.write(header);
      await handle.write(payload);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (options.force) await rename(partial, file);
    else {
      // A link fails if FILE appeared meanwhile: an existing file is never replaced silently.
      await link(partial, file);
      await rm(partial, { force: true });
    }
  } catch (error) {
    await rm(partial, { force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      throw new BackupError(
        'file_exists',
        `${file} exists already: choose another name, or pass --force to replace it.`,
      );
    }
    throw new BackupError(
      'file_unusable',
      `cannot write ${file} (${code ?? (error as Error).message}).`,
      { cause: error },
    );
  }
  return { file, bytes: header.length + payload.length, schema, createdAt };
}

/** What the command prints, the same from the server and in-process. */
export function backupLines(summary: BackupSummary): string[] {
  return [
    `backup written: ${summary.file}`,
    `size: ${formatBytes(summary.bytes)}, schema version: ${summary.schema ?? 'none'}, Tidings ${VERSION}, taken at ${summary.createdAt.toISOString()}`,
    'the master key is NOT in the backup: keep TIDINGS_MASTER_KEY (in development, the file DATA_DIR/master.key) stored apart from it; a restore needs both, and without the key no stored Google connection can be opened',
  ];
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
