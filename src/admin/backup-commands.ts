/**
 * `backup.write FILE [--force]`: the running server writes a backup of the database it
 * owns. The CLI sends this over the admin socket (local, mode 0600) with FILE already made
 * absolute, because with the embedded database only the server may read it. The answer is
 * the lines `tidings backup` prints; a refusal travels back as its sentence.
 */
import { backupLines, writeBackup } from '../backup/write-backup.ts';
import type { AdminCommand } from './context.ts';

export const BACKUP_COMMANDS: Record<string, AdminCommand> = {
  async 'backup.write'(context, args) {
    const [file, ...rest] = args;
    const force = rest.length === 1 && rest[0] === '--force';
    if (!file || (rest.length > 0 && !force))
      throw new Error('usage: tidings backup FILE [--force]');
    return backupLines(await writeBackup(context.database, file, { force, now: context.now }));
  },
};
