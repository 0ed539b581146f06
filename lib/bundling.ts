/**
 * The one set of esbuild options for every Lambda: used by the stack (through `NodejsFunction`)
 * and by `bench/bundles.ts`, so the benchmark measures what is deployed.
 */
import { fileURLToPath } from 'node:url';
import { type BundlingOptions, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';

/** Repository root (this file lives in `lib/`). */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Lambda entry points, relative to the repository root. */
export const ENTRIES = {
  events: 'functions/events/handler.ts',
  read: 'functions/read/handler.ts',
  reminders: 'functions/reminders/handler.ts',
  digest: 'functions/digest/handler.ts',
} as const;

export type EntryName = keyof typeof ENTRIES;

export function entryPath(name: EntryName): string {
  return fileURLToPath(new URL(`../${ENTRIES[name]}`, import.meta.url));
}

/** Node.js 22 runtime target for esbuild. */
export const ESBUILD_TARGET = 'node22';

/**
 * ESM output needs `require` for the CommonJS dependencies esbuild inlines (e.g. parts of the
 * Powertools/Smithy graph); the banner creates one from `import.meta.url`.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __tsCreateRequire } from 'node:module'; const require = __tsCreateRequire(import.meta.url);";

/** The AWS SDK v3 is in the Node.js 22 runtime; bundling it would only add size. */
export const EXTERNAL_MODULES = ['@aws-sdk/*'];

export const MAIN_FIELDS = ['module', 'main'];

export const LAMBDA_BUNDLING: BundlingOptions = {
  format: OutputFormat.ESM,
  target: ESBUILD_TARGET,
  mainFields: MAIN_FIELDS,
  banner: ESM_REQUIRE_BANNER,
  minify: true,
  sourceMap: true,
  sourceMapMode: SourceMapMode.DEFAULT,
  sourcesContent: false,
  externalModules: EXTERNAL_MODULES,
  forceDockerBundling: false,
  metafile: false,
};
