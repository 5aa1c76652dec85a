/**
 * The refresh sweep: which connections need Google's attention now. Tokens that will be
 * needed soon (used in the last hour, or with scheduled work such as a briefing coming
 * up, and expiring within the window) are refreshed ahead of time; every live connection
 * is health-checked at least daily (a refresh proves the grant still stands, so a revoked
 * one is noticed before the person asks); degraded ones are retried when their backoff
 * has passed. Idle connections cost one Google call a day.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.ts';

export const HEALTH_CHECK_INTERVAL_MS = 24 * 60 * 60_000;
export const NEEDED_SOON_WINDOW_MS = 10 * 60_000;
export const RECENTLY_USED_MS = 60 * 60_000;
/** Scheduled work this far ahead makes its user's tokens "needed soon". */
export const SCHEDULED_LEAD_MS = 15 * 60_000;
/**
 * Due connections one sweep picks at most (the rest are picked by the next one): enough
 * for every connection of a large server to come due together (after a restart, or the
 * daily health checks landing at once) and be checked in one run.
 */
export const SWEEP_LIMIT = 20_000;

export interface DueConnection {
  id: string;
  why: 'retry' | 'health_check' | 'needed_soon';
  /** When it was last checked, as the sweep saw it (the refresh re-checks it is still due). */
  lastCheckedAt: Date | null;
}

export async function dueConnections(
  db: Kysely<Database>,
  now: Date,
  options: { limit?: number; scheduledUserIds?: readonly string[] } = {},
): Promise<DueConnection[]> {
  const t = now.getTime();
  const limit = options.limit ?? SWEEP_LIMIT;
  const scheduled = options.scheduledUserIds ?? [];
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
        ...(scheduled.length > 0
          ? [
              eb.and([
                eb(
                  'access_expires_at',
                  '<',
                  new Date(t + NEEDED_SOON_WINDOW_MS + SCHEDULED_LEAD_MS),
                ),
                eb('user_id', 'in', [...scheduled]),
              ]),
            ]
          : []),
      ]),
    )
    .orderBy('next_attempt_at', 'asc')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    lastCheckedAt: row.last_checked_at,
    why:
      row.status === 'degraded'
        ? 'retry'
        : !row.last_checked_at || row.last_checked_at.getTime() < t - HEALTH_CHECK_INTERVAL_MS
          ? 'health_check'
          : 'needed_soon',
  }));
}
