/**
 * Google faults: a fifth of Gmail, Calendar and token-endpoint calls fail (500, 503, 429
 * with Retry-After, and answers slower than Tidings' timeout) while 2,000 mixed `/v1`
 * requests run for several users and connections, with access tokens short-lived so
 * refreshes happen during the run. Every request ends in an answer or a retryable error,
 * no connection leaves `active` but through the designed `degraded`, and no token is lost.
 * Then the token endpoint is down for minutes of the injected clock: the connections turn
 * `degraded`, refreshes back off instead of storming, they recover by themselves, and
 * nobody is told more than once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobWork } from '../../src/jobs/index.ts';
import { UNEXPECTED_SENTENCE } from '../../src/telegram/render/index.ts';
import { DATABASES } from '../support/databases.harness.ts';
import {
  type Account,
  addFaults,
  CALENDAR_PATHS,
  call,
  clearFaults,
  connectionStates,
  GMAIL_PATHS,
  HANG_MS,
  inParallel,
  noticesPerUser,
  requestFor,
  startWorld,
  TOKEN_PATH,
  tokenCalls,
  transitionsSeen,
  type Verdict,
  verdictOf,
  type World,
} from './faults-google.harness.ts';
import { reportFigures } from './report.harness.ts';

const REQUESTS = 2_000;
const WIDTH = 16;
/** The injected clock moves this much every `ADVANCE_EVERY` requests started. */
const ADVANCE_MS = 20_000;
const ADVANCE_EVERY = 40;
const TOKEN_TTL_SECONDS = 100;
/** Four faults of this rate each, tried in turn: about 20 % of calls meet one. */
const FAULT_RATE = 0.055;
/** Slower than Tidings' Google timeout (10 s); capped per path so the run stays bounded. */
const TIMEOUT_LATENCY_MS = 10_500;
const TIMEOUTS_PER_PATH = 12;

const HOUR = 60 * 60_000;
/** One request in this many also asks the Telegram bot something. */
const BOT_EVERY = 25;
const BOT_QUESTIONS = ['/unread', '/next', '/today', 'any unread mail?'];
/** The outage: ten minutes of the injected clock, in steps of ten seconds. */
const STEP_MS = 10_000;
const OUTAGE_STEPS = 60;
const MAX_RECOVERY_STEPS = 120;
/** The shortest first backoff after a failed refresh (half of 30 s, the jitter's floor). */
const MIN_BACKOFF_MS = 15_000;
/** Doubling backoff from 15-30 s fits at most six attempts in ten minutes. */
const MAX_CALLS_PER_CONNECTION = 6;
const TRANSIENT_TRANSITIONS = ['active>degraded:google_unavailable', 'degraded>active:recovered'];

async function injectMixedFaults(world: World): Promise<void> {
  const groups = [[...GMAIL_PATHS], [...CALENDAR_PATHS], [TOKEN_PATH]];
  for (const paths of groups) {
    await addFaults(world.stack, paths, { status: 500, rate: FAULT_RATE });
    await addFaults(world.stack, paths, { status: 503, rate: FAULT_RATE });
    await addFaults(world.stack, paths, { status: 429, retryAfter: 1, rate: FAULT_RATE });
    await addFaults(world.stack, paths, {
      latencyMs: TIMEOUT_LATENCY_MS,
      rate: FAULT_RATE,
      count: TIMEOUTS_PER_PATH,
    });
  }
}

/** The Telegram chats of the world's people, each opened by a first message. */
async function telegramChats(world: World): Promise<number[]> {
  const chats: number[] = [];
  for (const userId of world.keys.keys()) {
    const user = await world.stack.app.parts.users.get(userId);
    const chatId = Number(user?.telegramUserId);
    if (!Number.isSafeInteger(chatId)) continue;
    await world.stack.chat!.write(chatId, '/help');
    await world.stack.chat!.inbox(chatId, { count: 1, timeoutMs: HANG_MS });
    chats.push(chatId);
  }
  return chats;
}

