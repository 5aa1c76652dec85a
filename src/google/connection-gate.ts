/**
 * A per-connection bound on Google calls in flight, shared by every client the process
 * builds for that connection. Gmail counts its limits per Google user, not per request of
 * ours: eight concurrent listings of one mailbox must not put eighty gets in flight. A
 * call takes `weight` permits (a batch takes one per inner call) and waits, first come
 * first served, while the connection has no room. Per process: several instances each
 * keep their own bound, and Google's 429s are still met with backoff.
 */

export interface ConnectionGate {
  /** Runs `work` once `weight` permits of the connection are free; frees them after. */
  run<T>(connectionId: string, weight: number, work: () => Promise<T>): Promise<T>;
  /** Permits in use for a connection now. */
  inFlight(connectionId: string): number;
}

interface Lane {
  used: number;
  waiting: Array<{ weight: number; start: () => void }>;
}

/** A gate allowing `limit` permits in flight per connection. */
export function createConnectionGate(limit: number): ConnectionGate {
  if (!Number.isInteger(limit) || limit < 1)
    throw new Error('the gate limit is a positive integer');
  const lanes = new Map<string, Lane>();

  function release(connectionId: string, lane: Lane, weight: number): void {
    lane.used -= weight;
    while (lane.waiting.length > 0) {
      const next = lane.waiting[0]!;
      if (lane.used + next.weight > limit) break;
      lane.waiting.shift();
      lane.used += next.weight;
      next.start();
    }
    if (lane.used === 0 && lane.waiting.length === 0) lanes.delete(connectionId);
  }

  return {
    async run(connectionId, requested, work) {
      const weight = Math.min(limit, Math.max(1, Math.ceil(requested)));
      let lane = lanes.get(connectionId);
      if (!lane) {
        lane = { used: 0, waiting: [] };
        lanes.set(connectionId, lane);
      }
      const own = lane;
      if (own.waiting.length === 0 && own.used + weight <= limit) own.used += weight;
      else await new Promise<void>((start) => own.waiting.push({ weight, start }));
      try {
        return await work();
      } finally {
        release(connectionId, own, weight);
      }
    },
    inFlight: (connectionId) => lanes.get(connectionId)?.used ?? 0,
  };
}
