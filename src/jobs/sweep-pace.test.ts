/**
 * The sweep's pace: never more at once than allowed, every failed answer halves what is
 * allowed (down to one), good answers win it back one at a time up to the bound, and a
 * refresh that was not started tells nothing either way.
 */
import { describe, expect, it } from 'vitest';
import { createSweepPace, SKIPPED } from './sweep-pace.ts';

/** A refresh that waits until `finish` is called with its outcome. */
function held() {
  const pending: Array<(outcome: string) => void> = [];
  return {
    refresh: () => new Promise<string>((resolve) => pending.push(resolve)),
    finish(outcome: string) {
      pending.shift()!(outcome);
    },
    started: () => pending.length,
  };
}

const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('the sweep pace', () => {
  it('runs at most the bound at once and starts the next as one finishes', async () => {
    const pace = createSweepPace(3);
    const google = held();
    const runs = Array.from({ length: 5 }, () => pace.run(google.refresh));
    await settled();
    expect({ started: google.started(), inFlight: pace.inFlight() }).toStrictEqual({
      started: 3,
      inFlight: 3,
    });
    google.finish('refreshed');
    await settled();
    expect(google.started()).toBe(3);
    while (google.started() > 0) {
      google.finish('refreshed');
      await settled();
    }
    expect(await Promise.all(runs)).toStrictEqual(Array(5).fill('refreshed'));
    expect({ peak: pace.peak(), inFlight: pace.inFlight() }).toStrictEqual({
      peak: 3,
      inFlight: 0,
    });
  });

  it('halves on each failed answer, down to one, and wins one back per run of good answers', async () => {
    const pace = createSweepPace(8);
    const outcome = (value: string) => pace.run(async () => value);
    await outcome('degraded');
    expect(pace.limit()).toBe(4);
    await outcome('error');
    await outcome('degraded');
    await outcome('degraded');
    expect(pace.limit()).toBe(1);
    await outcome('refreshed');
    expect(pace.limit()).toBe(2);
    await outcome('fresh');
    expect(pace.limit()).toBe(2);
    await outcome('needs_reauth');
    expect(pace.limit()).toBe(3);
    await outcome(SKIPPED);
    await outcome(SKIPPED);
    await outcome(SKIPPED);
    expect(pace.limit()).toBe(3);
    for (let i = 0; i < 3 + 4 + 5 + 6 + 7; i++) await outcome('refreshed');
    expect(pace.limit()).toBe(8);
    for (let i = 0; i < 20; i++) await outcome('refreshed');
    expect(pace.limit()).toBe(8);
  });

  it('lets fewer through after a failure while the earlier ones are still out', async () => {
    const pace = createSweepPace(4);
    const google = held();
    const runs = Array.from({ length: 8 }, () => pace.run(google.refresh));
    await settled();
    expect(google.started()).toBe(4);
    google.finish('degraded');
    await settled();
    // Allowed two now, three still out: nothing new starts until one more comes back.
    expect({ limit: pace.limit(), started: google.started() }).toStrictEqual({
      limit: 2,
      started: 3,
    });
    google.finish('refreshed');
    google.finish('refreshed');
    await settled();
    // Two good answers in a row at two allowed: three allowed, so two more start.
    expect({ limit: pace.limit(), started: google.started() }).toStrictEqual({
      limit: 3,
      started: 3,
    });
    while (google.started() > 0) {
      google.finish('refreshed');
      await settled();
    }
    await Promise.all(runs);
    expect(pace.inFlight()).toBe(0);
  });

  it('refuses a bound that is not a positive whole number', () => {
    expect(() => createSweepPace(0)).toThrow(RangeError);
    expect(() => createSweepPace(1.5)).toThrow(RangeError);
  });
});
