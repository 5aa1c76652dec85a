/**
 * Every refusal of `tidings backup` and `tidings restore`, run in-process: each is one
 * sentence on standard error with exit code 1 (2 for a wrong call), and a refused restore
 * writes nothing, neither in DATA_DIR nor beside it. Also: a backup of an older schema is
 * migrated on restore and says so, and restore says where the master key must come from.
 */
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { listenAdminSocket } from '../../src/admin/socket.ts';
import { migrateToLatest, openDatabase } from '../../src/db/index.ts';
import { cleanUpCliProcesses, freshDataDir } from '../support/cli.harness.ts';
import { configFor, entries, run, userNames } from './backup.harness.ts';

cleanUpCliProcesses();

const SLOW = { timeout: 120_000 };
const POSTGRES = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test' };
const KEY = Buffer.alloc(32, 7).toString('base64');
const OTHER_KEY = Buffer.alloc(32, 9).toString('base64');

let source: string;
/** A good backup, one of an older schema, one of a newer schema. */
const files = { good: '', older: '', newer: '' };

/** Runs SQL on the source folder's database, then backs it up in-process to `name`. */
async function changeAndBackUp(name: string, change: string | null): Promise<string> {
  if (change) {
    const database = await openDatabase({ databaseUrl: null, dataDir: source });
    await sql.raw(change).execute(database.db);
    await database.close();
  }
  const file = path.join(path.dirname(source), name);
  const result = await run('backup', configFor(source), [file]);
  if (result.code !== 0) throw new Error(result.err.join('\n'));
  return file;
}

beforeAll(async () => {
  source = path.join(await freshDataDir(), 'source');
  const database = await openDatabase({ databaseUrl: null, dataDir: source });
  await migrateToLatest(database.db, 'pglite');
  // A vault sealed under KEY, as a first start with TIDINGS_MASTER_KEY=KEY leaves it.
  const { createVault, parseMasterKeys } = await import('../../src/vault/index.ts');
  await createVault(database.db, parseMasterKeys(KEY));
  await database.db
    .insertInto('users')
    .values({ id: 'u1', display_name: 'Alex', settings: '{}' })
    .execute();
  await database.close();
  files.good = await changeAndBackUp('good.backup', null);
  files.older = await changeAndBackUp(
    'older.backup',
    `drop table watch_held; drop table watch_cursors; drop table watch_rules;
     drop table telegram_inbox; drop table telegram_chat_leases;
     drop table telegram_connect_buttons; drop table telegram_chat_context;
     delete from tidings_migrations where name > '0005-connect-ticket-binding'`,
  );
  files.newer = await changeAndBackUp(
    'newer.backup',
    `insert into tidings_migrations (name, timestamp) values ('9999-from-the-future', '2099-01-01')`,
  );
}, 180_000);

/** An empty restore target in a folder of its own, so leftovers beside it would show. */
async function emptyTarget(): Promise<string> {
  return path.join(await freshDataDir(), 'data');
}

/** A refused restore into a fresh target: the run, and what exists there and beside it. */
async function refusedRestore(args: string[], env: Record<string, string> = {}) {
  const target = await emptyTarget();
  const result = await run('restore', configFor(target, env), args);
  return { ...result, written: await entries(path.dirname(target)) };
}

