/**
 * Security events about Google accounts (Cross-Account Protection) applied to the
 * connections they concern. An event either retires the grant — `needs_reauth` with
 * reason `revoked`, tokens deleted, the one broken-grant notice — or is only recorded.
 * Either way each connection concerned gets a `security_event` row naming the event (its
 * type and `jti`, never a token). The caller supplies the transaction, so that its own
 * record of the event (the `jti` it has now seen) commits with the effects or not at all.
 *
 * Inside it the users are locked before their connections, in id order (the order of
 * every other connection writer), then the connections themselves: a refresh still at
 * Google meanwhile loses its compare-and-set and finds the grant gone.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Connection, Database } from '../db/index.ts';
import type { Vault } from '../vault/index.ts';
import type { ConnectionMetrics } from './metrics.ts';
import { fillMissingDigests } from './refresh-token-digest.ts';
import { lockUser } from './save-grant.ts';
import { NO_TOKENS } from './token-bundle.ts';
import { recordEvent, transition } from './transitions.ts';

/** Whom an event is about: a Google account (`sub`), or one refresh token (its digest). */
export type SecuritySubject =
  | { kind: 'account'; subject: string }
  | { kind: 'refresh_token'; digest: string };

export interface SecurityEvent {
  /** The event type's short name, e.g. `tokens-revoked`. */
  name: string;
  /** The security event token's id. */
  jti: string;
  /** When Google issued the token (`iat`). */
  issuedAt: Date;
  /** `account-disabled`'s reason (`hijacking`, `bulk-account`), when given. */
  reason: string | null;
  subject: SecuritySubject;
  /** `retire`: the grant is no longer to be used; `record`: history only. */
  action: 'retire' | 'record';
}

export type SecurityOutcome =
  /** Moved to `needs_reauth`, tokens deleted, the person told once. */
  | 'retired'
  /** Already broken (needs_reauth): nothing left to retire. */
  | 'already_broken'
  /** The grant was stored after the event was issued: the event is about an older one. */
  | 'superseded'
  | 'recorded';

export interface SecurityEventDeps {
  db: Kysely<Database>;
  vault: Pick<Vault, 'open'>;
  now: () => Date;
  metrics?: ConnectionMetrics | undefined;
}

/**
 * The live connections an event is about, oldest first. By refresh token, a miss first
 * fills in the digests of bundles written before digests were kept, then looks again.
 * Runs outside any transaction (it may open bundles).
 */
export async function connectionsConcerned(
  deps: SecurityEventDeps,
  subject: SecuritySubject,
): Promise<string[]> {
  const find = async () => {
    let query = deps.db
      .selectFrom('connections')
      .select('id')
      .where('provider', '=', 'google')
      .where('status', '<>', 'revoked');
    query =
      subject.kind === 'account'
        ? query.where('subject', '=', subject.subject)
        : query.where('refresh_token_digest', '=', subject.digest);
    const rows = await query.orderBy('created_at').orderBy('id').execute();
    return rows.map((row) => row.id);
  };
  const found = await find();
  if (found.length > 0 || subject.kind === 'account') return found;
  return (await fillMissingDigests(deps)) > 0 ? find() : [];
}

/** An event issued before this grant was stored is about an earlier grant. */
function supersedes(row: Connection, event: SecurityEvent): boolean {
  if (event.subject.kind !== 'account' || row.granted_at === null) return false;
  // `iat` has whole seconds: a grant in the same second may be the one revoked.
  return row.granted_at.getTime() >= event.issuedAt.getTime() + 1000;
}

async function retire(
  trx: Transaction<Database>,
  deps: SecurityEventDeps,
  row: Connection,
  event: SecurityEvent,
): Promise<SecurityOutcome> {
  if (row.status !== 'active' && row.status !== 'degraded') return 'already_broken';
  if (supersedes(row, event)) return 'superseded';
  const moved = await transition(trx, deps, {
    connectionId: row.id,
    to: 'needs_reauth',
    reason: 'revoked',
    from: ['active', 'degraded'],
    version: row.token_version,
    detail: {
      security_event: event.name,
      jti: event.jti,
      ...(event.reason === null ? {} : { event_reason: event.reason }),
    },
    set: { ...NO_TOKENS, next_attempt_at: null, failure_count: 0, failure_kind: null },
    ...(event.name === 'account-disabled'
      ? { notice: { securityEvent: event.name, eventReason: event.reason } }
      : {}),
  });
  // The row is locked: only a status that does not move can stop it.
  return moved === null ? 'already_broken' : 'retired';
}

/**
 * Applies each event to its connections, in the caller's transaction; answers the
 * outcome per connection, per event. Connections gone meanwhile are skipped.
 */
export async function applySecurityEvents(
  trx: Transaction<Database>,
  deps: SecurityEventDeps,
  items: ReadonlyArray<{ event: SecurityEvent; connectionIds: readonly string[] }>,
): Promise<Array<Array<{ connectionId: string; outcome: SecurityOutcome }>>> {
  const ids = [...new Set(items.flatMap((item) => item.connectionIds))];
  if (ids.length === 0) return items.map(() => []);
  const owners = await trx
    .selectFrom('connections')
    .select('user_id')
    .where('id', 'in', ids)
    .execute();
  for (const userId of [...new Set(owners.map((owner) => owner.user_id))].sort()) {
    await lockUser(trx, userId);
  }
  await trx.selectFrom('connections').select('id').where('id', 'in', ids).forUpdate().execute();

  const results: Array<Array<{ connectionId: string; outcome: SecurityOutcome }>> = [];
  for (const { event, connectionIds } of items) {
    const outcomes: Array<{ connectionId: string; outcome: SecurityOutcome }> = [];
    for (const connectionId of connectionIds) {
      const row = await trx
        .selectFrom('connections')
        .selectAll()
        .where('id', '=', connectionId)
        .executeTakeFirst();
      if (!row || row.status === 'revoked') continue;
      const outcome = event.action === 'retire' ? await retire(trx, deps, row, event) : 'recorded';
      await recordEvent(trx, deps, {
        connectionId,
        userId: row.user_id,
        type: 'security_event',
        reason: event.name,
        detail: {
          jti: event.jti,
          outcome,
          ...(event.reason === null ? {} : { event_reason: event.reason }),
        },
      });
      outcomes.push({ connectionId, outcome });
    }
    results.push(outcomes);
  }
  return results;
}
