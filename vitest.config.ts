import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { HeaviestFirst } from './test/support/heaviest-first.sequencer.ts';
import { SYSTEM_TESTS } from './vitest.system.config.ts';

/**
 * `npm test`: every test file, each in a forked process of its own. Vitest's default on a
 * machine of N cores is N − 1 workers, which on two cores runs the files one after another
 * while most of them wait on child processes, sockets and PGlite: the suite uses at least
 * two workers, and every core where there are more. Files known to take minutes start
 * first (`HeaviestFirst`), so no worker is left alone with one at the end.
 */
export default defineConfig({
  test: {
    include: [
      'src/**/*.test.ts',
      'sandbox/**/*.test.ts',
      'test/**/*.test.ts',
      'integrations/**/*.test.ts',
    ],
    // Whole installs and several processes run in `npm run test:system` (CI runs both).
    exclude: ['**/node_modules/**', 'test/e2e/**', 'test/reliability/**', ...SYSTEM_TESTS],
    globalSetup: ['test/global-setup.ts'],
    // Safety nets against a hang, never speed bounds: a passing test ends long before them,
    // also on a machine busy with other work.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    maxWorkers: Math.max(2, availableParallelism()),
    sequence: { sequencer: HeaviestFirst },
  },
});
