/**
 * What a production install (`npm ci --omit=dev`) must be enough for. A fast check walks
 * the imports the CLI can load at run time (`tidings start`, and the demo and sandboxes it
 * imports dynamically) and finds every package they name in `dependencies`. A slow one
 * makes that install from what a clean clone holds, in a temporary folder, once, and runs
 * there, on the Node the install brings, the demo and the service itself (`npm start`:
 * health, readiness, and a clean exit on SIGTERM sent to npm, as a process manager would).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

interface PackageJson {
  dependencies?: Record<string, string>;
}

/**
 * `import … from 'x'`, `export … from 'x'`, `import 'x'` and `import('x')`. Group 1 marks
 * the type-only forms, which type stripping erases; comments are removed before matching.
 */
const SPECIFIER =
  /(?:^|[\s;}])(?:import|export)\s+(type\s+)?(?:[\w$*{}\s,]+?\s+from\s+)?['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** `grammy/types` → `grammy`, `@scope/name/x` → `@scope/name`. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return (specifier.startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1)).join('/');
}

/**
 * Every package the files reachable from `entries` import at run time (relative imports
 * followed, static and dynamic alike), with the first file that imports it.
 */
async function runtimePackages(
  entries: string[],
): Promise<{ files: Set<string>; packages: Map<string, string> }> {
  const files = new Set<string>();
  const packages = new Map<string, string>();
  const queue = entries.map((entry) => path.join(ROOT, entry));
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    if (files.has(file)) continue;
    files.add(file);
    const code = (await readFile(file, 'utf8'))
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/^\s*\/\/.*$/gm, '');
    for (const [, typeOnly, fromClause, fromCall] of code.matchAll(SPECIFIER)) {
      const specifier = fromClause ?? fromCall;
      if (typeOnly || !specifier || specifier.startsWith('node:')) continue;
      if (specifier.startsWith('.')) queue.push(path.resolve(path.dirname(file), specifier));
      else if (!packages.has(packageOf(specifier))) {
        packages.set(packageOf(specifier), path.relative(ROOT, file));
      }
    }
  }
  return { files, packages };
}

async function packageJson(dir: string): Promise<PackageJson> {
  return JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as PackageJson;
}

describe('the packages the product runs on', () => {
  it('are all dependencies, not devDependencies, from the CLI through the demo and sandboxes', async () => {
    const { files, packages } = await runtimePackages(['bin/tidings.js', 'src/cli.ts']);
    const { dependencies = {} } = await packageJson(ROOT);
    const missing = Object.fromEntries([...packages].filter(([name]) => !(name in dependencies)));
    expect({
      // The walk went through the dynamic imports into both sandboxes.
      reached: ['sandbox/demo.ts', 'sandbox/google/index.ts', 'sandbox/telegram/index.ts'].map(
        (file) => files.has(path.join(ROOT, file)),
      ),
      missing,
    }).toStrictEqual({ reached: [true, true, true], missing: {} });
  });

  it('include the Node that npm scripts run the TypeScript on', async () => {
    const { dependencies = {} } = await packageJson(ROOT);
    expect(Object.keys(dependencies)).toContain('node');
  });
});

/**
 * The environment of the test run, without what npm and vitest set for it, without
 * Tidings' own settings (`DATABASE_URL` of a PostgreSQL run among them: the install runs on
 * its own embedded databases) and without this checkout's `node_modules/.bin`, so that only
 * the temporary install is used.
 */
function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (
      value === undefined ||
      /^(npm_|VITEST|NODE_ENV$|NODE_OPTIONS$|DATABASE_URL$|TIDINGS_|GOOGLE_|TELEGRAM_|LLM_|DATA_DIR$|PUBLIC_URL$|METRICS_TOKEN$)/.test(
        key,
      )
    )
      continue;
    env[key] = value;
  }
  env.PATH = (process.env.PATH ?? '/usr/bin:/bin')
    .split(path.delimiter)
    .filter((dir) => dir !== '' && !path.resolve(dir).startsWith(ROOT))
    .join(path.delimiter);
  return env;
}

/** Runs a command to its end; rejects with its output when it fails. */
function run(command: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.once('error', reject);
    child.once('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${output}`));
    });
  });
}

