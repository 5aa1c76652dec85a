/**
 * Creates embedded PGlite instances the way Tidings runs them, small: `shared_buffers` is
 * 16 MB instead of PostgreSQL's 128 MB. PGlite zeroes its shared memory when it starts, so
 * every megabyte of it stays resident (the WebAssembly memory's resident size falls from
 * about 151 MB to 29 MB); Tidings keeps users, connections and a small outbox, which fit
 * many times over.
 */
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';

/** PGlite's own start parameters, with a smaller buffer pool. */
export const EMBEDDED_START_PARAMS: readonly string[] = [
  ...PGlite.defaultStartParams,
  '-c',
  'shared_buffers=16MB',
];

/** A PGlite instance in `dir` (or in memory without one) with the options above. */
export async function createEmbedded(
  dir: string | undefined,
  options: Pick<PGliteOptions, 'loadDataDir'> = {},
): Promise<PGlite> {
  return PGlite.create(dir, { ...options, startParams: [...EMBEDDED_START_PARAMS] });
}
