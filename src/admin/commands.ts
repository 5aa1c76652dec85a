/**
 * Administrative commands that need the database. They run in-process when the CLI owns
 * the database, or inside the running server when it arrives over the admin socket; the
 * output is the same lines either way.
 */
import type { Services } from '../app.ts';
import type { Core } from '../core.ts';
import { API_KEY_COMMANDS } from './api-key-commands.ts';
import { migrateToLatest } from '../db/index.ts';

/** Services plus the core parts, when the command runs inside (or opens) a full app. */
export type AdminContext = Services & { core: Core };

type Command = (context: AdminContext, args: string[]) => Promise<string[]>;

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

Object.assign(COMMANDS, API_KEY_COMMANDS, {
  async 'users.add'(context: AdminContext, args: string[]) {
    const name = flag(args, '--name');
    if (!name) throw new Error('usage: tidings users add --name NAME [--telegram-id ID]');
    const user = await context.core.users.create({
      displayName: name,
      telegramUserId: flag(args, '--telegram-id'),
    });
    return [`created user ${user.displayName}`, user.id];
  },
  async 'users.list'(context: AdminContext) {
    const rows = await context.database.db
      .selectFrom('users')
      .selectAll()
      .orderBy('created_at')
      .execute();
    if (rows.length === 0) return ['no users yet: tidings users add --name NAME'];
    return rows.map(
      (row) =>
        `${row.id}  ${row.display_name}  telegram=${row.telegram_user_id ?? '-'}  zone=${row.time_zone ?? '-'}`,
    );
  },
  async 'users.connect-link'(context: AdminContext, args: string[]) {
    const [userId] = args;
    if (!userId) throw new Error('usage: tidings users connect-link USER_ID');
    const link = await context.core.frontDoor.connectLink(userId);
    return [
      `open within ${Math.round((link.expiresAt.getTime() - context.now().getTime()) / 60_000)} minutes, once:`,
      link.url,
    ];
  },
  async 'connections.list'(context: AdminContext, args: string[]) {
    const userId = flag(args, '--user');
    const rows = userId
      ? await context.core.connections.list(userId)
      : await context.core.connections.listAll();
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
    const outcome = await context.core.connections.disconnect(null, id);
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
    const rows = await context.database.db
      .selectFrom('connection_events')
      .selectAll()
      .where('connection_id', '=', id)
      .orderBy('id')
      .execute();
    return rows.map(
      (e) =>
        `${iso(e.created_at)}  ${e.type}  ${e.from_status ?? ''}→${e.to_status ?? ''}  ${e.reason ?? ''}`,
    );
  },
  async 'notifications.list'(context: AdminContext) {
    const rows = await context.core.outbox.list(50);
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
  services: AdminContext,
  name: string,
  args: string[],
): Promise<string[]> {
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) throw new Error(`unknown command: ${name}`);
  return command(services, args);
}
