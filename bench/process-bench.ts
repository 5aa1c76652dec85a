/**
 * The process as people run it: real `tidings start` and `tidings demo` processes on the
 * pinned Node, in fresh temporary folders, timed from spawn to the line that says they
 * are ready, and their resident memory read from `/proc/<pid>/status` once they idle.
 *
 * - `process.idle_rss_mb`: `tidings start` on PGlite a few seconds after it is ready;
 *   baseline a bare Node process that only waits (the runtime's own floor).
 * - `process.idle_rss_mb_pg`: the same on PostgreSQL, in a private schema dropped after
 *   (skipped, with a line saying so, when no server answers).
 * - `process.start_warm_ms`: `tidings start` on a folder that already holds a database,
 *   spawn to listening; baseline a bare Node start, spawn to its first line.
 * - `demo.ready_fresh_ms`: `tidings demo` on a fresh folder with the database template
 *   cached; baseline the same with a cache folder that cannot be written (every fresh
 *   folder then runs initdb and every migration, as before the template existed).
 * - `demo.ready_first_ever_ms`: the same with an empty cache folder (the template is made
 *   on this start); full runs only.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { defaultCacheDir } from '../src/db/template.ts';
import { alone, type Figures, versus } from './report.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const NODE = path.join(ROOT, 'node_modules/node/bin/node');
const CLI = path.join(ROOT, 'src/cli.ts');
/**
 * How `npm start`, `npm run demo`, `bin/tidings.js`, the image and the systemd unit run
 * Node: WebAssembly (the embedded database) on V8's baseline compiler only.
 */
const SERVER_FLAGS = (process.env.BENCH_SERVER_FLAGS ?? '--liftoff-only')
  .split(' ')
  .filter(Boolean);
const POSTGRES_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const LISTENING = '"msg":"tidings is listening"';

interface Spawned {
  child: ChildProcess;
  /** Milliseconds from spawn until the first stdout line passing `test`. */
  readyAfter(test: (line: string) => boolean): Promise<number>;
  /** Signals the process and resolves once it has exited. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

const running = new Set<ChildProcess>();

/** Spawns `args` with exactly `env` (plus PATH), stdout read line by line. */
function spawnTimed(args: string[], env: Record<string, string>): Spawned {
  const started = performance.now();
  const child = spawn(NODE, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const exited = new Promise<void>((resolve) =>
    child.once('close', () => {
      running.delete(child);
      resolve();
    }),
  );
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const lines: Array<{ line: string; at: number }> = [];
  let partial = '';
  const waiting = new Set<() => void>();
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    const at = performance.now();
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) lines.push({ line, at });
    for (const check of waiting) check();
  });
  return {
    child,
    readyAfter(test) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = lines.find(({ line }) => test(line));
          if (!found) return;
          waiting.delete(check);
          resolve(found.at - started);
        };
        waiting.add(check);
        check();
        exited.then(() =>
          reject(new Error(`${args.slice(1).join(' ')} exited before it was ready:\n${stderr}`)),
        );
      });
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** Resident memory of a running process, in MB. */
async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

const idle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const made: string[] = [];
async function folder(name: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), `tidings-bench-${name}-`));
  made.push(dir);
  return dir;
}

/** `tidings start` until listening: how long it took, and the running process. */
async function start(env: Record<string, string>) {
  const server = spawnTimed([...SERVER_FLAGS, CLI, 'start'], { PORT: '0', ...env });
  try {
    return { server, ms: await server.readyAfter((line) => line.includes(LISTENING)) };
  } catch (error) {
    await server.stop('SIGKILL');
    throw error;
  }
}

/** `tidings demo` on a fresh folder until it prints ready; stopped after. */
async function demoReadyMs(cacheDir: string): Promise<number> {
  const ports = ['--port', '0', '--google-port', '0', '--telegram-port', '0'];
  const demo = spawnTimed(
    [...SERVER_FLAGS, CLI, 'demo', ...ports, '--data-dir', await folder('demo')],
    {
      CACHE_DIR: cacheDir,
    },
  );
  try {
    return await demo.readyAfter((line) => line === 'ready');
  } finally {
    await demo.stop('SIGINT');
  }
}

