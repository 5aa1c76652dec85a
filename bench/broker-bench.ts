/**
 * Credential broker figures: how fast a warm connection hands out its token compared
 * with the one row read any broker must do, and how many refreshes 1,000 concurrent
 * callers on an expired connection cause compared with one refresh per caller.
 */
import type { BenchStack } from './bench-stack.ts';
import { median, repeat, sequential, timed } from './measure.ts';
import { alone, type Figures, versus } from './report.ts';

const WARM_CALLS = 2_000;
const WARM_UP_CALLS = 200;
const CONCURRENT_CALLERS = 1_000;
/** Far past the one-hour life of the access token the sandbox issued. */
const EXPIRED_AFTER_MS = 2 * 60 * 60_000;

export async function brokerWarmFigures(bench: BenchStack, connectionId: string): Promise<Figures> {
  const { broker } = bench.stack.app.parts;
  const db = bench.stack.handle.db;
  const token = () => broker.accessToken(connectionId);
  const select = () =>
    db.selectFrom('connections').selectAll().where('id', '=', connectionId).executeTakeFirst();

  await sequential(WARM_UP_CALLS, token);
  await sequential(WARM_UP_CALLS, select);
  const tokens: number[] = [];
  const selects: number[] = [];
  await repeat(3, async () => {
    selects.push((await sequential(WARM_CALLS, select)).perSecond);
    tokens.push((await sequential(WARM_CALLS, token)).perSecond);
  });
  return {
    'broker.warm_tokens_per_second': versus(median(tokens), 'tokens/s', median(selects)),
  };
}

/**
 * Moves the app's clock past the token's expiry, then 1,000 callers ask at once. Leaves
 * the clock moved: run it last, or on a connection nobody else measures.
 */
export async function brokerSingleFlightFigures(
  bench: BenchStack,
  connectionId: string,
): Promise<Figures> {
  const { broker } = bench.stack.app.parts;
  await broker.accessToken(connectionId);
  bench.advanceClock(EXPIRED_AFTER_MS);
  const before = (await bench.stats()).grants.refresh_token;
  const burst = await timed(() =>
    Promise.all(Array.from({ length: CONCURRENT_CALLERS }, () => broker.accessToken(connectionId))),
  );
  const refreshes = (await bench.stats()).grants.refresh_token - before;
  const distinct = new Set(burst.value).size;
  if (distinct !== 1) throw new Error(`the burst handed out ${distinct} different tokens`);
  return {
    'broker.single_flight_refreshes': versus(refreshes, 'refreshes', CONCURRENT_CALLERS),
    'broker.single_flight_wall_ms': alone(burst.ms, 'ms'),
  };
}
