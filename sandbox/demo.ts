/**
 * `npm run demo`: the whole product offline. Starts the Google sandbox with the seed data,
 * the Telegram sandbox with its web chat, and Tidings wired to both on the embedded
 * database in a fresh folder (its Cross-Account Protection receiver registered with the
 * Google sandbox). New-mail alerts look every `WATCH_INTERVAL_SECONDS` (10 in the demo
 * unless set); the web chat's "Drop a new mail" button, or a control call, puts a new mail
 * into the demo mailbox. Prints the URLs, `ready`, then a short script to try.
 * Ctrl-C stops everything. When something cannot start (a port in use), whatever did start
 * is closed again and the error says which flag picks another port.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PREPARING_DATABASE, startApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/log.ts';
import { RISC_PATH } from '../src/risc/index.ts';
import { resolveMasterKeys } from '../src/vault/index.ts';
import { startGoogleSandbox } from './google/index.ts';
import { DEFAULT_MODEL, startModelSandbox } from './llm/index.ts';
import { createTelegramControl, startTelegramSandbox } from './telegram/index.ts';
import type { DemoMail, DemoMailOptions } from './telegram/index.ts';

/** A well-formed bot token for the Telegram sandbox (it accepts any). */
const DEMO_BOT_TOKEN = '7000000001:DEMO-tidings-sandbox-bot-token-abcdef';

function port(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535)
    throw new Error(`${name} must be a port number (0 = any free port)`);
  return parsed;
}

/** Starts one part; a port already in use becomes a sentence naming the flag to change. */
async function listening<T>(flag: string, chosen: number, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (error) {
    if ((error as { code?: unknown }).code === 'EADDRINUSE') {
      throw new Error(`port ${chosen} is in use: pass ${flag} 0 or another port`, {
        cause: error,
      });
    }
    throw error;
  }
}

const MODEL_SETTINGS = [
  'LLM_BASE_URL',
  'LLM_MODEL',
  'LLM_API_KEY',
  'LLM_MAX_STEPS',
  'LLM_TIMEOUT_SECONDS',
  'LLM_MAX_OUTPUT_TOKENS',
] as const;

/** The model settings of the environment, as `npm start` would read them. */
function modelSettings(env: Record<string, string | undefined>): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const name of MODEL_SETTINGS) {
    const value = env[name];
    if (value !== undefined) settings[name] = value;
  }
  return settings;
}

/** The mailbox the demo's new mail goes to (the seeded user with the rich mailbox). */
const DEMO_MAILBOX = 'alex@example.com';

/** How often the demo looks for new mail, unless the environment says. */
const DEMO_WATCH_INTERVAL_SECONDS = '10';

const CANNED_MAIL: readonly DemoMail[] = [
  { from: 'Alice Chen <alice@northwind.example>', subject: 'Invoice 2291' },
  { from: 'Dana Whitfield <dana@lumenhealth.example>', subject: 'Can we move Thursday?' },
  { from: 'Harbor Bank <statements@harborbank.example>', subject: 'Your statement is ready' },
];

