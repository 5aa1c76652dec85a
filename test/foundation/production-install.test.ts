/**
 * What a production install (`npm ci --omit=dev`) must be enough for. A fast check walks
 * the imports the CLI can load at run time (`tidings start`, and the demo and sandboxes it
 * imports dynamically) and finds every package they name in `dependencies`. A slow one
 * makes that install from what a clean clone holds, in a temporary folder, and starts the
 * demo there on the Node the install brings.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

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
 * The environment of the test run, without what npm and vitest set for it and without this
 * checkout's `node_modules/.bin`, so that only the temporary install is used.
 */
function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || /^(npm_|VITEST|NODE_ENV$|NODE_OPTIONS$)/.test(key)) continue;
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
 * Collects a child's stdout lines; `until(last)` resolves with the lines up to and including
 * `last` as soon as it is printed, and rejects if the process ends first.
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
    until(last: string): Promise<string[]> {
      return new Promise((resolve, reject) => {
        const check = () => {
          const at = lines.indexOf(last);
          if (at === -1) return;
          waiters.delete(check);
          resolve(lines.slice(0, at + 1));
        };
        waiters.add(check);
        check();
        closed.then(() =>
          reject(
            new Error(
              `the demo ended before printing "${last}":\n${lines.join('\n')}\n${stderr()}`,
            ),
          ),
        );
      });
    },
  };
}

const URL_LINE =
  /^(tidings|google sandbox|telegram sandbox|web chat): (http:\/\/127\.0\.0\.1:\d+\S*)$/;

describe('a production install (npm ci --omit=dev)', () => {
  it('holds no dev tool, and npm run demo starts on it and answers', {
    timeout: 5 * 60_000,
  }, async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tidings-production-'));
    let demo: ChildProcess | null = null;
    try {
      // What a clean clone holds, less the tests.
      for (const entry of ['package.json', 'package-lock.json', 'bin', 'src', 'sandbox']) {
        await cp(path.join(ROOT, entry), path.join(dir, entry), { recursive: true });
      }
      await run('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline'], dir);
      const lock = JSON.parse(await readFile(path.join(dir, 'package-lock.json'), 'utf8')) as {
        packages: Record<string, { dev?: boolean }>;
      };
      const devOnlyInstalled = Object.entries(lock.packages)
        .filter(([where, entry]) => entry.dev && existsSync(path.join(dir, where)))
        .map(([where]) => where);

      const dataDir = path.join(dir, 'data');
      const ports = ['--port', '0', '--google-port', '0', '--telegram-port', '0'];
      const child = spawn('npm', ['run', 'demo', '--', ...ports, '--data-dir', dataDir], {
        cwd: dir,
        env: cleanEnv(),
        stdio: ['ignore', 'pipe', 'pipe'],
        // Its own process group: npm, the shell and the demo's Node stop together.
        detached: true,
      });
      demo = child;
      let stderr = '';
      child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
      });
      const printed = await stdoutLines(child, () => stderr).until('ready');
      const urls = printed
        .map((line) => URL_LINE.exec(line))
        .filter((match) => match !== null)
        .map(([, name, url]) => ({ name, url }));
      const tidings = urls.find((u) => u.name === 'tidings')?.url ?? 'http://127.0.0.1:9';
      const health = await fetch(`${tidings}/healthz`);
      expect({
        devOnlyInstalled,
        devToolsInstalled: ['vitest', 'typescript', '@biomejs/biome'].filter((name) =>
          existsSync(path.join(dir, 'node_modules', name)),
        ),
        contract: printed.slice(-5).map((line) => line.replace(/:\d+/, ':PORT')),
        chatIsTelegram: urls[3]?.url === `${urls[2]?.url}/chat`,
        health: { status: health.status, body: await health.json() },
      }).toStrictEqual({
        devOnlyInstalled: [],
        devToolsInstalled: [],
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
    } finally {
      if (demo?.pid !== undefined && demo.exitCode === null) {
        const exited = new Promise((resolve) => demo?.once('close', resolve));
        process.kill(-demo.pid, 'SIGINT');
        const killer = setTimeout(() => {
          if (demo?.pid !== undefined && demo.exitCode === null) process.kill(-demo.pid, 'SIGKILL');
        }, 10_000);
        await exited;
        clearTimeout(killer);
      }
      await rm(dir, { recursive: true, force: true });
    }
  });
});
