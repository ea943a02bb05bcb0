import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

/**
 * One configuration for every test under test/, in projects (`--project <name>` runs one):
 * - `unit`: offline, no Prometheus, no bundling — `npm run test:unit`, a few seconds;
 * - `cdk`: the stacks, synthesized with esbuild bundling — `npm run test:cdk`;
 * - `loopback`: real sockets on 127.0.0.1 (store doubles, `npm start` fed hostile requests); `browser`: the playground in
 *   Chromium; `demo`: `npm run demo` for real;
 * - `integration-2.x`, `integration-3.x`: test/integration, each against its own real,
 *   backfilled Prometheus of that major version, provisioned and started by the global setup
 *   (only when one of its tests is selected); `browser`, run with `integration-2.x`, shares its
 *   Prometheus 2 (test/support/prometheus/shared.ts) and starts its own when run alone.
 * `npm test` runs them all.
 */
const integration = (engine: 2 | 3): TestProjectInlineConfiguration => ({
  extends: true,
  test: {
    name: `integration-${engine}.x`,
    include: ['test/integration/**/*.test.ts'],
    globalSetup: ['test/support/prometheus/global-setup.ts'],
    provide: { prometheusEngine: engine },
    testTimeout: 60_000,
  },
});

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
          // one module graph per worker thread instead of one per file: a third of the CPU time
          // (the tests keep no state between files; they pass in shuffled order on one worker)
          pool: 'threads',
          isolate: false,
          exclude: [
            'test/integration/**',
            'test/cdk/**',
            'test/browser/**',
            'test/demo/demo-run.test.ts',
            'test/loopback/**',
            '**/node_modules/**',
          ],
        },
      },
      {
        extends: true,
        test: { name: 'cdk', include: ['test/cdk/**/*.test.ts'] },
      },
      // test/browser: the playground in Debian's Chromium (playwright-core) against the test Prometheus 2
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          globalSetup: ['test/browser/chromium-setup.ts', 'test/support/prometheus/global-setup.ts'],
          provide: { prometheusEngine: 2 },
          testTimeout: 60_000,
        },
      },
      // test/loopback: real sockets on 127.0.0.1 — store doubles, slow and endless answers, `npm start`
      // as a child fed hostile requests, a listener the allowlist must never reach
      {
        extends: true,
        test: { name: 'loopback', include: ['test/loopback/**/*.test.ts'] },
      },
      integration(2),
      integration(3),
      // test/demo: `npm run demo` for real (its own Prometheus, the mirror, SIGTERM)
      {
        extends: true,
        test: { name: 'demo', include: ['test/demo/demo-run.test.ts'], testTimeout: 120_000, hookTimeout: 120_000 },
      },
    ],
  },
});