/**
 * Collects a child's stdout lines; `until(test)` resolves with the lines up to and including
 * the first one passing `test` as soon as it is printed, and rejects if the process ends first.
 */
function stdoutLines(child: ChildProcess, stderr: () => string) {
  const lines: string[] = [];
  let partial = '';
  const waiters = new Set<() => void>();
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
    for (const wake of waiters) wake();
  });
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  return {
    until(test: (line: string) => boolean): Promise<string[]> {
      return new Promise((resolve, reject) => {
        const check = () => {
          const at = lines.findIndex(test);
          if (at === -1) return;
          waiters.delete(check);
          resolve(lines.slice(0, at + 1));
        };
        waiters.add(check);
        check();
        closed.then(() =>
          reject(
            new Error(
              `the process ended before printing the line awaited:\n${lines.join('\n')}\n${stderr()}`,
            ),
          ),
        );
      });
    },
  };
}

const URL_LINE =
  /^(tidings|google sandbox|telegram sandbox|web chat): (http:\/\/127\.0\.0\.1:\d+\S*)$/;

/**
 * Stops a detached child's whole process group with `signal`, SIGKILL after 10 s. When the
 * child itself has ended, what it started may not have (npm's Node): the group is killed.
 */
async function stopGroup(child: ChildProcess | null, signal: NodeJS.Signals): Promise<void> {
  if (child?.pid === undefined) return;
  if (child.exitCode !== null || child.signalCode !== null) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // The group is empty: nothing left to stop.
    }
    return;
  }
  const exited = new Promise((resolve) => child.once('close', resolve));
  process.kill(-child.pid, signal);
  const killer = setTimeout(() => {
    if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
  }, 10_000);
  await exited;
  clearTimeout(killer);
}

