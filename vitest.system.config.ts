import { defineConfig } from 'vitest/config';

/**
 * `npm run test:system`: the tests that are about whole installs and several processes,
 * each minutes long on two cores: a production install (`npm ci --omit=dev` into a copy of
 * the clone, then the demo, `npm start` and the systemd unit's command on it), the real
 * OpenClaw gateway with the packed plugin, and two `tidings start` instances on one
 * PostgreSQL (skipped without `DATABASE_URL`). CI runs it right after `npm test`.
 */
export const SYSTEM_TESTS = [
  'test/foundation/production-install.test.ts',
  'integrations/openclaw/test/**/*.test.ts',
  'test/instances/**/*.test.ts',
];

export default defineConfig({
  test: {
    include: SYSTEM_TESTS,
    exclude: ['**/node_modules/**'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
