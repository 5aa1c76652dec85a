/**
 * Storing a completed Google consent: a new connection, or the same Google account again
 * (same `sub`) updating its connection. One transaction writes the row, its status change
 * or event, the default choice and the "connected" notice; the vault seals outside it.
 * Concurrent consents for one account are safe: one user's consents are serialised by a
 * lock on the user row, the insert yields to an existing row (`on conflict do nothing`),
 * and a writer whose reading went stale reads again and becomes a reconnect — never a
 * 500, never a half-written record. Every write bumps the token generation, so a refresh
 * still at Google with the previous grant cannot write over this one. A reconnect stores
 * only the Google account of the connection it reconnects. The "connected" notice is
 * queued only for a user with a Telegram chat, the one place it can be delivered.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Connection, Database } from '../db/index.ts';
import { TidingsError } from '../errors.ts';
import type { Vault } from '../vault/index.ts';
import type { ConnectionMetrics } from './metrics.ts';
import { freshTokenColumns } from './fresh-tokens.ts';
import { openTokenBundle } from './token-bundle.ts';
import { recordEvent, transition } from './transitions.ts';
import { insertNotification } from './notifications.ts';
import { capabilitiesOf } from './views.ts';

export interface GrantInput {
  userId: string;
  /** The connection a reconnect link was for: the grant must be of its Google account. */
  reconnect?: string | null;
  subject: string;
  email: string;
  displayName: string | null;
  hostedDomain: string | null;
  scopes: string[];
  accessToken: string;
  /** Null when Google withheld it; an existing connection's refresh token is then kept. */
  refreshToken: string | null;
  expiresIn: number | null;
}

export interface SaveGrantDeps {
  db: Kysely<Database>;
  vault: Pick<Vault, 'open' | 'seal'>;
  now: () => Date;
  metrics?: ConnectionMetrics | undefined;
}

const MAX_ROUNDS = 5;

/** The user's connections get exactly one default while any is live. */
export async function ensureDefault(db: Transaction<Database>, userId: string): Promise<void> {
  const rows = await db
    .selectFrom('connections')
    .select(['id', 'is_default'])
    .where('user_id', '=', userId)
    .where('status', '<>', 'revoked')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  if (rows.length > 0 && !rows.some((row) => row.is_default)) {
    await db
      .updateTable('connections')
      .set({ is_default: true })
      .where('id', '=', rows[0]!.id)
      .execute();
  }
}

/** Serialises one user's connection writes (default choice) inside a transaction. */
export async function lockUser(db: Transaction<Database>, userId: string): Promise<void> {
  // `no key update`: serialises the user's writers without blocking the key-share locks
  // that inserting a row referencing the user takes (a notification, an event). Another
  // writer that already holds a connection's row and is inserting such a row would
  // otherwise wait for us while we wait for its connection: a deadlock.
  await db.selectFrom('users').select('id').where('id', '=', userId).forNoKeyUpdate().execute();
}

