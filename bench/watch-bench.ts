/**
 * New-mail alerts at their steady state: what watching costs at Google per connection.
 * 20 connected accounts (4 in quick mode), half of them with one watch rule
 * (`from:alice@northwind.example`, made through `/v1/tools/watch.create`), the other half
 * with none. The watch ticker runs as in production (`jobs.watchNow()`, the polls on the
 * job queue) on a clock moved on by one interval (`WATCH_INTERVAL_SECONDS`, 60) before
 * each tick: first 10 ticks (3 in quick mode) with nothing arriving (the idle figure),
 * then 10 more before each of which a mail from Alice arrives in one watched mailbox, a
 * mail from someone else in another, and a mail from Alice in an unwatched one.
 *
 * Counted by the Google sandbox (its per-user quota units and per-endpoint calls, read
 * before and after the ticks) and extrapolated to an hour at the default interval (60
 * polls an hour). The baseline, in the same run, is a connection without rules, which
 * must cost nothing: the bench fails if it does, or if an alert is missing.
 */
import { randomBytes } from 'node:crypto';
import { createApiKeyStore } from '../src/api-keys/index.ts';
import { sandboxControl, seedConnections } from '../test/support/seed-connections.harness.ts';
import { type Stack, startStack } from '../test/support/stack.harness.ts';
import { PGLITE, silentLogger } from './bench-stack.ts';
import { type Figures, alone, versus } from './report.ts';

const INTERVAL_SECONDS = 60;
const POLLS_PER_HOUR = 3_600 / INTERVAL_SECONDS;
const RULE = 'from:alice@northwind.example';

interface SandboxStats {
  requests: Record<string, number>;
  quotaUnits: Record<string, number>;
}

async function sandboxStats(stack: Stack): Promise<SandboxStats> {
  const answer = await sandboxControl(stack, '/stats');
  if (answer.status !== 200) throw new Error(`stats answered ${answer.status}`);
  return answer.body as SandboxStats;
}

const total = (counts: Record<string, number>, keys?: readonly string[]) =>
  (keys ?? Object.keys(counts)).reduce((sum, key) => sum + (counts[key] ?? 0), 0);

/** Resolves with the outcomes once every connection in `ids` reported one poll. */
function pollsOf(stack: Stack, ids: readonly string[]): Promise<Record<string, string>> {
  const waiting = new Set(ids);
  const outcomes: Record<string, string> = {};
  const events = stack.app.jobs!.events;
  return new Promise((resolve) => {
    const listen = (event: { connectionId: string; outcome: string }) => {
      if (!waiting.delete(event.connectionId)) return;
      outcomes[event.connectionId] = event.outcome;
      if (waiting.size > 0) return;
      events.off('watched', listen);
      resolve(outcomes);
    };
    events.on('watched', listen);
  });
}

async function deliver(stack: Stack, email: string, from: string, subject: string) {
  const answer = await sandboxControl(stack, `/users/${email}/messages`, {
    body: { from, subject, text: `${subject}, sent to ${email}.` },
  });
  if (answer.status !== 201) throw new Error(`importing mail answered ${answer.status}`);
}

