/**
 * Bundles `ingest-harness.ts` with the stack's esbuild options (`ESBUILD_OPTIONS`: minified,
 * ESM, the same target and externals) and loads it: what bench:ingest times in process is the
 * code the webhook function runs, not the source as tsx transforms it (tsx keeps every
 * function's name with a helper call, and loads each module through its hooks). Measured on
 * the same machine in one session, the bundle took 220–260 µs an event where tsx took
 * 316–330.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { ESBUILD_OPTIONS, PROJECT_ROOT } from '#lib/bundling.js';

export type IngestHarness = typeof import('./ingest-harness.js');

/** Inside the repository, so the bundle's external `@aws-sdk/*` imports resolve from node_modules. */
const OUT = join(PROJECT_ROOT, '.bench', 'ingest', 'harness.mjs');

export async function bundledHarness(): Promise<IngestHarness> {
  await build({
    ...ESBUILD_OPTIONS,
    entryPoints: [join(PROJECT_ROOT, 'bench', 'support', 'ingest-harness.ts')],
    outfile: OUT,
    logLevel: 'warning',
  });
  return (await import(pathToFileURL(OUT).href)) as IngestHarness;
}
