import { defineConfig } from 'vitest/config';

/**
 * One configuration for every test under test/. Two projects share it:
 * - `unit`: everything except test/integration — offline, no Prometheus;
 * - `integration`: test/integration — gets a real, backfilled Prometheus from the global
 *   setup (started once per run, and only when an integration test is selected).
 */
export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 60_000,
    teardownTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/integration/**', 'test/browser/**', '**/node_modules/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/support/prometheus/global-setup.ts'],
          testTimeout: 60_000,
        },
      },
      // test/browser: the playground in Debian's Chromium (playwright-core) against the test Prometheus
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          globalSetup: ['test/support/prometheus/global-setup.ts'],
          testTimeout: 60_000,
        },
      },
    ],
  },
});
