/**
 * The background work as plain functions, so the scheduler and tests call the same code:
 * the refresh sweep (many refreshes at once, paced by `sweep-pace.ts`; guarded: every
 * connection's failure is its own, a time budget bounds one sweep and Google failing
 * again and again stops it — the rest is due again next time), the daily briefing check in each
 * user's own zone, the connections that scheduled work will soon need, and the clean-up
 * of expired one-time values.
 */
import { DateTime } from 'luxon';
import type { Broker, Outbox, RefreshOptions } from '../connections/index.ts';
import type { DatabaseHandle } from '../db/index.ts';
import type { Logger } from '../log.ts';
import type { UserRecord, UserStore } from '../users/index.ts';
import { createZoneResolver } from './briefing-zone.ts';
import { type DueConnection, dueConnections, SCHEDULED_LEAD_MS } from './refresh-sweep.ts';
import { createSweepPace, SKIPPED, SWEEP_CONCURRENCY, type SweepPace } from './sweep-pace.ts';

/** One sweep stops starting refreshes after this long; what is left is due next time. */
export const SWEEP_BUDGET_MS = 2 * 60_000;
/** One sweep stops starting refreshes after this many failed answers from Google in a row. */
export const SWEEP_FAILURES_TO_STOP = 10;
/** A briefing is due from its minute until this much later (a restart loses no day). */
const BRIEFING_LATE_MINUTES = 120;

export interface JobWorkDeps {
  database: DatabaseHandle;
  broker: Broker;
  users: Pick<UserStore, 'withBriefing'>;
  outbox: Pick<Outbox, 'enqueue'>;
  /** The zone the user's Google Calendar reports; throws TidingsError when it cannot tell. */
  calendarZone(userId: string): Promise<string>;
  logger: Logger;
  now: () => Date;
  /** Deletes expired one-time values (connect tickets, OAuth states); returns how many. */
  cleanup?: () => Promise<number>;
  /** Called after work that queued notifications. */
  onNotify?: () => void;
  /** Paces the sweep's refreshes (shared with the refresh jobs); default: one per sweep. */
  pace?: SweepPace | undefined;
  /** Refreshes at once when no `pace` is given (default `SWEEP_CONCURRENCY`). */
  sweepConcurrency?: number | undefined;
}

export type SweepRefresh = (connectionId: string, options: RefreshOptions) => Promise<string>;

export interface SweepResult {
  due: number;
  outcomes: Record<string, number>;
  /** Due but left for the next sweep (time budget spent, or no Google client). */
  deferred: number;
}

/** The options a sweep refresh carries: forced, but only while still as due as when picked. */
export function sweepOptions(connection: Pick<DueConnection, 'lastCheckedAt'>): RefreshOptions {
  return { force: true, expectCheckedAt: connection.lastCheckedAt };
}

export function createJobWork(deps: JobWorkDeps) {
  const zones = createZoneResolver({ calendarZone: deps.calendarZone, now: deps.now });

  /** Today's briefing time in the user's zone, or null when off or the zone is unknown. */
  async function briefingAt(user: UserRecord): Promise<DateTime | null> {
    const time = user.settings.briefingTime;
    if (!time) return null;
    const zone = await zones.zoneOf(user);
    if (!zone) return null;
    const local = DateTime.fromJSDate(deps.now(), { zone });
    const [hour, minute] = time.split(':').map(Number);
    return local.set({ hour: hour ?? 0, minute: minute ?? 0, second: 0, millisecond: 0 });
  }

  const work = {
    /** Users whose briefing comes within the lead time: their tokens are needed soon. */
    async scheduledSoon(): Promise<string[]> {
      const now = DateTime.fromJSDate(deps.now());
      const soon: string[] = [];
      for (const user of await deps.users.withBriefing()) {
        const at = await briefingAt(user);
        if (!at) continue;
        // Today's time, or tomorrow's when today's has passed (just before midnight).
        const next = at < now ? at.plus({ days: 1 }) : at;
        if (next.diff(now).toMillis() <= SCHEDULED_LEAD_MS) soon.push(user.id);
      }
      return soon;
    },

    async due(): Promise<DueConnection[]> {
      return dueConnections(deps.database.db, deps.now(), {
        scheduledUserIds: await work.scheduledSoon(),
      });
    },

    async sweep(refresh?: SweepRefresh): Promise<SweepResult> {
      const run: SweepRefresh = refresh ?? ((id, options) => deps.broker.refresh(id, options));
      const pace = deps.pace ?? createSweepPace(deps.sweepConcurrency ?? SWEEP_CONCURRENCY);
      const started = deps.now().getTime();
      const due = await work.due();
      const outcomes: Record<string, number> = {};
      let next = 0;
      let done = 0;
      let failedInARow = 0;
      let stopped = false;

      /** One connection's refresh, started only while the sweep may still start one. */
      async function refreshOne(connection: DueConnection): Promise<string> {
        if (stopped || deps.now().getTime() - started >= SWEEP_BUDGET_MS) {
          stopped = true;
          return SKIPPED;
        }
        let outcome: string;
        try {
          outcome = await run(connection.id, sweepOptions(connection));
        } catch (error) {
          outcome = 'error';
          deps.logger.error(
            { connection: connection.id, err: { name: (error as Error)?.name } },
            'refresh failed unexpectedly; the sweep goes on',
          );
        }
        done++;
        outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
        if (outcome === 'needs_reauth') deps.onNotify?.();
        // Without a Google client every refresh would say the same: stop asking.
        if (outcome === 'not_configured') stopped = true;
        failedInARow = outcome === 'degraded' ? failedInARow + 1 : 0;
        if (failedInARow >= SWEEP_FAILURES_TO_STOP) stopped = true;
        return outcome;
      }

      // As many lanes as may ever run at once; the pace decides how many actually do.
      const lanes = Array.from({ length: Math.min(pace.max, due.length) }, async () => {
        while (!stopped && next < due.length) {
          const connection = due[next++]!;
          await pace.run(() => refreshOne(connection));
        }
      });
      await Promise.all(lanes);
      if (done < due.length) {
        deps.logger.info(
          { left: due.length - done },
          'sweep stopped early; the rest is due next time',
        );
      }
      return { due: due.length, outcomes, deferred: due.length - done };
    },

    async briefings(): Promise<number> {
      let queued = 0;
      for (const user of await deps.users.withBriefing()) {
        const due = await briefingAt(user);
        if (!due) continue;
        const local = DateTime.fromJSDate(deps.now(), { zone: due.zone });
        const late = local.diff(due, 'minutes').minutes;
        if (late < 0 || late > BRIEFING_LATE_MINUTES) continue;
        await deps.outbox.enqueue({
          userId: user.id,
          kind: 'briefing',
          payload: { date: local.toISODate() },
          dedupeKey: `briefing:${user.id}:${local.toISODate()}`,
        });
        queued++;
      }
      if (queued > 0) deps.onNotify?.();
      return queued;
    },

    async cleanup(): Promise<number> {
      return (await deps.cleanup?.()) ?? 0;
    },
  };
  return work;
}
