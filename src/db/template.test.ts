import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from './connect.ts';
import { migrateToLatest } from './migrate.ts';
import { defaultCacheDir, ensureTemplate, templateFile } from './template.ts';

const made: string[] = [];
async function folder(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tidings-template-'));
  made.push(dir);
  return dir;
}
afterAll(async () => {
  for (const dir of made) await rm(dir, { recursive: true, force: true });
});

/** Opens a fresh folder against `cacheDir`; says whether it took the slow path. */
async function openFresh(cacheDir: string | null) {
  let preparing = 0;
  const database = await openDatabase({
    databaseUrl: null,
    dataDir: await folder(),
    cacheDir,
    onPreparing: () => {
      preparing += 1;
    },
  });
  try {
    const migrated = await migrateToLatest(database.db, 'pglite');
    await database.executeSql("insert into users (id, display_name) values ('u1', 'Alex')");
    const { rows } = await database.executeSql('select display_name from users');
    return { preparing, applied: migrated.applied, rows };
  } finally {
    await database.close();
  }
}

const WORKING = { applied: [], rows: [{ display_name: 'Alex' }] };

describe('the embedded database template', () => {
  it('a fresh folder opens migrated and working, from the template and without one', {
    timeout: 120_000,
  }, async () => {
    const cacheDir = await folder();
    const first = await openFresh(cacheDir);
    const second = await openFresh(cacheDir);
    const without = await openFresh(null);
    expect({ first, second, without: without.rows }).toStrictEqual({
      first: { preparing: 1, ...WORKING },
      second: { preparing: 0, ...WORKING },
      without: WORKING.rows,
    });
  });

  it('holds the schema and nothing else: no rows, no key, no secret', async () => {
    const cacheDir = await folder();
    await ensureTemplate(cacheDir);
    const database = await openDatabase({ databaseUrl: null, dataDir: await folder(), cacheDir });
    try {
      const { rows: tables } = (await database.executeSql(
        "select table_name from information_schema.tables where table_schema = 'public'",
      )) as { rows: Array<{ table_name: string }> };
      const counts: Record<string, number> = {};
      for (const { table_name } of tables) {
        if (table_name === 'tidings_migrations') continue;
        const { rows } = (await database.executeSql(
          `select count(*)::int as n from "${table_name}"`,
        )) as { rows: Array<{ n: number }> };
        counts[table_name] = rows[0]?.n ?? -1;
      }
      expect(Object.keys(counts).length).toBeGreaterThan(10);
      expect(Object.values(counts).every((n) => n === 0)).toBe(true);
    } finally {
      await database.close();
    }
    const files = await readdir(cacheDir);
    expect(files).toStrictEqual([path.basename(templateFile(cacheDir))]);
  });

  it('a damaged or cut-short template is ignored and made again', {
    timeout: 120_000,
  }, async () => {
    const cacheDir = await folder();
    const whole = await ensureTemplate(cacheDir);
    await writeFile(templateFile(cacheDir), whole.subarray(0, whole.length / 2));
    const cut = await openFresh(cacheDir);
    const rebuilt = (await readFile(templateFile(cacheDir))).length;
    await writeFile(templateFile(cacheDir), 'not a tarball');
    const garbage = await openFresh(cacheDir);
    expect({ cut, garbage, rebuilt }).toStrictEqual({
      cut: { preparing: 1, ...WORKING },
      garbage: { preparing: 1, ...WORKING },
      rebuilt: whole.length,
    });
  });

  it('a cache folder that cannot be written costs only the time: the folder is made from scratch', {
    timeout: 120_000,
  }, async () => {
    const parent = await folder();
    // A folder under a file cannot be made by anyone (root ignores permissions).
    const blocked = path.join(parent, 'file');
    await writeFile(blocked, '');
    const outcome = await openFresh(path.join(blocked, 'cache'));
    expect({ outcome, cacheMade: await readdir(parent) }).toStrictEqual({
      // Created and migrated in place, as before templates: no template made to be thrown away.
      outcome: { ...WORKING, preparing: 1, applied: expect.arrayContaining(['0001-initial']) },
      cacheMade: ['file'],
    });
  });

  it('two processes building it at once leave one whole template', {
    timeout: 120_000,
  }, async () => {
    const cacheDir = await folder();
    const node = path.resolve(import.meta.dirname, '../../node_modules/.bin/node');
    const script = `import { ensureTemplate } from ${JSON.stringify(path.join(import.meta.dirname, 'template.ts'))};
await ensureTemplate(${JSON.stringify(cacheDir)});`;
    const run = () =>
      new Promise<number | null>((resolve) => {
        const child = spawn(node, ['--input-type=module', '-e', script], { stdio: 'ignore' });
        child.once('close', resolve);
      });
    const codes = await Promise.all([run(), run()]);
    const opened = await openFresh(cacheDir);
    expect({ codes, opened, files: await readdir(cacheDir) }).toStrictEqual({
      codes: [0, 0],
      opened: { preparing: 0, ...WORKING },
      files: [path.basename(templateFile(cacheDir))],
    });
  });

  it('lives in XDG_CACHE_HOME when it is set, else in ~/.cache', () => {
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/var/cache/u' })).toBe('/var/cache/u/tidings');
    expect(defaultCacheDir({ XDG_CACHE_HOME: 'relative' }).endsWith('/.cache/tidings')).toBe(true);
    expect(defaultCacheDir({}).endsWith('/.cache/tidings')).toBe(true);
  });
});
