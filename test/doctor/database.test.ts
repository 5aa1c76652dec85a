import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DOCTOR_COMMANDS } from '../../src/admin/doctor-commands.ts';
import { type AdminSocketServer, listenAdminSocket } from '../../src/admin/index.ts';
import { loadConfig } from '../../src/config.ts';
import { type DatabaseHandle, migrateToLatest, openDatabase } from '../../src/db/index.ts';
import { checkDatabase } from '../../src/doctor/database-check.ts';
import { readDatabaseState, shippedMigrations } from '../../src/doctor/database-state.ts';
import type { DoctorDeps } from '../../src/doctor/index.ts';
import { DATABASES, POSTGRES } from '../support/databases.harness.ts';
import { closedPortUrl } from './doctor.harness.ts';

const deps: DoctorDeps = { fetch, timeoutMs: 10_000, now: () => new Date() };
const folders: string[] = [];
let template = '';
let shipped: string[] = [];

async function folder(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tidings-doctor-db-'));
  folders.push(dir);
  return dir;
}

beforeAll(async () => {
  shipped = await shippedMigrations();
  // One migrated embedded database, copied for each test (creating one is slow).
  template = await folder();
  const handle = await openDatabase({ databaseUrl: null, dataDir: template });
  await migrateToLatest(handle.db, handle.kind);
  await handle.close();
});
afterAll(async () => {
  for (const dir of folders) await rm(dir, { recursive: true, force: true });
});

/** A database as doctor meets it: its settings, and a handle to shape it before the check. */
interface Target {
  env: Record<string, string>;
  handle: DatabaseHandle;
  source: string;
  close(): Promise<void>;
}

const postgres = POSTGRES;
const TARGETS: { name: string; open(): Promise<Target> }[] = [
  {
    name: 'embedded (DATA_DIR)',
    async open() {
      const dataDir = await folder();
      await cp(template, dataDir, { recursive: true });
      const handle = await openDatabase({ databaseUrl: null, dataDir });
      return {
        env: { DATA_DIR: dataDir },
        handle,
        source: `the embedded database in DATA_DIR (${dataDir})`,
        // Doctor opens DATA_DIR itself: the shaping handle must be closed first.
        close: () => handle.close(),
      };
    },
  },
  ...(postgres
    ? [
        {
          name: 'PostgreSQL (DATABASE_URL)',
          async open(): Promise<Target> {
            const handle = await postgres.open();
            const url = new URL(process.env.DATABASE_URL ?? '');
            url.searchParams.set('options', `-c search_path=${handle.schema}`);
            return {
              env: { DATABASE_URL: url.toString(), DATA_DIR: await folder() },
              handle,
              source: `PostgreSQL at ${url.host}${url.pathname}`,
              close: async () => {},
            };
          },
        },
      ]
    : []),
];

describe.each(TARGETS)('the database check on $name', (target) => {
  let opened: Target | null = null;
  afterEach(async () => {
    if (opened?.env.DATABASE_URL) await opened.handle.close();
    opened = null;
  });

  async function check(shape: (db: DatabaseHandle) => Promise<void> = async () => {}) {
    opened = await target.open();
    await shape(opened.handle);
    await opened.close();
    return (await checkDatabase(loadConfig(opened.env), deps)).result;
  }

  it('passes when every migration this version ships is applied', async () => {
    const result = await check();
    expect(result).toStrictEqual({
      id: 'database',
      status: 'pass',
      summary: `${opened?.source} answers and has every migration (${shipped.length}, latest ${shipped.at(-1)})`,
      details: { applied: shipped },
    });
  });

  it('fails naming the missing migrations and tidings migrate', async () => {
    const last = shipped.at(-1) ?? '';
    const result = await check(async ({ db }) => {
      await sql`delete from tidings_migrations where name = ${last}`.execute(db);
    });
    expect(result).toStrictEqual({
      id: 'database',
      status: 'fail',
      summary: `${opened?.source} is not migrated: 1 of ${shipped.length} migrations missing (${last})`,
      fix: 'Run tidings migrate (tidings start also migrates when it starts).',
      details: { applied: shipped.slice(0, -1), missing: [last] },
    });
  });

  it('fails when a newer version of Tidings has migrated the database', async () => {
    const result = await check(async ({ db }) => {
      await sql`insert into tidings_migrations (name, timestamp)
        values ('9999-from-the-future', '2030-01-01T00:00:00Z')`.execute(db);
    });
    expect([result.status, result.summary]).toStrictEqual([
      'fail',
      `${opened?.source} has migrations this version of Tidings does not know (9999-from-the-future): a newer version has run on it`,
    ]);
  });
});

