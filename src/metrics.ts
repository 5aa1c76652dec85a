/**
 * Prometheus metrics: one registry per app (no globals), default process metrics plus
 * Tidings' own. Labels never carry user data or secrets: no ids, addresses, chat ids or
 * queries, only route templates, API method names, statuses, outcomes and error codes.
 *
 * Counters and histograms are written by the parts as they work. The gauges about stored
 * state (connections by status, the outbox backlog, the database pool and whether the
 * database answers) are read from the database when Prometheus scrapes, each query bounded
 * by a short timeout; a query that fails leaves its gauge without a value (NaN for a gauge
 * without labels) and never fails the scrape.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { outboxBacklog } from './connections/outbox.ts';
import type { DatabaseHandle } from './db/index.ts';

export interface Metrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route'>;
  oauthCallbacks: Counter<'outcome'>;
  connectionTransitions: Counter<'from' | 'to' | 'reason'>;
  tokenRefreshes: Counter<'outcome'>;
  tokenRefreshDuration: Histogram<'outcome'>;
  googleRequests: Counter<'api' | 'method' | 'status'>;
  googleDuration: Histogram<'api' | 'method'>;
  telegramUpdates: Counter<'kind' | 'outcome'>;
  telegramSends: Counter<'method' | 'outcome'>;
  outboxDeliveries: Counter<'outcome'>;
  jobRuns: Counter<'job_name' | 'outcome'>;
  jobLastSuccess: Gauge<'job_name'>;
}

/** Where the scrape-time gauges read from; without it they are not registered. */
export interface MetricsSources {
  database: Pick<DatabaseHandle, 'db' | 'ping' | 'poolStats'>;
  now: () => Date;
  /** How long one scrape-time query may take (default 2 s). */
  queryTimeoutMs?: number;
}

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const REMOTE_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export function createMetrics(sources?: MetricsSources): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'tidings_' });
  const registers = [registry];
  const metrics: Metrics = {
    registry,
    httpRequests: new Counter({
      name: 'tidings_http_requests_total',
      help: 'HTTP requests served, by route template and status',
      labelNames: ['method', 'route', 'status'],
      registers,
    }),
    httpDuration: new Histogram({
      name: 'tidings_http_request_duration_seconds',
      help: 'HTTP request duration by route template',
      labelNames: ['method', 'route'],
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    oauthCallbacks: new Counter({
      name: 'tidings_oauth_callbacks_total',
      help: 'Google OAuth callbacks by outcome: connected, or the error code of the failure page',
      labelNames: ['outcome'],
      registers,
    }),
    connectionTransitions: new Counter({
      name: 'tidings_connection_transitions_total',
      help: 'Connection status changes',
      labelNames: ['from', 'to', 'reason'],
      registers,
    }),
    tokenRefreshes: new Counter({
      name: 'tidings_token_refreshes_total',
      help: 'Google token refreshes by outcome (ok, invalid_grant, transient, client, rejected, identity)',
      labelNames: ['outcome'],
      registers,
    }),
    tokenRefreshDuration: new Histogram({
      name: 'tidings_token_refresh_duration_seconds',
      help: "How long Google's token endpoint took to answer a refresh, by outcome",
      labelNames: ['outcome'],
      buckets: REMOTE_BUCKETS,
      registers,
    }),
    googleRequests: new Counter({
      name: 'tidings_google_requests_total',
      help: 'HTTP exchanges with Google APIs by API, API method and HTTP status (or network, timeout); calls inside a Gmail batch count under their own method',
      labelNames: ['api', 'method', 'status'],
      registers,
    }),
    googleDuration: new Histogram({
      name: 'tidings_google_request_duration_seconds',
      help: 'Duration of one HTTP exchange with a Google API, by API and API method',
      labelNames: ['api', 'method'],
      buckets: REMOTE_BUCKETS,
      registers,
    }),
    telegramUpdates: new Counter({
      name: 'tidings_telegram_updates_total',
      help: 'Telegram updates by kind (message, callback_query, other) and outcome (answered, ignored, refused, failed)',
      labelNames: ['kind', 'outcome'],
      registers,
    }),
    telegramSends: new Counter({
      name: 'tidings_telegram_sends_total',
      help: 'Bot API calls (every attempt) by method and outcome (ok, 429, 4xx, 5xx, network)',
      labelNames: ['method', 'outcome'],
      registers,
    }),
    outboxDeliveries: new Counter({
      name: 'tidings_outbox_deliveries_total',
      help: 'Notification deliveries by outcome (delivered, failed: tried again later, dropped: no attempts left)',
      labelNames: ['outcome'],
      registers,
    }),
    jobRuns: new Counter({
      name: 'tidings_job_runs_total',
      help: 'Background job runs by job (sweep, refresh, briefings, cleanup) and outcome (ok, failed)',
      // Not `job`: Prometheus sets that label on every scraped series itself.
      labelNames: ['job_name', 'outcome'],
      registers,
    }),
    jobLastSuccess: new Gauge({
      name: 'tidings_job_last_success_timestamp_seconds',
      help: 'When each background job last finished without failing (Unix seconds)',
      labelNames: ['job_name'],
      registers,
    }),
  };
  if (sources) registerDatabaseGauges(registry, sources);
  return metrics;
}

/** Resolves what `work` answers, or rejects once `ms` have passed; never leaves a rejection unheard. */
function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), ms);
    timer.unref();
  });
  work.catch(() => {});
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** The gauges read from the database when Prometheus scrapes. */
function registerDatabaseGauges(registry: Registry, sources: MetricsSources): void {
  const { database, now } = sources;
  const timeoutMs = sources.queryTimeoutMs ?? 2_000;
  const registers = [registry];

  new Gauge({
    name: 'tidings_connections',
    help: 'Stored Google connections by status (read at scrape time)',
    labelNames: ['status'],
    registers,
    async collect() {
      this.reset();
      try {
        const rows = await within(
          timeoutMs,
          database.db
            .selectFrom('connections')
            .select((eb) => ['status', eb.fn.countAll<string | number>().as('count')])
            .groupBy('status')
            .execute(),
        );
        for (const row of rows) this.set({ status: row.status }, Number(row.count));
      } catch {
        // Left without samples: an alert on the database itself says why.
      }
    },
  });

  const backlog = () => within(timeoutMs, outboxBacklog(database.db));
  new Gauge({
    name: 'tidings_outbox_pending',
    help: 'Notifications waiting to be delivered that still have attempts left (read at scrape time)',
    registers,
    async collect() {
      const known = await backlog().catch(() => null);
      this.set(known ? known.pending : Number.NaN);
    },
  });
  new Gauge({
    name: 'tidings_outbox_oldest_pending_age_seconds',
    help: 'Age of the oldest notification waiting to be delivered; 0 when none waits (read at scrape time)',
    registers,
    async collect() {
      const known = await backlog().catch(() => null);
      if (!known) return this.set(Number.NaN);
      const age = known.oldest ? (now().getTime() - known.oldest.getTime()) / 1000 : 0;
      this.set(Math.max(0, age));
    },
  });

  new Gauge({
    name: 'tidings_db_pool_connections',
    help: 'Database connections of this process: total open, idle, and callers waiting for one',
    labelNames: ['state'],
    registers,
    collect() {
      const stats = database.poolStats();
      this.set({ state: 'total' }, stats.total);
      this.set({ state: 'idle' }, stats.idle);
      this.set({ state: 'waiting' }, stats.waiting);
    },
  });
  new Gauge({
    name: 'tidings_db_up',
    help: 'Whether the database answered `select 1` within the scrape budget (1) or not (0)',
    registers,
    async collect() {
      const up = await within(timeoutMs, database.ping()).then(
        () => 1,
        () => 0,
      );
      this.set(up);
    },
  });
}
