/**
 * Runtime API figures: requests per second and latency percentiles of `/v1` routes under
 * a fixed concurrency, each against the same Google calls made directly with a valid
 * token (same count, same concurrency, same run). Ours and direct alternate run by run,
 * so drift in the machine hits both. Also what Tidings adds to one listing: its latency
 * at one request in flight (ours minus direct, on PGlite and on PostgreSQL) and its CPU.
 *
 * CPU: the app, the sandbox and the load generator share this process, so the figure is
 * the process's CPU (`process.cpuUsage()`) over the runs of ours minus over the runs of
 * the direct calls, per request. The sandbox's work and the load generator's Google
 * calls are the same on both sides and cancel out; what remains is Tidings' own work
 * (the app's outgoing Google calls count on the direct side too) plus the one loopback
 * request the load generator sends it, so the figure slightly overstates Tidings.
 */
import { forgetConnection } from '../src/google/connection-memo.ts';
import {
  type BenchStack,
  type ConnectedUser,
  postgresBenchDatabase,
  startBenchStack,
} from './bench-stack.ts';
import { createDirectGoogle, type DirectGoogle } from './direct-google.ts';
import { type LoadResult, median, percentile, repeat, underLoad } from './measure.ts';
import { type Figures, versus } from './report.ts';

const REQUESTS = 200;
const WARM_UP_REQUESTS = 40;
const CONCURRENCY = 8;
const RUNS = 3;
/** Requests per run at one in flight (the overhead figure). */
const SERIAL_REQUESTS = 150;
const QUICK = { requests: 12, warmUp: 4, runs: 1, serial: 10 } as const;
const FULL = {
  requests: REQUESTS,
  warmUp: WARM_UP_REQUESTS,
  runs: RUNS,
  serial: SERIAL_REQUESTS,
} as const;
type Counts = typeof QUICK | typeof FULL;
const GMAIL_QUERY = 'in:inbox';
const PAGE_SIZE = 10;
const AGENDA_DAYS = 7;

interface Contender {
  ours: (index: number) => Promise<unknown>;
  direct: () => Promise<unknown>;
}