describe('the migrations the doctor expects', () => {
  it.each(DATABASES)('are the ones migrate applies to an empty $name database', async (db) => {
    const handle = await db.open({ migrate: false });
    try {
      const before = await readDatabaseState(handle.db);
      const outcome = await migrateToLatest(handle.db, handle.kind);
      expect({ before, applied: outcome.applied }).toStrictEqual({
        before: { applied: [], vaultKeys: null },
        applied: shipped,
      });
    } finally {
      await handle.close();
    }
  });
});

describe('the database check without a usable database', () => {
  it('fails without migrating when DATA_DIR holds no database yet', async () => {
    const dataDir = await folder();
    const result = (await checkDatabase(loadConfig({ DATA_DIR: dataDir }), deps)).result;
    expect(result).toStrictEqual({
      id: 'database',
      status: 'fail',
      summary: `there is no database in DATA_DIR (${dataDir}) yet`,
      fix: 'Run tidings migrate (or tidings start) to create it; if your data is elsewhere, set DATA_DIR to that folder.',
    });
  });

  it('fails naming the PostgreSQL host, never the password, when nothing answers', async () => {
    const gone = new URL(await closedPortUrl());
    const url = `postgres://tidings:sup3r-s3cret@${gone.host}/tidings`;
    const result = (
      await checkDatabase(loadConfig({ DATABASE_URL: url, DATA_DIR: await folder() }), deps)
    ).result;
    expect(result).toStrictEqual({
      id: 'database',
      status: 'fail',
      summary: `could not read PostgreSQL at ${gone.host}/tidings (DATABASE_URL): the connection was refused (nothing listens there)`,
      fix: 'Check DATABASE_URL (host, port, database, user, password) and that the server is up and reachable from here.',
    });
  });
});

describe('the database check while a server owns DATA_DIR', () => {
  let socket: AdminSocketServer | null = null;
  let handle: DatabaseHandle | null = null;
  afterEach(async () => {
    await socket?.close();
    await handle?.close();
    socket = null;
    handle = null;
  });

  async function serve(dataDir: string, answer?: () => Promise<string[]>) {
    await cp(template, dataDir, { recursive: true });
    const open = await openDatabase({ databaseUrl: null, dataDir });
    handle = open;
    socket = await listenAdminSocket(dataDir, async (request) => {
      if (answer) return answer();
      const command = DOCTOR_COMMANDS[request.command];
      if (!command) throw new Error(`unknown command: ${request.command}`);
      return command({ database: open }, request.args);
    });
    return open;
  }

  it('asks the running server over the admin socket', async () => {
    const dataDir = await folder();
    const open = await serve(dataDir);
    const last = shipped.at(-1) ?? '';
    await sql`delete from tidings_migrations where name = ${last}`.execute(open.db);
    const result = (await checkDatabase(loadConfig({ DATA_DIR: dataDir }), deps)).result;
    expect([result.status, result.summary]).toStrictEqual([
      'fail',
      `the running Tidings on DATA_DIR (${dataDir}) is not migrated: 1 of ${shipped.length} migrations missing (${last})`,
    ]);
  });

  it('says so when the running server cannot answer the doctor', async () => {
    const dataDir = await folder();
    await serve(dataDir, async () => {
      throw new Error('unknown command: doctor.database');
    });
    const result = (await checkDatabase(loadConfig({ DATA_DIR: dataDir }), deps)).result;
    expect([result.status, result.summary]).toStrictEqual([
      'fail',
      `a Tidings runs on DATA_DIR (${dataDir}) but cannot answer the doctor (unknown command: doctor.database)`,
    ]);
  });
});
