/**
 * The database as pg-boss sees it. pg-boss records a finished job's outcome (complete, or
 * fail) without awaiting it: when that statement fails (the database went away, or the
 * process is stopping and the pool has closed), its rejection reaches no one and Node ends
 * the process. Here those two statements never reject: a failure is logged and answered
 * as "no job changed", which is what it is. The job stays active, and pg-boss's own expiry
 * runs it again later (every job here is safe to run twice). Every other statement fails
 * as usual, to the caller that awaits it.
 */
import { createRequire } from 'node:module';
import type { DatabaseHandle } from '../db/index.ts';
import type { Logger } from '../log.ts';

interface Plans {
  completeJobs(schema: string): string;
  failJobsById(schema: string): string;
}

/** pg-boss's own statement texts, so the two are known by their exact text. */
const plans = createRequire(import.meta.url)('pg-boss/src/plans.js') as Plans;

export interface QueueDatabase {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

export function queueDatabase(
  database: Pick<DatabaseHandle, 'executeSql'>,
  schema: string,
  logger: Logger,
): QueueDatabase {
  const outcomes = new Map([
    [plans.completeJobs(schema), 'complete'],
    [plans.failJobsById(schema), 'fail'],
  ]);
  return {
    async executeSql(text, values) {
      try {
        return await database.executeSql(text, values);
      } catch (error) {
        const outcome = outcomes.get(text);
        if (outcome === undefined) throw error;
        logger.warn(
          { outcome, err: { name: (error as Error)?.name, message: (error as Error)?.message } },
          'a job’s outcome could not be recorded; the job runs again when it expires',
        );
        return { rows: [{ count: '0' }] };
      }
    },
  };
}
