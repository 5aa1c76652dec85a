/**
 * Claim: two instances polling the same watched mailbox announce a new mail once. Both
 * run the watch ticker every second on the shared database; the poll of a connection is
 * one job at a time whoever queues it, and the cursor moves with the alerts in one
 * transaction, so a second poll finds nothing left to say.
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

const WATCHER = 7_601;
const EMAIL = 'gus@example.com';

describe.skipIf(NO_POSTGRES)(suiteTitle('new-mail alerts on two instances'), () => {
  let cluster: Cluster;
  beforeAll(async () => {
    cluster = await startCluster([{ email: EMAIL, telegramId: WATCHER }], {
      WATCH_INTERVAL_SECONDS: '1',
    });
  }, 180_000);
  afterAll(async () => {
    await cluster?.close();
  });

  it('announce a watched sender’s mail once, never polling one mailbox twice at a time', {
    timeout: 300_000,
  }, async () => {
    const [account] = cluster.accounts;
    const jobs = `${cluster.handle.schema}_pgboss`;
    const { db } = cluster.handle;
    // The person opens the chat with the bot (Telegram delivers nothing to a chat never opened).
    await cluster.chat.write(WATCHER, '/help', 'Gus');
    expect(await cluster.until(async () => (await cluster.chat.inbox(WATCHER)).length > 0)).toBe(
      true,
    );
    const created = await fetch(`${cluster.balancer.url}/v1/tools/watch.create`, {
      method: 'POST',
      headers: { authorization: `Bearer ${account!.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'from:alice@northwind.example' }),
    });
    expect(created.status).toBe(200);

    const polls = async () => {
      const { rows } = await sql<{ done: string }>`
        select count(*) as done from ${sql.table(`${jobs}.job`)}
        where name = 'tidings-watch' and state = 'completed'`.execute(db);
      return Number(rows[0]!.done);
    };
    const first = await polls();
    expect(await cluster.until(async () => (await polls()) >= first + 2)).toBe(true);

    const raw = `From: Alice <alice@northwind.example>\r\nTo: ${EMAIL}\r\nSubject: Invoice 2291\r\nDate: ${new Date().toUTCString()}\r\nMessage-ID: <invoice-2291@northwind.example>\r\n\r\nPlease find the invoice attached.\r\n`;
    const imported = await fetch(
      `${cluster.google.url}/__sandbox/users/${EMAIL}/messages?labelIds=INBOX,UNREAD`,
      { method: 'POST', headers: { 'content-type': 'message/rfc822' }, body: raw },
    );
    expect(imported.status).toBe(201);

    const alerted = await cluster.until(async () =>
      (await cluster.chat.inbox(WATCHER)).some((m) => m.text.includes('Invoice 2291')),
    );
    expect(alerted).toBe(true);
    // Several more polls, from either instance, find nothing more to say.
    const after = await polls();
    expect(await cluster.until(async () => (await polls()) >= after + 4)).toBe(true);

    const { rows: runs } = await sql<{ started: Date; completed: Date }>`
      select started_on as started, completed_on as completed from ${sql.table(`${jobs}.job`)}
      where name = 'tidings-watch' and state = 'completed' order by started_on`.execute(db);
    const overlapping = runs.filter(
      (run, i) => i > 0 && new Date(run.started) < new Date(runs[i - 1]!.completed),
    );
    const alerts = await db
      .selectFrom('notifications')
      .select('id')
      .where('kind', '=', 'watch_alert')
      .execute();
    const stats = (await (await control(cluster.google.url, '/stats')).json()) as {
      requests: Record<string, number>;
    };
    expect({
      alertsQueued: alerts.length,
      inChat: (await cluster.chat.inbox(WATCHER)).filter((m) => m.text.includes('Invoice 2291'))
        .length,
      overlapping: overlapping.length,
      historyReads: Object.entries(stats.requests).some(([route]) => route.includes('history')),
    }).toStrictEqual({ alertsQueued: 1, inChat: 1, overlapping: 0, historyReads: true });
  });
});