export async function watchFigures(options: { quick: boolean }): Promise<Figures> {
  const connections = options.quick ? 4 : 20;
  const ticks = options.quick ? 3 : 10;
  let offsetMs = 0;
  const now = () => new Date(Date.now() + offsetMs);
  // With a bot: alerts are queued only for people with a chat to receive them.
  const stack = await startStack(PGLITE, {
    telegram: true,
    env: { LOG_LEVEL: 'silent', WATCH_INTERVAL_SECONDS: String(INTERVAL_SECONDS) },
    start: { now, logger: silentLogger(), jobs: true },
  });
  try {
    const prefix = `watch${randomBytes(3).toString('hex')}-`;
    const ids = await seedConnections(stack, connections, prefix);
    const emails = ids.map((_, i) => `${prefix}${i}@example.com`);
    const half = Math.ceil(connections / 2);
    const watched = { ids: ids.slice(0, half), emails: emails.slice(0, half) };
    const unwatched = { ids: ids.slice(half), emails: emails.slice(half) };

    // One rule on each watched connection, made as a client of the runtime API makes it.
    const owners = await stack.handle.db
      .selectFrom('connections')
      .select(['id', 'user_id'])
      .where('id', 'in', watched.ids)
      .execute();
    const apiKeys = createApiKeyStore(stack.handle.db, now);
    for (const [i, owner] of owners.entries()) {
      // Each owner has a Telegram chat (the alerts' delivery is not what is measured).
      await stack.handle.db
        .updateTable('users')
        .set({ telegram_user_id: String(9_100_000 + i) })
        .where('id', '=', owner.user_id)
        .execute();
      const { key } = await apiKeys.create(owner.user_id, 'watch bench');
      const created = await fetch(`${stack.app.url}/v1/tools/watch.create`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ query: RULE }),
      });
      if (created.status !== 200) throw new Error(`watch.create answered ${created.status}`);
    }

    const outcomes: Record<string, number> = {};
    const tick = async () => {
      offsetMs += INTERVAL_SECONDS * 1000;
      const polled = pollsOf(stack, watched.ids);
      await stack.app.jobs!.watchNow();
      for (const outcome of Object.values(await polled)) {
        outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      }
    };

    // Nothing arrives: what watching costs while the mailboxes are quiet.
    const idleBefore = await sandboxStats(stack);
    for (let n = 0; n < ticks; n++) await tick();
    const idleAfter = await sandboxStats(stack);

    // Before each tick: one mail that matches, one that does not, one to an unwatched box.
    let expectedAlerts = 0;
    const started = performance.now();
    for (let n = 0; n < ticks; n++) {
      const alice = 'Alice Chen <alice@northwind.example>';
      await deliver(stack, watched.emails[n % half]!, alice, `Invoice ${2291 + n}`);
      await deliver(stack, watched.emails[(n + 1) % half]!, 'bob@example.org', `Lunch ${n}`);
      await deliver(stack, unwatched.emails[n % unwatched.emails.length]!, alice, `Unwatched ${n}`);
      expectedAlerts += 1;
      await tick();
    }
    const wallMs = performance.now() - started;
    const after = await sandboxStats(stack);
    const before = idleAfter;

    if (outcomes.error || outcomes.paused) {
      throw new Error(`watch polls failed: ${JSON.stringify(outcomes)}`);
    }
    const alerts = await stack.handle.db
      .selectFrom('notifications')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('kind', '=', 'watch_alert')
      .executeTakeFirst();
    if (Number(alerts?.n ?? 0) !== expectedAlerts) {
      throw new Error(`expected ${expectedAlerts} alerts, found ${alerts?.n}`);
    }

    const unitsOf = (list: readonly string[], stats: SandboxStats) => total(stats.quotaUnits, list);
    const perHour = (amount: number, count: number) => (amount / (count * ticks)) * POLLS_PER_HOUR;
    const unitsWatched = perHour(
      unitsOf(watched.emails, after) - unitsOf(watched.emails, before),
      half,
    );
    const unitsUnwatched = perHour(
      unitsOf(unwatched.emails, after) - unitsOf(unwatched.emails, before),
      unwatched.ids.length,
    );
    if (unitsUnwatched !== 0) {
      throw new Error(`connections without rules cost ${unitsUnwatched} units an hour`);
    }
    // Every call to Google in the ticks (Gmail, and tokens if any were refreshed); the
    // unwatched connections spent no quota, so all of them were the watched ones'.
    const calls = total(after.requests) - total(before.requests);

    const idleUnits = perHour(
      unitsOf(watched.emails, idleAfter) - unitsOf(watched.emails, idleBefore),
      half,
    );
    return {
      'watch.units_per_connection_hour': versus(unitsWatched, 'units', unitsUnwatched),
      'watch.idle_units_per_connection_hour': versus(idleUnits, 'units', unitsUnwatched),
      'watch.units_per_connection_hour_without_rules': alone(unitsUnwatched, 'units'),
      'watch.calls_per_connection_hour': versus(perHour(calls, half), 'calls', 0),
      'watch.tick_ms': alone(wallMs / ticks, 'ms'),
    };
  } finally {
    await stack.close();
  }
}
