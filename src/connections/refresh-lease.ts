/**
 * One refresh (or disconnect) per connection at a time, across processes, without holding
 * a database connection or transaction while Google answers: a lease row. Taking it is
 * one conditional update (free, or expired); whoever finds it taken waits for it to be
 * released or to run out, and then re-reads the row — usually to find the fresh token the
 * holder wrote.
 *
 * The lease is short and its holder renews it on a heartbeat while Google answers, so a
 * holder that died (a killed process) holds the others back for seconds at most. A
 * holder writes its result only while the lease is still its own (`whileHolding`): one
 * whose heartbeat fell behind and whose lease someone else took writes nothing.
 */
import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Connection, Database } from '../db/index.ts';
import type { Logger } from '../log.ts';
import { type Db, inTransaction } from './transitions.ts';

/** How long a lease lasts without a heartbeat: how long a dead holder can hold others back. */
export const LEASE_MS = 5_000;
/** How often a live holder renews its lease: several renewals fit in one lease. */
const RENEW_EVERY_MS = 1_500;
/**
 * How long, in real time, a waiter waits before it looks at the row afresh: longer than
 * one Google call can take (its timeout), so a live holder usually finishes first. A frozen
 * or jumping clock cannot make anyone wait longer.
 */
const WAIT_MS = 15_000;
const POLL_FIRST_MS = 20;
const POLL_MAX_MS = 250;

export interface Lease {
  token: string;
  /** The row as it stood when the lease was taken. */
  row: Connection;
  /** Set by a write that gave the lease back in the same statement: nothing left to release. */
  released?: boolean;
}

/**
 * Calls `beat` every `everyMs` until the answered function is called: real time in a
 * running process (`intervalTicker`); a test beats by hand.
 */
export type Ticker = (everyMs: number, beat: () => Promise<void>) => () => void;

const intervalTicker: Ticker = (everyMs, beat) => {
  const timer = setInterval(() => void beat(), everyMs);
  timer.unref();
  return () => clearInterval(timer);
};

export interface LeaseDeps {
  db: Db;
  now: () => Date;
  logger: Logger;
  ticker?: Ticker | undefined;
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

/** Extends the lease from now, if it is still ours; false when it is not. */
async function renewLease(db: Db, connectionId: string, lease: Lease, now: Date): Promise<boolean> {
  const renewed = await db
    .updateTable('connections')
    .set({ refreshing_until: new Date(now.getTime() + LEASE_MS) })
    .where('id', '=', connectionId)
    .where('refresh_lease', '=', lease.token)
    .executeTakeFirst();
  return Number(renewed.numUpdatedRows) > 0;
}

/**
 * Renews the lease on a heartbeat until `stop` (which waits for a renewal under way, so
 * none lands after the lease is given back). One renewal at a time; a lost lease is not
 * renewed again, and a failed renewal is logged and tried on the next beat.
 */
export function keepLease(
  deps: LeaseDeps,
  connectionId: string,
  lease: Lease,
): { stop(): Promise<void> } {
  let renewing: Promise<void> | null = null;
  let lost = false;
  const beat = async () => {
    if (renewing || lost) return renewing ?? undefined;
    renewing = renewLease(deps.db, connectionId, lease, deps.now())
      .then((held) => {
        lost = !held;
      })
      .catch((error: Error) => {
        deps.logger.warn(
          { connection: connectionId, err: error.message },
          'could not renew the refresh lease',
        );
      })
      .finally(() => {
        renewing = null;
      });
    return renewing;
  };
  const stopBeating = (deps.ticker ?? intervalTicker)(RENEW_EVERY_MS, beat);
  return {
    async stop() {
      stopBeating();
      await renewing;
    },
  };
}

/** Gives the lease back, if it is still ours (and was not given back already). */
export async function releaseLease(db: Db, connectionId: string, lease: Lease): Promise<void> {
  if (lease.released) return;
  await db
    .updateTable('connections')
    .set({ refresh_lease: null, refreshing_until: null })
    .where('id', '=', connectionId)
    .where('refresh_lease', '=', lease.token)
    .execute();
}

/**
 * Runs `work` in one transaction that holds the connection's row, provided the lease is
 * still ours; 'lost' (and nothing done) when someone else took it after it ran out or it
 * was cleared. Nobody can take the lease while `work` runs.
 */
export async function whileHolding<T>(
  db: Db,
  connectionId: string,
  lease: Lease,
  work: (trx: Transaction<Database>) => Promise<T>,
): Promise<T | 'lost'> {
  return inTransaction(db, async (trx) => {
    const held = await trx
      .selectFrom('connections')
      .select('id')
      .where('id', '=', connectionId)
      .where('refresh_lease', '=', lease.token)
      .forUpdate()
      .executeTakeFirst();
    return held ? work(trx) : 'lost';
  });
}

/**
 * Waits until nobody holds the lease (released, run out, or the row is gone), looking
 * again every quarter second at most. Bounded by `WAIT_MS` in real time.
 */
export async function waitForLease(db: Db, connectionId: string, now: () => Date): Promise<void> {
  const giveUpAt = performance.now() + WAIT_MS;
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

/**
 * Forgets every lease: only for a process that has just opened a database nobody else
 * can have open (the embedded one), where every lease found was left by a process that
 * is gone. Answers how many there were.
 */
export async function clearAllLeases(db: Db): Promise<number> {
  const cleared = await db
    .updateTable('connections')
    .set({ refresh_lease: null, refreshing_until: null })
    .where((eb) =>
      eb.or([eb('refresh_lease', 'is not', null), eb('refreshing_until', 'is not', null)]),
    )
    .executeTakeFirst();
  return Number(cleared.numUpdatedRows);
}
