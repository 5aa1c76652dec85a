/**
 * One refresh (or disconnect) per connection at a time, across processes, without holding
 * a database connection or transaction while Google answers: a lease row. Taking it is
 * one conditional update (free, or expired); whoever finds it taken waits for it to be
 * released and then re-reads the row — usually to find the fresh token the holder wrote.
 * A holder that died leaves a lease that expires on its own.
 */
import { randomUUID } from 'node:crypto';
import type { Connection } from '../db/index.ts';
import type { Db } from './transitions.ts';

/** Longer than one Google call can take (its timeout), so a live holder keeps its lease. */
export const LEASE_MS = 30_000;
const POLL_FIRST_MS = 20;
const POLL_MAX_MS = 250;

export interface Lease {
  token: string;
  /** The row as it stood when the lease was taken. */
  row: Connection;
}

/** Takes the lease, or answers null when someone else holds it (or the row is gone). */
export async function takeLease(db: Db, connectionId: string, now: Date): Promise<Lease | null> {
  const token = randomUUID();
  const row = await db
    .updateTable('connections')
    .set({ refresh_lease: token, refreshing_until: new Date(now.getTime() + LEASE_MS) })
    .where('id', '=', connectionId)
    .where('status', '<>', 'revoked')
    .where((eb) => eb.or([eb('refreshing_until', 'is', null), eb('refreshing_until', '<=', now)]))
    .returningAll()
    .executeTakeFirst();
  return row ? { token, row } : null;
}

/** Gives the lease back, if it is still ours. */
export async function releaseLease(db: Db, connectionId: string, lease: Lease): Promise<void> {
  await db
    .updateTable('connections')
    .set({ refresh_lease: null, refreshing_until: null })
    .where('id', '=', connectionId)
    .where('refresh_lease', '=', lease.token)
    .execute();
}

/**
 * Waits until nobody holds the lease (released, expired, or the row is gone). Bounded by
 * the lease's own length in real time, so a frozen or jumping clock cannot wait forever.
 */
export async function waitForLease(db: Db, connectionId: string, now: () => Date): Promise<void> {
  const giveUpAt = performance.now() + LEASE_MS;
  let pause = POLL_FIRST_MS;
  while (performance.now() < giveUpAt) {
    const row = await db
      .selectFrom('connections')
      .select(['status', 'refreshing_until'])
      .where('id', '=', connectionId)
      .executeTakeFirst();
    if (
      !row ||
      row.status === 'revoked' ||
      row.refreshing_until === null ||
      row.refreshing_until.getTime() <= now().getTime()
    ) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, pause));
    pause = Math.min(POLL_MAX_MS, pause * 2);
  }
}

/** Takes the lease, waiting for the current holder first if need be. */
export async function takeLeaseWaiting(
  db: Db,
  connectionId: string,
  now: () => Date,
): Promise<Lease | null> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const lease = await takeLease(db, connectionId, now());
    if (lease) return lease;
    await waitForLease(db, connectionId, now);
  }
  return null;
}
