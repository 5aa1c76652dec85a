/**
 * Prometheus metrics: one registry per app (no globals), default process metrics plus
 * Tidings' own. Labels never carry user data or secrets.
 */
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

export interface Metrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route'>;
  connectionTransitions: Counter<'from' | 'to' | 'reason'>;
  tokenRefreshes: Counter<'outcome'>;
  googleRequests: Counter<'api' | 'outcome'>;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'tidings_' });
  return {
    registry,
    httpRequests: new Counter({
      name: 'tidings_http_requests_total',
      help: 'HTTP requests served, by route template and status',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'tidings_http_request_duration_seconds',
      help: 'HTTP request duration by route template',
      labelNames: ['method', 'route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    connectionTransitions: new Counter({
      name: 'tidings_connection_transitions_total',
      help: 'Connection status changes',
      labelNames: ['from', 'to', 'reason'],
      registers: [registry],
    }),
    tokenRefreshes: new Counter({
      name: 'tidings_token_refreshes_total',
      help: 'Google token refreshes by outcome',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    googleRequests: new Counter({
      name: 'tidings_google_requests_total',
      help: 'Google API requests by API and outcome',
      labelNames: ['api', 'outcome'],
      registers: [registry],
    }),
  };
}
