import { describe, expect, it } from 'vitest';
import { BACKOFF_MAX_MS, backoffMs } from './backoff.ts';

describe('refresh backoff', () => {
  it('doubles with each failure in a row, jittered over the upper half, capped at an hour', () => {
    const low = () => 0;
    const high = () => 1;
    expect(
      [1, 2, 3, 4, 8, 20].map((n) => [backoffMs(n, null, low), backoffMs(n, null, high)]),
    ).toStrictEqual([
      [15_000, 30_000],
      [30_000, 60_000],
      [60_000, 120_000],
      [120_000, 240_000],
      [BACKOFF_MAX_MS / 2, BACKOFF_MAX_MS],
      [BACKOFF_MAX_MS / 2, BACKOFF_MAX_MS],
    ]);
  });

  it('never retries sooner than Retry-After, and jitter still applies above it', () => {
    expect([
      backoffMs(1, 600, () => 0.5),
      backoffMs(1, 10, () => 0.5),
      backoffMs(1, 0, () => 0.5),
      backoffMs(10, 60, () => 0.5),
    ]).toStrictEqual([600_000, 22_500, 22_500, 2_700_000]);
  });
});
