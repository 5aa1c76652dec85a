/**
 * `npm run demo`: the whole product offline. Starts the Google sandbox with the seed data,
 * the Telegram sandbox with its web chat, and Tidings wired to both on the embedded
 * database in a fresh folder. Prints the URLs, `ready`, then a short script to try.
 * Ctrl-C stops everything.
 */
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/log.ts';
import { startGoogleSandbox } from './google/index.ts';
import { startTelegramSandbox } from './telegram/index.ts';

/** A well-formed bot token for the Telegram sandbox (it accepts any). */
const DEMO_BOT_TOKEN = '7000000001:DEMO-tidings-sandbox-bot-token-abcdef';

function port(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535)
    throw new Error(`${name} must be a port number (0 = any free port)`);
  return parsed;
}

export async function runDemo(
  argv: string[],
  env: Record<string, string | undefined>,
): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      'google-port': { type: 'string' },
      'telegram-port': { type: 'string' },
      'data-dir': { type: 'string' },
    },
    strict: true,
  });
  const base = env.DATA_DIR ?? '.data';
  const dataDir =
    values['data-dir'] ?? path.join(base, `demo-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });

  const google = await startGoogleSandbox({
    port: port(values['google-port'], 4010, '--google-port'),
  });
  const telegram = await startTelegramSandbox({
    port: port(values['telegram-port'], 4020, '--telegram-port'),
  });
  const config = loadConfig({
    PORT: String(port(values.port, 8080, '--port')),
    DATA_DIR: dataDir,
    TIDINGS_MASTER_KEY: randomBytes(32).toString('base64'),
    GOOGLE_CLIENT_ID: 'tidings-demo',
    GOOGLE_CLIENT_SECRET: 'tidings-demo-secret',
    GOOGLE_ISSUER: google.url,
    GOOGLE_API_ROOT: google.url,
    TELEGRAM_BOT_TOKEN: DEMO_BOT_TOKEN,
    TELEGRAM_API_ROOT: telegram.url,
    LOG_LEVEL: env.LOG_LEVEL ?? 'warn',
  });
  const app = await startApp(config, { logger: createLogger(config.logLevel) });

  console.log(`tidings: ${app.url}`);
  console.log(`google sandbox: ${google.url}`);
  console.log(`telegram sandbox: ${telegram.url}`);
  console.log(`web chat: ${telegram.url}/chat`);
  console.log('ready');
  console.log(`
Open the web chat and try:
  /start                      say hello
  /connect                    press the button, pick alex@example.com, Allow
  what's on tomorrow?
  anything from Alice about the invoice?
  am I free friday at 3?
  /unread   /actions   /week   /help
Data: ${path.resolve(dataDir)} (embedded database; delete the folder to start over)
Ctrl-C stops everything.`);

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await app.stop();
  await telegram.close();
  await google.close();
}
