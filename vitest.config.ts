import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'src/**/*.test.ts',
      'sandbox/**/*.test.ts',
      'test/**/*.test.ts',
      'integrations/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', 'test/e2e/**', 'test/reliability/**'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