/** A bare Node process: time to its first line, and its resident memory once idle. */
async function bareNode(settleMs: number) {
  const bare = spawnTimed(['-e', "console.log('ready'); setInterval(() => {}, 1e3)"], {});
  try {
    const ms = await bare.readyAfter((line) => line === 'ready');
    await idle(settleMs);
    return { ms, rss: await rssMb(bare.child.pid!) };
  } finally {
    await bare.stop();
  }
}

/** A private schema on the benchmark PostgreSQL, or null when no server answers. */
async function postgresSchema(): Promise<{ url: string; drop: () => Promise<void> } | null> {
  const admin = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2_000 });
  try {
    await admin.connect();
  } catch {
    await admin.end().catch(() => {});
    return null;
  }
  const schema = `bench_process_${randomBytes(6).toString('hex')}`;
  await admin.query(`create schema ${schema}`);
  const url = new URL(POSTGRES_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: url.toString(),
    async drop() {
      try {
        await admin.query(`drop schema if exists ${schema}_pgboss cascade`);
        await admin.query(`drop schema if exists ${schema} cascade`);
      } finally {
        await admin.end();
      }
    },
  };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

export async function processFigures(options: { quick: boolean }): Promise<Figures> {
  const samples = options.quick ? 1 : 3;
  const settleMs = options.quick ? 1_000 : 4_000;
  const figures: Figures = {};
  try {
    // The template: made now on an empty cache folder (timed, full runs), or the machine's
    // own cache in quick runs, made there if missing.
    const cacheDir = options.quick ? defaultCacheDir() : await folder('cache');
    const firstEver = await demoReadyMs(cacheDir);
    if (!options.quick) figures['demo.ready_first_ever_ms'] = alone(firstEver, 'ms');

    // A cache folder nobody can make: under a file.
    const blocked = path.join(await folder('blocked'), 'file');
    await writeFile(blocked, '');
    const fresh: number[] = [];
    const oldPath: number[] = [];
    for (let i = 0; i < samples; i += 1) {
      fresh.push(await demoReadyMs(cacheDir));
      oldPath.push(await demoReadyMs(path.join(blocked, 'cache')));
    }
    figures['demo.ready_fresh_ms'] = versus(median(fresh), 'ms', median(oldPath));

    // Warm start and idle memory on PGlite: a folder made by a first start, then reopened.
    const dataDir = await folder('data');
    const env = { DATA_DIR: dataDir, CACHE_DIR: cacheDir };
    await (await start(env)).server.stop();
    const warm: number[] = [];
    const bareStart: number[] = [];
    const rss: number[] = [];
    const bareRss: number[] = [];
    for (let i = 0; i < samples; i += 1) {
      const { server, ms } = await start(env);
      try {
        warm.push(ms);
        await idle(settleMs);
        rss.push(await rssMb(server.child.pid!));
      } finally {
        await server.stop();
      }
      const bare = await bareNode(settleMs);
      bareStart.push(bare.ms);
      bareRss.push(bare.rss);
    }
    figures['process.start_warm_ms'] = versus(median(warm), 'ms', median(bareStart));
    figures['process.idle_rss_mb'] = versus(median(rss), 'MB', median(bareRss));

    const postgres = await postgresSchema();
    if (!postgres) {
      console.log(`process.idle_rss_mb_pg skipped: no PostgreSQL answers at ${POSTGRES_URL}`);
    } else {
      try {
        const pgRss: number[] = [];
        // One folder for every sample: it holds the development master key that the
        // schema's vault is wrapped by after the first start.
        const pgEnv = { DATA_DIR: await folder('pg'), DATABASE_URL: postgres.url };
        for (let i = 0; i < samples; i += 1) {
          const { server } = await start(pgEnv);
          try {
            await idle(settleMs);
            pgRss.push(await rssMb(server.child.pid!));
          } finally {
            await server.stop();
          }
        }
        figures['process.idle_rss_mb_pg'] = versus(median(pgRss), 'MB', median(bareRss));
      } finally {
        await postgres.drop();
      }
    }
    return figures;
  } finally {
    for (const child of running) child.kill('SIGKILL');
    for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true });
  }
}
