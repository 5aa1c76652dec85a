export { createJobWork, type Jobs, startJobs } from './jobs.ts';
export { dueConnections, HEALTH_CHECK_INTERVAL_MS } from './refresh-sweep.ts';
