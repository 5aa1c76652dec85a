/**
 * Runs the outbox delivery on a timer and right after events (a connect, a broken
 * connection, a briefing queued); never overlaps itself, and a kick during a run makes one
 * more run right after it.
 */
import type { Logger } from '../../log.ts';

const OUTBOX_INTERVAL_MS = 2_000;

export interface OutboxLoop {
  /** Delivers now (or right after the run in progress). */
  kick(): void;
  start(): void;
  stop(): void;
}

export function createOutboxLoop(
  deliver: () => Promise<number>,
  logger: Logger,
  /** Null: no timer, deliveries only when kicked. */
  intervalMs: number | null = OUTBOX_INTERVAL_MS,
): OutboxLoop {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  const run = () => {
    if (running) {
      again = true;
      return;
    }
    running = deliver()
      .then(
        () => {},
        (error: Error) => logger.warn({ err: error.message }, 'outbox delivery failed'),
      )
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          run();
        }
      });
  };
  return {
    kick: run,
    start() {
      if (timer || intervalMs === null) return;
      timer = setInterval(run, intervalMs);
      timer.unref();
      run();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}
