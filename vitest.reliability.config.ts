import { defineConfig } from 'vitest/config';

/**
 * The reliability suite (`npm run test:reliability`): Google and Telegram faults, crashes,
 * a database outage, races, hostile input and isolation, each bounded by a count rather
 * than a duration and confined to loopback. Every test writes its figures to
 * `reliability-report/` (the README's Reliability table comes from them).
 */
export default defineConfig({
  test: {
    include: ['test/reliability/**/*.test.ts'],
    exclude: ['**/node_modules/**'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 600_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
