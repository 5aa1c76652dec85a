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
import type { TestDatabase, TestDatabaseHandle } from './databases.harness.ts';

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
    GOOGLE_RISC_ISSUER: google.url,
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
  const link = await stack.app.parts.frontDoor.connectLink(userId);
  return followConnectLink(link.url);
}

export interface StartedConnect {
  /** The status of the page or redirect that ended the start step. */
  status: number;
  html: string;
  /** The binding cookie (`name=value`) and Google's authorization URL, when it redirected. */
  cookie: string | null;
  authorizeUrl: string | null;
  /** The whole `Set-Cookie` header of the redirect. */
  setCookie: string | null;
}

/** Opens a connect link like a browser: the "Continue to Google" page, then its button. */
export async function startConnect(url: string): Promise<StartedConnect> {
  const page = await fetch(url, { redirect: 'manual' });
  const html = await page.text();
  const form =
    /<form method="post" action="([^"]+)">\s*<input type="hidden" name="ticket" value="([^"]+)">/.exec(
      html,
    );
  if (page.status !== 200 || !form) {
    return { status: page.status, html, cookie: null, authorizeUrl: null, setCookie: null };
  }
  const post = await fetch(form[1]!.replaceAll('&amp;', '&'), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ticket: form[2]! }),
    redirect: 'manual',
  });
  const setCookie = post.headers.get('set-cookie');
  return {
    status: post.status,
    html: post.status === 303 ? '' : await post.text(),
    cookie: setCookie ? (setCookie.split(';')[0] ?? null) : null,
    authorizeUrl: post.headers.get('location'),
    setCookie,
  };
}

/** start → Google authorize (auto-approved) → callback, carrying the cookie. */
export async function followConnectLink(
  url: string,
  options: { dropCookie?: boolean } = {},
): Promise<BrowserResult> {
  const start = await startConnect(url);
  if (start.status !== 303 || !start.authorizeUrl)
    return { status: start.status, html: start.html, callbackUrl: null, cookie: null };
  const cookie = start.cookie ?? '';
  const authorize = await fetch(start.authorizeUrl, { redirect: 'manual' });
  const callbackUrl = authorize.headers.get('location');
  if (!callbackUrl)
    return { status: authorize.status, html: await authorize.text(), callbackUrl: null, cookie };
  const callback = await fetch(callbackUrl, {
    headers: options.dropCookie ? {} : { cookie },
    redirect: 'manual',
  });
  return { status: callback.status, html: await callback.text(), callbackUrl, cookie };
}
