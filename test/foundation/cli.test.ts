/**
 * The `tidings` command line as an operator meets it: real child processes on the pinned
 * Node, each with a fresh DATA_DIR and no stdin. Covers invalid settings, migrations,
 * online key rotation next to a running server (PGlite through the admin socket,
 * PostgreSQL directly), feature notices at start, SIGTERM and production refusal.
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cleanUpCliProcesses,
  freshDataDir,
  runCli,
  startServer,
  stopServer,
} from '../support/cli.harness.ts';
const POSTGRES_URL = process.env.DATABASE_URL ?? null;

cleanUpCliProcesses();

describe('settings', () => {
  it('exits 1 with one message listing every invalid setting', async () => {
    const result = await runCli(['migrate'], {
      DATA_DIR: await freshDataDir(),
      PORT: 'x',
      DATABASE_URL: 'mysql://x',
    });
    expect(result).toStrictEqual({
      code: 1,
      stdout: [],
      stderr:
        'Tidings cannot start: 2 settings are wrong.\n' +
        '  - PORT must be a port number, e.g. 8080\n' +
        '  - DATABASE_URL must be a PostgreSQL URL, e.g. postgres://user:pass@host:5432/tidings\n' +
        'Set them in the environment (or a .env file loaded by your process manager) and start again.\n',
    });
  });

  it('refuses to start in production without TIDINGS_MASTER_KEY', async () => {
    const result = await runCli(['start'], {
      DATA_DIR: await freshDataDir(),
      NODE_ENV: 'production',
      PUBLIC_URL: 'https://tidings.example.com',
      PORT: '0',
    });
    expect(result).toStrictEqual({
      code: 1,
      stdout: [],
      stderr:
        'Tidings cannot start: 1 setting is wrong.\n' +
        "  - TIDINGS_MASTER_KEY is required in production (generate one: node -e \"console.log(require('crypto').randomBytes(32).toString('base64'))\")\n" +
        'Set them in the environment (or a .env file loaded by your process manager) and start again.\n',
    });
  });
});

describe('tidings migrate', () => {
  it('applies the migrations once and then reports the schema up to date', {
    timeout: 180_000,
  }, async () => {
    // No cache folder can be made under a file: the fresh folder is created from scratch
    // (with the template, it would already be at the latest schema).
    const blocked = path.join(await freshDataDir(), 'file');
    await writeFile(blocked, '');
    const env = { DATA_DIR: await freshDataDir(), CACHE_DIR: path.join(blocked, 'cache') };
    const first = await runCli(['migrate'], env);
    const second = await runCli(['migrate'], env);
    expect({
      first: { code: first.code, stdout: first.stdout.filter((line) => !line.startsWith('{')) },
      second,
    }).toStrictEqual({
      first: {
        code: 0,
        stdout: [
          'applied: 0001-initial, 0002-connections-hardening, 0003-telegram-state, 0004-risc, 0005-connect-ticket-binding, 0006-chat-context, 0007-telegram-inbox, 0008-watches',
          'schema version: 0008-watches',
        ],
      },
      second: {
        code: 0,
        stdout: ['already up to date', 'schema version: 0008-watches'],
        stderr: '',
      },
    });
  });

  it('reports the schema up to date when run against a running server', {
    timeout: 180_000,
  }, async () => {
    const env = { DATA_DIR: await freshDataDir() };
    const { cli } = await startServer(env);
    const migrate = await runCli(['migrate'], env);
    await stopServer(cli);
    expect(migrate).toStrictEqual({
      code: 0,
      stdout: ['already up to date', 'schema version: 0008-watches'],
      stderr: '',
    });
  });
});

describe('tidings start', () => {
  it('stops cleanly on a signal sent twice, the moment it says it listens', {
    timeout: 180_000,
  }, async () => {
    // `npm start` passes a signal sent to its process group on to Node, so Node gets it
    // twice; a signal can also come while the jobs are still starting after the listening
    // line. The second must not kill the process before it has stopped.
    const { cli } = await startServer({ DATA_DIR: await freshDataDir() });
    cli.child.kill('SIGTERM');
    cli.child.kill('SIGTERM');
    const stopped = await cli.exited;
    const messages = cli.stdout.map((line) => (JSON.parse(line) as { msg?: unknown }).msg);
    expect({ stopped, shuttingDown: messages.includes('shutting down') }).toStrictEqual({
      stopped: { code: 0, signal: null },
      shuttingDown: true,
    });
  });

  it('logs which features stay off and exits 0 on SIGTERM', { timeout: 180_000 }, async () => {
    const { cli, url } = await startServer({ DATA_DIR: await freshDataDir() });
    const health = await fetch(`${url}/healthz`);
    const stopped = await stopServer(cli);
    const messages = cli.stdout
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((entry) => entry.reqId === undefined)
      .map((entry) => entry.msg);
    const listening = messages.indexOf('tidings is listening');
    expect({
      health: health.status,
      stopped,
      afterListening: messages.slice(listening + 1),
      stderr: cli.stderr(),
    }).toStrictEqual({
      health: 200,
      stopped: { code: 0, signal: null },
      afterListening: [
        'Google connect is off: set GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET',
        'Telegram bot is off: set TELEGRAM_BOT_TOKEN',
        '/metrics is off: set METRICS_TOKEN',
        'shutting down',
      ],
      stderr: '',
    });
  });
});

/** Rotates keys with a second process while `start` serves, then checks the result. */
async function rotateWhileRunning(env: Record<string, string>) {
  const quiet = { ...env, LOG_LEVEL: 'error' };
  const { cli, url } = await startServer(env);
  const rotate = await runCli(['keys', 'rotate'], quiet);
  const ready = await fetch(`${url}/readyz`);
  const status = await runCli(['keys', 'status'], quiet);
  const alive = cli.child.exitCode === null;
  const stopped = await stopServer(cli);
  return {
    rotate,
    alive,
    ready: { status: ready.status, body: await ready.json() },
    status,
    stopped,
  };
}

