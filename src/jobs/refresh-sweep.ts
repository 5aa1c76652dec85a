/**
 * The refresh sweep: which connections need Google's attention now. Tokens that will be
 * needed soon (used in the last hour, expiring within ten minutes) are refreshed ahead of
 * time; every live connection is health-checked at least daily (a refresh proves the grant
 * still stands, so a revoked one is noticed before the person asks); degraded ones are
 * retried when their backoff has passed. Idle connections cost one Google call a day.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.ts';

export const HEALTH_CHECK_INTERVAL_MS = 24 * 60 * 60_000;
export const NEEDED_SOON_WINDOW_MS = 10 * 60_000;
export const RECENTLY_USED_MS = 60 * 60_000;
export const SWEEP_LIMIT = 200;

export interface DueConnection {
  id: string;
  why: 'retry' | 'health_check' | 'needed_soon';
}

export async function dueConnections(
  db: Kysely<Database>,
  now: Date,
  limit = SWEEP_LIMIT,
): Promise<DueConnection[]> {
  const t = now.getTime();
  const rows = await db
    .selectFrom('connections')
    .select([
      'id',
      'status',
      'next_attempt_at',
      'last_checked_at',
      'access_expires_at',
      'last_used_at',
    ])
    .where('status', 'in', ['active', 'degraded'])
    .where('token_ciphertext', 'is not', null)
    .where((eb) => eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', now)]))
    .where((eb) =>
      eb.or([
        eb('status', '=', 'degraded'),
        eb('last_checked_at', 'is', null),
        eb('last_checked_at', '<', new Date(t - HEALTH_CHECK_INTERVAL_MS)),
        eb.and([
          eb('access_expires_at', '<', new Date(t + NEEDED_SOON_WINDOW_MS)),
          eb('last_used_at', '>', new Date(t - RECENTLY_USED_MS)),
        ]),
      ]),
    )
    .orderBy('next_attempt_at', 'asc')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    why:
      row.status === 'degraded'
        ? 'retry'
        : !row.last_checked_at || row.last_checked_at.getTime() < t - HEALTH_CHECK_INTERVAL_MS
          ? 'health_check'
          : 'needed_soon',
  }));
}
