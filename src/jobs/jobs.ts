/**
 * Background work on pg-boss, in the same database (PGlite or PostgreSQL): the refresh
 * sweep every five minutes fans out one refresh job per due connection, with the
 * connection id as singleton key (a `stately` queue: at most one waiting and one running
 * per connection, so several instances never duplicate the work, and the refresh itself
 * re-checks that the connection is still due); the daily briefing check every minute
 * (deduplicated per user and local day in the outbox); and an hourly clean-up of expired
 * connect tickets and OAuth states. `events` says what ran, for whoever watches, and the
 * metrics count every run by job and outcome and keep when each job last succeeded.
 */
import { EventEmitter } from 'node:events';
import { sql } from 'kysely';
import PgBoss from 'pg-boss';
import type { DatabaseHandle } from '../db/index.ts';
import { createJobWork, type JobWorkDeps, type SweepResult, sweepOptions } from './job-work.ts';

const SWEEP = 'tidings-refresh-sweep';
const REFRESH = 'tidings-refresh';
const BRIEFING = 'tidings-briefing-check';
const CLEANUP = 'tidings-cleanup';

/** The job names the metrics use. */
export type JobName = 'sweep' | 'refresh' | 'briefings' | 'cleanup';

/** Where runs are counted (`ok` or `failed`) and the last success is kept, per job. */
export interface JobMetrics {
  jobRuns: { inc(labels: { job_name: JobName; outcome: 'ok' | 'failed' }): void };
  jobLastSuccess: { set(labels: { job_name: JobName }, seconds: number): void };
}

export interface JobDeps extends JobWorkDeps {
  /** pg-boss schema; by default one that belongs to the schema Tidings' tables live in. */
  schema?: string;
  metrics?: JobMetrics | undefined;
}

interface RefreshJob {
  connectionId: string;
  /** ISO time the sweep saw as the last check, or null. */
  lastCheckedAt: string | null;
}

export interface JobEvents {
  /** A refresh job finished (`outcome` as the broker reported it, or `error`). */
  refreshed: [{ connectionId: string; outcome: string }];
  /** A sweep job queued this many refresh jobs (the others were already queued). */
  swept: [{ due: number; queued: number }];
  /** The clean-up job deleted this many expired one-time values. */
  cleaned: [{ deleted: number }];
}

export interface Jobs {
  /** Runs one sweep now, in this process: refreshes what is due. */
  sweepNow(): Promise<SweepResult>;
  /** Queues one refresh job per due connection (what the scheduled sweep does). */
  queueSweep(): Promise<{ due: number; queued: number }>;
  /** Asks the queue to run a scheduled job now, as its schedule would. */
  runNow(job: 'sweep' | 'briefings' | 'cleanup'): Promise<void>;
  /** Queues today's briefings that are due now. */
  briefingsNow(): Promise<number>;
  events: EventEmitter<JobEvents>;
  stop(): Promise<void>;
}

/**
 * The queue's schema: `pgboss` beside tables in `public`, else `<schema>_pgboss`. Two
 * Tidings sharing one database in two schemas then never take each other's jobs (their
 * queues have the same names).
 */
export async function jobsSchemaOf(database: DatabaseHandle): Promise<string> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(
    database.db,
  );
  const schema = rows[0]?.schema ?? 'public';
  return schema === 'public' ? 'pgboss' : `${schema}_pgboss`;
}

export async function startJobs(deps: JobDeps): Promise<Jobs> {
  const work = createJobWork(deps);
  const events = new EventEmitter<JobEvents>();
  const boss = new PgBoss({
    db: { executeSql: (text, values) => deps.database.executeSql(text, values) },
    schema: deps.schema ?? (await jobsSchemaOf(deps.database)),
    supervise: true,
    schedule: true,
  });
  boss.on('error', (error) => deps.logger.error({ err: error.message }, 'job queue error'));

  /** Runs one job's work, counting how it ended; what it throws goes on to pg-boss. */
  async function counted<T>(job: JobName, run: () => Promise<T>, failed?: (value: T) => boolean) {
    let value: T;
    try {
      value = await run();
    } catch (error) {
      deps.metrics?.jobRuns.inc({ job_name: job, outcome: 'failed' });
      throw error;
    }
    if (failed?.(value)) {
      deps.metrics?.jobRuns.inc({ job_name: job, outcome: 'failed' });
    } else {
      deps.metrics?.jobRuns.inc({ job_name: job, outcome: 'ok' });
      deps.metrics?.jobLastSuccess.set({ job_name: job }, deps.now().getTime() / 1000);
    }
    return value;
  }
  await boss.start();
  for (const name of [SWEEP, REFRESH, BRIEFING, CLEANUP]) {
    await boss.createQueue(name, {
      name,
      policy: name === REFRESH ? 'stately' : 'singleton',
      retryLimit: 0,
      expireInSeconds: 300,
    });
  }

  async function refreshOne(job: RefreshJob): Promise<string> {
    let outcome: string;
    try {
      const lastCheckedAt = job.lastCheckedAt === null ? null : new Date(job.lastCheckedAt);
      outcome = await deps.broker.refresh(job.connectionId, sweepOptions({ lastCheckedAt }));
    } catch (error) {
      outcome = 'error';
      deps.logger.error(
        { connection: job.connectionId, err: { name: (error as Error)?.name } },
        'refresh job failed unexpectedly',
      );
    }
    if (outcome === 'needs_reauth') deps.onNotify?.();
    events.emit('refreshed', { connectionId: job.connectionId, outcome });
    return outcome;
  }

  async function queueSweep(): Promise<{ due: number; queued: number }> {
    const due = await work.due();
    let queued = 0;
    for (const connection of due) {
      const data: RefreshJob = {
        connectionId: connection.id,
        lastCheckedAt: connection.lastCheckedAt?.toISOString() ?? null,
      };
      const id = await boss.send(REFRESH, data, { singletonKey: connection.id });
      if (id) queued++;
    }
    return { due: due.length, queued };
  }

  await boss.work<RefreshJob>(REFRESH, async (jobs) => {
    for (const job of jobs) {
      await counted(
        'refresh',
        () => refreshOne(job.data),
        (outcome) => outcome === 'error',
      );
    }
  });
  await boss.work(SWEEP, async () => {
    events.emit('swept', await counted('sweep', queueSweep));
  });
  await boss.work(BRIEFING, async () => {
    await counted('briefings', () => work.briefings());
  });
  await boss.work(CLEANUP, async () => {
    events.emit('cleaned', { deleted: await counted('cleanup', () => work.cleanup()) });
  });
  await boss.schedule(SWEEP, '*/5 * * * *');
  await boss.schedule(BRIEFING, '* * * * *');
  await boss.schedule(CLEANUP, '17 * * * *');
  return {
    sweepNow: () => counted('sweep', () => work.sweep()),
    queueSweep,
    async runNow(job) {
      await boss.send({ sweep: SWEEP, briefings: BRIEFING, cleanup: CLEANUP }[job], {});
    },
    briefingsNow: () => counted('briefings', () => work.briefings()),
    events,
    stop: () => boss.stop({ graceful: true, wait: true, timeout: 10_000 }),
  };
}
