/**
 * The deployment files, checked without Docker or systemd running: the systemd unit passes
 * `systemd-analyze verify` (its paths pointed at this checkout) and keeps its hardening; the
 * Dockerfile and docker-compose.yml, which cannot be built here, keep what they promise
 * (Node 24, a user that is not root, production dependencies only, a health check on
 * /readyz that is run for real against a server, PostgreSQL with a health check); the
 * settings example lists exactly the settings `src/config.ts` reads; the proxy examples
 * forward to Tidings, keep /metrics private and leave MCP unbuffered.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  cleanUpCliProcesses,
  freshDataDir,
  ROOT,
  startServer,
  stopServer,
} from '../support/cli.harness.ts';

const run = promisify(execFile);
const read = (file: string) => readFile(path.join(ROOT, file), 'utf8');
const CI = process.env.CI === 'true';

cleanUpCliProcesses();

/** A program on PATH (or at an absolute path), or null. */
function findProgram(name: string): string | null {
  if (path.isAbsolute(name)) return existsSync(name) ? name : null;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, name))) return path.join(dir, name);
  }
  return null;
}

/** Whether a tool the check needs is missing: fails under CI, says so and skips elsewhere. */
function missingTool(name: string, why: string, requiredInCi: boolean): boolean {
  if (findProgram(name)) return false;
  const message = `${name} is not installed: ${why}`;
  if (CI && requiredInCi) throw new Error(`${message} (CI must have it).`);
  console.log(`\n[deploy] SKIPPED: ${message}.\n`);
  return true;
}

/** `Key=value` lines of a unit file, by key, in order (a key may repeat). */
function unitSettings(text: string): Map<string, string[]> {
  const settings = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const match = /^([A-Za-z]+)=(.*)$/.exec(line.trim());
    if (!match) continue;
    const [, key = '', value = ''] = match;
    settings.set(key, [...(settings.get(key) ?? []), value]);
  }
  return settings;
}

/** Dockerfile instructions, continuation lines joined, comments dropped. */
function dockerInstructions(text: string): { name: string; args: string }[] {
  const joined = text
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n/g, ' ');
  return joined
    .split('\n')
    .map((line) => /^\s*([A-Za-z]+)\s+(.*)$/.exec(line))
    .filter((match) => match !== null)
    .map(([, name = '', args = '']) => ({ name: name.toUpperCase(), args: args.trim() }));
}

/**
 * The block under `keys` in a YAML file of plain maps and lists (docker-compose.yml): its
 * inline value and the lines indented under it. Null when a key is missing.
 */
