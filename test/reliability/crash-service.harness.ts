/**
 * What the crash-safety suite runs Tidings with: the settings of `tidings start` as a
 * child process on a data folder (PGlite) or a schema of its own (PostgreSQL), wired to
 * one in-process Google sandbox and the Telegram gate (`crash-telegram-gate.harness.ts`);
 * the accounts it serves, made by the real app in this process before the child first
 * starts; a way to know a token request is at Google; and a look into the database.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as pause } from 'node:timers/promises';
import { PGlite } from '@electric-sql/pglite';
import type { Kysely } from 'kysely';
import { sendAdminCommand } from '../../src/admin/index.ts';
import { createApiKeyStore } from '../../src/api-keys/index.ts';
import { startApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { TOKEN_PURPOSE } from '../../src/connections/index.ts';
import { type Database, type DatabaseHandle, wrapPglite } from '../../src/db/index.ts';
import { createLogger } from '../../src/log.ts';
import { createVault, parseMasterKeys } from '../../src/vault/index.ts';
import { followConnectLink } from '../support/stack.harness.ts';
import { ROOT } from '../support/cli.harness.ts';

/** The bot's token at the Telegram sandbox (any well-formed token works there). */
export const BOT_TOKEN = `7000000003:${randomBytes(24).toString('base64url')}`;

export interface Account {
  email: string;
  userId: string;
  apiKey: string;
  connectionId: string;
  telegramId: number | null;
}

/** The settings the child (and the app that prepares its accounts) starts with. */
export function serviceEnv(options: {
  dataDir: string;
  masterKey: string;
  google: string;
  telegram: string | null;
  databaseUrl: string | null;
}): Record<string, string> {
  return {
    DATA_DIR: options.dataDir,
    TIDINGS_MASTER_KEY: options.masterKey,
    GOOGLE_CLIENT_ID: 'tidings-demo',
    GOOGLE_CLIENT_SECRET: 'tidings-demo-secret',
    GOOGLE_ISSUER: options.google,
    GOOGLE_RISC_ISSUER: options.google,
    GOOGLE_API_ROOT: options.google,
    ...(options.telegram
      ? { TELEGRAM_BOT_TOKEN: BOT_TOKEN, TELEGRAM_API_ROOT: options.telegram }
      : {}),
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
  };
}

/**
 * Makes the accounts with the real app on the child's database, then stops it: one user
 * per email, each with an API key and a connected Google account (consent auto-approved
 * at the sandbox); `telegramIds` gives some of them a Telegram chat.
 */
export async function prepareAccounts(
  env: Record<string, string>,
  google: string,
  people: Array<{ email: string; telegramId: number | null }>,
): Promise<Account[]> {
  const config = loadConfig({ ...env, PORT: '0' });
  const app = await startApp(config, { jobs: false, logger: createLogger('warn') });
  try {
    const keys = createApiKeyStore(app.services.database.db, app.services.now);
    const accounts: Account[] = [];
    for (const { email, telegramId } of people) {
      const user = await app.parts.frontDoor.users.create({
        displayName: email,
        telegramUserId: telegramId === null ? null : String(telegramId),
      });
      await control(google, '/auto-approve', { email });
      const link = await app.parts.frontDoor.connectLink(user.id);
      const connected = await followConnectLink(link.url);
      if (connected.status !== 200) throw new Error(`could not connect ${email}`);
      const [connection] = await app.parts.frontDoor.connections.list(user.id);
      const { key } = await keys.create(user.id, 'crash-safety');
      accounts.push({
        email,
        userId: user.id,
        apiKey: key,
        connectionId: connection!.id,
        telegramId,
      });
    }
    return accounts;
  } finally {
    await app.stop();
  }
}

