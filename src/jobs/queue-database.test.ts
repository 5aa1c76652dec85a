/**
 * A job that finishes while the database is gone (an outage, or a stop that closed the
 * pool while the job was still running) neither crashes the process nor is lost: pg-boss
 * does not await the statement that records the outcome, so its failure is caught here,
 * logged, and the job runs again when it expires.
 */
import PgBoss from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openMemoryDatabase } from '../db/index.ts';
import type { Logger } from '../log.ts';
import { queueDatabase } from './queue-database.ts';

const QUEUE = 'outage-probe';

function recordingLogger() {
  const warnings: Array<{ fields: Record<string, unknown>; message: string }> = [];
  const logger = {
    warn: (fields: Record<string, unknown>, message: string) => warnings.push({ fields, message }),
  } as unknown as Logger;
  return { logger, warnings };
}

describe('the database pg-boss uses', () => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await openMemoryDatabase();
  });
  afterAll(async () => {
    await database?.close();
  });

  it('survives a job finishing while the database is down, and the job stays to run again', async () => {
    let down = false;
    const flaky = {
      executeSql: (text: string, values?: readonly unknown[]) =>
        down
          ? Promise.reject(new Error('Cannot use a pool after calling end on the pool'))
          : database.executeSql(text, values),
    };
    const { logger, warnings } = recordingLogger();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);

    const boss = new PgBoss({
      db: queueDatabase(flaky, 'probe_pgboss', logger),
      schema: 'probe_pgboss',
      supervise: false,
      schedule: false,
    });
    try {
      await boss.start();
      await boss.createQueue(QUEUE, { name: QUEUE, retryLimit: 0, expireInSeconds: 300 });
      let finish: () => void = () => {};
      const started = new Promise<void>((resolveStarted) => {
        void boss.work(QUEUE, { pollingIntervalSeconds: 0.5 }, () => {
          resolveStarted();
          return new Promise<void>((resolve) => {
            finish = resolve;
          });
        });
      });
      const id = await boss.send(QUEUE, {});
      await started;

      down = true;
      const settledEitherWay = new Promise<void>((resolve) => {
        const check = setInterval(() => {
          if (warnings.length + unhandled.length > 0) {
            clearInterval(check);
            resolve();
          }
        }, 10);
      });
      finish();
      await settledEitherWay;
      // Let any stray rejection surface before looking.
      await new Promise((resolve) => setImmediate(resolve));
      down = false;

      expect(unhandled).toStrictEqual([]);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]!.fields.outcome).toBe('complete');
      expect((await boss.getJobById(QUEUE, id!))?.state).toBe('active');
    } finally {
      process.off('unhandledRejection', onUnhandled);
      await boss.stop({ graceful: false, wait: true, close: false });
    }
  });

  it('still fails every other statement to the caller that awaits it', async () => {
    const { logger, warnings } = recordingLogger();
    const adapter = queueDatabase(
      { executeSql: () => Promise.reject(new Error('database down')) },
      'probe_pgboss',
      logger,
    );
    await expect(adapter.executeSql('select 1')).rejects.toThrow('database down');
    expect(warnings).toStrictEqual([]);
  });
});
