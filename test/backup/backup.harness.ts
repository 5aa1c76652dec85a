/**
 * What the backup tests share: the commands run in-process with their output captured,
 * a configuration for a data folder, and counting users in a restored folder.
 */
import { readdir } from 'node:fs/promises';
import { backupCommand, restoreCommand } from '../../src/backup/index.ts';
import { type Config, loadConfig } from '../../src/config.ts';
import { openDatabase } from '../../src/db/index.ts';

export interface CommandRun {
  code: number;
  out: string[];
  err: string[];
}

/** Runs `backup` or `restore` in this process, as the CLI would, capturing what it prints. */
export async function run(
  command: 'backup' | 'restore',
  config: Config,
  args: string[],
): Promise<CommandRun> {
  const out: string[] = [];
  const err: string[] = [];
  const output = { out: (line: string) => out.push(line), err: (line: string) => err.push(line) };
  const code =
    command === 'backup'
      ? await backupCommand(config, args, output)
      : await restoreCommand(config, args, output);
  return { code, out, err };
}

export function configFor(dataDir: string, env: Record<string, string> = {}): Config {
  return loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...env });
}

/** The users' display names in a data folder's database (opened, read, closed). */
export async function userNames(dataDir: string): Promise<string[]> {
  const database = await openDatabase({ databaseUrl: null, dataDir });
  try {
    const rows = await database.db.selectFrom('users').select('display_name').execute();
    return rows.map((row) => row.display_name).sort();
  } finally {
    await database.close();
  }
}

/** A folder's entries, or null when it does not exist. */
export async function entries(dir: string): Promise<string[] | null> {
  return readdir(dir).then(
    (names) => names.sort(),
    () => null,
  );
}
