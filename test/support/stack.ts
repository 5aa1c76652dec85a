/**
 * The whole product against the Google sandbox over real HTTP: Tidings started with
 * `startApp` on port 0 (PGlite or PostgreSQL from `DATABASES`), wired to an in-process
 * Google sandbox. Helpers drive the connect journey the way a browser would.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { type GoogleSandbox, startGoogleSandbox } from '../../sandbox/google/index.ts';
import {
  createTelegramControl,
  type TelegramControl,
  type TelegramSandbox,
  startTelegramSandbox,
} from '../../sandbox/telegram/index.ts';
import { type RunningApp, type StartOptions, startApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import type { TestDatabase, TestDatabaseHandle } from './databases.ts';

export interface Stack {
  google: GoogleSandbox;
  /** With `telegram: true`: the Telegram sandbox the bot talks to, and its control API. */
  telegram: TelegramSandbox | null;
  chat: TelegramControl | null;
  app: RunningApp;
  handle: TestDatabaseHandle;
  /** Every log line the app wrote. */
  logs: string[];
  masterKey: string;
  control(path: string, init?: { method?: string; body?: unknown }): Promise<Response>;
  stats(): Promise<{
    grants: { authorization_code: number; refresh_token: number };
    requests: Record<string, number>;
  }>;
  close(): Promise<void>;
}

export async function startStack(
  database: TestDatabase,
  options: {
    env?: Record<string, string>;
    start?: StartOptions;
    googleNow?: () => Date;
    telegram?: boolean;
  } = {},
): Promise<Stack> {
  const google = await startGoogleSandbox({
    port: 0,
    ...(options.googleNow ? { now: options.googleNow } : {}),
  });
  const telegram = options.telegram ? await startTelegramSandbox({ port: 0 }) : null;
  const handle = await database.open();
  const logs: string[] = [];
  const logger = createLogger(
    'debug',
    new Writable({
      write(chunk, _encoding, done) {
        logs.push(String(chunk));
        done();
      },
    }),
  );
  const masterKey = randomBytes(32).toString('base64');
  const config = loadConfig({
    PORT: '0',
    DATA_DIR: await mkdtemp(path.join(tmpdir(), 'tidings-test-')),
    TIDINGS_MASTER_KEY: masterKey,
    GOOGLE_CLIENT_ID: 'tidings-demo',
    GOOGLE_CLIENT_SECRET: 'tidings-demo-secret',
    GOOGLE_ISSUER: google.url,
    GOOGLE_API_ROOT: google.url,
    ...(telegram
      ? {
          TELEGRAM_BOT_TOKEN: `7000000002:${randomBytes(24).toString('base64url')}`,
          TELEGRAM_API_ROOT: telegram.url,
        }
      : {}),
    ...options.env,
  });
  const app = await startApp(config, {
    logger,
    database: handle,
    jobs: false,
    ...(handle.schema ? { jobsSchema: `${handle.schema}_boss` } : {}),
    ...options.start,
  });
  const control = (route: string, init: { method?: string; body?: unknown } = {}) =>
    fetch(`${google.url}/__sandbox${route}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      ...(init.body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(init.body) }),
    });
  return {
    google,
    telegram,
    chat: telegram ? createTelegramControl(telegram.url) : null,
    app,
    handle,
    logs,
    masterKey,
    control,
    async stats() {
      return (await (await control('/stats')).json()) as Awaited<ReturnType<Stack['stats']>>;
    },
    async close() {
      await app.stop();
      await handle.close();
      await google.close();
      await telegram?.close();
    },
  };
}

export interface BrowserResult {
  status: number;
  html: string;
  /** The callback URL the browser landed on (holds the one-time code). */
  callbackUrl: string | null;
  cookie: string | null;
}

/** Opens a connect link like a browser with consent auto-approved for `email`. */
export async function connectWithAutoApprove(
  stack: Stack,
  userId: string,
  email: string,
  scopes?: string[],
): Promise<BrowserResult> {
  await stack.control('/auto-approve', { body: scopes ? { email, scopes } : { email } });
  const link = await stack.app.core.frontDoor.connectLink(userId);
  return followConnectLink(link.url);
}

/** start → Google authorize (auto-approved) → callback, carrying the cookie. */
export async function followConnectLink(
  url: string,
  options: { dropCookie?: boolean } = {},
): Promise<BrowserResult> {
  const start = await fetch(url, { redirect: 'manual' });
  if (start.status !== 302)
    return { status: start.status, html: await start.text(), callbackUrl: null, cookie: null };
  const cookie = (start.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const authorize = await fetch(start.headers.get('location')!, { redirect: 'manual' });
  const callbackUrl = authorize.headers.get('location');
  if (!callbackUrl)
    return { status: authorize.status, html: await authorize.text(), callbackUrl: null, cookie };
  const callback = await fetch(callbackUrl, {
    headers: options.dropCookie ? {} : { cookie },
    redirect: 'manual',
  });
  return { status: callback.status, html: await callback.text(), callbackUrl, cookie };
}