async function lockConnection(trx: Transaction<Database>, id: string) {
  return trx
    .selectFrom('connections')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

function findExisting(db: Kysely<Database> | Transaction<Database>, grant: GrantInput) {
  return db
    .selectFrom('connections')
    .selectAll()
    .where('user_id', '=', grant.userId)
    .where('provider', '=', 'google')
    .where('subject', '=', grant.subject)
    .executeTakeFirst();
}

async function keptRefreshToken(
  deps: SaveGrantDeps,
  existing: Connection | undefined,
): Promise<string | null> {
  if (!existing?.token_ciphertext) return null;
  const opened = await openTokenBundle(deps.vault, existing.id, existing.token_ciphertext);
  return opened === 'corrupt' ? null : opened.refreshToken;
}

/** What one round prepares outside the transaction: the row's id and its sealed columns. */
interface PreparedGrant {
  id: string;
  /** The connection as read before sealing; the transaction checks it is still so. */
  existing: Connection | undefined;
  columns: GrantColumns;
  now: Date;
}

type GrantColumns = Awaited<ReturnType<typeof sealGrant>>;

/** `false`: the reading went stale (or another writer won), so the round starts again. */
type Stored = 'created' | 'updated' | false;

/** The refresh token to seal: Google's new one, else the existing connection's. */
async function refreshTokenFor(
  deps: SaveGrantDeps,
  grant: GrantInput,
  existing: Connection | undefined,
): Promise<string> {
  const refreshToken = grant.refreshToken ?? (await keptRefreshToken(deps, existing));
  if (!refreshToken) {
    throw new TidingsError(
      'oauth_no_refresh_token',
      'Google did not hand out offline access. Remove Tidings from your Google account permissions, then connect again.',
    );
  }
  return refreshToken;
}

/** Seals the token bundle for connection `id`; answers the columns the row is written with. */
async function sealGrant(
  deps: SaveGrantDeps,
  grant: GrantInput,
  id: string,
  refreshToken: string,
  now: Date,
) {
  const tokens = { accessToken: grant.accessToken, refreshToken, expiresIn: grant.expiresIn };
  return {
    email: grant.email,
    display_name: grant.displayName,
    hosted_domain: grant.hostedDomain,
    granted_scopes: JSON.stringify(grant.scopes),
    granted_at: now,
    ...(await freshTokenColumns(deps.vault, id, tokens, now)),
  };
}

/** A reconnect must sign in to the Google account of the connection it reconnects. */
async function checkReconnect(deps: SaveGrantDeps, grant: GrantInput): Promise<void> {
  if (!grant.reconnect) return;
  const target = await deps.db
    .selectFrom('connections')
    .select(['subject', 'email'])
    .where('id', '=', grant.reconnect)
    .where('user_id', '=', grant.userId)
    .executeTakeFirst();
  if (target?.subject === grant.subject) return;
  throw new TidingsError(
    'oauth_identity_invalid',
    target
      ? `This link reconnects ${target.email}, but Google signed in ${grant.email}. Nothing was stored: open the link again and pick ${target.email}, or use /connect to add another account.`
      : `The account this link reconnects is gone. Nothing was stored: use /connect to add ${grant.email}.`,
    { connectionId: grant.reconnect },
  );
}

/** Reads the existing connection for (user, subject) and seals the grant for it. */
async function prepareGrant(deps: SaveGrantDeps, grant: GrantInput): Promise<PreparedGrant> {
  const now = deps.now();
  const existing = await findExisting(deps.db, grant);
  const refreshToken = await refreshTokenFor(deps, grant, existing);
  const id = existing?.id ?? randomUUID();
  const columns = await sealGrant(deps, grant, id, refreshToken, now);
  return { id, existing, columns, now };
}

/**
 * Whether what was sealed no longer fits the row now locked: it was sealed for another id,
 * or it kept a refresh token from a generation since replaced.
 */
function readingIsStale(
  current: Connection | undefined,
  prepared: PreparedGrant,
  grant: GrantInput,
): boolean {
  if (current && current.id !== prepared.id) return true;
  return Boolean(
    current && !grant.refreshToken && current.token_version !== prepared.existing?.token_version,
  );
}

/** The same account again while its connection is active: new tokens, next generation. */
async function updateActive(
  trx: Transaction<Database>,
  deps: SaveGrantDeps,
  grant: GrantInput,
  prepared: PreparedGrant,
): Promise<boolean> {
  await trx
    .updateTable('connections')
    .set((eb) => ({ ...prepared.columns, token_version: eb('token_version', '+', 1) }))
    .where('id', '=', prepared.id)
    .execute();
  await recordEvent(trx, deps, {
    connectionId: prepared.id,
    userId: grant.userId,
    type: 'reconnected',
    detail: { scopes: grant.scopes },
  });
  return true;
}

/** The same account again after its connection broke or was disconnected: back to active. */
async function reactivate(
  trx: Transaction<Database>,
  deps: SaveGrantDeps,
  prepared: PreparedGrant,
  current: Connection,
): Promise<boolean> {
  const moved = await transition(trx, deps, {
    connectionId: prepared.id,
    to: 'active',
    reason: 'reconnected',
    from: [current.status],
    set: prepared.columns,
  });
  return moved !== null;
}

/** A new account: inserted unless another consent inserted it first. */
async function insertNew(
  trx: Transaction<Database>,
  deps: SaveGrantDeps,
  grant: GrantInput,
  prepared: PreparedGrant,
): Promise<boolean> {
  const inserted = await trx
    .insertInto('connections')
    .values({
      id: prepared.id,
      user_id: grant.userId,
      provider: 'google',
      subject: grant.subject,
      status: 'active',
      status_reason: null,
      ...prepared.columns,
    })
    .onConflict((oc) => oc.columns(['user_id', 'provider', 'subject']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) return false;
  await recordEvent(trx, deps, {
    connectionId: prepared.id,
    userId: grant.userId,
    type: 'connected',
    to: 'active',
    detail: { scopes: grant.scopes },
  });
  return true;
}

/** Writes the row and its event; false when another writer got there first. */
function writeRow(
  trx: Transaction<Database>,
  deps: SaveGrantDeps,
  grant: GrantInput,
  prepared: PreparedGrant,
  current: Connection | undefined,
): Promise<boolean> {
  if (current?.status === 'active') return updateActive(trx, deps, grant, prepared);
  if (current) return reactivate(trx, deps, prepared, current);
  return insertNew(trx, deps, grant, prepared);
}

/** Keeps one default connection and queues the "connected" notice for a user with a chat. */
async function announceGrant(
  trx: Transaction<Database>,
  grant: GrantInput,
  prepared: PreparedGrant,
): Promise<void> {
  await ensureDefault(trx, grant.userId);
  const owner = await trx
    .selectFrom('users')
    .select('telegram_user_id')
    .where('id', '=', grant.userId)
    .executeTakeFirst();
  // No chat, no one to tell: a notice that can never be delivered is not queued.
  if (!owner?.telegram_user_id) return;
  await insertNotification(
    trx,
    {
      userId: grant.userId,
      connectionId: prepared.id,
      kind: 'connected',
      payload: {
        email: grant.email,
        capabilities: capabilitiesOf(grant.scopes),
        scopes: grant.scopes,
      },
    },
    prepared.now,
  );
}

/** The one transaction of a round: lock the user, re-read, write, announce. */
function commitGrant(
  deps: SaveGrantDeps,
  grant: GrantInput,
  prepared: PreparedGrant,
): Promise<Stored> {
  return deps.db.transaction().execute(async (trx) => {
    await lockUser(trx, grant.userId);
    // The row too: a refresh that failed at Google retires it without the user's lock, and
    // must not slip between this reading and the write below.
    const current = await findExisting(trx, grant).then((row) =>
      row ? lockConnection(trx, row.id) : undefined,
    );
    if (readingIsStale(current, prepared, grant)) return false;
    if (!(await writeRow(trx, deps, grant, prepared, current))) return false;
    await announceGrant(trx, grant, prepared);
    return current ? 'updated' : 'created';
  });
}

/** Stores a completed consent. Returns the connection id and whether it was new. */
export async function saveGrant(
  deps: SaveGrantDeps,
  grant: GrantInput,
): Promise<{ id: string; created: boolean }> {
  await checkReconnect(deps, grant);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const prepared = await prepareGrant(deps, grant);
    const stored = await commitGrant(deps, grant, prepared);
    if (stored === false) continue;
    if (stored === 'created') {
      deps.metrics?.connectionTransitions.inc({ from: 'none', to: 'active', reason: 'connected' });
    }
    return { id: prepared.id, created: stored === 'created' };
  }
  throw new Error('the connection kept changing while a consent was stored');
}