describe('tidings restore refuses', () => {
  it('a call without FILE, with usage and exit code 2', async () => {
    expect(await refusedRestore([])).toStrictEqual({
      code: 2,
      out: [],
      err: ['tidings: usage: tidings restore FILE   (into an empty DATA_DIR)'],
      written: [],
    });
  });

  it('with DATABASE_URL set, naming pg_restore', async () => {
    expect(await refusedRestore([files.good], POSTGRES)).toStrictEqual({
      code: 1,
      out: [],
      err: [
        'tidings: with DATABASE_URL set, restore with PostgreSQL\'s own tools: pg_restore --no-owner --dbname "$DATABASE_URL" tidings.dump (a file made with pg_dump --format=custom "$DATABASE_URL" > tidings.dump); tidings restore reads backups of the embedded database only',
      ],
      written: [],
    });
  });

  it('a data folder that holds a database', SLOW, async () => {
    const result = await run('restore', configFor(source), [files.good]);
    expect({ ...result, users: await userNames(source) }).toStrictEqual({
      code: 1,
      out: [],
      err: [
        `tidings: ${path.join(source, 'pglite')} already holds a database: restore only into an empty data folder (set DATA_DIR to a new folder, or move this one aside first).`,
      ],
      users: ['Alex'],
    });
  });

  it('a data folder a server runs on', async () => {
    const target = await emptyTarget();
    await mkdir(target);
    const server = await listenAdminSocket(target, async () => []);
    try {
      const result = await run('restore', configFor(target), [files.good]);
      expect({ ...result, written: await entries(target) }).toStrictEqual({
        code: 1,
        out: [],
        err: [
          `tidings: a Tidings server is running on ${target} (its admin socket answers): stop it, and restore into an empty data folder.`,
        ],
        written: ['admin.sock'],
      });
    } finally {
      await server.close();
    }
  });

  it('a file that is missing, a directory, or not a backup', async () => {
    const folder = await freshDataDir();
    const foreign = path.join(folder, 'notes.txt');
    await writeFile(foreign, 'shopping list\n');
    const missing = path.join(folder, 'missing.backup');
    const runs = [];
    for (const file of [missing, folder, foreign]) runs.push(await refusedRestore([file]));
    expect(runs).toStrictEqual([
      {
        code: 1,
        out: [],
        err: [`tidings: cannot read ${missing}: there is no such file.`],
        written: [],
      },
      {
        code: 1,
        out: [],
        err: [`tidings: ${folder} is a directory, not a backup file.`],
        written: [],
      },
      {
        code: 1,
        out: [],
        err: [
          `tidings: ${foreign} is not a Tidings backup (it does not start with "tidings-backup/").`,
        ],
        written: [],
      },
    ]);
  });

  it('a truncated file, a corrupted one, and one of a newer format', async () => {
    const bytes = await readFile(files.good);
    const folder = await freshDataDir();
    const cut = path.join(folder, 'cut.backup');
    await writeFile(cut, bytes.subarray(0, bytes.length - 1000));
    const cutHeader = path.join(folder, 'cut-header.backup');
    await writeFile(cutHeader, bytes.subarray(0, 40));
    const flipped = Buffer.from(bytes);
    flipped[flipped.length - 5000] = (flipped[flipped.length - 5000] ?? 0) ^ 0xff;
    const corrupted = path.join(folder, 'corrupted.backup');
    await writeFile(corrupted, flipped);
    const future = path.join(folder, 'future.backup');
    await writeFile(future, Buffer.concat([Buffer.from('tidings-backup/2\n{}\n'), bytes]));
    const header = bytes.subarray(0, bytes.indexOf(0x0a, bytes.indexOf(0x0a) + 1) + 1);
    const payloadBytes = bytes.length - header.length;
    const runs = [];
    for (const file of [cut, cutHeader, corrupted, future]) runs.push(await refusedRestore([file]));
    expect(runs).toStrictEqual([
      {
        code: 1,
        out: [],
        err: [
          `tidings: ${cut} is cut off (${payloadBytes - 1000} of ${payloadBytes} bytes): it was not copied or written completely.`,
        ],
        written: [],
      },
      {
        code: 1,
        out: [],
        err: [`tidings: ${cutHeader} is cut off: it was not copied or written completely.`],
        written: [],
      },
      {
        code: 1,
        out: [],
        err: [
          `tidings: ${corrupted} is damaged: its contents do not match the checksum in its header.`,
        ],
        written: [],
      },
      {
        code: 1,
        out: [],
        err: [
          `tidings: ${future} is a backup of format 2; this version of Tidings reads format 1: restore it with a newer Tidings.`,
        ],
        written: [],
      },
    ]);
  });

  it('a backup of a newer schema than this version knows, writing nothing', SLOW, async () => {
    const result = await refusedRestore([files.newer]);
    expect(result).toStrictEqual({
      code: 1,
      out: [],
      err: [
        expect.stringMatching(
          /^tidings: the backup's schema \(9999-from-the-future, made by Tidings \S+\) cannot be used by this version: the database has migrations this version of Tidings does not know \(9999-from-the-future\): a newer version has run on it\. Restore it with Tidings \S+ or newer\.$/,
        ),
      ],
      written: [],
    });
  });
});

