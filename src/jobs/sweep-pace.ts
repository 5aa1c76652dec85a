/**
 * How many sweep refreshes are at Google at once. At most `max` (`SWEEP_CONCURRENCY`), and
 * fewer while Google fails: every failed answer (a 429 or a 5xx, which the broker reports
 * as `degraded`) halves the number allowed, down to one; every run of that many good
 * answers allows one more again, back up to `max` (additive increase, multiplicative
 * decrease). A sweep of thousands of due connections then keeps a steady, bounded stream
 * of token requests, and slows to one at a time when Google asks it to, instead of
 * turning every due connection into a failure.
 *
 * 32 at once: a refresh spends about one Google round trip waiting (tens of
 * milliseconds) and a few milliseconds of our own work (the vault and four small
 * queries), so 32 in flight keep one process busy at several hundred refreshes a second
 * (10,000 due connections in well under a minute) while the database pool (10) and
 * Google see a small, constant number of requests.
 */

export const SWEEP_CONCURRENCY = 32;

/** Outcomes that say Google failed to answer (and the refresh was recorded as such). */
const FAILED = new Set(['degraded', 'error']);
/** What a refresh that was not started after all reports (it tells nothing of Google). */
export const SKIPPED = 'skipped';

export interface SweepPace {
  /** The most that may ever run at once. */
  readonly max: number;
  /** Runs `refresh` when a slot is free; its outcome adjusts how many run at once. */
  run(refresh: () => Promise<string>): Promise<string>;
  /** Refreshes running now. */
  inFlight(): number;
  /** How many may run at once now. */
  limit(): number;
  /** The most that ever ran at once. */
  peak(): number;
}

export function createSweepPace(max: number = SWEEP_CONCURRENCY): SweepPace {
  if (!Number.isInteger(max) || max < 1) throw new RangeError('max must be a positive integer');
  let limit = max;
  let running = 0;
  let peak = 0;
  let goodInARow = 0;
  const waiting: Array<() => void> = [];

  function start(): void {
    running++;
    if (running > peak) peak = running;
  }

  /** Hands free slots to whoever waits, oldest first. */
  function admit(): void {
    while (running < limit && waiting.length > 0) {
      start();
      waiting.shift()!();
    }
  }

  function settle(outcome: string): void {
    if (outcome === SKIPPED) return;
    if (FAILED.has(outcome)) {
      limit = Math.max(1, Math.floor(limit / 2));
      goodInARow = 0;
      return;
    }
    goodInARow++;
    if (goodInARow >= limit && limit < max) {
      limit++;
      goodInARow = 0;
    }
  }

  return {
    max,
    async run(refresh) {
      if (running < limit && waiting.length === 0) start();
      else await new Promise<void>((resolve) => waiting.push(resolve));
      let outcome = 'error';
      try {
        outcome = await refresh();
        return outcome;
      } finally {
        running--;
        settle(outcome);
        admit();
      }
    },
    inFlight: () => running,
    limit: () => limit,
    peak: () => peak,
  };
}
