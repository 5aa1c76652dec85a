/**
 * Check 2: the database answers and carries every migration this version ships. With
 * `DATABASE_URL` the doctor connects itself; with the embedded database it asks the
 * running server that owns `DATA_DIR` (admin socket, `doctor.database`) and otherwise
 * opens it itself — without migrating, unlike `openServices`: the doctor only looks.
 * Hands the state it read on to the master-key check.
 */
import { access } from 'node:fs/promises';
import path from 'node:path';
import { sendAdminCommand } from '../admin/index.ts';
import type { Config } from '../config.ts';
import { openDatabase } from '../db/index.ts';
import {
  type DatabaseState,
  decodeDatabaseState,
  readDatabaseState,
  shippedMigrations,
} from './database-state.ts';
import { type DoctorDeps, formatSeconds, reasonOf } from './http-probe.ts';
import { type CheckResult, fail, pass } from './report.ts';
import { withinTime } from './time-limit.ts';

const ID = 'database';

export interface DatabaseFinding {
  result: CheckResult;
  /** What was read, or null when the database could not be read. */
  state: DatabaseState | null;
}

/** `postgres://host:5432/tidings`, without user or password. */
export function describePostgres(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    return '(unreadable URL)';
  }
}

/** SQLSTATEs a wrong `DATABASE_URL` gets, in words. */
const REFUSALS: Record<string, string> = {
  '28P01': 'the server refused the user name or password',
  '28000': 'the server does not let this user in',
  '3D000': 'the database named in the URL does not exist',
  '42501': 'the user may not read the tables',
};

function postgresReason(error: unknown, timeoutMs: number): string {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && REFUSALS[code]) return REFUSALS[code];
  if (error instanceof Error && error.name === 'TimeoutError') {
    return `no answer within ${formatSeconds(timeoutMs)}`;
  }
  return reasonOf(error, timeoutMs);
}

async function readPostgres(url: string, config: Config): Promise<DatabaseState> {
  const handle = await openDatabase({ databaseUrl: url, dataDir: config.dataDir, poolSize: 1 });
  try {
    return await readDatabaseState(handle.db);
  } finally {
    await handle.close();
  }
}

async function readEmbedded(config: Config): Promise<DatabaseState> {
  const handle = await openDatabase({ databaseUrl: null, dataDir: config.dataDir });
  try {
    return await readDatabaseState(handle.db);
  } finally {
    await handle.close();
  }
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

type Read = { ok: true; state: DatabaseState; source: string } | { ok: false; result: CheckResult };

async function readEmbeddedOrAskServer(config: Config, deps: DoctorDeps): Promise<Read> {
  const dir = config.dataDir;
  let answer: Awaited<ReturnType<typeof sendAdminCommand>>;
  try {
    answer = await withinTime(
      sendAdminCommand(dir, { command: 'doctor.database', args: [] }),
      deps.timeoutMs,
    );
  } catch (error) {
    return {
      ok: false,
      result: fail(
        ID,
        `the Tidings running on DATA_DIR (${dir}) did not answer on its admin socket: ${reasonOf(error, deps.timeoutMs)}`,
        'Check that the server is healthy (its log, GET /health), or stop it and run tidings doctor again.',
      ),
    };
  }
  if (answer) {
    const state = answer.ok ? decodeDatabaseState(answer.lines) : null;
    if (state) return { ok: true, state, source: `the running Tidings on DATA_DIR (${dir})` };
    return {
      ok: false,
      result: fail(
        ID,
        `a Tidings runs on DATA_DIR (${dir}) but cannot answer the doctor (${answer.ok ? 'unreadable answer' : answer.error})`,
        'The running server is probably another version of Tidings: run the doctor of that version, or stop the server and run tidings doctor again.',
      ),
    };
  }
  if (!(await exists(path.join(dir, 'pglite', 'PG_VERSION')))) {
    return {
      ok: false,
      result: fail(
        ID,
        `there is no database in DATA_DIR (${dir}) yet`,
        'Run tidings migrate (or tidings start) to create it; if your data is elsewhere, set DATA_DIR to that folder.',
      ),
    };
  }
  try {
    const state = await withinTime(readEmbedded(config), deps.timeoutMs);
    return { ok: true, state, source: `the embedded database in DATA_DIR (${dir})` };
  } catch (error) {
    const reason =
      error instanceof Error && error.name === 'TimeoutError'
        ? `no answer within ${formatSeconds(deps.timeoutMs)}`
        : ((error as Error).message.split('\n')[0] ?? 'it failed');
    return {
      ok: false,
      result: fail(
        ID,
        `could not open the embedded database in DATA_DIR (${dir}): ${reason}`,
        'Check that no other process holds DATA_DIR and that its files are readable by this user.',
      ),
    };
  }
}

async function readConfigured(config: Config, deps: DoctorDeps): Promise<Read> {
  if (!config.databaseUrl) return readEmbeddedOrAskServer(config, deps);
  const where = describePostgres(config.databaseUrl);
  try {
    const state = await withinTime(readPostgres(config.databaseUrl, config), deps.timeoutMs);
    return { ok: true, state, source: `PostgreSQL at ${where}` };
  } catch (error) {
    return {
      ok: false,
      result: fail(
        ID,
        `could not read PostgreSQL at ${where} (DATABASE_URL): ${postgresReason(error, deps.timeoutMs)}`,
        'Check DATABASE_URL (host, port, database, user, password) and that the server is up and reachable from here.',
      ),
    };
  }
}

/** Compares what the database applied with what this version ships. */
export function compareMigrations(
  source: string,
  applied: readonly string[],
  shipped: readonly string[],
): CheckResult {
  const unknown = applied.filter((name) => !shipped.includes(name));
  if (unknown.length > 0) {
    return fail(
      ID,
      `${source} has migrations this version of Tidings does not know (${unknown.join(', ')}): a newer version has run on it`,
      'Run the newer version of Tidings, or restore a backup made with this one.',
      { applied: [...applied], unknown },
    );
  }
  const missing = shipped.filter((name) => !applied.includes(name));
  if (missing.length > 0) {
    return fail(
      ID,
      `${source} is not migrated: ${missing.length} of ${shipped.length} migrations missing (${missing.join(', ')})`,
      'Run tidings migrate (tidings start also migrates when it starts).',
      { applied: [...applied], missing },
    );
  }
  return pass(
    ID,
    `${source} answers and has every migration (${shipped.length}, latest ${shipped.at(-1) ?? 'none'})`,
    { applied: [...applied] },
  );
}

export async function checkDatabase(config: Config, deps: DoctorDeps): Promise<DatabaseFinding> {
  const read = await readConfigured(config, deps);
  if (!read.ok) return { result: read.result, state: null };
  const shipped = await shippedMigrations();
  return { result: compareMigrations(read.source, read.state.applied, shipped), state: read.state };
}
