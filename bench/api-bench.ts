/**
 * Runtime API figures: requests per second and latency percentiles of `/v1` routes under
 * a fixed concurrency, each against the same Google calls made directly with a valid
 * token (same count, same concurrency, same run). Ours and direct alternate run by run,
 * so drift in the machine hits both.
 */
import type { BenchStack, ConnectedUser } from './bench-stack.ts';
import { createDirectGoogle } from './direct-google.ts';
import { type LoadResult, median, percentile, repeat, underLoad } from './measure.ts';
import { type Figures, versus } from './report.ts';

const REQUESTS = 200;
const WARM_UP_REQUESTS = 40;
const CONCURRENCY = 8;
const RUNS = 3;
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

async function compare(
  bench: BenchStack,
  user: ConnectedUser,
  route: string,
  contender: (keyFor: (index: number) => string) => Contender,
): Promise<{ ours: LoadResult[]; direct: LoadResult[] }> {
  const warm = contender(await bench.keysFor(user.userId, WARM_UP_REQUESTS));
  await underLoad(WARM_UP_REQUESTS, CONCURRENCY, warm.ours);
  await underLoad(WARM_UP_REQUESTS, CONCURRENCY, warm.direct);
  const ours: LoadResult[] = [];
  const direct: LoadResult[] = [];
  await repeat(RUNS, async () => {
    const run = contender(await bench.keysFor(user.userId, REQUESTS));
    ours.push(await underLoad(REQUESTS, CONCURRENCY, run.ours));
    direct.push(await underLoad(REQUESTS, CONCURRENCY, run.direct));
  });
  if (ours.length !== RUNS) throw new Error(`${route}: runs missing`);
  return { ours, direct };
}

function loadFigures(
  prefix: string,
  results: { ours: LoadResult[]; direct: LoadResult[] },
): Figures {
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

export async function runtimeApiFigures(bench: BenchStack, user: ConnectedUser): Promise<Figures> {
  const token = await bench.stack.app.parts.broker.accessToken(user.connectionId);
  const direct = createDirectGoogle(bench.googleUrl, () => token);

  // Both sides must fetch the same page before their speed means anything.
  const sample = (await apiGet(
    `${bench.url}/v1/gmail/messages?q=${encodeURIComponent(GMAIL_QUERY)}&pageSize=${PAGE_SIZE}`,
    (
      await bench.keysFor(user.userId, 1)
    )(0),
  )) as { messages: unknown[] };
  const directCount = await direct.listMessages(GMAIL_QUERY, PAGE_SIZE, 'batch');
  if (sample.messages.length !== PAGE_SIZE || directCount !== PAGE_SIZE) {
    throw new Error(`expected ${PAGE_SIZE} messages for "${GMAIL_QUERY}" on both sides`);
  }

  const mail = await compare(bench, user, 'gmail', (keyFor) => ({
    ours: (i) =>
      apiGet(
        `${bench.url}/v1/gmail/messages?q=${encodeURIComponent(GMAIL_QUERY)}&pageSize=${PAGE_SIZE}`,
        keyFor(i),
      ),
    direct: () => direct.listMessages(GMAIL_QUERY, PAGE_SIZE, 'batch'),
  }));

  const from = dayOffset(new Date(), 0);
  const to = dayOffset(new Date(), AGENDA_DAYS);
  const agendaUrl = `${bench.url}/v1/calendar/agenda?from=${from}&to=${to}`;
  const calendar = await compare(bench, user, 'agenda', (keyFor) => ({
    ours: (i) => apiGet(agendaUrl, keyFor(i)),
    direct: () => direct.agenda(from, to),
  }));

  return {
    ...loadFigures('api.gmail_messages', mail),
    ...loadFigures('api.calendar_agenda', calendar),
  };
}
