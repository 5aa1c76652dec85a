/**
 * Crash safety: the real service (`tidings start`, a child process) is killed with
 * SIGKILL while Google holds a token refresh or a connect's code exchange (an injected
 * latency on `/token`), with notifications queued and one of them in flight to Telegram,
 * and started again on the same data. Every round checks, without timing thresholds:
 * - the data folder opens again and nothing is lost or garbled: users, keys, connections,
 *   and every stored token bundle opens with the master key;
 * - the killed holder's refresh lease outlives it by no more than the lease's length, and
 *   holds back no request after the restart: on PGlite the restart clears leases and
 *   outbox claims before it listens (the process says how many), on PostgreSQL the lease
 *   has run out before the first request is sent;
 * - every connection answers a request after the restart;
 * - the notifications the killed process had queued are all still there and delivered
 *   after the restart — on PostgreSQL, the one it was sending only once its claim runs
 *   out (another instance may be the one sending it), so that one is checked to be
 *   claimable again by then.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { startGoogleSandbox } from '../../sandbox/google/index.ts';
import { createTelegramControl, startTelegramSandbox } from '../../sandbox/telegram/index.ts';
import { LEASE_MS } from '../../src/connections/index.ts';
import { CLAIM_MS } from '../../src/connections/outbox.ts';
import {
  type Cli,
  cleanUpCliProcesses,
  freshDataDir,
  startServer,
  stopServer,
} from '../support/cli.harness.ts';
import { DATABASES, type TestDatabaseHandle } from '../support/databases.harness.ts';
import { followConnectLink, startConnect } from '../support/stack.harness.ts';
import {
  type Account,
  childDatabase,
  control,
  type Leftovers,
  prepareAccounts,
  serviceEnv,
  untilAtGoogle,
} from './crash-service.harness.ts';
import { startTelegramGate } from './crash-telegram-gate.harness.ts';
import { reportFigures } from './report.harness.ts';

cleanUpCliProcesses();

const ROUNDS = 50;
/** Delivery attempts after which the outbox gives a notification up (`outbox.ts`). */
const MAX_ATTEMPTS = 5;
/** Held at Google far longer than a round takes: the process is killed meanwhile. */
const GOOGLE_HOLDS_MS = 60_000;
/** The most a lease may outlive its holder (DESIGN.md: seconds). */
const FEW_SECONDS = 10_000;
const KIM_TELEGRAM_ID = 5103;
const PEOPLE = [
  { email: 'alex@example.com', telegramId: null },
  { email: 'sam@example.com', telegramId: null },
  { email: 'kim@example.com', telegramId: KIM_TELEGRAM_ID },
];

interface Figures {
  rounds: number;
  killsMidRefresh: number;
  killsMidConnect: number;
  requestsAfterRestart: number;
  answersAfterRestart: Record<string, number>;
  stalls: number;
  leasesLeftByKilledProcess: number;
  leasesClearedAtStart: number;
  longestLeaseAfterKillMs: number;
  notificationsQueuedAtKill: number;
  notificationsDeliveredAfterRestart: number;
  notificationsAwaitingDeadClaim: number;
  jobsLost: number;
  dataFolderReopenFailures: number;
  longestWaitAfterRestartMs: number;
}

