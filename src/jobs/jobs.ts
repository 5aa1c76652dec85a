/**
 * Background work on pg-boss, in the same database (PGlite or PostgreSQL): the refresh
 * sweep every five minutes (each connection's refresh is its own job with the connection
 * id as singleton key, so several instances never do the same work twice) and the daily
 * briefing check every minute (deduplicated per user and local day in the outbox).
 */
import { DateTime } from 'luxon';
import PgBoss from 'pg-boss';
import type { Broker } from '../connections/index.ts';
import type { DatabaseHandle } from '../db/index.ts';
import type { FrontDoor } from '../front-door.ts';
import type { Logger } from '../log.ts';
import { dueConnections } from './refresh-sweep.ts';

const SWEEP = 'tidings-refresh-sweep';
const REFRESH = 'tidings-refresh';
const BRIEFING = 'tidings-briefing-check';

export interface JobDeps {
  database: DatabaseHandle;
  broker: Broker;
  frontDoor: Pick<FrontDoor, 'users' | 'outbox'>;
  logger: Logger;
  now: () => Date;
  /** pg-boss schema (tests isolate runs with their own). */
  schema?: string;
  /** Called after work that queued notifications. */
  onNotify?: () => void;
}

export interface Jobs {
  /** Runs one sweep now: refreshes what is due; returns how many refreshes ran. */
  sweepNow(): Promise<{ due: number; outcomes: Record<string, number> }>;
  /** Queues today's briefings that are due now. */
  briefingsNow(): Promise<number>;
  stop(): Promise<void>;
}

/** The sweep and the briefing check as plain functions (the scheduler calls the same). */
export function createJobWork(deps: Omit<JobDeps, 'schema'>) {
  return {
    async sweep(refresh: (id: string) => Promise<string>) {
      const due = await dueConnections(deps.database.db, deps.now());
      const outcomes: Record<string, number> = {};
      for (const connection of due) {
        const outcome = await refresh(connection.id);
        outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      }
      return { due: due.length, outcomes };
    },
    async briefings(): Promise<number> {
      let queued = 0;
      for (const user of await deps.frontDoor.users.withBriefing()) {
        const time = user.settings.briefingTime;
        if (!time) continue;
        const local = DateTime.fromJSDate(deps.now(), { zone: user.timeZone ?? 'UTC' });
        const [hour, minute] = time.split(':').map(Number);
        const due = local.set({ hour: hour ?? 0, minute: minute ?? 0, second: 0, millisecond: 0 });
        // Due from its minute until two hours later (a restart does not lose the day's briefing).
        const late = local.diff(due, 'minutes').minutes;
        if (late < 0 || late > 120) continue;
        await deps.frontDoor.outbox.enqueue({
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
  };
}

export async function startJobs(deps: JobDeps): Promise<Jobs> {
  const work = createJobWork(deps);
  const boss = new PgBoss({
    db: { executeSql: (text, values) => deps.database.executeSql(text, values) },
    schema: deps.schema ?? 'pgboss',
    supervise: true,
    schedule: true,
  });
  boss.on('error', (error) => deps.logger.error({ err: error.message }, 'job queue error'));
  await boss.start();
  for (const name of [SWEEP, REFRESH, BRIEFING]) {
    await boss.createQueue(name, {
      name,
      policy: name === REFRESH ? 'stately' : 'singleton',
      retryLimit: 0,
      expireInSeconds: 300,
    });
  }
  const refreshOne = async (id: string) => {
    const outcome = await deps.broker.refresh(id, { force: true });
    if (outcome === 'needs_reauth') deps.onNotify?.();
    return outcome;
  };
  await boss.work<{ connectionId: string }>(REFRESH, async (jobs) => {
    for (const job of jobs) await refreshOne(job.data.connectionId);
  });
  await boss.work(SWEEP, async () => {
    const due = await dueConnections(deps.database.db, deps.now());
    for (const connection of due) {
      await boss.send(REFRESH, { connectionId: connection.id }, { singletonKey: connection.id });
    }
  });
  await boss.work(BRIEFING, async () => {
    await work.briefings();
  });
  await boss.schedule(SWEEP, '*/5 * * * *');
  await boss.schedule(BRIEFING, '* * * * *');
  return {
    sweepNow: () => work.sweep(refreshOne),
    briefingsNow: () => work.briefings(),
    stop: () => boss.stop({ graceful: true, wait: true, timeout: 10_000 }),
  };
}
