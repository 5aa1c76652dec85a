/**
 * The first start on a machine prepares the embedded database and says so; a start that
 * finds the migrated template does not.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  cleanUpCliProcesses,
  freshDataDir,
  startServer,
  stopServer,
} from '../support/cli.harness.ts';

cleanUpCliProcesses();
const caches: string[] = [];
afterAll(async () => {
  for (const dir of caches) await rm(dir, { recursive: true, force: true });
});

const PREPARING = 'Preparing the embedded database (first start, about 5 s)…';

describe('a fresh start', () => {
  it('says it prepares the database the first time, and not once the template exists', {
    timeout: 180_000,
  }, async () => {
    const cacheDir = await mkdtemp(path.join(tmpdir(), 'tidings-cache-'));
    caches.push(cacheDir);
    const said = [];
    for (let run = 0; run < 2; run += 1) {
      const { cli } = await startServer({ DATA_DIR: await freshDataDir(), CACHE_DIR: cacheDir });
      said.push(cli.stdout.some((line) => line.includes(PREPARING)));
      await stopServer(cli);
    }
    expect(said).toStrictEqual([true, false]);
  });
});
