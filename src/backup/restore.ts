/**
 * Restores a backup into an empty data folder. Refuses, before writing anything, when a
 * server runs on DATA_DIR, when DATA_DIR already holds a database, or when the file fails
 * its checks. The database is unpacked into a temporary folder beside its destination,
 * opened, brought to this version's schema and counted there; only then is it renamed into
 * `DATA_DIR/pglite`, so a failed restore leaves nothing half-written. The master key is
 * not restored (a backup never holds it): the caller says where it must come from.
 */
import { mkdir, mkdtemp, readdir, readFile, rename, rm, rmdir, stat } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { adminSocketPath } from '../admin/socket.ts';
import { type DatabaseHandle, migrateToLatest, wrapPglite } from '../db/index.ts';
import { BackupError } from './backup-error.ts';
import { type BackupHeader, decodeBackup } from './format.ts';
import { checkMasterKey, type KeyCheck } from './key-check.ts';
import { schemaVersion } from './write-backup.ts';

export interface RestoreSummary {
  header: BackupHeader;
  /** The schema found in the backup, and the migrations applied on top of it. */
  schemaBefore: string | null;
  applied: string[];
  schemaNow: string | null;
  users: number;
  connections: Array<{ status: string; count: number }>;
  apiKeys: number;
  key: KeyCheck;
}

/** True when a server answers on DATA_DIR's admin socket. */
export function serverAnswers(dataDir: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(adminSocketPath(dataDir));
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** True when the folder exists and has anything in it. */
async function holdsAnything(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length > 0;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return false;
    throw new BackupError(
      'not_empty',
      `${dir} is not a folder Tidings can restore into (${code}).`,
    );
  }
}

async function refuseOccupied(dataDir: string): Promise<void> {
  if (await serverAnswers(dataDir)) {
    throw new BackupError(
      'server_running',
      `a Tidings server is running on ${dataDir} (its admin socket answers): stop it, and restore into an empty data folder.`,
    );
  }
  if (await holdsAnything(path.join(dataDir, 'pglite'))) {
    throw new BackupError(
      'not_empty',
      `${path.join(dataDir, 'pglite')} already holds a database: restore only into an empty data folder (set DATA_DIR to a new folder, or move this one aside first).`,
    );
  }
}

/** Reads and checks the backup file; every failure is a sentence. */
export async function readBackup(file: string): Promise<ReturnType<typeof decodeBackup>> {
  const info = await stat(file).catch((error: NodeJS.ErrnoException) => {
    throw unreadable(file, error);
  });
  if (info.isDirectory()) {
    throw new BackupError('file_unusable', `${file} is a directory, not a backup file.`);
  }
  const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => {
    throw unreadable(file, error);
  });
  return decodeBackup(bytes, file);
}

function unreadable(file: string, error: NodeJS.ErrnoException): BackupError {
  const why =
    error.code === 'ENOENT'
      ? 'there is no such file'
      : error.code === 'EACCES'
        ? 'permission denied'
        : (error.code ?? error.message);
  return new BackupError('file_unusable', `cannot read ${file}: ${why}.`, { cause: error });
}

async function count(
  database: DatabaseHandle,
): Promise<Pick<RestoreSummary, 'users' | 'connections' | 'apiKeys'>> {
  const { db } = database;
  const users = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  const apiKeys = await db
    .selectFrom('api_keys')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('revoked_at', 'is', null)
    .executeTakeFirstOrThrow();
  const connections = await db
    .selectFrom('connections')
    .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
    .groupBy('status')
    .orderBy('status')
    .execute();
  return {
    users: Number(users.n),
    apiKeys: Number(apiKeys.n),
    connections: connections.map((row) => ({ status: row.status, count: Number(row.n) })),
  };
}

/** Unpacks the payload into an empty folder and opens it. */
async function openUnpacked(
  folder: string,
  payload: Buffer,
  file: string,
): Promise<DatabaseHandle> {
  try {
    const pglite = await PGlite.create(folder, {
      loadDataDir: new Blob([new Uint8Array(payload)]),
    });
    return wrapPglite(pglite);
  } catch (error) {
    throw new BackupError(
      'corrupted',
      `the database in ${file} does not open (${(error as Error).message}): it is not the backup Tidings wrote.`,
      { cause: error },
    );
  }
}

export async function restoreBackup(
  file: string,
  options: { dataDir: string; masterKey: string | null },
): Promise<RestoreSummary> {
  const { dataDir } = options;
  await refuseOccupied(dataDir);
  const { header, payload } = await readBackup(file);
  // Beside the destination, so the final rename stays on one file system.
  const dataDirExists = (await stat(dataDir).catch(() => null)) !== null;
  const parent = dataDirExists ? dataDir : path.dirname(dataDir);
  await mkdir(parent, { recursive: true, mode: 0o700 });
  const temporary = await mkdtemp(path.join(parent, `.${path.basename(dataDir)}-restore-`));
  try {
    const unpacked = path.join(temporary, 'pglite');
    await mkdir(unpacked, { mode: 0o700 });
    const database = await openUnpacked(unpacked, payload, file);
    let summary: RestoreSummary;
    try {
      const schemaBefore = await schemaVersion(database);
      const outcome = await migrateToLatest(database.db, 'pglite').catch((error: unknown) => {
        throw new BackupError(
          'schema_mismatch',
          `the backup's schema (${header.schema ?? 'none'}, made by Tidings ${header.tidingsVersion}) cannot be used by this version: ${(error as Error).message}. Restore it with Tidings ${header.tidingsVersion} or newer.`,
          { cause: error },
        );
      });
      summary = {
        header,
        schemaBefore,
        applied: outcome.applied,
        schemaNow: outcome.current,
        ...(await count(database)),
        key: await checkMasterKey(database, options.masterKey, dataDir),
      };
    } finally {
      await database.close();
    }
    // Checked again: something may have started on DATA_DIR meanwhile.
    await refuseOccupied(dataDir);
    if (dataDirExists) {
      await rmdir(path.join(dataDir, 'pglite')).catch(() => {});
      await rename(unpacked, path.join(dataDir, 'pglite'));
      await rm(temporary, { recursive: true, force: true });
    } else {
      await rename(temporary, dataDir);
    }
    return summary;
  } catch (error) {
    await rm(temporary, { recursive: true, force: true });
    throw error;
  }
}
