/**
 * The real OpenClaw for tests: its CLI from `npm run openclaw:install` (kept out of
 * Tidings' own dependencies: it is large), run on the Node 24 that comes with Tidings, in a
 * throw-away OpenClaw home. Starts its gateway and calls tools through `POST /tools/invoke`.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const NODE_24 = path.join(ROOT, 'node_modules', 'node', 'bin', 'node');

/** Where `npm run openclaw:install` puts OpenClaw; OPENCLAW_CLI overrides. */
export const OPENCLAW_CLI =
  process.env.OPENCLAW_CLI ??
  path.join(ROOT, '.openclaw-cli', 'node_modules', 'openclaw', 'openclaw.mjs');

export const OPENCLAW_INSTALLED = existsSync(OPENCLAW_CLI) && existsSync(NODE_24);

export interface OpenClawHome {
  home: string;
  configPath: string;
  run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  readConfig(): Promise<Record<string, unknown>>;
  writeConfig(config: Record<string, unknown>): Promise<void>;
  startGateway(token: string): Promise<Gateway>;
  remove(): Promise<void>;
}

export interface Gateway {
  url: string;
  invoke(tool: string, args: unknown): Promise<{ status: number; body: Record<string, unknown> }>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export async function createOpenClawHome(): Promise<OpenClawHome> {
  const home = await mkdtemp(path.join(tmpdir(), 'tidings-openclaw-'));
  // OpenClaw changes behaviour under a test runner (it reads VITEST, NODE_ENV=test): it
  // must run as an operator would run it.
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(VITEST|TEST$|NODE_ENV$)/.test(name)),
  );
  const env = {
    ...inherited,
    OPENCLAW_HOME: home,
    OPENCLAW_NO_AUTO_UPDATE: '1',
    NO_COLOR: '1',
    // OpenClaw runs npm for plugin installs: it must find Node 24 first.
    PATH: `${path.dirname(NODE_24)}${path.delimiter}${process.env.PATH ?? ''}`,
  };
  const configPath = path.join(home, '.openclaw', 'openclaw.json');
  const run = (args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        NODE_24,
        [OPENCLAW_CLI, ...args],
        { env, cwd: home, maxBuffer: 64 * 1024 * 1024 },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
          resolve({ code, stdout, stderr });
        },
      );
    });
  return {
    home,
    configPath,
    run,
    async readConfig() {
      return JSON.parse(await readFile(configPath, 'utf8')) as Record<string, unknown>;
    },
    async writeConfig(config) {
      await writeFile(configPath, `${JSON.stringify(config, null, 2)}\n`);
    },
    async startGateway(token) {
      const port = await freePort();
      const child: ChildProcess = spawn(
        NODE_24,
        [
          OPENCLAW_CLI,
          'gateway',
          '--allow-unconfigured',
          '--auth',
          'token',
          '--token',
          token,
          '--bind',
          'loopback',
          '--port',
          String(port),
        ],
        { env, cwd: home, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let output = '';
      await new Promise<void>((resolve, reject) => {
        const onData = (chunk: Buffer) => {
          output += chunk.toString();
          if (/\[gateway\] ready/.test(output)) resolve();
        };
        child.stdout?.on('data', onData);
        child.stderr?.on('data', onData);
        child.once('exit', (code) =>
          reject(new Error(`the gateway exited (${code}) before it was ready:\n${output}`)),
        );
      });
      const url = `http://127.0.0.1:${port}`;
      return {
        url,
        async invoke(tool, args) {
          const response = await fetch(`${url}/tools/invoke`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ tool, args }),
          });
          const text = await response.text();
          let body: Record<string, unknown>;
          try {
            body = JSON.parse(text) as Record<string, unknown>;
          } catch {
            body = { text };
          }
          return { status: response.status, body };
        },
        async stop() {
          if (child.exitCode !== null) return;
          const exited = new Promise((resolve) => child.once('exit', resolve));
          child.kill('SIGTERM');
          await exited;
        },
      };
    },
    async remove() {
      await rm(home, { recursive: true, force: true });
    },
  };
}