/** GET on Tidings with an API key; anything but 200 fails the run. */
async function apiGet(url: string, key: string): Promise<unknown> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${key}` } });
  const body: unknown = await response.json();
  if (response.status !== 200)
    throw new Error(`${new URL(url).pathname} answered ${response.status}`);
  return body;
}

interface Compared {
  ours: LoadResult[];
  direct: LoadResult[];
  /** CPU of the whole process per request, microseconds, over every measured run. */
  oursCpuUs: number;
  directCpuUs: number;
}

/** `underLoad`, with the process's CPU (user + system) spent during it added to `cpu`. */
async function cpuCounted(
  cpu: { us: number },
  count: number,
  concurrency: number,
  fn: (index: number) => Promise<unknown>,
): Promise<LoadResult> {
  const before = process.cpuUsage();
  const result = await underLoad(count, concurrency, fn);
  const spent = process.cpuUsage(before);
  cpu.us += spent.user + spent.system;
  return result;
}

async function compare(
  bench: BenchStack,
  user: ConnectedUser,
  route: string,
  counts: Counts,
  concurrency: number,
  contender: (keyFor: (index: number) => string) => Contender,
): Promise<Compared> {
  const warm = contender(await bench.keysFor(user.userId, counts.warmUp));
  await underLoad(counts.warmUp, concurrency, warm.ours);
  await underLoad(counts.warmUp, concurrency, warm.direct);
  const perRun = concurrency === 1 ? counts.serial : counts.requests;
  const ours: LoadResult[] = [];
  const direct: LoadResult[] = [];
  const oursCpu = { us: 0 };
  const directCpu = { us: 0 };
  await repeat(counts.runs, async () => {
    const run = contender(await bench.keysFor(user.userId, perRun));
    ours.push(await cpuCounted(oursCpu, perRun, concurrency, run.ours));
    direct.push(await cpuCounted(directCpu, perRun, concurrency, run.direct));
  });
  if (ours.length !== counts.runs) throw new Error(`${route}: runs missing`);
  const total = perRun * counts.runs;
  return { ours, direct, oursCpuUs: oursCpu.us / total, directCpuUs: directCpu.us / total };
}

function loadFigures(prefix: string, results: Compared): Figures {
  const rps = (rs: LoadResult[]) => median(rs.map((r) => r.perSecond));
  const at = (rs: LoadResult[], p: number) => median(rs.map((r) => percentile(r.latencies, p)));
  return {
    [`${prefix}_rps`]: versus(rps(results.ours), 'requests/s', rps(results.direct)),
    [`${prefix}_p50_ms`]: versus(at(results.ours, 50), 'ms', at(results.direct, 50)),
    [`${prefix}_p99_ms`]: versus(at(results.ours, 99), 'ms', at(results.direct, 99)),
  };
}

function dayOffset(base: Date, days: number): string {
  return `${new Date(base.getTime() + days * 86_400_000).toISOString().slice(0, 10)}T00:00:00Z`;
}

/** The listing on both sides, checked to fetch the same page before it is timed. */
async function mailContender(bench: BenchStack, user: ConnectedUser) {
  const token = await bench.stack.app.parts.broker.accessToken(user.connectionId);
  const direct: DirectGoogle = createDirectGoogle(bench.googleUrl, () => token);
  const url = `${bench.url}/v1/gmail/messages?q=${encodeURIComponent(GMAIL_QUERY)}&pageSize=${PAGE_SIZE}`;
  // Both sides must fetch the same page before their speed means anything.
  const sample = (await apiGet(url, (await bench.keysFor(user.userId, 1))(0))) as {
    messages: unknown[];
  };
  const directCount = await direct.listMessages(GMAIL_QUERY, PAGE_SIZE, 'batch');
  if (sample.messages.length !== PAGE_SIZE || directCount !== PAGE_SIZE) {
    throw new Error(`expected ${PAGE_SIZE} messages for "${GMAIL_QUERY}" on both sides`);
  }
  return {
    direct,
    contender: (keyFor: (index: number) => string): Contender => ({
      // The same Google calls on both sides: the page's kept metadata is dropped first, so
      // ours lists and fetches as the direct calls do (a repeat listing would make one
      // batch of list and history instead; the listing figures measure that).
      ours: (i) => {
        forgetConnection(user.connectionId, 'messages');
        return apiGet(url, keyFor(i));
      },
      direct: () => direct.listMessages(GMAIL_QUERY, PAGE_SIZE, 'batch'),
    }),
  };
}

/** p50 at one request in flight: ours minus direct (the value), direct (the baseline). */
function overheadFigure(serial: Compared) {
  const p50 = (rs: LoadResult[]) => median(rs.map((r) => percentile(r.latencies, 50)));
  const direct = p50(serial.direct);
  return versus(p50(serial.ours) - direct, 'ms', direct);
}

export async function runtimeApiFigures(
  bench: BenchStack,
  user: ConnectedUser,
  options: { quick: boolean } = { quick: false },
): Promise<Figures> {
  const counts: Counts = options.quick ? QUICK : FULL;
  const { direct, contender } = await mailContender(bench, user);
  const mail = await compare(bench, user, 'gmail', counts, CONCURRENCY, contender);
  const serial = await compare(bench, user, 'gmail serial', counts, 1, contender);

  const from = dayOffset(new Date(), 0);
  const to = dayOffset(new Date(), AGENDA_DAYS);
  const agendaUrl = `${bench.url}/v1/calendar/agenda?from=${from}&to=${to}`;
  const calendar = await compare(bench, user, 'agenda', counts, CONCURRENCY, (keyFor) => ({
    ours: (i) => apiGet(agendaUrl, keyFor(i)),
    direct: () => direct.agenda(from, to),
  }));

  const cpuUs = (mail.oursCpuUs + serial.oursCpuUs) / 2;
  const directCpuUs = (mail.directCpuUs + serial.directCpuUs) / 2;
  return {
    ...loadFigures('api.gmail_messages', mail),
    'api.gmail_overhead_c1_p50_ms': overheadFigure(serial),
    // Baseline: the process's CPU for the same Google calls made directly.
    'api.cpu_per_request_ms': versus((cpuUs - directCpuUs) / 1000, 'ms', directCpuUs / 1000),
    ...loadFigures('api.calendar_agenda', calendar),
  };
}

/**
 * `api.gmail_overhead_c1_p50_ms_pg`: the overhead figure with the app on PostgreSQL, on a
 * stack of its own; no figures (and a printed line) when no PostgreSQL server answers.
 */
export async function runtimeApiPostgresFigures(options: { quick: boolean }): Promise<Figures> {
  const database = await postgresBenchDatabase();
  if (!database) {
    console.error('PostgreSQL is not reachable: the api.*_pg figures are skipped');
    return {};
  }
  const counts: Counts = options.quick ? QUICK : FULL;
  const bench = await startBenchStack(database);
  try {
    const user = await bench.connect('alex@example.com');
    const { contender } = await mailContender(bench, user);
    const serial = await compare(bench, user, 'gmail serial (pg)', counts, 1, contender);
    return {
      'api.gmail_overhead_c1_p50_ms_pg': overheadFigure(serial),
      'api.cpu_per_request_ms_pg': versus(
        (serial.oursCpuUs - serial.directCpuUs) / 1000,
        'ms',
        serial.directCpuUs / 1000,
      ),
    };
  } finally {
    await bench.close();
  }
}
