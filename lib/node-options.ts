/**
 * How every function's Node.js runs, and how the benches that time a handler in process run
 * it, so that they measure what production runs.
 * - `NODE_OPTIONS`: `--enable-source-maps`, so stack traces name the TypeScript source.
 * - The heap: Lambda's Node.js runtime sizes it from the function's memory on its own command
 *   line (which wins over `NODE_OPTIONS`), and a function that named a heap flag in
 *   `NODE_OPTIONS` would lose that sizing on the newer runtimes; so the functions leave it to
 *   the runtime, and the benches copy its arithmetic (`lambdaHeapOptions`).
 */
export const FUNCTION_NODE_OPTIONS = '--enable-source-maps';

/** A function's memory (MB) when its feature does not set one. */
export const DEFAULT_MEMORY_MB = 512;

/**
 * The heap flags Lambda's Node.js runtime gives a function of `memoryMb`: a tenth of the
 * memory for new space (two semi-spaces), the rest for old space.
 */
export function lambdaHeapOptions(memoryMb = DEFAULT_MEMORY_MB): string {
  const newSpace = Math.floor(memoryMb / 10);
  return `--max-semi-space-size=${Math.floor(newSpace / 2)} --max-old-space-size=${memoryMb - newSpace}`;
}
