/**
 * Background work on pg-boss, in the same database (PGlite or PostgreSQL): the refresh
 * sweep every five minutes fans out one refresh job per due connection, with the
 * connection id as singleton key (a `stately` queue: at most one waiting and one running
 * per connection, so several instances never duplicate the work, and the refresh itself
 * re-checks that the connection is still due). Each instance takes refresh jobs in
 * batches, as fast as they come, and runs them through one pace (`sweep-pace.ts`): at
 * most `SWEEP_CONCURRENCY` at Google at once, fewer while Google fails. The daily
 * briefing check every minute
 * (deduplicated per user and local day in the outbox); and an hourly clean-up of expired
 * connect tickets and OAuth states. `events` says what ran, for whoever watches, and the
 * metrics count every run by job and outcome and keep when each job last succeeded.
 */
import { EventEmitter } from 'node:events';
import { sql } from 'kysely';
import PgBoss from 'pg-boss';
import type { DatabaseHandle } from '../db/index.ts';
import { createJobWork, type JobWorkDeps, type SweepResult, sweepOptions } from './job-work.ts';
import { queueDatabase } from './queue-database.ts';
import { createSweepPace } from './sweep-pace.ts';
import type { PollOutcome, WatchWork } from './watch-work.ts';

const SWEEP = 'tidings-refresh-sweep';
const REFRESH = 'tidings-refresh';
const BRIEFING = 'tidings-briefing-check';
const CLEANUP = 'tidings-cleanup';
const WATCH = 'tidings-watch';
/** Watch polls each instance runs at once. */
const WATCH_BATCH = 8;
/** Connections one tick queues at most (the rest are the longest waiting next tick). */
const WATCH_QUEUE_MAX = 5_000;
/**
 * Refresh workers per instance: two, each taking half the pace's slots as one batch, so
 * one fetches its next batch while the other's last refresh is still at Google.
 */
const REFRESH_WORKERS = 2;
/** Refresh jobs queued with one statement each, this many at a time. */
const QUEUE_AT_ONCE = 50;

/** The job names the metrics use. */
export type JobName = 'sweep' | 'refresh' | 'briefings' | 'cleanup' | 'watch';

/** Where runs are counted (`ok` or `failed`) and the last success is kept, per job. */
export interface JobMetrics {
  jobRuns: { inc(labels: { job_name: JobName; outcome: 'ok' | 'failed' }): void };
  jobLastSuccess: { set(labels: { job_name: JobName }, seconds: number): void };
}

export interface JobDeps extends JobWorkDeps {
  /** pg-boss schema; by default one that belongs to the schema Tidings' tables live in. */
  schema?: string;
  metrics?: JobMetrics | undefined;
  /** New-mail alerts: each connection with rules is polled about every `intervalMs`. */
  watch?: { work: WatchWork; intervalMs: number } | undefined;
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
  /** A watch poll of a connection finished. */
  watched: [{ connectionId: string; outcome: PollOutcome }];
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
  /** Queues the watch polls that are due and sends finished digests, as each interval does. */
  watchNow(): Promise<{ queued: number; digests: number }>;
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
  const pace = deps.pace ?? createSweepPace(deps.sweepConcurrency);
  const work = createJobWork({ ...deps, pace });
  const events = new EventEmitter<JobEvents>();
  const schema = deps.schema ?? (await jobsSchemaOf(deps.database));
  const boss = new PgBoss({
    db: queueDatabase(deps.database, schema, deps.logger),
    schema,
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
  for (const name of [SWEEP, REFRESH, BRIEFING, CLEANUP, WATCH]) {
    await boss.createQueue(name, {
      name,
      // Per connection (singleton key): at most one waiting and one running.
      policy: name === REFRESH || name === WATCH ? 'stately' : 'singleton',
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

  const refreshWorkers: string[] = [];
  /** Wakes the refresh workers, so queued jobs start now rather than at their next poll. */
  const wakeRefreshWorkers = () => {
    for (const id of refreshWorkers) boss.notifyWorker(id);
  };

  async function queueSweep(): Promise<{ due: number; queued: number }> {
    const due = await work.due();
    let queued = 0;
    for (let start = 0; start < due.length; start += QUEUE_AT_ONCE) {
      const ids = await Promise.all(
        due.slice(start, start + QUEUE_AT_ONCE).map((connection) => {
          const data: RefreshJob = {
            connectionId: connection.id,
            lastCheckedAt: connection.lastCheckedAt?.toISOString() ?? null,
          };
          return boss.send(REFRESH, data, { singletonKey: connection.id });
        }),
      );
      queued += ids.filter((id) => id !== null).length;
      wakeRefreshWorkers();
    }
    return { due: due.length, queued };
  }

  const batchSize = Math.max(1, Math.ceil(pace.max / REFRESH_WORKERS));
  for (let started = 0; started < REFRESH_WORKERS; started++) {
    const worker = await boss.work<RefreshJob>(
      REFRESH,
      { batchSize, pollingIntervalSeconds: 1 },
      async (jobs) => {
        await Promise.all(
          jobs.map((job) =>
            pace.run(() =>
              counted(
                'refresh',
                () => refreshOne(job.data),
                (outcome) => outcome === 'error',
              ),
            ),
          ),
        );
        // A full batch: more are likely waiting, so fetch again without the poll's pause.
        if (jobs.length === batchSize) wakeRefreshWorkers();
      },
    );
    refreshWorkers.push(worker);
  }
  await boss.work(SWEEP, async () => {
    events.emit('swept', await counted('sweep', queueSweep));
  });
  await boss.work(BRIEFING, async () => {
    await counted('briefings', () => work.briefings());
  });
  await boss.work(CLEANUP, async () => {
    events.emit('cleaned', { deleted: await counted('cleanup', () => work.cleanup()) });
  });
  const watchTicker = deps.watch ? await startWatching(deps.watch) : null;
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
    watchNow: () => (watchTicker ? watchTicker.tick() : Promise.resolve({ queued: 0, digests: 0 })),
    async stop() {
      watchTicker?.stop();
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
    },
  };

  /**
   * Every interval, each instance queues a poll of every connection not polled for half
   * an interval (one job per connection at a time, whoever queues it), and sends the
   * digests of quiet hours that are over. Connections without rules are never read.
   */
  async function startWatching(watch: { work: WatchWork; intervalMs: number }) {
    await boss.work<{ connectionId: string }>(
      WATCH,
      { batchSize: WATCH_BATCH, pollingIntervalSeconds: 1 },
      async (jobs) => {
        await Promise.all(
          jobs.map((job) =>
            counted(
              'watch',
              async () => {
                const outcome = await watch.work.poll(job.data.connectionId);
                events.emit('watched', { connectionId: job.data.connectionId, outcome });
                return outcome;
              },
              (outcome) => outcome === 'error',
            ),
          ),
        );
      },
    );
    let running: Promise<{ queued: number; digests: number }> | null = null;
    async function once() {
      const due = await watch.work.due(watch.intervalMs / 2, WATCH_QUEUE_MAX);
      let queued = 0;
      for (const connectionId of due) {
        if (await boss.send(WATCH, { connectionId }, { singletonKey: connectionId })) queued++;
      }
      const digests = await watch.work.digests();
      return { queued, digests };
    }
    const tick = () => {
      running ??= once().finally(() => {
        running = null;
      });
      return running;
    };
    const timer = setInterval(() => {
      tick().catch((error: unknown) =>
        deps.logger.warn({ err: (error as Error)?.name }, 'watch tick failed'),
      );
    }, watch.intervalMs);
    timer.unref();
    return { tick, stop: () => clearInterval(timer) };
  }
}