describe('a production install (npm ci --omit=dev)', () => {
  // One install for every test here: it is the slow part.
  let dir = '';
  let devOnlyInstalled: string[] = [];
  const running = new Set<ChildProcess>();

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tidings-production-'));
    // What a clean clone holds, less the tests.
    for (const entry of ['package.json', 'package-lock.json', 'bin', 'src', 'sandbox']) {
      await cp(path.join(ROOT, entry), path.join(dir, entry), { recursive: true });
    }
    await run('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline'], dir);
    const lock = JSON.parse(await readFile(path.join(dir, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { dev?: boolean }>;
    };
    devOnlyInstalled = Object.entries(lock.packages)
      .filter(([where, entry]) => entry.dev && existsSync(path.join(dir, where)))
      .map(([where]) => where);
  }, 5 * 60_000);

  afterEach(async () => {
    for (const child of running) await stopGroup(child, 'SIGKILL');
    running.clear();
  });

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** `npm run <script>` in the install, in its own process group (npm, shell and Node). */
  function npmRun(script: string, args: string[], env: Record<string, string> = {}) {
    const child = spawn('npm', ['run', script, ...(args.length ? ['--', ...args] : [])], {
      cwd: dir,
      env: { ...cleanEnv(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    running.add(child);
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('close', (code, signal) => resolve({ code, signal })),
    );
    return { child, lines: stdoutLines(child, () => stderr), exited };
  }

  it('holds no dev tool, and brings the Node the service units run', async () => {
    const node = path.join(dir, 'node_modules/node/bin/node');
    const version = await new Promise<string>((resolve, reject) => {
      const child = spawn(node, ['--version'], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk;
      });
      child.once('error', reject);
      child.once('close', () => resolve(out.trim()));
    });
    expect({
      devOnlyInstalled,
      devToolsInstalled: ['vitest', 'typescript', '@biomejs/biome'].filter((name) =>
        existsSync(path.join(dir, 'node_modules', name)),
      ),
      // deploy/systemd/tidings.service and the Dockerfile start this file directly.
      node24: /^v24\./.test(version),
    }).toStrictEqual({ devOnlyInstalled: [], devToolsInstalled: [], node24: true });
  });

  it('runs npm run demo and answers', { timeout: 3 * 60_000 }, async () => {
    const dataDir = path.join(dir, 'demo-data');
    const ports = ['--port', '0', '--google-port', '0', '--telegram-port', '0'];
    const demo = npmRun('demo', [...ports, '--data-dir', dataDir]);
    const printed = await demo.lines.until((line) => line === 'ready');
    const urls = printed
      .map((line) => URL_LINE.exec(line))
      .filter((match) => match !== null)
      .map(([, name, url]) => ({ name, url }));
    const tidings = urls.find((u) => u.name === 'tidings')?.url ?? 'http://127.0.0.1:9';
    const health = await fetch(`${tidings}/healthz`);
    expect({
      contract: printed.slice(-5).map((line) => line.replace(/:\d+/, ':PORT')),
      chatIsTelegram: urls[3]?.url === `${urls[2]?.url}/chat`,
      health: { status: health.status, body: await health.json() },
    }).toStrictEqual({
      contract: [
        'tidings: http://127.0.0.1:PORT',
        'google sandbox: http://127.0.0.1:PORT',
        'telegram sandbox: http://127.0.0.1:PORT',
        'web chat: http://127.0.0.1:PORT/chat',
        'ready',
      ],
      chatIsTelegram: true,
      health: { status: 200, body: { status: 'ok' } },
    });
    await stopGroup(demo.child, 'SIGINT');
  });

  /** Health and readiness of a server that logged its URL, as a client sees them. */
  async function probe(url: string) {
    const [health, ready] = await Promise.all([fetch(`${url}/healthz`), fetch(`${url}/readyz`)]);
    return {
      health: { status: health.status, body: await health.json() },
      ready: { status: ready.status, body: await ready.json() },
    };
  }
  const HEALTHY = {
    health: { status: 200, body: { status: 'ok' } },
    ready: { status: 200, body: { status: 'ready', database: 'ok' } },
  };
  const isListening = (line: string) => line.includes('"tidings is listening"');
  const isShuttingDown = (line: string) => line.includes('"shutting down"');
  const signalOf = (line: string | undefined) =>
    (JSON.parse(line ?? '{}') as { signal?: string }).signal;

  it('runs npm start, which answers /healthz and /readyz and stops on SIGTERM', {
    timeout: 3 * 60_000,
  }, async () => {
    // NODE_ENV unset (cleanEnv drops it): development, with a generated master key.
    const start = npmRun('start', [], {
      HOST: '127.0.0.1',
      PORT: '0',
      DATA_DIR: path.join(dir, 'start-data'),
    });
    const { url } = JSON.parse((await start.lines.until(isListening)).at(-1) ?? '{}') as {
      url: string;
    };
    const answers = await probe(url);
    // To the process group, as a terminal's Ctrl-C or systemd's default KillMode do: npm's
    // shell does not pass a signal sent to npm alone on to Node, which is why the unit and
    // the image run Node directly. Closing stdout means Node, which holds it, has ended too.
    if (start.child.pid !== undefined) process.kill(-start.child.pid, 'SIGTERM');
    await start.exited;
    const shutdown = (await start.lines.until(isShuttingDown)).at(-1);
    expect({ ...answers, signal: signalOf(shutdown) }).toStrictEqual({
      ...HEALTHY,
      signal: 'SIGTERM',
    });
  });

  it('runs the command the systemd unit and the image run, which exits 0 on SIGTERM', {
    timeout: 3 * 60_000,
  }, async () => {
    const child = spawn('node_modules/node/bin/node', ['src/cli.ts', 'start'], {
      cwd: dir,
      env: { ...cleanEnv(), HOST: '127.0.0.1', PORT: '0', DATA_DIR: path.join(dir, 'unit-data') },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    running.add(child);
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const lines = stdoutLines(child, () => stderr);
    const exited = new Promise((resolve) =>
      child.once('close', (code, signal) => resolve({ code, signal })),
    );
    const { url } = JSON.parse((await lines.until(isListening)).at(-1) ?? '{}') as {
      url: string;
    };
    const answers = await probe(url);
    child.kill('SIGTERM');
    const exit = await exited;
    const shutdown = (await lines.until(isShuttingDown)).at(-1);
    expect({ ...answers, exit, signal: signalOf(shutdown) }).toStrictEqual({
      ...HEALTHY,
      exit: { code: 0, signal: null },
      signal: 'SIGTERM',
    });
  });
});
