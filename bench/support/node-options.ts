/**
 * Runs the calling bench again as a Lambda function of `memoryMb` runs its handler — the
 * functions' `NODE_OPTIONS` and the heap Lambda's runtime sizes from the memory
 * (`lib/node-options.ts`) — when it was not started so, and exits as the run does. Signals
 * sent to this process go on to the run (and so to its DynamoDB Local and server children).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { constants } from 'node:os';
import { FUNCTION_NODE_OPTIONS, lambdaHeapOptions } from '#lib/node-options.js';

export async function runAsLambda(memoryMb?: number): Promise<void> {
  const wanted = `${FUNCTION_NODE_OPTIONS} ${lambdaHeapOptions(memoryMb)}`;
  const current = process.env.NODE_OPTIONS ?? '';
  if (current.includes(wanted)) return;
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, NODE_OPTIONS: `${current} ${wanted}`.trim() },
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  process.exit(code ?? 128 + (signal === null ? 0 : constants.signals[signal]));
}