function yamlAt(text: string, keys: string[]): { value: string; lines: string[] } | null {
  let lines = text.split('\n').filter((line) => line.trim() !== '' && !/^\s*#/.test(line));
  let value = '';
  for (const key of keys) {
    const indent = Math.min(...lines.map((line) => line.search(/\S/)));
    const at = lines.findIndex(
      (line) => line.search(/\S/) === indent && line.trim().startsWith(`${key}:`),
    );
    if (at === -1) return null;
    value = (lines[at] ?? '')
      .trim()
      .slice(key.length + 1)
      .trim();
    const end = lines.findIndex((line, i) => i > at && line.search(/\S/) <= indent);
    lines = lines.slice(at + 1, end === -1 ? undefined : end);
  }
  return { value, lines: lines.map((line) => line.trim()) };
}

/** The path where the unit, the Dockerfile and the docs expect the pinned Node. */
const UNIT_NODE = '/opt/tidings/node_modules/node/bin/node';

/** Runs `systemd-analyze verify` on a copy of `unitText` whose /opt/tidings is this checkout. */
async function verifyUnit(unitText: string): Promise<{ ok: boolean; problems: string[] }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tidings-unit-'));
  try {
    const file = path.join(dir, 'tidings.service');
    await writeFile(file, unitText.replaceAll('/opt/tidings', ROOT));
    const outcome = await run('systemd-analyze', ['verify', file], { cwd: dir }).then(
      ({ stderr }) => ({ ok: true, stderr }),
      (error: { stderr?: string }) => ({ ok: false, stderr: error.stderr ?? String(error) }),
    );
    // Only what concerns this unit: the host's own units may have warnings of their own.
    const problems = outcome.stderr
      .split('\n')
      .filter((line) => line.includes(file) || line.includes('tidings.service'));
    return { ok: outcome.ok, problems };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('the systemd unit (deploy/systemd/tidings.service)', () => {
  const noAnalyze = missingTool(
    'systemd-analyze',
    'the unit file is not verified (apt-get install systemd)',
    true,
  );

  it.skipIf(noAnalyze)('passes systemd-analyze verify', { timeout: 60_000 }, async () => {
    const unit = await read('deploy/systemd/tidings.service');
    expect(existsSync(path.join(ROOT, 'node_modules/node/bin/node'))).toBe(true);
    expect(await verifyUnit(unit)).toStrictEqual({ ok: true, problems: [] });
  });

  it.skipIf(noAnalyze)(
    'fails the same check for a misspelt setting or a missing program',
    { timeout: 60_000 },
    async () => {
      const unit = await read('deploy/systemd/tidings.service');
      const misspelt = await verifyUnit(unit.replace('ProtectHome=yes', 'ProtectHome=maybe'));
      const missing = await verifyUnit(
        unit.replace(/^ExecStart=.*$/m, `ExecStart=${UNIT_NODE}js src/cli.ts start`),
      );
      expect({ misspelt: misspelt.problems.length > 0, missing: missing.ok }).toStrictEqual({
        misspelt: true,
        missing: false,
      });
    },
  );

  it('runs the pinned Node as an unprivileged user, hardened, with room for the JIT', async () => {
    const unit = unitSettings(await read('deploy/systemd/tidings.service'));
    const one = (key: string) => unit.get(key)?.join(' ') ?? null;
    expect({
      ExecStart: one('ExecStart'),
      WorkingDirectory: one('WorkingDirectory'),
      User: one('User'),
      EnvironmentFile: one('EnvironmentFile'),
      dataDirIsStateDirectory:
        one('StateDirectory') === 'tidings' &&
        (one('Environment') ?? '').split(/\s+/).includes('DATA_DIR=/var/lib/tidings'),
      ProtectSystem: one('ProtectSystem'),
      ProtectHome: one('ProtectHome'),
      NoNewPrivileges: one('NoNewPrivileges'),
      PrivateTmp: one('PrivateTmp'),
      CapabilityBoundingSet: one('CapabilityBoundingSet'),
      RestrictAddressFamilies: one('RestrictAddressFamilies')?.split(/\s+/).sort() ?? null,
      systemService: (one('SystemCallFilter') ?? '').split(/\s+/).includes('@system-service'),
      SystemCallErrorNumber: one('SystemCallErrorNumber'),
      MemoryDenyWriteExecute: one('MemoryDenyWriteExecute'),
      Restart: one('Restart'),
      KillSignal: one('KillSignal'),
      stopTimeout: /^\d+s$/.test(one('TimeoutStopSec') ?? ''),
    }).toStrictEqual({
      ExecStart: `${UNIT_NODE} --liftoff-only src/cli.ts start`,
      WorkingDirectory: '/opt/tidings',
      User: 'tidings',
      EnvironmentFile: '/etc/tidings/tidings.env',
      dataDirIsStateDirectory: true,
      ProtectSystem: 'strict',
      ProtectHome: 'yes',
      NoNewPrivileges: 'yes',
      PrivateTmp: 'yes',
      CapabilityBoundingSet: '',
      RestrictAddressFamilies: ['AF_INET', 'AF_INET6', 'AF_UNIX'],
      systemService: true,
      SystemCallErrorNumber: 'EPERM',
      MemoryDenyWriteExecute: null,
      Restart: 'on-failure',
      KillSignal: 'SIGTERM',
      stopTimeout: true,
    });
  });
});

describe('the Dockerfile', () => {
  it('builds on Node 24 with production dependencies only and runs Node as a non-root user', async () => {
    const steps = dockerInstructions(await read('Dockerfile'));
    const args = (name: string) => steps.filter((s) => s.name === name).map((s) => s.args);
    const env = args('ENV').join(' ');
    const cmd = JSON.parse(args('CMD').at(-1) ?? 'null') as string[] | null;
    expect({
      from: args('FROM').map((from) => /^node:24(-[\w.-]+)?$/.test(from)),
      user: ['', 'root', '0'].includes(args('USER').at(-1) ?? ''),
      installsProductionOnly: args('RUN').some((r) => /\bnpm ci --omit=dev\b/.test(r)),
      skipsNoInstallScripts: args('RUN').some((r) => r.includes('--ignore-scripts')),
      copies: args('COPY').map((copy) => copy.split(/\s+/)[0]),
      host: /\bHOST=0\.0\.0\.0\b/.test(env),
      dataDir: /\bDATA_DIR=\/data\b/.test(env),
      volume: args('VOLUME'),
      expose: args('EXPOSE'),
      stopSignal: args('STOPSIGNAL'),
      healthcheckOnReadyz: args('HEALTHCHECK').some((h) => h.includes('/readyz')),
      cmd,
    }).toStrictEqual({
      from: [true],
      user: false,
      installsProductionOnly: true,
      skipsNoInstallScripts: false,
      copies: ['package.json', 'bin', 'src', 'sandbox'],
      host: true,
      dataDir: true,
      volume: ['["/data"]'],
      expose: ['8080'],
      stopSignal: ['SIGTERM'],
      healthcheckOnReadyz: true,
      cmd: ['/app/node_modules/node/bin/node', '--liftoff-only', 'src/cli.ts', 'start'],
    });
  });

  it('keeps the checkout heavy parts and local secrets out of the build context', async () => {
    const ignored = (await read('.dockerignore')).split('\n').map((line) => line.trim());
    expect(
      ['node_modules', '.git', '.data', '.env', 'deploy/*.env'].filter((p) => !ignored.includes(p)),
    ).toStrictEqual([]);
  });

  it('has a health check that passes while Tidings is ready and fails once it stops', {
    timeout: 120_000,
  }, async () => {
    const line = dockerInstructions(await read('Dockerfile')).find((s) => s.name === 'HEALTHCHECK');
    const [program = '', ...argv] = JSON.parse(
      /\bCMD\s+(\[.*\])$/.exec(line?.args ?? '')?.[1] ?? '[]',
    ) as string[];
    const node = program.replace(/^\/app\//, `${ROOT}/`);
    const { cli, url } = await startServer({ DATA_DIR: await freshDataDir(), HOST: '127.0.0.1' });
    const port = new URL(url).port;
    const check = () =>
      run(node, argv, { env: { PATH: process.env.PATH ?? '', PORT: port } }).then(
        () => 0,
        (error: { code?: number }) => error.code ?? -1,
      );
    const whileUp = await check();
    const stopped = await stopServer(cli);
    expect({ whileUp, stopped: stopped.code, afterStop: await check() }).toStrictEqual({
      whileUp: 0,
      stopped: 0,
      afterStop: 1,
    });
  });
});

describe('docker-compose.yml', () => {
  it('runs Tidings after a healthy PostgreSQL it reaches by service name', async () => {
    const compose = await read('docker-compose.yml');
    const at = (...keys: string[]) => yamlAt(compose, ['services', ...keys]);
    const pgEnv = (key: string) => at('postgres', 'environment', key)?.value ?? '';
    expect({
      postgresImage: /^postgres:\d+/.test(at('postgres', 'image')?.value ?? ''),
      postgresHealthcheck: /pg_isready/.test(at('postgres', 'healthcheck', 'test')?.value ?? ''),
      postgresPublished: at('postgres', 'ports') !== null,
      dependsOn: at('tidings', 'depends_on', 'postgres', 'condition')?.value,
      databaseUrl: at('tidings', 'environment', 'DATABASE_URL')?.value,
      envFile: at('tidings', 'env_file')?.lines,
      ports: at('tidings', 'ports')?.lines,
      build: at('tidings', 'build')?.value,
      dataVolume: at('tidings', 'volumes')?.lines.some((v) => /:\/data$/.test(v)),
    }).toStrictEqual({
      postgresImage: true,
      postgresHealthcheck: true,
      postgresPublished: false,
      dependsOn: 'service_healthy',
      databaseUrl: `postgres://${pgEnv('POSTGRES_USER')}:\${POSTGRES_PASSWORD}@postgres:5432/${pgEnv('POSTGRES_DB')}`,
      envFile: ['- deploy/tidings.env'],
      ports: ['- "127.0.0.1:8080:8080"'],
      build: '.',
      dataVolume: true,
    });
  });
});

/** Settings `tidings mcp` reads: it runs beside a server, so they are not the server's. */
const CLIENT_ONLY = ['TIDINGS_API_KEY', 'TIDINGS_URL'];

describe('the settings example (deploy/tidings.env.example)', () => {
  it('names exactly the settings src/config.ts reads', async () => {
    const config = await read('src/config.ts');
    const readByConfig = new Set([
      ...[...config.matchAll(/^ {4}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1] ?? ''),
      ...[...config.matchAll(/\b(?:e|env)\.([A-Z][A-Z0-9_]+)\b/g)].map((m) => m[1] ?? ''),
    ]);
    const example = await read('deploy/tidings.env.example');
    const listed = new Set([...example.matchAll(/^#? ?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));
    expect({
      foundTheSchema: ['PUBLIC_URL', 'TIDINGS_MASTER_KEY', 'LOG_LEVEL'].every((k) =>
        readByConfig.has(k),
      ),
      missing: [...readByConfig].filter((k) => !listed.has(k) && !CLIENT_ONLY.includes(k)).sort(),
      unknown: [...listed].filter((k) => k && !readByConfig.has(k)).sort(),
      clientOnly: CLIENT_ONLY.filter((k) => readByConfig.has(k)),
    }).toStrictEqual({
      foundTheSchema: true,
      missing: [],
      unknown: [],
      clientOnly: CLIENT_ONLY,
    });
  });

  it('holds no value, so it carries no secret and overrides no default of the unit or image', async () => {
    const example = await read('deploy/tidings.env.example');
    const assigned = [...example.matchAll(/^([A-Z][A-Z0-9_]+)=(.*)$/gm)];
    expect({
      withValues: assigned.filter(([, , value]) => value !== '').map(([line]) => line),
      required: assigned.map(([, key]) => key).filter((k) => k === 'PUBLIC_URL'),
    }).toStrictEqual({ withValues: [], required: ['PUBLIC_URL'] });
  });
});

describe('the reverse proxy examples', () => {
  it('forward to Tidings, keep /metrics private, allow 1 MiB bodies and leave MCP unbuffered', async () => {
    const caddy = await read('deploy/caddy/Caddyfile');
    const nginx = await read('deploy/nginx/tidings.conf');
    const megabytes = (text: string, pattern: RegExp) => Number(pattern.exec(text)?.[1] ?? 0);
    const mcpBlock = /location = \/mcp \{([^}]*)\}/.exec(nginx)?.[1] ?? '';
    expect({
      caddy: {
        upstream: /reverse_proxy 127\.0\.0\.1:8080\b/.test(caddy),
        metrics: /@metrics path \/metrics\b[^\n]*\n\s*respond @metrics 404/.test(caddy),
        bodyAboveTidingsLimit: megabytes(caddy, /max_size (\d+)MB/) > 1,
        unbuffered: /flush_interval -1/.test(caddy),
      },
      nginx: {
        upstream: /proxy_pass http:\/\/127\.0\.0\.1:8080;/.test(nginx),
        metrics: /location \^~ \/metrics \{\s*return 404;\s*\}/.test(nginx),
        bodyAboveTidingsLimit: megabytes(nginx, /client_max_body_size (\d+)m;/) > 1,
        unbuffered: /proxy_buffering off;/.test(mcpBlock),
      },
    }).toStrictEqual({
      caddy: { upstream: true, metrics: true, bodyAboveTidingsLimit: true, unbuffered: true },
      nginx: { upstream: true, metrics: true, bodyAboveTidingsLimit: true, unbuffered: true },
    });
  });

  const noNginx = missingTool('nginx', 'the nginx example is not syntax-checked', false);

  it.skipIf(noNginx)('passes nginx -t', { timeout: 60_000 }, async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tidings-nginx-'));
    try {
      await run('openssl', [
        ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=tidings.example.com'],
        ...['-keyout', `${dir}/key.pem`, '-out', `${dir}/cert.pem`, '-days', '1'],
      ]);
      const site = (await read('deploy/nginx/tidings.conf'))
        .replace(/ssl_certificate (\S+);/, `ssl_certificate ${dir}/cert.pem;`)
        .replace(/ssl_certificate_key (\S+);/, `ssl_certificate_key ${dir}/key.pem;`);
      await writeFile(path.join(dir, 'site.conf'), site);
      const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(
        (kind) => `${kind}_temp_path ${dir}/${kind};`,
      );
      await writeFile(
        path.join(dir, 'nginx.conf'),
        `pid ${dir}/nginx.pid;\nerror_log ${dir}/error.log;\nevents {}\nhttp {\naccess_log off;\n${temp.join('\n')}\ninclude ${dir}/site.conf;\n}\n`,
      );
      const { stderr } = await run('nginx', ['-t', '-p', dir, '-c', `${dir}/nginx.conf`]);
      expect(stderr).toContain('test is successful');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