for (const database of DATABASES) {
  describe(`crash safety on ${database.name}`, () => {
    const closers: Array<() => Promise<void>> = [];
    afterAll(async () => {
      for (const close of closers.reverse()) await close();
    });

    it(`${ROUNDS} kills mid-refresh and mid-connect lose nothing and hold no request back`, {
      timeout: 1_800_000,
    }, async () => {
      const google = await startGoogleSandbox({ port: 0 });
      closers.push(() => google.close());
      const telegram = await startTelegramSandbox({ port: 0 });
      closers.push(() => telegram.close());
      const gate = await startTelegramGate(telegram.url);
      closers.push(() => gate.close());
      const chat = createTelegramControl(telegram.url);

      let handle: TestDatabaseHandle | null = null;
      let databaseUrl: string | null = null;
      if (database.name === 'postgres') {
        handle = await database.open();
        closers.push(() => handle!.close());
        const url = new URL(process.env.DATABASE_URL!);
        url.searchParams.set('options', `-c search_path=${handle.schema}`);
        databaseUrl = url.toString();
      }
      const dataDir = await freshDataDir();
      const masterKey = randomBytes(32).toString('base64');
      const settings = { dataDir, masterKey, google: google.url, databaseUrl };
      const env = serviceEnv({ ...settings, telegram: gate.url });

      await control(google.url, '/users', { email: 'kim@example.com', name: 'Kim' });
      // Tokens that never have a minute left: every request after a restart refreshes.
      await control(google.url, '/settings', { accessTokenTtlSeconds: 30 }, 'PUT');
      const accounts = await prepareAccounts(
        serviceEnv({ ...settings, telegram: null }),
        google.url,
        PEOPLE,
      );
      const kim = accounts.find((a) => a.telegramId === KIM_TELEGRAM_ID)!;
      await control(google.url, '/auto-approve', { email: kim.email });
      await chat.write(KIM_TELEGRAM_ID, 'hello', 'Kim');

      const data = childDatabase({ db: handle?.db ?? null, dataDir, masterKey });

      const v1 = (child: string, account: Account, route: string, init: RequestInit = {}) =>
        fetch(`${child}/v1${route}`, {
          ...init,
          headers: { authorization: `Bearer ${account.apiKey}` },
        });

      async function connectLink(child: string): Promise<string> {
        const answer = await v1(child, kim, '/connect-links', { method: 'POST' });
        expect(answer.status).toBe(201);
        return ((await answer.json()) as { url: string }).url;
      }

      const figures: Figures = {
        rounds: 0,
        killsMidRefresh: 0,
        killsMidConnect: 0,
        requestsAfterRestart: 0,
        answersAfterRestart: {},
        stalls: 0,
        leasesLeftByKilledProcess: 0,
        leasesClearedAtStart: 0,
        longestLeaseAfterKillMs: 0,
        notificationsQueuedAtKill: 0,
        notificationsDeliveredAfterRestart: 0,
        notificationsAwaitingDeadClaim: 0,
        jobsLost: 0,
        dataFolderReopenFailures: 0,
        longestWaitAfterRestartMs: 0,
      };
      let child: { cli: Cli; url: string } = await startServer(env);
      // Kim's chat settles first: the answer to the greeting and the notice of the connect.
      const settled = await chat.inbox(KIM_TELEGRAM_ID, { count: 2, timeoutMs: 60_000 });
      expect(settled.filter((message) => message.text.startsWith('✅ Connected'))).toHaveLength(1);
      const deadClaims = new Set<string>();

      for (let round = 0; round < ROUNDS; round++) {
        const midRefresh = round % 2 === 0;

        // Two notices queued: the first in flight to Telegram when the process dies, the
        // second waiting behind it, unclaimed.
        gate.hold(true);
        const inFlight = gate.held();
        expect((await followConnectLink(await connectLink(child.url))).status).toBe(200);
        await inFlight;
        expect((await followConnectLink(await connectLink(child.url))).status).toBe(200);
        await control(google.url, '/faults', {
          path: '/token',
          latencyMs: GOOGLE_HOLDS_MS,
          count: 1,
        });
        if (midRefresh) {
          const target = accounts[(round / 2) % accounts.length]!;
          await untilAtGoogle(google.url, () => {
            v1(child.url, target, `/gmail/unread?connection=${target.connectionId}`).catch(
              () => {},
            );
          });
        } else {
          const started = await startConnect(await connectLink(child.url));
          const consent = await fetch(started.authorizeUrl!, { redirect: 'manual' });
          const callback = consent.headers.get('location')!;
          await untilAtGoogle(google.url, () => {
            fetch(callback, { headers: { cookie: started.cookie! }, redirect: 'manual' }).catch(
              () => {},
            );
          });
        }
        const killedAt = Date.now();
        child.cli.child.kill('SIGKILL');
        await child.cli.exited;
        if (midRefresh) figures.killsMidRefresh++;
        else figures.killsMidConnect++;
        await control(google.url, '/faults', undefined, 'DELETE');
        gate.hold(false);
        const left = await data.leftovers();
        if (!left) {
          figures.dataFolderReopenFailures++;
          throw new Error(`round ${round}: the data folder does not open after kill -9`);
        }
        expect({
          users: left.users,
          apiKeys: left.apiKeys,
          connections: left.connections.map((c) => [c.status, c.sealed]),
          bundlesOpened: left.bundlesOpened,
        }).toStrictEqual({
          users: accounts.length,
          apiKeys: accounts.length,
          connections: accounts.map(() => ['active', true]),
          bundlesOpened: accounts.length,
        });
        // The notices of this round: the one in flight is claimed, the other not.
        const [claimed, queued] = left.notifications.slice(-2);
        expect([claimed?.delivered, queued?.delivered, queued?.claimedUntil]).toStrictEqual([
          false,
          false,
          null,
        ]);
        expect(claimed!.claimedUntil!.getTime()).toBeLessThanOrEqual(killedAt + CLAIM_MS);
        figures.notificationsQueuedAtKill += 2;
        figures.leasesLeftByKilledProcess += left.leases.length;
        if (midRefresh) expect(left.leases.length).toBeGreaterThan(0);
        for (const lease of left.leases) {
          const outlived = lease.until!.getTime() - killedAt;
          figures.longestLeaseAfterKillMs = Math.max(figures.longestLeaseAfterKillMs, outlived);
          expect(outlived).toBeLessThanOrEqual(Math.min(LEASE_MS, FEW_SECONDS));
        }

        child = await startServer(env);
        let live = left.leases.length;
        if (database.name === 'pglite') {
          // The restart says how many leases it released before it listened.
          const cleared = child.cli.stdout
            .filter((line) => line.startsWith('{'))
            .map((line) => JSON.parse(line) as { msg?: string; leases?: number })
            .find((entry) => entry.msg === 'released what the last run held');
          figures.leasesClearedAtStart += cleared?.leases ?? 0;
          live -= cleared?.leases ?? 0;
        } else {
          // Other instances may hold leases on PostgreSQL: the dead one's runs out instead.
          if (live > 0) live = await data.untilLeasesRunOut();
        }
        figures.stalls += live;

        for (const account of accounts) {
          const started = performance.now();
          const answer = await v1(
            child.url,
            account,
            `/gmail/unread?connection=${account.connectionId}`,
          );
          await answer.arrayBuffer();
          const waited = Math.round(performance.now() - started);
          figures.longestWaitAfterRestartMs = Math.max(figures.longestWaitAfterRestartMs, waited);
          figures.requestsAfterRestart++;
          const status = String(answer.status);
          figures.answersAfterRestart[status] = (figures.answersAfterRestart[status] ?? 0) + 1;
        }
        // On PGlite the restart released the dead process's claim too; on PostgreSQL that
        // claim runs out on its own (another instance may be sending), so it waits.
        const due = database.name === 'pglite' ? [claimed!, queued!] : [queued!];
        for (const notice of due) {
          if (await data.untilDelivered(notice.id)) figures.notificationsDeliveredAfterRestart++;
          else figures.jobsLost++;
        }
        if (database.name === 'postgres') deadClaims.add(claimed!.id);
        figures.rounds++;
      }

      await stopServer(child.cli);
      const final = await data.leftovers();
      if (!final) figures.dataFolderReopenFailures++;
      // Every notice not delivered by now is one a killed process had claimed: it is
      // delivered once that claim runs out. Anything else, or a notice missing, is lost.
      const notices = final?.notifications ?? [];
      const awaiting = (n: Leftovers['notifications'][number]) =>
        deadClaims.has(n.id) && n.attempts < MAX_ATTEMPTS;
      figures.notificationsAwaitingDeadClaim = notices.filter(
        (n) => !n.delivered && awaiting(n),
      ).length;
      const queuedInAll = accounts.filter((a) => a.telegramId !== null).length + 2 * ROUNDS;
      figures.jobsLost +=
        notices.filter((n) => !n.delivered && !awaiting(n)).length +
        Math.max(0, queuedInAll - notices.length);
      reportFigures(`crash-safety-${database.name}`, { ...figures });
      expect({
        rounds: figures.rounds,
        kills: figures.killsMidRefresh + figures.killsMidConnect,
        answers: figures.answersAfterRestart,
        stalls: figures.stalls,
        jobsLost: figures.jobsLost,
        dataFolderReopenFailures: figures.dataFolderReopenFailures,
      }).toStrictEqual({
        rounds: ROUNDS,
        kills: ROUNDS,
        answers: { '200': ROUNDS * accounts.length },
        stalls: 0,
        jobsLost: 0,
        dataFolderReopenFailures: 0,
      });
    });
  });
}