const ROTATE_LINES = [
  'vault key version 2 is now current',
  're-wrapped 0 record key(s)',
  'older versions stay usable until retired: tidings keys retire <version>',
];

const ROTATED = {
  rotate: {
    code: 0,
    stdout: ROTATE_LINES,
    stderr: '',
  },
  alive: true,
  ready: { status: 200, body: { status: 'ready', database: 'ok' } },
  status: {
    code: 0,
    stdout: ['v1  active   0 record(s)', 'v2  current  0 record(s)'],
    stderr: '',
  },
  stopped: { code: 0, signal: null },
};

describe('tidings keys rotate while the server runs on PGlite', () => {
  it('rotates through the admin socket and the server keeps answering', {
    timeout: 180_000,
  }, async () => {
    expect(await rotateWhileRunning({ DATA_DIR: await freshDataDir() })).toStrictEqual(ROTATED);
  });
});

describe.runIf(POSTGRES_URL)('tidings keys rotate while the server runs on PostgreSQL', () => {
  const schema = `cli_${randomBytes(6).toString('hex')}`;

  async function admin(text: string) {
    const client = new pg.Client({ connectionString: POSTGRES_URL! });
    await client.connect();
    try {
      await client.query(text);
    } finally {
      await client.end();
    }
  }

  beforeAll(() => admin(`create schema ${schema}`));
  afterAll(() => admin(`drop schema if exists ${schema}_pgboss, ${schema} cascade`));

  it('rotates in a second process and the server keeps answering', {
    timeout: 180_000,
  }, async () => {
    const url = new URL(POSTGRES_URL!);
    url.searchParams.set('options', `-c search_path=${schema}`);
    const env = { DATA_DIR: await freshDataDir(), DATABASE_URL: url.toString() };
    expect(await rotateWhileRunning(env)).toStrictEqual(ROTATED);
  });
});
