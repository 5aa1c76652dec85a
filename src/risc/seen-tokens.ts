/**
 * The security event tokens already received, by `jti` (RFC 8417: unique per issuer), so
 * a redelivered token does nothing twice. A token is claimed inside the transaction that
 * applies it: the claim and the effects commit together or not at all, and a concurrent
 * delivery of the same token waits on the claim and then finds it taken. Kept for as long
 * as a token is accepted at all (older ones are refused by their `iat`), then pruned.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/index.ts';

/** How long a `jti` is remembered, and so the oldest token accepted. */
export const SEEN_RETENTION_MS = 30 * 24 * 60 * 60_000;

export interface EventRecord {
  /** The event type URI. */
  type: string;
  /** What Tidings did with it (`applied`, `unknown_subject`, `ignored`, `verified`). */
  outcome: string;
}

/** Claims a token; false when it was received before. */
export async function claimToken(
  trx: Transaction<Database>,
  jti: string,
  now: Date,
): Promise<boolean> {
  const inserted = await trx
    .insertInto('risc_events')
    .values({ jti, events: '[]', received_at: now })
    .onConflict((oc) => oc.column('jti').doNothing())
    .returning('jti')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** Records what became of each event of a claimed token. */
export async function recordOutcomes(
  trx: Transaction<Database>,
  jti: string,
  events: readonly EventRecord[],
): Promise<void> {
  await trx
    .updateTable('risc_events')
    .set({ events: JSON.stringify(events) })
    .where('jti', '=', jti)
    .execute();
}

/** Forgets tokens older than the retention; answers how many. */
export async function pruneSeenTokens(db: Kysely<Database>, now: Date): Promise<number> {
  const result = await db
    .deleteFrom('risc_events')
    .where('received_at', '<', new Date(now.getTime() - SEEN_RETENTION_MS))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
