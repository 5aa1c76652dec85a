/**
 * A per-connection bound on Google calls in flight, shared by every client the process
 * builds for that connection. Gmail counts its limits per Google user, not per request of
 * ours: eight concurrent listings of one mailbox must not put eighty gets in flight. A
 * call takes `weight` permits (a batch takes one per inner call) and waits, first come
 * first served, while the connection has no room. Per process: several instances each
 * keep their own bound, and Google's 429s are still met with backoff.
 *
 * A lane is a tighter bound inside the gate for one API (Gmail's per-user concurrency),
 * whose calls count in the gate too. When Google refuses calls for too many at once, the
 * lane is narrowed for that connection (`narrow`) for a while, so what follows stays
 * under what Google accepted; a call always runs when the connection has none in flight.
 */

export interface ConnectionGate {
  /** Runs `work` once `weight` permits of the connection are free; frees them after. */
  run<T>(connectionId: string, weight: number, work: () => Promise<T>): Promise<T>;
  /** Permits in use for a connection now. */
  inFlight(connectionId: string): number;
  /** Permits a connection may hold now: the limit, or less while narrowed. */
  capacity(connectionId: string): number;
  /**
   * Google refused calls for too many at once: allow the connection at most `to` permits
   * (default: one fewer than in flight now; never less than 1) for `NARROWED_FOR_MS`.
   */
  narrow(connectionId: string, to?: number): void;
  /** A bound of `limit` inside this gate, one per name (the first limit given holds). */
  lane(name: string, limit: number): ConnectionGate;
}

/** How long a narrowed connection stays narrowed after the last refusal. */
export const NARROWED_FOR_MS = 60_000;

interface Lane {
  used: number;
  waiting: Array<{ weight: number; start: () => void }>;
}

/**
 * A gate allowing `limit` permits in flight per connection; `now` (epoch ms) times how
 * long a narrowing lasts.
 */
export function createConnectionGate(limit: number, now: () => number = Date.now): ConnectionGate {
  return buildGate(limit, now, null);
}

function buildGate(
  limit: number,
  now: () => number,
  parent: ConnectionGate | null,
): ConnectionGate {
  if (!Number.isInteger(limit) || limit < 1)
    throw new Error('the gate limit is a positive integer');
  const lanes = new Map<string, Lane>();
  const narrowed = new Map<string, { limit: number; until: number }>();
  const children = new Map<string, ConnectionGate>();

  function capacity(connectionId: string): number {
    const narrowing = narrowed.get(connectionId);
    if (!narrowing) return limit;
    if (now() < narrowing.until) return narrowing.limit;
    narrowed.delete(connectionId);
    return limit;
  }

  /** Room for `weight` more; a connection with nothing in flight always has room. */
  function fits(connectionId: string, lane: Lane, weight: number): boolean {
    return lane.used === 0 || lane.used + weight <= capacity(connectionId);
  }

  function release(connectionId: string, lane: Lane, weight: number): void {
    lane.used -= weight;
    while (lane.waiting.length > 0) {
      const next = lane.waiting[0]!;
      if (!fits(connectionId, lane, next.weight)) break;
      lane.waiting.shift();
      lane.used += next.weight;
      next.start();
    }
    if (lane.used === 0 && lane.waiting.length === 0) lanes.delete(connectionId);
  }

  const gate: ConnectionGate = {
    async run(connectionId, requested, work) {
      const weight = Math.min(limit, Math.max(1, Math.ceil(requested)));
      let lane = lanes.get(connectionId);
      if (!lane) {
        lane = { used: 0, waiting: [] };
        lanes.set(connectionId, lane);
      }
      const own = lane;
      if (own.waiting.length === 0 && fits(connectionId, own, weight)) own.used += weight;
      else await new Promise<void>((start) => own.waiting.push({ weight, start }));
      try {
        return await (parent ? parent.run(connectionId, weight, work) : work());
      } finally {
        release(connectionId, own, weight);
      }
    },
    inFlight: (connectionId) => lanes.get(connectionId)?.used ?? 0,
    capacity,
    narrow(connectionId, to) {
      const target = to ?? gate.inFlight(connectionId) - 1;
      const narrower = Math.max(1, Math.min(capacity(connectionId), Math.floor(target)));
      narrowed.set(connectionId, { limit: narrower, until: now() + NARROWED_FOR_MS });
    },
    lane(name, laneLimit) {
      let child = children.get(name);
      if (!child) {
        child = buildGate(Math.min(limit, laneLimit), now, gate);
        children.set(name, child);
      }
      return child;
    },
  };
  return gate;
}

/**
 * The gate as seen by calls whose answers tell when Google refused them for too many at
 * once (`isRefusal` reads the work's result): a call refused while it was the n-th in
 * flight narrows the connection to n - 1.
 */
export function narrowOnRefusal(
  gate: ConnectionGate,
  isRefusal: (result: unknown) => boolean,
): ConnectionGate {
  return {
    ...gate,
    async run(connectionId, weight, work) {
      return gate.run(connectionId, weight, async () => {
        const place = gate.inFlight(connectionId);
        const result = await work();
        if (isRefusal(result)) gate.narrow(connectionId, place - 1);
        return result;
      });
    },
  };
}