function keyFor(world: World, account: Account, i: number): string {
  const own = world.keys.get(account.userId)!;
  return own[Math.floor(i / world.accounts.length) % own.length]!;
}

for (const database of DATABASES) {
  describe(`Google faults on ${database.name}`, () => {
    let world: World;
    beforeAll(async () => {
      world = await startWorld(database, {
        users: [
          ['alex@example.com'],
          ['sam@example.com'],
          ['alex@example.com', 'sam@example.com'],
          ['carol@example.com'],
        ],
        keysPerUser: 6,
        accessTokenTtlSeconds: TOKEN_TTL_SECONDS,
        telegram: true,
      });
      // Only the Google faults count: the Telegram sandbox's flood control stays out of the way.
      await world.stack.chat!.settings({ floodLimitPerChat: 0, floodLimitGlobal: 0 });
    });
    afterAll(async () => {
      await world?.close();
    });

    it('2,000 mixed requests under 20 % Google faults end in an answer or a retryable error', async () => {
      const tokensBefore = await tokenCalls(world.stack);
      await injectMixedFaults(world);
      const verdicts: Record<Verdict, number> = {
        ok: 0,
        retryable: 0,
        other: 0,
        internal: 0,
        hung: 0,
      };
      const retryableByCode: Record<string, number> = {};
      const unexpected: unknown[] = [];
      // Some questions go through the Telegram bot as well, by the people's own chats.
      const chats = await telegramChats(world);
      const asked = new Map<number, number>();
      await inParallel(REQUESTS, WIDTH, async (i) => {
        if (i > 0 && i % ADVANCE_EVERY === 0) world.clock.advance(ADVANCE_MS);
        if (i % BOT_EVERY === 0) {
          const chatId = chats[(i / BOT_EVERY) % chats.length]!;
          asked.set(chatId, (asked.get(chatId) ?? 0) + 1);
          await world.stack.chat!.write(
            chatId,
            BOT_QUESTIONS[(i / BOT_EVERY) % BOT_QUESTIONS.length]!,
          );
        }
        const account = world.accounts[i % world.accounts.length]!;
        const request = requestFor(world, account, i);
        const answer = await call(world.stack, keyFor(world, account, i), request.path, request);
        const verdict = verdictOf(answer);
        verdicts[verdict] += 1;
        if (verdict === 'retryable') {
          const code = String(answer.body.code);
          retryableByCode[code] = (retryableByCode[code] ?? 0) + 1;
        } else if (verdict !== 'ok' && unexpected.length < 10) {
          unexpected.push({ path: request.path, status: answer.status, body: answer.body });
        }
      });
      // Past the answer to the opening /help, one answer per question.
      const botAnswers = (
        await Promise.all(
          chats.map(async (chatId) => {
            const count = 1 + (asked.get(chatId) ?? 0);
            const inbox = await world.stack.chat!.inbox(chatId, { count, timeoutMs: HANG_MS });
            return inbox.slice(1);
          }),
        )
      ).flat();
      const duringRun = await connectionStates(world);
      const transitions = await transitionsSeen(world);

      // The faults stop; past every backoff, every connection answers again.
      await clearFaults(world.stack);
      world.clock.advance(2 * HOUR);
      const after = await Promise.all(
        world.accounts.map((account, i) =>
          call(
            world.stack,
            keyFor(world, account, i),
            `/v1/gmail/unread?connection=${account.email}`,
          ),
        ),
      );
      const states = await connectionStates(world);
      const wrongTransitions = Object.entries(transitions)
        .filter(([name]) => !TRANSIENT_TRANSITIONS.includes(name))
        .reduce((sum, [, n]) => sum + n, 0);
      const leftActiveWrongly =
        wrongTransitions + states.filter((s) => s.status !== 'active').length;
      const tokensLost = states.filter((s) => !s.opens).length;
      const figures = {
        database: database.name,
        requests: REQUESTS,
        connections: world.accounts.length,
        answered_ok: verdicts.ok,
        retryable_errors: verdicts.retryable,
        retryable_errors_by_code: retryableByCode,
        other_errors: verdicts.other,
        internal_errors: verdicts.internal,
        hangs: verdicts.hung,
        left_active_wrongly: leftActiveWrongly,
        degraded_during_run: transitions['active>degraded:google_unavailable'] ?? 0,
        degraded_at_end_of_run: duringRun.filter((s) => s.status === 'degraded').length,
        tokens_lost: tokensLost,
        token_calls: (await tokenCalls(world.stack)) - tokensBefore,
        answered_after_faults: after.filter((a) => a.status === 200).length,
        bot_questions: [...asked.values()].reduce((a, b) => a + b, 0),
        bot_answers: botAnswers.length,
        bot_unexpected_answers: botAnswers.filter((m) => m.text === UNEXPECTED_SENTENCE).length,
        notices_max_per_user: Math.max(0, ...Object.values(await noticesPerUser(world))),
      };
      reportFigures('google-faults', figures);
      expect({ unexpected, transitions: Object.keys(transitions) }).toMatchObject({
        unexpected: [],
      });
      expect({
        other: figures.other_errors,
        internal: figures.internal_errors,
        hangs: figures.hangs,
        leftActiveWrongly,
        tokensLost,
        answeredAfter: figures.answered_after_faults,
        everyAnswer: verdicts.ok + verdicts.retryable,
        botAnswers: figures.bot_answers,
        botUnexpected: figures.bot_unexpected_answers,
        notices: figures.notices_max_per_user,
      }).toStrictEqual({
        other: 0,
        internal: 0,
        hangs: 0,
        leftActiveWrongly: 0,
        tokensLost: 0,
        answeredAfter: world.accounts.length,
        everyAnswer: REQUESTS,
        botAnswers: figures.bot_questions,
        botUnexpected: 0,
        notices: 0,
      });
      // The faults were felt: some answers waited and some came back as retryable errors.
      expect(figures.token_calls).toBeGreaterThan(world.accounts.length);
    });
  });

  describe(`a token endpoint down for minutes on ${database.name}`, () => {
    let world: World;
    beforeAll(async () => {
      world = await startWorld(database, {
        users: [['alex@example.com'], ['sam@example.com'], ['carol@example.com']],
        keysPerUser: 2,
        accessTokenTtlSeconds: TOKEN_TTL_SECONDS,
      });
    });
    afterAll(async () => {
      await world?.close();
    });

    it('degrades, backs off, recovers by itself and tells nobody twice', async () => {
      const work = createJobWork({
        database: world.stack.handle,
        broker: world.stack.app.parts.broker,
        users: world.stack.app.parts.users,
        outbox: world.stack.app.parts.outbox,
        calendarZone: world.stack.app.parts.calendarZone,
        logger: world.stack.app.services.logger,
        now: world.clock.now,
      });
      const ask = (account: Account, i: number) =>
        call(
          world.stack,
          keyFor(world, account, i),
          `/v1/gmail/unread?connection=${account.email}`,
        );
      const failuresOf = async () =>
        new Map((await connectionStates(world)).map((s) => [s.id, s.failureCount]));
      const ids = world.accounts.map((a) => a.connectionId);

      // Every access token is stale: the next request (or the sweep) must ask Google.
      world.clock.advance((TOKEN_TTL_SECONDS - 30) * 1000);
      await addFaults(world.stack, [TOKEN_PATH], { status: 503 });
      const outageStart = world.clock.now().getTime();
      const tokensBefore = await tokenCalls(world.stack);
      const attempts = new Map<string, number[]>(ids.map((id) => [id, []]));
      const verdicts: Record<Verdict, number> = {
        ok: 0,
        retryable: 0,
        other: 0,
        internal: 0,
        hung: 0,
      };
      let requests = 0;
      let seen = await failuresOf();
      for (let step = 0; step < OUTAGE_STEPS; step++) {
        for (const [i, account] of world.accounts.entries()) {
          verdicts[verdictOf(await ask(account, step + i))] += 1;
          requests += 1;
        }
        await work.sweep();
        const now = await failuresOf();
        for (const id of ids) {
          // At most one attempt per connection per step can raise its failure count.
          if ((now.get(id) ?? 0) > (seen.get(id) ?? 0)) attempts.get(id)!.push(step * STEP_MS);
        }
        seen = now;
        world.clock.advance(STEP_MS);
      }
      const tokenCallsDuringOutage = (await tokenCalls(world.stack)) - tokensBefore;
      const statesInOutage = await connectionStates(world);

      // The endpoint is back: nothing but the clock, the sweep and requests happen.
      await clearFaults(world.stack);
      let recoverySteps = 0;
      while (
        (await connectionStates(world)).some((s) => s.status !== 'active') &&
        recoverySteps < MAX_RECOVERY_STEPS
      ) {
        world.clock.advance(STEP_MS);
        await work.sweep();
        recoverySteps += 1;
      }
      const after = await Promise.all(world.accounts.map((a, i) => ask(a, i)));
      const states = await connectionStates(world);
      const notices = await noticesPerUser(world);

      // Between two attempts a connection waits at least the lower edge of its backoff.
      const tooEarly = [...attempts.values()].flatMap((times) =>
        times.slice(1).filter((t, k) => t - times[k]! < MIN_BACKOFF_MS * 2 ** k),
      );
      const perConnection = [...attempts.values()].map((t) => t.length);
      reportFigures('token-endpoint-outage', {
        database: database.name,
        outage_minutes: (OUTAGE_STEPS * STEP_MS) / 60_000,
        requests,
        sweeps: OUTAGE_STEPS,
        answered_ok_during_outage: verdicts.ok,
        retryable_errors_during_outage: verdicts.retryable,
        other_errors: verdicts.other + verdicts.internal + verdicts.hung,
        token_calls_during_outage: tokenCallsDuringOutage,
        token_calls_per_connection_max: Math.max(...perConnection),
        attempts_before_backoff_ended: tooEarly.length,
        degraded_in_outage: statesInOutage.filter((s) => s.status === 'degraded').length,
        recovery_steps: recoverySteps,
        recovered: states.filter((s) => s.status === 'active').length,
        answered_after: after.filter((a) => a.status === 200).length,
        notices_max_per_user: Math.max(0, ...Object.values(notices)),
        tokens_lost: states.filter((s) => !s.opens).length,
      });
      expect({
        degraded: statesInOutage.map((s) => s.status),
        other: verdicts.other + verdicts.internal + verdicts.hung,
        tooEarly,
        tokenCalls: tokenCallsDuringOutage,
        recovered: states.map((s) => s.status),
        answeredAfter: after.map((a) => a.status),
        noticesAtMostOne: Object.values(notices).every((n) => n <= 1),
        tokensLost: states.filter((s) => !s.opens).length,
      }).toStrictEqual({
        degraded: ids.map(() => 'degraded'),
        other: 0,
        tooEarly: [],
        tokenCalls: perConnection.reduce((a, b) => a + b, 0),
        recovered: ids.map(() => 'active'),
        answeredAfter: ids.map(() => 200),
        noticesAtMostOne: true,
        tokensLost: 0,
      });
      // Backoff, not a storm: a handful of calls per connection over the whole outage.
      expect(Math.max(...perConnection)).toBeLessThanOrEqual(MAX_CALLS_PER_CONNECTION);
      expect(outageStart).toBeLessThan(world.clock.now().getTime());
    });
  });
}
