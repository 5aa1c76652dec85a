/**
 * The refresh sweep at scale: 10,000 connections (300 in quick mode) all due for their
 * daily health check at once, as after a restart, with 20 ms of latency on every call to
 * Google's token endpoint. Connections are seeded in bulk over grants the sandbox mints
 * (`test/support/seed-connections.harness.ts`, tokens sealed by the product's vault). The
 * scheduled path runs as in production: the sweep job queues one refresh job per due
 * connection and the refresh workers take them; the run ends when every connection has
 * been checked and nothing is due.
 *
 * Counted at the door to Google (an instrumented fetch): token refreshes, the most in
 * flight at once, and rate-limited answers (429, or 403 `rate_limit_exceeded`). The
 * baseline is measured in the same run: the same refresh, one connection at a time (what
 * the sweep did before), over a sample, scaled to the same number of connections.
 */
import { PGLITE, silentLogger } from './bench-stack.ts';
import { once } from 'node:events';
import { dueConnections } from '../src/jobs/index.ts';
import type { TestDatabase } from '../test/support/databases.harness.ts';
import { sandboxControl, seedConnections } from '../test/support/seed-connections.harness.ts';
import { type Stack, startStack } from '../test/support/stack.harness.ts';
import { alone, type Figures, versus } from './report.ts';

const DAY_MS = 24 * 60 * 60_000;
const LATENCY_MS = 20;
/** What crossed the door to Google's token endpoint. */
export interface TokenMeter {
  fetch: typeof fetch;
  /** Refresh-token grants asked for, answered or not. */
  calls(): number;
  /** Refreshes that got no answer at all (the request failed). */
  failed(): number;
  rateLimited(): number;
  peakInFlight(): number;
  inFlight(): number;
  reset(): void;
}

export function createTokenMeter(): TokenMeter {
  let calls = 0;
  let rateLimited = 0;
  let failed = 0;
  let inFlight = 0;
  let peak = 0;
  const meter: typeof fetch = async (input, init) => {
    const refresh = String(init?.body ?? '').includes('grant_type=refresh_token');
    if (!refresh) return fetch(input, init);
    calls++;
    inFlight++;
    peak = Math.max(peak, inFlight);
    try {
      const response = await fetch(input, init);
      if (response.status === 429) rateLimited++;
      else if (response.status === 403) {
        const body = await response.clone().text();
        if (body.includes('rate_limit_exceeded')) rateLimited++;
      }
      return response;
    } catch (error) {
      failed++;
      throw error;
    } finally {
      inFlight--;
    }
  };
  return {
    fetch: meter,
    calls: () => calls,
    failed: () => failed,
    rateLimited: () => rateLimited,
    peakInFlight: () => peak,
    inFlight: () => inFlight,
    reset() {
      calls = 0;
      rateLimited = 0;
      failed = 0;
      peak = inFlight;
    },
  };
}

/** Resolves once `jobs` reported `count` refreshes of the connections in `ids`. */
function refreshesOf(
  stack: Stack,
  ids: Set<string>,
): { done: Promise<void>; seen(): number; outcomes: Record<string, number> } {
  const seen = new Set<string>();
  const outcomes: Record<string, number> = {};
  let resolve: () => void = () => {};
  const done = new Promise<void>((r) => {
    resolve = r;
  });
  const events = stack.app.jobs!.events;
  const listen = (event: { connectionId: string; outcome: string }) => {
    if (!ids.has(event.connectionId)) return;
    outcomes[event.outcome] = (outcomes[event.outcome] ?? 0) + 1;
    seen.add(event.connectionId);
    if (seen.size === ids.size) {
      events.off('refreshed', listen);
      resolve();
    }
  };
  events.on('refreshed', listen);
  return { done, seen: () => seen.size, outcomes };
}

export async function sweepFigures(options: {
  quick: boolean;
  database?: TestDatabase;
}): Promise<Figures> {
  const count = options.quick ? 300 : 10_000;
  const sample = options.quick ? 20 : 100;
  const meter = createTokenMeter();
  let offsetMs = 0;
  const now = () => new Date(Date.now() + offsetMs);
  const stack = await startStack(options.database ?? PGLITE, {
    env: { LOG_LEVEL: 'silent' },
    start: { now, logger: silentLogger(), jobs: true, fetch: meter.fetch },
  });
  try {
    const sampleIds = await seedConnections(stack, sample, 'serial');
    const ids = await seedConnections(stack, count, 'sweep');
    const latency = await sandboxControl(stack, '/faults', {
      body: { path: '/token', latencyMs: LATENCY_MS },
    });
    if (latency.status >= 300) throw new Error(`faults answered ${latency.status}`);
    offsetMs += DAY_MS + 60 * 60_000;

    // Baseline: the same refresh, one connection at a time, over the sample.
    const broker = stack.app.parts.broker;
    const serialStarted = performance.now();
    for (const id of sampleIds) {
      const outcome = await broker.refresh(id, { force: true, expectCheckedAt: null });
      if (outcome !== 'refreshed') throw new Error(`serial refresh: ${outcome}`);
    }
    const serialPerConnectionMs = (performance.now() - serialStarted) / sample;

    // The scheduled sweep over every due connection.
    meter.reset();
    const refreshes = refreshesOf(stack, new Set(ids));
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const swept = once(stack.app.jobs!.events, 'swept');
    await stack.app.jobs!.runNow('sweep');
    const [queued] = (await swept) as [{ due: number; queued: number }];
    await refreshes.done;
    const wallMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    const cpuPerConnectionMs = (cpu.user + cpu.system) / 1000 / count;
    const left = await dueConnections(stack.handle.db, now());
    // A refresh whose request to Google failed is recorded (degraded, due again after a
    // short backoff) and reported below; anything else left due is a sweep that lost work.
    const degraded = refreshes.outcomes.degraded ?? 0;
    if (queued.due !== count || left.length > degraded) {
      throw new Error(
        `sweep left work: ${queued.due} due, ${left.length} still due, outcomes ${JSON.stringify(refreshes.outcomes)}`,
      );
    }
    const states = await stack.handle.db
      .selectFrom('connections')
      .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
      .groupBy('status')
      .execute();
    const active = Number(states.find((row) => row.status === 'active')?.n ?? 0);
    if (active + degraded !== count + sample)
      throw new Error(`only ${active} connections stayed active`);

    // The same names in quick mode (300 connections), which only checks the bench runs.
    const prefix = 'sweep.10k';
    return {
      [`${prefix}_wall_s`]: versus(wallMs / 1000, 's', (serialPerConnectionMs * count) / 1000),
      [`${prefix}_google_calls`]: versus(meter.calls(), 'calls', count),
      [`${prefix}_rate_limited`]: alone(meter.rateLimited(), 'answers'),
      // Requests to Google that got no answer at all (a network error); 0 when all is well.
      [`${prefix}_unanswered`]: alone(meter.failed(), 'calls'),
      [`${prefix}_peak_concurrency`]: alone(meter.peakInFlight(), 'requests'),
      // Tidings and the in-process sandbox together (the sandbox signs an ID token per refresh).
      [`${prefix}_cpu_per_connection_ms`]: alone(cpuPerConnectionMs, 'ms'),
    };
  } finally {
    await sandboxControl(stack, '/faults', { method: 'DELETE' }).catch(() => {});
    await stack.close();
  }
}
