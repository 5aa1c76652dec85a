export { createZoneResolver, type ZoneResolver } from './briefing-zone.ts';
export { createJobWork, SWEEP_BUDGET_MS, type SweepResult } from './job-work.ts';
export { type JobEvents, type Jobs, startJobs } from './jobs.ts';
export { dueConnections, HEALTH_CHECK_INTERVAL_MS, SCHEDULED_LEAD_MS } from './refresh-sweep.ts';
