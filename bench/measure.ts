/**
 * Timing primitives for the benchmarks: bounded loops only, `performance.now()` clocks,
 * medians and nearest-rank percentiles. Nothing here knows what is being measured.
 */

export interface LoadResult {
  /** Wall time of the whole run, milliseconds. */
  wallMs: number;
  /** Completed calls per second over the whole run. */
  perSecond: number;
  /** Per-call latency, milliseconds, sorted ascending. */
  latencies: number[];
}

/** The median of a non-empty list (mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Nearest-rank percentile (p in 0–100) of values sorted ascending. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new Error('percentile of nothing');
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

/** Milliseconds one call of `fn` takes, and what it returned. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

/** Runs `fn` `count` times one after another. */
export async function sequential(count: number, fn: (index: number) => Promise<unknown>) {
  const start = performance.now();
  for (let i = 0; i < count; i++) await fn(i);
  const wallMs = performance.now() - start;
  return { wallMs, perSecond: (count / wallMs) * 1000 };
}

/**
 * Runs `fn` `count` times with at most `concurrency` calls in flight (closed loop: each
 * worker starts its next call when the previous one finished). Any rejection fails the run.
 */
export async function underLoad(
  count: number,
  concurrency: number,
  fn: (index: number) => Promise<unknown>,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let next = 0;
  async function worker(): Promise<void> {
    while (next < count) {
      const index = next++;
      const start = performance.now();
      await fn(index);
      latencies.push(performance.now() - start);
    }
  }
  const start = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  const wallMs = performance.now() - start;
  latencies.sort((a, b) => a - b);
  return { wallMs, perSecond: (count / wallMs) * 1000, latencies };
}

/** Runs a measurement `runs` times and keeps every result (callers take medians). */
export async function repeat<T>(runs: number, fn: (run: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let run = 0; run < runs; run++) results.push(await fn(run));
  return results;
}