/** A call to the Google sandbox's control API. */
export async function control(
  google: string,
  route: string,
  body?: unknown,
  method = body === undefined ? 'GET' : 'POST',
): Promise<Response> {
  return fetch(`${google}/__sandbox${route}`, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
}

async function tokenCalls(google: string): Promise<number> {
  const stats = (await (await control(google, '/stats')).json()) as {
    requests: Record<string, number>;
  };
  return stats.requests['POST /token'] ?? 0;
}

/**
 * Runs `start` and resolves once the sandbox has received one more token request than
 * before it (the request is then held there by an injected latency). Looks at most
 * `tries` times.
 */
export async function untilAtGoogle(google: string, start: () => void, tries = 3_000) {
  const before = await tokenCalls(google);
  start();
  for (let i = 0; i < tries; i++) {
    if ((await tokenCalls(google)) > before) return;
    await pause(5);
  }
  throw new Error('the token request never reached the Google sandbox');
}

let wasm: Promise<{
  pgliteWasmModule: WebAssembly.Module;
  initdbWasmModule: WebAssembly.Module;
}> | null = null;

/**
 * Opens the data folder's embedded database as `tidings start` does, in this process
 * (compiling PGlite's WebAssembly once, not at every round).
 */
async function openDataFolder(dataDir: string): Promise<DatabaseHandle> {
  wasm ??= (async () => {
    const dist = path.join(ROOT, 'node_modules/@electric-sql/pglite/dist');
    const compile = async (file: string) =>
      WebAssembly.compile(await readFile(path.join(dist, file)));
    return {
      pgliteWasmModule: await compile('pglite.wasm'),
      initdbWasmModule: await compile('initdb.wasm'),
    };
  })();
  return wrapPglite(await PGlite.create(path.join(dataDir, 'pglite'), await wasm));
}

/** What a process left in the database, read after it was killed. */
export interface Leftovers {
  /** Refresh leases still on a connection, with when they run out. */
  leases: Array<{ connectionId: string; until: Date | null }>;
  /** Connections whose stored tokens open with the master key (of those with tokens). */
  bundlesOpened: number;
  connections: Array<{ id: string; status: string; sealed: boolean }>;
  notifications: Array<{
    id: string;
    delivered: boolean;
    claimedUntil: Date | null;
    attempts: number;
  }>;
  users: number;
  apiKeys: number;
}

async function readLeftovers(db: Kysely<Database>, masterKey: string): Promise<Leftovers> {
  const vault = await createVault(db, parseMasterKeys(masterKey));
  const rows = await db
    .selectFrom('connections')
    .select(['id', 'status', 'token_ciphertext', 'refresh_lease', 'refreshing_until'])
    .orderBy('created_at')
    .execute();
  let bundlesOpened = 0;
  for (const row of rows) {
    if (row.token_ciphertext === null) continue;
    const opened = await vault.open(
      { purpose: TOKEN_PURPOSE, recordId: row.id },
      row.token_ciphertext,
    );
    const bundle = JSON.parse(opened.toString('utf8')) as { refreshToken?: unknown };
    if (typeof bundle.refreshToken === 'string' && bundle.refreshToken.length > 0) bundlesOpened++;
  }
  const notifications = await db
    .selectFrom('notifications')
    .select(['id', 'delivered_at', 'claimed_until', 'attempts'])
    .orderBy('id')
    .execute();
  const count = async (table: 'users' | 'api_keys') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    leases: rows
      .filter((row) => row.refresh_lease !== null)
      .map((row) => ({ connectionId: row.id, until: row.refreshing_until })),
    bundlesOpened,
    connections: rows.map((row) => ({
      id: row.id,
      status: row.status,
      sealed: row.token_ciphertext !== null,
    })),
    notifications: notifications.map((row) => ({
      id: String(row.id),
      delivered: row.delivered_at !== null,
      claimedUntil: row.claimed_until,
      attempts: row.attempts,
    })),
    users: await count('users'),
    apiKeys: await count('api_keys'),
  };
}

/**
 * The child's database as the suite reads it: PostgreSQL directly (`db`); the embedded
 * one — a single process's — by opening the data folder once the child is dead, and over
 * the admin socket while it runs.
 */
export function childDatabase(options: {
  db: Kysely<Database> | null;
  dataDir: string;
  masterKey: string;
}) {
  const { db, dataDir, masterKey } = options;

  async function deliveredIds(): Promise<Set<string>> {
    if (db) {
      const rows = await db
        .selectFrom('notifications')
        .select('id')
        .where('delivered_at', 'is not', null)
        .execute();
      return new Set(rows.map((row) => String(row.id)));
    }
    const answer = await sendAdminCommand(dataDir, { command: 'notifications.list', args: [] });
    return new Set(
      (answer?.ok ? answer.lines : [])
        .filter((line) => line.includes(' delivered '))
        .map((line) => line.split(' ')[0]!),
    );
  }

  return {
    /** What the dead child left; null when the data folder does not open. */
    async leftovers(): Promise<Leftovers | null> {
      if (db) return readLeftovers(db, masterKey);
      try {
        const opened = await openDataFolder(dataDir);
        try {
          return await readLeftovers(opened.db, masterKey);
        } finally {
          await opened.close();
        }
      } catch {
        return null;
      }
    },
    /** Looks (a bounded number of times) until notification `id` is delivered. */
    async untilDelivered(id: string): Promise<boolean> {
      for (let look = 0; look < 1_500; look++) {
        if ((await deliveredIds()).has(id)) return true;
        await pause(20);
      }
      return false;
    },
    /** PostgreSQL: looks (a bounded number of times) until no lease is live; answers how many still are. */
    async untilLeasesRunOut(): Promise<number> {
      let live = 0;
      for (let look = 0; look < 500; look++) {
        const rows = await db!
          .selectFrom('connections')
          .select('id')
          .where('refreshing_until', '>', new Date())
          .execute();
        live = rows.length;
        if (live === 0) return 0;
        await pause(20);
      }
      return live;
    },
  };
}
