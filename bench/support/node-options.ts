/**
 * Runs the calling bench again under the functions' `NODE_OPTIONS` when it was not started
 * with them, and exits with its code: a handler timed in process then runs as it does in
 * production (and so does any server child, which inherits the environment).
 */
import { spawnSync } from 'node:child_process';
import { FUNCTION_NODE_OPTIONS } from '#lib/node-options.js';

export function runUnderFunctionNodeOptions(): void {
  const current = process.env.NODE_OPTIONS ?? '';
  if (current.includes(FUNCTION_NODE_OPTIONS)) return;
  const { status, signal } = spawnSync(
    process.execPath,
    [...process.execArgv, ...process.argv.slice(1)],
    {
      stdio: 'inherit',
      env: { ...process.env, NODE_OPTIONS: `${current} ${FUNCTION_NODE_OPTIONS}`.trim() },
    },
  );
  process.exit(status ?? (signal === null ? 1 : 128));
}
