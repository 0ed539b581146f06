// Fake credentials and region for the SDK clients that talk to local stand-ins; no test
// may reach AWS.
process.env.AWS_ACCESS_KEY_ID ??= 'local';
process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
process.env.AWS_REGION ??= 'eu-west-2';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/**
 * Files of the `shared` project (vitest.config.ts) run one after another in the same process:
 * each starts with the environment the worker's first file started with, whatever a file
 * before it set or deleted (Vitest's own VITEST_* variables excepted).
 */
const BASELINE = Symbol.for('timescales.test.environment');
const worker = globalThis as { [BASELINE]?: Record<string, string | undefined> };
const baseline = worker[BASELINE];
if (baseline === undefined) {
  worker[BASELINE] = { ...process.env };
} else {
  for (const name of Object.keys(process.env))
    if (!name.startsWith('VITEST') && !(name in baseline)) delete process.env[name];
  for (const [name, value] of Object.entries(baseline))
    if (!name.startsWith('VITEST') && value !== undefined) process.env[name] = value;
}