/** The web chat's "Drop a new mail": the mail goes into the demo mailbox at the sandbox. */
function demoMail(googleUrl: string, everySeconds: number): DemoMailOptions {
  return {
    to: DEMO_MAILBOX,
    everySeconds,
    canned: CANNED_MAIL,
    async drop(mail) {
      const response = await fetch(`${googleUrl}/__sandbox/users/${DEMO_MAILBOX}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          ...mail,
          text: `${mail.subject}\n\nDropped into the demo mailbox from the web chat.`,
        }),
      });
      const answer = (await response.json()) as { id?: string; message?: string };
      if (response.status === 201 && answer.id) return { id: answer.id };
      return { refused: answer.message ?? `the mailbox answered ${response.status}` };
    },
  };
}

/** `--model scripted`: the offline stand-in for a chat model, cooperative like a good one. */
async function scriptedModel(chosen: number) {
  const sandbox = await listening('--model-port', chosen, () =>
    startModelSandbox({ port: chosen, mode: 'cooperative' }),
  );
  return {
    sandbox,
    settings: { LLM_BASE_URL: sandbox.url, LLM_MODEL: DEFAULT_MODEL },
  };
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
      model: { type: 'string' },
      'model-port': { type: 'string' },
    },
    strict: true,
  });
  const ports = {
    app: port(values.port, 8080, '--port'),
    google: port(values['google-port'], 4010, '--google-port'),
    telegram: port(values['telegram-port'], 4020, '--telegram-port'),
    model: port(values['model-port'], 4030, '--model-port'),
  };
  if (values.model !== undefined && values.model !== 'scripted') {
    throw new Error('--model takes one value, scripted (or set LLM_BASE_URL and LLM_MODEL)');
  }
  const base = env.DATA_DIR ?? '.data';
  const dataDir =
    values['data-dir'] ?? path.join(base, `demo-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  // The demo's master key lives in its folder, so a second run on it opens the same vault.
  const [masterKey] = (await resolveMasterKeys(null, dataDir)).keys;

  const running: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of running.reverse()) await stop().catch(() => {});
    running.length = 0;
  };
  try {
    const google = await listening('--google-port', ports.google, () =>
      startGoogleSandbox({ port: ports.google }),
    );
    running.push(() => google.close());
    const watchSeconds = env.WATCH_INTERVAL_SECONDS ?? DEMO_WATCH_INTERVAL_SECONDS;
    const telegram = await listening('--telegram-port', ports.telegram, () =>
      startTelegramSandbox({
        port: ports.telegram,
        demoMail: demoMail(google.url, Number(watchSeconds)),
      }),
    );
    running.push(() => telegram.close());
    const model = values.model === 'scripted' ? await scriptedModel(ports.model) : null;
    if (model) running.push(() => model.sandbox.close());
    const config = loadConfig({
      PORT: String(ports.app),
      DATA_DIR: dataDir,
      // Where the embedded database template is cached (the default place when unset).
      CACHE_DIR: env.CACHE_DIR,
      TIDINGS_MASTER_KEY: masterKey?.key.toString('base64'),
      GOOGLE_CLIENT_ID: 'tidings-demo',
      GOOGLE_CLIENT_SECRET: 'tidings-demo-secret',
      GOOGLE_ISSUER: google.url,
      GOOGLE_RISC_ISSUER: google.url,
      GOOGLE_API_ROOT: google.url,
      TELEGRAM_BOT_TOKEN: DEMO_BOT_TOKEN,
      TELEGRAM_API_ROOT: telegram.url,
      LOG_LEVEL: env.LOG_LEVEL ?? 'warn',
      // New-mail alerts look sooner than the product's default, so the demo shows them.
      WATCH_INTERVAL_SECONDS: watchSeconds,
      // A model answers what the intent router cannot: the one given, or the scripted one.
      ...modelSettings(env),
      ...(model ? model.settings : {}),
    });
    const app = await listening('--port', ports.app, () =>
      startApp(config, {
        logger: createLogger(config.logLevel),
        // The first demo on a machine prepares the embedded database: say so while it does.
        onPreparingDatabase: () => console.log(PREPARING_DATABASE),
      }),
    );
    running.push(() => app.stop());
    // Cross-Account Protection: a revocation in the sandbox reaches Tidings at once.
    const receiver = await fetch(`${google.url}/__sandbox/risc/receivers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_id: 'tidings-demo', url: `${app.url}${RISC_PATH}` }),
    });
    if (receiver.status !== 201) throw new Error('the Google sandbox refused the RISC receiver');
    // BotFather's /setdomain: connect buttons are login buttons bound to who presses them.
    await createTelegramControl(telegram.url).settings({ loginDomain: new URL(app.url).hostname });

    console.log(`tidings: ${app.url}`);
    console.log(`google sandbox: ${google.url}`);
    console.log(`telegram sandbox: ${telegram.url}`);
    console.log(`web chat: ${telegram.url}/chat`);
    if (config.llm) console.log(`model: ${config.llm.model} at ${config.llm.baseUrl}`);
    console.log('ready');
    console.log(`
Open the web chat and try:
  /start                      say hello
  /connect                    press the button, pick alex@example.com, Allow
  what's on tomorrow?
  anything from Alice about the invoice?
  am I free friday at 3?
  /unread   /actions   /week   /help${
    config.llm
      ? `
With the model, questions the router cannot place:
  How much is the Northwind invoice?
  Where is lunch with Alice Chen?`
      : ''
  }
Revoke the grant at Google, and the chat says so within seconds (Cross-Account Protection):
  curl -X POST -H 'content-type: application/json' -d '{}' ${google.url}/__sandbox/users/alex@example.com/revoke
New mail: /watch from:alice, press "Drop a new mail" in the web chat (or POST JSON {from, subject, text} to ${google.url}/__sandbox/users/${DEMO_MAILBOX}/messages), the alert comes within ${config.watch.intervalMs / 1000} s
Data: ${path.resolve(dataDir)} (embedded database; delete the folder to start over)
Ctrl-C stops everything.`);

    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
  } finally {
    await stopAll();
  }
}
