/**
 * The `tidings` command line as tests meet it: real child processes on the pinned Node,
 * each with exactly the environment given (plus PATH), no stdin, and a fresh DATA_DIR.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach } from 'vitest';

export const ROOT = path.resolve(import.meta.dirname, '../..');
const NODE = path.join(ROOT, 'node_modules/.bin/node');
const CLI = path.join(ROOT, 'src/cli.ts');

const running = new Set<ChildProcess>();
const dataDirs: string[] = [];

/** A port free on 127.0.0.1 a moment ago, for a process that needs one before it starts. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function freshDataDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tidings-cli-'));
  dataDirs.push(dir);
  return dir;
}

/** Spawns the CLI with exactly `env` (plus PATH): nothing leaks in from the test runner. */
export function spawnCli(args: string[], env: Record<string, string>) {
  const child = spawn(NODE, [CLI, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const stdout: string[] = [];
  let stderr = '';
  let partial = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    stdout.push(...parts);
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('close', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    });
  });
  return {
    child,
    stdout,
    stderr: () => stderr,
    exited,
    /** Resolves with the first stdout line passing `test`; rejects if the process ends first. */
    line(test: (line: string) => boolean): Promise<string> {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = stdout.find(test);
          if (found === undefined) return;
          child.stdout?.off('data', check);
          resolve(found);
        };
        child.stdout?.on('data', check);
        check();
        exited.then(({ code }) =>
          reject(new Error(`the CLI exited (${code}) before printing the line:\n${stderr}`)),
        );
      });
    },
  };
}

/** Runs a CLI command to completion. */
export async function runCli(args: string[], env: Record<string, string>) {
  const cli = spawnCli(args, env);
  const { code } = await cli.exited;
  return { code, stdout: cli.stdout, stderr: cli.stderr() };
}

/** Starts `tidings start` and resolves with its URL once it logs that it is listening. */
export type Cli = ReturnType<typeof spawnCli>;

export async function startServer(env: Record<string, string>): Promise<{ cli: Cli; url: string }> {
  const cli = spawnCli(['start'], { PORT: '0', ...env });
  const line = await cli.line((text) => text.includes('"msg":"tidings is listening"'));
  return { cli, url: (JSON.parse(line) as { url: string }).url };
}

/**
 * SIGTERM, then how the process ended. A server that does not stop on it hangs the test
 * until its timeout: the check needs no clock of its own, so a busy machine cannot fail it.
 */
export async function stopServer(cli: Cli) {
  cli.child.kill('SIGTERM');
  const { code, signal } = await cli.exited;
  return { code, signal };
}

/** Kills what a test left running and removes the data folders when the file is done. */
export function cleanUpCliProcesses(): void {
  afterEach(() => {
    for (const child of running) child.kill('SIGKILL');
    running.clear();
  });

  afterAll(async () => {
    for (const dir of dataDirs) await rm(dir, { recursive: true, force: true });
  });
}