describe('tidings restore', () => {
  it('migrates a backup of an older schema and says so', SLOW, async () => {
    const target = await emptyTarget();
    const result = await run('restore', configFor(target, { TIDINGS_MASTER_KEY: KEY }), [
      files.older,
    ]);
    expect({ code: result.code, err: result.err, lines: result.out.slice(2) }).toStrictEqual({
      code: 0,
      err: [],
      lines: [
        expect.stringMatching(
          /^schema: the backup was at 0005-connect-ticket-binding, older than this version; migrated to \d{4}-[a-z-]+ \(applied: 0006-chat-context(, \d{4}-[a-z-]+)*\)$/,
        ),
        'found: 1 user(s), 0 connection(s), 0 API key(s)',
        'master key: the key in TIDINGS_MASTER_KEY opens this vault; keep using the same key(s)',
      ],
    });
  });

  it(
    'says where the master key must come from when none is given, or a wrong one',
    SLOW,
    async () => {
      const none = await run('restore', configFor(await emptyTarget()), [files.good]);
      const wrong = await run(
        'restore',
        configFor(await emptyTarget(), { TIDINGS_MASTER_KEY: OTHER_KEY }),
        [files.good],
      );
      const where =
        'give Tidings the master key(s) this backup was made with: TIDINGS_MASTER_KEY (several comma-separated during a key change), or in development copy the master.key file you kept apart into DATA_DIR/master.key';
      expect([none.out.at(-1), wrong.out.at(-1), none.code, wrong.code]).toStrictEqual([
        expect.stringMatching(
          new RegExp(
            `^master key: NOT given\\. Before starting, ${escapeRegExp(where)} \\(fingerprint [0-9a-f]{16}\\)\\. Without it every stored Google connection is unreadable and Tidings will not start on this database\\.$`,
          ),
        ),
        expect.stringMatching(
          new RegExp(
            `^master key: WARNING, the key in TIDINGS_MASTER_KEY does not open this vault: ${escapeRegExp(where)} \\(fingerprint [0-9a-f]{16}\\)\\.$`,
          ),
        ),
        0,
        0,
      ]);
    },
  );
});

describe('tidings backup refuses', () => {
  it('a call without FILE or with an unknown option, with usage and exit code 2', async () => {
    const config = configFor(source);
    expect([
      await run('backup', config, []),
      await run('backup', config, ['x', '--gzip']),
    ]).toStrictEqual(
      [1, 2].map(() => ({
        code: 2,
        out: [],
        err: ['tidings: usage: tidings backup FILE [--force]'],
      })),
    );
  });

  it('with DATABASE_URL set, naming pg_dump and pg_restore', async () => {
    const file = path.join(await freshDataDir(), 'pg.backup');
    const result = await run('backup', configFor(source, POSTGRES), [file]);
    expect({ ...result, written: await entries(path.dirname(file)) }).toStrictEqual({
      code: 1,
      out: [],
      err: [
        'tidings: with DATABASE_URL set, back up with PostgreSQL\'s own tools, which copy a running database consistently: pg_dump --format=custom "$DATABASE_URL" > tidings.dump (restore into an empty database with: pg_restore --no-owner --dbname "$DATABASE_URL" tidings.dump)',
      ],
      written: [],
    });
  });

  it(
    'to replace an existing file without --force, and replaces it with --force',
    SLOW,
    async () => {
      const file = path.join(await freshDataDir(), 'existing.backup');
      await writeFile(file, 'an older backup');
      const refused = await run('backup', configFor(source), [file]);
      const kept = await readFile(file, 'utf8');
      const forced = await run('backup', configFor(source), [file, '--force']);
      expect({
        refused,
        kept,
        forced: { code: forced.code, first: forced.out[0] },
        now: (await readFile(file)).subarray(0, 15).toString(),
        mode: ((await stat(file)).mode & 0o777).toString(8),
      }).toStrictEqual({
        refused: {
          code: 1,
          out: [],
          err: [
            `tidings: ${file} exists already: choose another name, or pass --force to replace it.`,
          ],
        },
        kept: 'an older backup',
        forced: { code: 0, first: `backup written: ${file}` },
        now: 'tidings-backup/',
        mode: '600',
      });
    },
  );

  it('a directory as FILE, and a DATA_DIR without a database', async () => {
    const folder = await freshDataDir();
    const empty = await freshDataDir();
    expect([
      await run('backup', configFor(source), [folder]),
      await run('backup', configFor(empty), [path.join(folder, 'x.backup')]),
      await entries(folder),
      await entries(empty),
    ]).toStrictEqual([
      {
        code: 1,
        out: [],
        err: [`tidings: ${folder} is a directory: name the backup file to write.`],
      },
      {
        code: 1,
        out: [],
        err: [
          `tidings: there is no database in ${path.join(empty, 'pglite')} to back up: set DATA_DIR to the folder Tidings runs with.`,
        ],
      },
      [],
      [],
    ]);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
