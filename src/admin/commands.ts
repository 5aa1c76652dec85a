/**
 * Administrative commands that need the database. They run in-process when the CLI owns
 * the database, or inside the running server when it arrives over the admin socket; the
 * output is the same lines either way.
 */
import type { Services } from '../app.ts';
import { migrateToLatest } from '../db/index.ts';

type Command = (services: Services, args: string[]) => Promise<string[]>;

const COMMANDS: Record<string, Command> = {
  async migrate(services) {
    const outcome = await migrateToLatest(services.database.db, services.database.kind);
    const applied = [...services.migrated, ...outcome.applied];
    return [
      applied.length > 0 ? `applied: ${applied.join(', ')}` : 'already up to date',
      `schema version: ${outcome.current ?? 'none'}`,
    ];
  },
  async 'keys.rotate'(services) {
    const outcome = await services.vault.rotate();
    return [
      `vault key version ${outcome.version} is now current`,
      `re-wrapped ${outcome.rewrapped} record key(s)` +
        (outcome.keysRewrapped > 0 ? ` and ${outcome.keysRewrapped} older vault key(s)` : ''),
      'older versions stay usable until retired: tidings keys retire <version>',
    ];
  },
  async 'keys.status'(services) {
    const rows = await services.vault.status();
    return rows.map(
      (row) =>
        `v${row.version}  ${row.current ? 'current' : row.retired ? 'retired' : 'active '}  ${row.records} record(s)`,
    );
  },
  async 'keys.retire'(services, args) {
    const version = Number(args[0]);
    if (!Number.isInteger(version) || version < 1)
      throw new Error('usage: tidings keys retire <version>');
    await services.vault.retire(version);
    return [`vault key version ${version} retired`];
  },
};

export function isAdminCommand(name: string): boolean {
  return Object.hasOwn(COMMANDS, name);
}

export async function runAdminCommand(
  services: Services,
  name: string,
  args: string[],
): Promise<string[]> {
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) throw new Error(`unknown command: ${name}`);
  return command(services, args);
}
