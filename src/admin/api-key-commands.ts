/**
 * Administrative commands for runtime API keys: create (the key is printed once, alone on
 * the last line, so scripts can take it with `tail -n 1`), list, revoke. They need only the
 * database and the clock; the CLI runs them in-process or through the admin socket.
 */
import { type ApiKeyInfo, createApiKeyStore } from '../api-keys/index.ts';
import type { AdminCommand, AdminContext } from './context.ts';

/** API key commands need only the database and the clock. */
export type ApiKeyCommandContext = Pick<AdminContext, 'database' | 'now'>;

function describeKey(key: ApiKeyInfo): string {
  const state = key.revokedAt
    ? `revoked ${key.revokedAt.toISOString()}`
    : key.lastUsedAt
      ? `last used ${key.lastUsedAt.toISOString()}`
      : 'never used';
  return `tid_${key.prefix}_…  ${key.id}  "${key.name}"  created ${key.createdAt.toISOString()}  ${state}`;
}

/**
 * A key for an agent runtime (`tidings openclaw config`, `tidings mcp config`): checks the
 * user and the connection they name before creating anything. Lines: the connection id
 * (or `default`), then the key alone on the last line.
 */
export const provisionAgentKey: AdminCommand = async (context, args) => {
  const [userId, kind, selector] = args;
  if (!userId || !kind) throw new Error('usage: api-keys provision USER_ID RUNTIME [CONNECTION]');
  const user = await context.parts.users.get(userId);
  if (!user) throw new Error(`no user with id ${userId} (see: tidings users list)`);
  const connection = selector
    ? (await context.parts.frontDoor.connections.resolve(userId, selector)).id
    : 'default';
  const created = await createApiKeyStore(context.database.db, context.now).create(
    userId,
    `${kind} agent`,
  );
  return [`connection ${connection}`, created.key];
};

export const API_KEY_COMMANDS: Record<string, AdminCommand<ApiKeyCommandContext>> = {
  async 'api-keys.create'(context, args) {
    const [userId, ...nameWords] = args;
    if (!userId) throw new Error('usage: tidings api-keys create <user id> [name]');
    const store = createApiKeyStore(context.database.db, context.now);
    const name = nameWords.join(' ').trim() || 'default';
    const created = await store.create(userId, name);
    return [
      `created API key tid_${created.prefix}_… (id ${created.id}) for user ${userId}`,
      'it is shown only now; use it as "Authorization: Bearer <key>":',
      created.key,
    ];
  },
  async 'api-keys.list'(context, args) {
    const [userId] = args;
    if (!userId) throw new Error('usage: tidings api-keys list <user id>');
    const keys = await createApiKeyStore(context.database.db, context.now).list(userId);
    return keys.length === 0 ? [`user ${userId} has no API keys`] : keys.map(describeKey);
  },
  async 'api-keys.revoke'(context, args) {
    const [selector] = args;
    if (!selector) throw new Error('usage: tidings api-keys revoke <key id or prefix>');
    const revoked = await createApiKeyStore(context.database.db, context.now).revoke(
      null,
      selector,
    );
    if (revoked.length === 0) throw new Error('no active API key has that id or prefix');
    return revoked.map((key) => `revoked tid_${key.prefix}_… (id ${key.id}) of user ${key.userId}`);
  },
};
