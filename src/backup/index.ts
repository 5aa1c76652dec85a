/**
 * `tidings backup FILE [--force]` and `tidings restore FILE`: a consistent copy of the
 * embedded database, taken while it runs, and its restore into an empty data folder.
 *
 * With the embedded database only one process may open DATA_DIR: when a server runs, the
 * CLI asks it over the admin socket to write the backup itself; otherwise the CLI opens
 * the database and writes it. With DATABASE_URL both commands refuse and name PostgreSQL's
 * own tools. Neither command ever copies the master key: keys and data are kept apart.
 * Exit codes: 0 done, 1 refused (with a sentence), 2 called wrongly.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { sendAdminCommand } from '../admin/index.ts';
import type { Config } from '../config.ts';
import { openDatabase } from '../db/index.ts';
import { BackupError } from './backup-error.ts';
import { keyCheckLines } from './key-check.ts';
import { type RestoreSummary, restoreBackup } from './restore.ts';
import {
  backupLines,
  checkTarget,
  formatBytes,
  POSTGRES_BACKUP_SENTENCE,
  writeBackup,
} from './write-backup.ts';

export { BACKUP_ERROR_CODES, BackupError, type BackupErrorCode } from './backup-error.ts';

/** Where the commands print: standard output for the answer, standard error for refusals. */
export interface CommandOutput {
  out(line: string): void;
  err(line: string): void;
}

const CONSOLE: CommandOutput = {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
};

const BACKUP_USAGE = 'usage: tidings backup FILE [--force]';
const RESTORE_USAGE = 'usage: tidings restore FILE   (into an empty DATA_DIR)';

const POSTGRES_RESTORE_SENTENCE =
  'with DATABASE_URL set, restore with PostgreSQL\'s own tools: pg_restore --no-owner --dbname "$DATABASE_URL" tidings.dump (a file made with pg_dump --format=custom "$DATABASE_URL" > tidings.dump); tidings restore reads backups of the embedded database only';

/** Runs a command body; a refusal becomes its sentence and exit code. */
async function refusing(output: CommandOutput, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    if (!(error instanceof BackupError)) throw error;
    output.err(`tidings: ${error.message}`);
    return error.code === 'usage' ? 2 : 1;
  }
}

/** FILE and the flags allowed; anything else is a usage error. */
function fileArgument(args: string[], flags: string[], usage: string) {
  const positional = args.filter((arg) => !arg.startsWith('--'));
  const given = args.filter((arg) => arg.startsWith('--'));
  const file = positional[0];
  if (!file || positional.length > 1 || given.some((flag) => !flags.includes(flag))) {
    throw new BackupError('usage', usage);
  }
  return { file: path.resolve(file), flags: new Set(given) };
}

export function backupCommand(
  config: Config,
  args: string[],
  output: CommandOutput = CONSOLE,
): Promise<number> {
  return refusing(output, async () => {
    const { file, flags } = fileArgument(args, ['--force'], BACKUP_USAGE);
    if (config.databaseUrl) throw new BackupError('postgres', POSTGRES_BACKUP_SENTENCE);
    const force = flags.has('--force');
    await checkTarget(file, force);
    const answer = await sendAdminCommand(config.dataDir, {
      command: 'backup.write',
      args: force ? [file, '--force'] : [file],
    });
    if (answer) {
      if (!answer.ok) {
        output.err(`tidings: ${answer.error}`);
        return 1;
      }
      for (const line of answer.lines) output.out(line);
      return 0;
    }
    const pgdata = path.join(config.dataDir, 'pglite');
    if (!(await stat(path.join(pgdata, 'PG_VERSION')).catch(() => null))) {
      throw new BackupError(
        'no_database',
        `there is no database in ${pgdata} to back up: set DATA_DIR to the folder Tidings runs with.`,
      );
    }
    const database = await openDatabase({ databaseUrl: null, dataDir: config.dataDir });
    try {
      const summary = await writeBackup(database, file, { force, now: () => new Date() });
      for (const line of backupLines(summary)) output.out(line);
      return 0;
    } finally {
      await database.close();
    }
  });
}

export function restoreCommand(
  config: Config,
  args: string[],
  output: CommandOutput = CONSOLE,
): Promise<number> {
  return refusing(output, async () => {
    const { file } = fileArgument(args, [], RESTORE_USAGE);
    if (config.databaseUrl) throw new BackupError('postgres', POSTGRES_RESTORE_SENTENCE);
    const summary = await restoreBackup(file, {
      dataDir: config.dataDir,
      masterKey: config.masterKey,
    });
    for (const line of restoreLines(file, path.join(config.dataDir, 'pglite'), summary)) {
      output.out(line);
    }
    return 0;
  });
}

function restoreLines(file: string, destination: string, summary: RestoreSummary): string[] {
  const { header } = summary;
  const connections = summary.connections.reduce((sum, row) => sum + row.count, 0);
  const byStatus = summary.connections.map((row) => `${row.count} ${row.status}`).join(', ');
  return [
    `restored: ${file} into ${destination}`,
    `backup: taken at ${header.createdAt} by Tidings ${header.tidingsVersion}, ${formatBytes(header.payload.bytes)} of database`,
    summary.applied.length > 0
      ? `schema: the backup was at ${summary.schemaBefore ?? 'none'}, older than this version; migrated to ${summary.schemaNow} (applied: ${summary.applied.join(', ')})`
      : `schema version: ${summary.schemaNow ?? 'none'} (up to date)`,
    `found: ${summary.users} user(s), ${connections} connection(s)${byStatus ? ` (${byStatus})` : ''}, ${summary.apiKeys} API key(s)`,
    ...keyCheckLines(summary.key),
  ];
}
