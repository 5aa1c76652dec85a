/**
 * The counters the connections core writes, as a narrow interface: the composition root
 * passes the Prometheus registry's counters; nothing here knows about HTTP or prom-client.
 */

export interface ConnectionMetrics {
  connectionTransitions: { inc(labels: { from: string; to: string; reason: string }): void };
  tokenRefreshes: { inc(labels: { outcome: string }): void };
  tokenRefreshDuration: { observe(labels: { outcome: string }, seconds: number): void };
}
