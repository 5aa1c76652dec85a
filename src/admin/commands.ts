/**
 * Administrative commands that need the database. They run in-process when the CLI owns
 * the database, or inside the running server when it arrives over the admin socket; the
 * output is the same lines either way.
 */
import { migrateToLatest } from '../db/index.ts';
import { API_KEY_COMMANDS, provisionAgentKey } from './api-key-commands.ts';
import { BACKUP_COMMANDS } from './backup-commands.ts';
import { DOCTOR_COMMANDS } from './doctor-commands.ts';
import type { AdminContext, AdminCommand } from './context.ts';

export type { AdminContext } from './context.ts';

const COMMANDS: Record<string, AdminCommand> = {
  async migrate(context) {
    const outcome = await migrateToLatest(context.database.db, context.database.kind);
    const applied = [...context.migrated, ...outcome.applied];
    return [
      applied.length > 0 ? `applied: ${applied.join(', ')}` : 'already up to date',
      `schema version: ${outcome.current ?? 'none'}`,
    ];
  },
  async 'keys.rotate'(context) {
    const outcome = await context.vault.rotate();
    return [
      `vault key version ${outcome.version} is now current`,
      `re-wrapped ${outcome.rewrapped} record key(s)` +
        (outcome.keysRewrapped > 0 ? ` and ${outcome.keysRewrapped} older vault key(s)` : ''),
      'older versions stay usable until retired: tidings keys retire <version>',
    ];
  },
  async 'keys.status'(context) {
    const rows = await context.vault.status();
    return rows.map(
      (row) =>
        `v${row.version}  ${row.current ? 'current' : row.retired ? 'retired' : 'active '}  ${row.records} record(s)`,
    );
  },
  async 'keys.retire'(context, args) {
    const version = Number(args[0]);
    if (!Number.isInteger(version) || version < 1)
      throw new Error('usage: tidings keys retire <version>');
    await context.vault.retire(version);
    return [`vault key version ${version} retired`];
  },
};

function flag(args: string[], name: string): string | null {
  const index = args.indexOf(name);
  if (index < 0) return null;
  const value = args[index + 1];
  if (value === undefined || value.startsWith('--')) throw new Error(`${name} needs a value`);
  return value;
}

const iso = (date: Date | null) => (date ? date.toISOString() : '-');
/** `https://www.googleapis.com/auth/gmail.readonly` → `gmail.readonly`. */
const shortScope = (scope: string) => scope.replace(/^https:\/\/www\.googleapis\.com\/auth\//, '');

Object.assign(COMMANDS, API_KEY_COMMANDS, BACKUP_COMMANDS, DOCTOR_COMMANDS, {
  'api-keys.provision': provisionAgentKey,
  async 'users.add'(context: AdminContext, args: string[]) {
    const name = flag(args, '--name');
    if (!name) throw new Error('usage: tidings users add --name NAME [--telegram-id ID]');
    const user = await context.parts.users.create({
      displayName: name,
      telegramUserId: flag(args, '--telegram-id'),
    });
    return [`created user ${user.displayName}`, user.id];
  },
  async 'users.list'(context: AdminContext) {
    const users = await context.parts.users.list();
    if (users.length === 0) return ['no users yet: tidings users add --name NAME'];
    return users.map(
      (user) =>
        `${user.id}  ${user.displayName}  telegram=${user.telegramUserId ?? '-'}  zone=${user.timeZone ?? '-'}`,
    );
  },
  async 'users.connect-link'(context: AdminContext, args: string[]) {
    const [userId] = args;
    if (!userId) throw new Error('usage: tidings users connect-link USER_ID');
    const link = await context.parts.frontDoor.connectLink(userId);
    return [
      `open within ${Math.round((link.expiresAt.getTime() - context.now().getTime()) / 60_000)} minutes, once:`,
      link.url,
    ];
  },
  async 'connections.list'(context: AdminContext, args: string[]) {
    const userId = flag(args, '--user');
    const rows = userId
      ? await context.parts.connections.list(userId)
      : await context.parts.connections.listAll();
    if (rows.length === 0) return ['no connections'];
    return rows.map(
      (c) =>
        `${c.id}  ${c.email}  ${c.status}${c.statusReason ? ` (${c.statusReason})` : ''}${c.isDefault ? '  default' : ''}  ` +
        `can=${c.capabilities.join(',') || 'nothing'}  scopes=${c.grantedScopes.map(shortScope).join(',') || '-'}  ` +
        `access-expires=${iso(c.accessExpiresAt)}  refreshed=${iso(c.lastRefreshedAt)}  user=${c.userId}`,
    );
  },
  async 'connections.disconnect'(context: AdminContext, args: string[]) {
    const [id] = args;
    if (!id) throw new Error('usage: tidings connections disconnect CONNECTION_ID');
    const outcome = await context.parts.connections.disconnect(null, id);
    const email = outcome.connection.email;
    if (outcome.revokedAtGoogle) {
      return [`disconnected ${email}: grant revoked at Google and tokens deleted`];
    }
    return [
      `disconnected ${email}: tokens deleted here, but Google's revoke did not go through (${outcome.revokeError})`,
      'to be sure the grant is gone, remove Tidings at https://myaccount.google.com/permissions',
    ];
  },
  async 'connections.events'(context: AdminContext, args: string[]) {
    const [id] = args;
    if (!id) throw new Error('usage: tidings connections events CONNECTION_ID');
    const rows = await context.parts.connections.events(id);
    return rows.map(
      (e) =>
        `${iso(e.created_at)}  ${e.type}  ${e.from_status ?? ''}→${e.to_status ?? ''}  ${e.reason ?? ''}`,
    );
  },
  async 'notifications.list'(context: AdminContext) {
    const rows = await context.parts.outbox.list(50);
    if (rows.length === 0) return ['no notifications'];
    return rows.map(
      (n) =>
        `${n.id}  ${iso(n.createdAt)}  ${n.kind}  user=${n.userId}  ${n.deliveredAt ? `delivered ${iso(n.deliveredAt)}` : `pending (attempts ${n.attempts})`}`,
    );
  },
});

export function isAdminCommand(name: string): boolean {
  return Object.hasOwn(COMMANDS, name);
}

export async function runAdminCommand(
  context: AdminContext,
  name: string,
  args: string[],
): Promise<string[]> {
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) throw new Error(`unknown command: ${name}`);
  return command(context, args);
}
