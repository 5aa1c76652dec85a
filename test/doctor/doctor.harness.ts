/**
 * `tidings doctor` against the sandboxes: an in-process Google sandbox with an OAuth
 * client of its own, a Telegram sandbox, and the environment a Tidings on them would
 * read (secrets random per world, so a test can look for them in the output). Helpers
 * register a RISC service account and stream, make servers that refuse or never answer,
 * and read one check's finding.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type GoogleSandbox, startGoogleSandbox } from '../../sandbox/google/index.ts';
import { startTelegramSandbox, type TelegramSandbox } from '../../sandbox/telegram/index.ts';
import { type Config, loadConfig } from '../../src/config.ts';
import type { CheckResult, DoctorDeps, DoctorReport } from '../../src/doctor/index.ts';

export const CLIENT_ID = 'doctor-app';
export const PUBLIC_URL = 'http://127.0.0.1:18080';
export const RISC_URL = `${PUBLIC_URL}/google/risc`;
const EVENT = 'https://schemas.openid.net/secevent';
export const ALL_RISC_EVENTS = [
  `${EVENT}/oauth/event-type/tokens-revoked`,
  `${EVENT}/oauth/event-type/token-revoked`,
  `${EVENT}/risc/event-type/sessions-revoked`,
  `${EVENT}/risc/event-type/account-disabled`,
  `${EVENT}/risc/event-type/account-enabled`,
  `${EVENT}/risc/event-type/account-credential-change-required`,
  `${EVENT}/risc/event-type/verification`,
];

export interface World {
  google: GoogleSandbox;
  telegram: TelegramSandbox;
  dataDir: string;
  secrets: {
    clientSecret: string;
    botToken: string;
    masterKey: string;
    webhookSecret: string;
    metricsToken: string;
  };
  /** The environment of a Tidings on these sandboxes, with `overrides` on top. */
  env(overrides?: Record<string, string>): Record<string, string>;
  config(overrides?: Record<string, string>): Config;
  deps: DoctorDeps;
  /** Writes a service account key file for the OAuth client, registered with the sandbox. */
  serviceAccount(options?: { roles?: string[] }): Promise<{ file: string; privateKey: string }>;
  /** Registers the client's RISC stream through the sandbox control API. */
  registerStream(url: string, events?: string[], status?: 'enabled' | 'disabled'): Promise<void>;
  close(): Promise<void>;
}

async function post(url: string, body: unknown): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return response.json();
}

export async function startWorld(
  options: { googleNow?: () => Date; telegramFetch?: typeof fetch } = {},
): Promise<World> {
  const google = await startGoogleSandbox({
    port: 0,
    seed: false,
    ...(options.googleNow ? { now: options.googleNow } : {}),
  });
  const telegram = await startTelegramSandbox({
    port: 0,
    ...(options.telegramFetch ? { fetch: options.telegramFetch } : {}),
  });
  const dataDir = await mkdtemp(path.join(tmpdir(), 'tidings-doctor-'));
  const secrets = {
    clientSecret: `GOCSPX-${randomBytes(18).toString('base64url')}`,
    botToken: `7000000003:${randomBytes(27).toString('base64url')}`,
    masterKey: randomBytes(32).toString('base64'),
    webhookSecret: randomBytes(24).toString('hex'),
    metricsToken: randomBytes(24).toString('hex'),
  };
  await post(`${google.url}/__sandbox/clients`, {
    client_id: CLIENT_ID,
    client_secret: secrets.clientSecret,
    allow_loopback_callback: true,
  });
  const env = (overrides: Record<string, string> = {}) => ({
    DATA_DIR: dataDir,
    PUBLIC_URL,
    TIDINGS_MASTER_KEY: secrets.masterKey,
    GOOGLE_CLIENT_ID: CLIENT_ID,
    GOOGLE_CLIENT_SECRET: secrets.clientSecret,
    GOOGLE_ISSUER: google.url,
    GOOGLE_RISC_ISSUER: google.url,
    GOOGLE_API_ROOT: google.url,
    GOOGLE_RISC_API_ROOT: google.url,
    TELEGRAM_BOT_TOKEN: secrets.botToken,
    TELEGRAM_API_ROOT: telegram.url,
    METRICS_TOKEN: secrets.metricsToken,
    ...overrides,
  });
  return {
    google,
    telegram,
    dataDir,
    secrets,
    env,
    config: (overrides) => loadConfig(env(overrides)),
    deps: { fetch, timeoutMs: 10_000, now: () => new Date() },
    async serviceAccount({ roles } = {}) {
      const key = (await post(`${google.url}/__sandbox/risc/service-accounts`, {
        client_id: CLIENT_ID,
        ...(roles ? { roles } : {}),
      })) as Record<string, string>;
      const file = path.join(dataDir, `service-account-${randomBytes(4).toString('hex')}.json`);
      await writeFile(file, JSON.stringify(key), { mode: 0o600 });
      return { file, privateKey: key.private_key ?? '' };
    },
    async registerStream(url, events = ALL_RISC_EVENTS, status = 'enabled') {
      await post(`${google.url}/__sandbox/risc/receivers`, {
        client_id: CLIENT_ID,
        url,
        events_requested: events,
        status,
      });
    },
    async close() {
      await google.close();
      await telegram.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A Bot API call on the Telegram sandbox, as the bot makes it. */
export async function botCall(
  world: World,
  method: string,
  params: Record<string, unknown> = {},
  token = world.secrets.botToken,
): Promise<unknown> {
  const response = await fetch(`${world.telegram.url}/bot${token}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(params),
  });
  return response.json();
}

/** A loopback URL where nothing listens any more. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** A server that takes requests and never answers them. */
export async function silentServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer(() => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function checkOf(report: DoctorReport, id: string): CheckResult {
  const found = report.checks.find((check) => check.id === id);
  if (!found) throw new Error(`no check ${id}`);
  return found;
}
