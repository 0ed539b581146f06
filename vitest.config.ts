import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Test files that change what every later file in the same process would see — the process
 * environment, the shared logger's level, spies on stdout, a handler's one-time cold start —
 * or that drive `npm start`, the CLIs and other child processes: each runs in a fresh process.
 */
const ISOLATED = [
  'test/e2e/**/*.test.ts',
  'test/faults/crash.test.ts',
  'test/reminders/cold-start.test.ts',
  'test/reminders/metrics.test.ts',
  'test/api/lambda.test.ts',
  'test/api/alerts-lambda.test.ts',
  'test/hostile/log-privacy.test.ts',
];

/**
 * Workers: more than the cores, because most files wait on DynamoDB Local, Chromium or a child
 * process for much of their time (Vitest's own default, cores - 1, is a single worker here).
 */
const WORKERS = Math.max(3, availableParallelism() + 1);

export default defineConfig({
  test: {
    globalSetup: ['test/setup/global.ts'],
    setupFiles: ['test/setup/each-file.ts'],
    // Guards against a hang, not measures: files run side by side, and on a loaded machine a
    // property test against DynamoDB Local takes several times its quiet 5 s.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    maxWorkers: WORKERS,
    reporters: process.env.CI
      ? ['default', ['json', { outputFile: '.vitest/report.json' }]]
      : ['default'],
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    projects: [
      {
        extends: true,
        test: {
          name: 'shared',
          include: ['test/**/*.test.ts'],
          exclude: ISOLATED,
          // Files share their worker's modules (imported once per worker, not once per file).
          isolate: false,
          // No file here reads the service's log lines (those that do are isolated), and the
          // hostile tests alone would print thousands. The logger's initial level is the one
          // that holds: each invocation resets a level set at run time to it.
          env: { POWERTOOLS_LOG_LEVEL: 'SILENT' },
        },
      },
      {
        extends: true,
        // A child process's start (tsx, then the whole service) takes seconds on a busy machine.
        test: { name: 'isolated', include: ISOLATED, isolate: true, testTimeout: 120_000 },
      },
    ],
  },
});
