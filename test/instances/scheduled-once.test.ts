/**
 * Claim: scheduled work runs once between two instances. Both run pg-boss on the shared
 * database with the same schedules; the refresh sweep and the clean-up are set to every
 * minute here (the schedule is a row both read), as the briefing check already is. Over
 * two minutes of schedules:
 * - each scheduled job is created once per minute, not once per instance;
 * - every connection due is refreshed once: one refresh job each, one refresh at Google;
 * - a briefing due is delivered once, though both instances' checks find it due.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Cluster,
  control,
  NO_POSTGRES,
  startCluster,
  suiteTitle,
} from './instances.harness.ts';

const BRIEFED = 7_501;
const people = [
  { email: 'dana@example.com', telegramId: BRIEFED },
  { email: 'eli@example.com', telegramId: null },
  { email: 'fay@example.com', telegramId: null },
];
const SCHEDULED = ['tidings-refresh-sweep', 'tidings-briefing-check', 'tidings-cleanup'];
const RUNS = 2;

/** A zone where it is not close to midnight now, and the time a minute ago there. */
function briefingDueNow(): { zone: string; time: string } {
  const at = new Date(Date.now() - 60_000);
  for (const zone of ['UTC', 'Asia/Tokyo', 'America/New_York']) {
    const [hour, minute] = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .format(at)
      .split(':');
    if (Number(hour) >= 1 && Number(hour) <= 21) return { zone, time: `${hour}:${minute}` };
  }
  throw new Error('no zone away from midnight');
}

async function refreshGrants(google: string): Promise<number> {
  const stats = (await (await control(google, '/stats')).json()) as {
    grants: { refresh_token: number };
  };
  return stats.grants.refresh_token;
}

describe.skipIf(NO_POSTGRES)(suiteTitle('scheduled work on two instances'), () => {
  let cluster: Cluster;
  beforeAll(async () => {
    cluster = await startCluster(people);
  }, 180_000);
  afterAll(async () => {
    await cluster?.close();
  });

  it('creates each scheduled job once a minute, refreshes each connection once, briefs once', {
    timeout: 300_000,
  }, async () => {
    const jobs = `${cluster.handle.schema}_pgboss`;
    const { db } = cluster.handle;
    const { zone, time } = briefingDueNow();
    await cluster.chat.write(BRIEFED, `/timezone ${zone}`, 'Dana');
    await cluster.chat.write(BRIEFED, `/briefing ${time}`, 'Dana');
    const set = await cluster.until(async () =>
      (await cluster.chat.inbox(BRIEFED)).some((m) => m.text.startsWith('Daily briefing set')),
    );
    expect(set).toBe(true);

    // Every connection is due for its daily check; the sweep and clean-up every minute.
    await sql`update connections set last_checked_at = now() - interval '2 days'`.execute(db);
    const grantsBefore = await refreshGrants(cluster.google.url);
    const { rows: since } = await sql<{ at: Date }>`select now() as at`.execute(db);
    await sql`update ${sql.table(`${jobs}.schedule`)} set cron = '* * * * *'
      where name in ('tidings-refresh-sweep', 'tidings-cleanup')`.execute(db);

    const ranEnough = await cluster.until(async () => {
      const { rows } = await sql<{ name: string; done: string }>`
        select name, count(*) as done from ${sql.table(`${jobs}.job`)}
        where name in (${sql.join(SCHEDULED)}) and state = 'completed'
          and created_on > ${since[0]!.at}
        group by name`.execute(db);
      return rows.length === SCHEDULED.length && rows.every((row) => Number(row.done) >= RUNS);
    }, 12_000);
    expect(ranEnough).toBe(true);
    // The briefing is queued once and sent: no second one is left to come.
    const briefed = await cluster.until(async () => {
      const rows = await db
        .selectFrom('notifications')
        .select('delivered_at')
        .where('kind', '=', 'briefing')
        .execute();
      return rows.length === 1 && rows[0]!.delivered_at !== null;
    });

    const { rows: perMinute } = await sql<{ name: string; minute: Date; created: string }>`
      select name, date_trunc('minute', created_on) as minute, count(*) as created
      from ${sql.table(`${jobs}.job`)}
      where name in (${sql.join(SCHEDULED)}) and created_on > ${since[0]!.at}
      group by name, minute`.execute(db);
    const { rows: refreshJobs } = await sql<{ key: string; created: string }>`
      select singleton_key as key, count(*) as created from ${sql.table(`${jobs}.job`)}
      where name = 'tidings-refresh' and created_on > ${since[0]!.at}
      group by singleton_key`.execute(db);
    const connections = await db.selectFrom('connections').select('id').execute();
    const briefings = (await cluster.chat.inbox(BRIEFED)).filter((m) =>
      m.text.startsWith('☀️ Your briefing'),
    );
    expect({
      briefed,
      oncePerMinute: perMinute.every((row) => Number(row.created) === 1),
      minutes: perMinute.length >= SCHEDULED.length * RUNS,
      refreshJobs: refreshJobs.map((row) => [row.key, Number(row.created)]).sort(),
      refreshesAtGoogle: (await refreshGrants(cluster.google.url)) - grantsBefore,
      briefings: briefings.length,
    }).toStrictEqual({
      briefed: true,
      oncePerMinute: true,
      minutes: true,
      refreshJobs: connections.map((connection) => [connection.id, 1]).sort(),
      refreshesAtGoogle: people.length,
      briefings: 1,
    });
  });
});
