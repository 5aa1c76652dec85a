/**
 * Runs once before the suite: makes the embedded database template (so every fresh data
 * folder the tests open, in this process or in spawned ones, starts from it instead of
 * initdb and every migration), and says which database suites run. Database tests run on
 * PGlite always and on PostgreSQL when DATABASE_URL is set; an unreachable DATABASE_URL
 * fails the run instead of silently skipping.
 */
import pg from 'pg';
import { defaultCacheDir, ensureTemplate } from '../src/db/template.ts';

export default async function setup(): Promise<void> {
  // Spawned processes get no XDG_CACHE_HOME (their home comes from the user database).
  for (const dir of new Set([defaultCacheDir(), defaultCacheDir({})])) await ensureTemplate(dir);
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.log(
      '\n[tidings] PostgreSQL suite SKIPPED: DATABASE_URL is not set (PGlite suite runs).\n',
    );
    return;
  }
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.query('select 1');
  } catch (error) {
    throw new Error(
      `DATABASE_URL is set but PostgreSQL cannot be reached (${(error as Error).message}). ` +
        'Start PostgreSQL or unset DATABASE_URL to run the PGlite suite only.',
    );
  } finally {
    await client.end().catch(() => {});
  }
  console.log('\n[tidings] PostgreSQL suite enabled (DATABASE_URL is set).\n');
}
