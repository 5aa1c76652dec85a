/**
 * Two `tidings start` processes on one PostgreSQL, as the instances suite runs them: a
 * schema of their own in the database of DATABASE_URL (dropped afterwards), the Google
 * and Telegram sandboxes in the test process, the bot in webhook mode, and a round-robin
 * load balancer (`balancer.harness.ts`) as their `PUBLIC_URL`, so the Telegram sandbox's
 * webhook deliveries and the browser's steps are spread over both instances. Each
 * instance listens on a port of its own, which tests may also call directly. Accounts are
 * made by the real app before the instances start (`crash-service.harness.ts`). The
 * cluster outlives single tests (`cleanUpCliProcesses` would kill it after each), so it
 * kills its processes and removes its folder itself when closed.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as pause } from 'node:timers/promises';
import { sql } from 'kysely';
import { startGoogleSandbox } from '../../sandbox/google/index.ts';
import type { GoogleSandbox } from '../../sandbox/google/index.ts';
import {
  createTelegramControl,
  startTelegramSandbox,
  type TelegramControl,
  type TelegramSandbox,
} from '../../sandbox/telegram/index.ts';
import {
  type Account,
  control,
  prepareAccounts,
  serviceEnv,
} from '../reliability/crash-service.harness.ts';
import { type Cli, freePort, spawnCli } from '../support/cli.harness.ts';
import { POSTGRES, type TestDatabaseHandle } from '../support/databases.harness.ts';
import { type Balancer, startBalancer } from './balancer.harness.ts';

export { control, type Account };

/** The suite's title: says plainly that it did not run, and why, when it cannot. */
export function suiteTitle(title: string): string {
  return POSTGRES ? title : `${title} (PostgreSQL suite skipped: set DATABASE_URL)`;
}
export const NO_POSTGRES = POSTGRES === null;

const SECRET = 'tidings-instances-webhook-secret_0123456789';

export interface Instance {
  index: number;
  /** Where this instance listens, bypassing the balancer. */
  url: string;
  cli: Cli;
}

export interface Cluster {
  google: GoogleSandbox;
  telegram: TelegramSandbox;
  chat: TelegramControl;
  balancer: Balancer;
  /** The shared database, for the test to look into. */
  handle: TestDatabaseHandle;
  accounts: Account[];
  instances: Instance[];
  /** Starts instance `index` unless it runs, and resolves once it listens. */
  start(index: number): Promise<Instance>;
  /** `kill -9`: resolves once the process is gone. */
  kill(index: number): Promise<void>;
  /** SIGTERM: resolves with how the process ended. */
  terminate(index: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Looks (a bounded number of times) until `check` answers true; false if it never did. */
  until(check: () => Promise<boolean>, looks?: number): Promise<boolean>;
  /** Inbox rows: how many, how many not yet answered, and the most attempts any took. */
  inbox(): Promise<{ rows: number; waiting: number; maxAttempts: number; leases: number }>;
  close(): Promise<void>;
}

/**
 * Starts the sandboxes, the schema, the accounts (`people`; each connected to Google,
 * some with a Telegram chat) and two instances behind the balancer.
 */
export async function startCluster(
  people: Array<{ email: string; telegramId: number | null }>,
  /** More settings for both instances. */
  extraEnv: Record<string, string> = {},
): Promise<Cluster> {
  if (!POSTGRES) throw new Error('the instances suite needs DATABASE_URL');
  const closers: Array<() => Promise<void>> = [];
  const closeAll = async () => {
    for (const close of closers.reverse()) await close().catch(() => {});
  };
  try {
    const google = await startGoogleSandbox({ port: 0 });
    closers.push(() => google.close());
    const telegram = await startTelegramSandbox({ port: 0 });
    closers.push(() => telegram.close());
    const chat = createTelegramControl(telegram.url);
    await chat.settings({
      floodLimitPerChat: 0,
      floodLimitGlobal: 0,
      webhookConcurrency: 8,
      webhookRetryBaseMs: 100,
      webhookRetryMaxMs: 1_000,
    });
    const handle = await POSTGRES.open();
    closers.push(() => handle.close());
    const url = new URL(process.env.DATABASE_URL!);
    url.searchParams.set('options', `-c search_path=${handle.schema}`);
    const databaseUrl = url.toString();

    const ports = [await freePort(), await freePort()];
    const direct = ports.map((port) => `http://127.0.0.1:${port}`);
    const balancer = await startBalancer(direct);
    closers.push(() => balancer.close());

    const dataDir = await mkdtemp(path.join(tmpdir(), 'tidings-instances-'));
    closers.push(() => rm(dataDir, { recursive: true, force: true }));
    const settings = {
      dataDir,
      masterKey: randomBytes(32).toString('base64'),
      google: google.url,
      databaseUrl,
    };
    for (const person of people) {
      await control(google.url, '/users', { email: person.email, name: person.email });
    }
    const accounts = await prepareAccounts(
      serviceEnv({ ...settings, telegram: null }),
      google.url,
      people,
    );
    const env = {
      ...serviceEnv({ ...settings, telegram: telegram.url }),
      TELEGRAM_MODE: 'webhook',
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      PUBLIC_URL: balancer.url,
      ...extraEnv,
    };

    const instances: Instance[] = [];
    const start = async (index: number): Promise<Instance> => {
      const running = instances[index];
      if (running && running.cli.child.exitCode === null && running.cli.child.signalCode === null) {
        return running;
      }
      const cli = spawnCli(['start'], { ...env, PORT: String(ports[index]) });
      await cli.line((text) => text.includes('"msg":"tidings is listening"'));
      const instance = { index, url: direct[index]!, cli };
      instances[index] = instance;
      return instance;
    };
    closers.push(async () => {
      for (const instance of instances) instance?.cli.child.kill('SIGKILL');
      await Promise.all(instances.map((instance) => instance?.cli.exited));
    });
    await start(0);
    await start(1);

    return {
      google,
      telegram,
      chat,
      balancer,
      handle,
      accounts,
      instances,
      start,
      async kill(index) {
        const instance = instances[index]!;
        instance.cli.child.kill('SIGKILL');
        await instance.cli.exited;
      },
      async terminate(index) {
        const instance = instances[index]!;
        instance.cli.child.kill('SIGTERM');
        return instance.cli.exited;
      },
      async until(check, looks = 3_000) {
        for (let look = 0; look < looks; look++) {
          if (await check()) return true;
          await pause(20);
        }
        return false;
      },
      async inbox() {
        const { rows } = await sql<{
          rows: string;
          waiting: string;
          max_attempts: number | null;
          leases: string;
        }>`
          select count(*) as rows, count(*) filter (where done_at is null) as waiting,
            max(attempts) as max_attempts,
            (select count(*) from telegram_chat_leases) as leases
          from telegram_inbox`.execute(handle.db);
        const row = rows[0]!;
        return {
          rows: Number(row.rows),
          waiting: Number(row.waiting),
          maxAttempts: row.max_attempts ?? 0,
          leases: Number(row.leases),
        };
      },
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/** The first line of each message, up to ` ·` (what tells the answers apart). */
export function firstLines(messages: ReadonlyArray<{ text: string }>): string[] {
  return messages.map((message) => message.text.split('\n')[0]!.split(' ·')[0]!);
}
