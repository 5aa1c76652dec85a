/**
 * Background work on pg-boss: the guarded refresh sweep (tokens needed soon, daily health
 * checks), the daily briefings in each user's zone, and the clean-up of expired one-time
 * values; several instances coordinate through the database. Imports `connections/` (the
 * broker, the outbox), `users/`, `db/`, `errors.ts` and `log.ts`; never a front door.
 */
export { createZoneResolver, type ZoneResolver } from './briefing-zone.ts';
export {
  createJobWork,
  SWEEP_BUDGET_MS,
  SWEEP_FAILURES_TO_STOP,
  type SweepResult,
} from './job-work.ts';
export { type JobEvents, type JobMetrics, type JobName, type Jobs, startJobs } from './jobs.ts';
export { dueConnections, HEALTH_CHECK_INTERVAL_MS, SCHEDULED_LEAD_MS } from './refresh-sweep.ts';
export { createSweepPace, SWEEP_CONCURRENCY, type SweepPace } from './sweep-pace.ts';
export { createWatchWork, type PollOutcome, type WatchScan, type WatchWork } from './watch-work.ts';
