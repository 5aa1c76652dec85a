/**
 * The migrated template for fresh embedded databases. Creating a PGlite cluster (initdb)
 * and applying every migration takes seconds; the result is the same for every fresh
 * folder of one Tidings version. So it is made once, dumped as a tarball (uncompressed:
 * about 40 MB, most of it the first WAL segment's zeroes, read far faster than unzipped)
 * into a cache folder, and fresh folders are opened from it; migrations still run after (a no-op when
 * current).
 *
 * The cache file is named by a hash of PGlite's version and every migration's name and
 * code, so another version never opens a template it did not make. It is built in memory
 * from nothing but the migrations: no rows, no vault key, no secret. It is written to a
 * temporary name and renamed, so a reader sees a whole file or none, and several processes
 * building it at once each write a complete copy. A file that does not unpack is removed
 * and made again; a cache folder that cannot be written costs nothing but the time.
 *
 * The cache lives outside `DATA_DIR` (`$XDG_CACHE_HOME/tidings`, else `~/.cache/tidings`,
 * or `CACHE_DIR`): it serves every data folder of the machine, the demo's fresh ones and
 * tests' included, and deleting it is always safe.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import path from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import type pg from 'pg';
import { createEmbedded } from './embedded.ts';
import { migrateToLatest, migrationFingerprint } from './migrate.ts';
import { createPglitePool } from './pglite-pool.ts';
import type { Database } from './schema.ts';

/** The folders and files of a tarball (ustar: 512-byte headers, octal sizes). */
function* tarEntries(tar: Buffer): Generator<{ name: string; directory: boolean; data: Buffer }> {
  let at = 0;
  while (at + 512 <= tar.length) {
    const header = tar.subarray(at, at + 512);
    if (header.every((byte) => byte === 0)) return;
    const field = (from: number, to: number) =>
      header.subarray(from, to).toString('latin1').replace(/\0.*$/s, '');
    const prefix = field(345, 500);
    const name = (prefix ? `${prefix}/` : '') + field(0, 100);
    const size = Number.parseInt(field(124, 136).trim() || '0', 8);
    const type = field(156, 157);
    if (!Number.isFinite(size) || at + 512 + size > tar.length)
      throw new Error('truncated tarball');
    yield { name, directory: type === '5', data: tar.subarray(at + 512, at + 512 + size) };
    at += 512 + Math.ceil(size / 512) * 512;
  }
}

/** The entries of a template tarball; throws unless it is whole and holds a cluster. */
function templateEntries(tar: Buffer) {
  const entries = [...tarEntries(tar)];
  if (!entries.some((entry) => entry.name.replace(/^\/+/, '') === 'PG_VERSION')) {
    throw new Error('the template holds no database cluster');
  }
  return entries;
}

/**
 * Unpacks the template into `dir` with plain file writes: much
 * faster than PGlite's own loader (a JavaScript untar into its virtual file system, whole
 * seconds). It is unpacked beside `dir` and renamed into place, so a start cut short
 * leaves no half cluster behind. PGlite then opens `dir` as an existing cluster.
 */
export async function unpackTemplate(tar: Buffer, dir: string): Promise<void> {
  const root = path.resolve(dir);
  const unpacking = `${root}.unpacking-${randomBytes(4).toString('hex')}`;
  try {
    mkdirSync(unpacking, { recursive: true, mode: 0o700 });
    for (const entry of templateEntries(tar)) {
      const target = path.resolve(unpacking, `.${path.posix.normalize(`/${entry.name}`)}`);
      if (target !== unpacking && !target.startsWith(`${unpacking}${path.sep}`)) {
        throw new Error('the template names a file outside its folder');
      }
      if (entry.directory) mkdirSync(target, { recursive: true, mode: 0o700 });
      else {
        mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
        writeFileSync(target, entry.data, { mode: 0o600 });
      }
    }
    await rm(root, { recursive: true, force: true });
    await rename(unpacking, root);
  } finally {
    await rm(unpacking, { recursive: true, force: true });
  }
}

/** The cache folder when `CACHE_DIR` is not set. */
export function defaultCacheDir(env: Record<string, string | undefined> = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(homedir(), '.cache');
  return path.join(base, 'tidings');
}

function pgliteVersion(): string {
  const require = createRequire(import.meta.url);
  // The package's main file sits in dist/; its package.json one folder up.
  const main = require.resolve('@electric-sql/pglite');
  const file = path.join(path.dirname(main), '..', 'package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

let key: string | null = null;

/** The template's file in `cacheDir` for this PGlite and this set of migrations. */
export function templateFile(cacheDir: string): string {
  key ??= createHash('sha256')
    .update(`pglite ${pgliteVersion()}\n${migrationFingerprint()}`)
    .digest('hex')
    .slice(0, 20);
  return path.join(cacheDir, `pglite-template-${key}.tar`);
}

/**
 * The cached template, or null when there is none; a file that is not a whole tarball of
 * a cluster is removed (and made again by the caller).
 */
export async function readTemplate(cacheDir: string): Promise<Buffer | null> {
  const tar = await readFile(templateFile(cacheDir)).catch(() => null);
  if (!tar) return null;
  try {
    templateEntries(tar);
    return tar;
  } catch {
    await forgetTemplate(cacheDir);
    return null;
  }
}

/** Removes the cached template (it did not open). */
export async function forgetTemplate(cacheDir: string): Promise<void> {
  await rm(templateFile(cacheDir), { force: true }).catch(() => {});
}

/** A fresh cluster in memory with every migration applied, as a tarball. */
export async function buildTemplate(): Promise<Buffer> {
  const pglite = await createEmbedded(undefined);
  const pool = createPglitePool(pglite);
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: pool as unknown as pg.Pool }),
  });
  try {
    await migrateToLatest(db, 'pglite');
    await pool.run('checkpoint');
    const dump = (await pglite.dumpDataDir('none')) as Blob;
    return Buffer.from(await dump.arrayBuffer());
  } finally {
    await db.destroy();
  }
}

/** Writes the template whole or not at all; false when the folder cannot be written. */
export async function writeTemplate(cacheDir: string, template: Buffer): Promise<boolean> {
  const file = templateFile(cacheDir);
  const partial = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.partial`;
  try {
    await mkdir(cacheDir, { recursive: true, mode: 0o700 });
    await writeFile(partial, template, { mode: 0o600 });
    await rename(partial, file);
    return true;
  } catch {
    await rm(partial, { force: true }).catch(() => {});
    return false;
  }
}

/**
 * The cached template, built and cached first when there is none
 * (first starts, test setup, benchmarks).
 */
export async function ensureTemplate(cacheDir: string): Promise<Buffer> {
  const cached = await readTemplate(cacheDir);
  if (cached) return cached;
  const built = await buildTemplate();
  await writeTemplate(cacheDir, built);
  return built;
}
