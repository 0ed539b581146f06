/**
 * The one set of esbuild options for every Lambda: used by the stack (through `NodejsFunction`)
 * and by `bench/bundles.ts`, so the benchmark measures what is deployed.
 */
import { fileURLToPath } from 'node:url';
import { type BundlingOptions, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BuildOptions } from 'esbuild';

/** Repository root (this file lives in `lib/`). */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Lambda entry points, relative to the repository root. */
export const ENTRIES = {
  events: 'functions/ingest/handler.ts',
  read: 'functions/read/handler.ts',
  reminders: 'functions/fire/handler.ts',
  alerts: 'functions/alerts/handler.ts',
  smsInbound: 'functions/alerts/sms-handler.ts',
  web: 'functions/web/handler.ts',
  import: 'functions/import/handler.ts',
  receipts: 'functions/delivery/events-handler.ts',
  notify: 'functions/delivery/notify-handler.ts',
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

/**
 * SDK clients the handlers import with `await import()` on first use (sending, scheduling,
 * reading the webhook secret), never at cold start: left external, they load from the Node.js
 * 22 runtime's AWS SDK only when a request needs them.
 */
export const LAZY_SDK_CLIENTS = [
  '@aws-sdk/client-pinpoint-sms-voice-v2',
  '@aws-sdk/client-scheduler',
  '@aws-sdk/client-secrets-manager',
  '@aws-sdk/client-sesv2',
  '@aws-sdk/client-lambda',
  '@aws-sdk/client-s3',
];

/**
 * What the default credential chain imports lazily and Lambda (credentials in the
 * environment) never reaches: left external (the runtime's copy) rather than bundled.
 */
export const UNREACHED_CREDENTIAL_PROVIDERS = [
  '@aws-sdk/credential-provider-ini',
  '@aws-sdk/credential-provider-sso',
  '@aws-sdk/credential-provider-process',
  '@aws-sdk/credential-provider-web-identity',
  '@aws-sdk/credential-provider-login',
  '@aws-sdk/credential-provider-http',
  '@smithy/credential-provider-imds',
  '@aws-sdk/token-providers',
  '@aws-sdk/nested-clients',
  '@aws-sdk/nested-clients/*',
];

/**
 * GOV.UK Notify's official client (with axios and form-data, ~280 KB minified), which the
 * reminders function imports with `await import()` on its first send through Notify. Only the
 * reminders function of a stack that sends through Notify bundles it (`NOTIFY_BUNDLING`); every
 * other build leaves it external, an import its code never reaches.
 */
export const NOTIFY_CLIENT = 'notifications-node-client';

/**
 * Everything a handler imports statically is bundled — in practice the DynamoDB client and
 * document client every request needs, tree-shaken and minified (one file loads faster than
 * resolving hundreds of files of the runtime's SDK; `npm run bench:bundles` measures both).
 * Only the lazily imported clients and the unreached credential providers stay external.
 */
export const EXTERNAL_MODULES = [
  ...LAZY_SDK_CLIENTS,
  ...UNREACHED_CREDENTIAL_PROVIDERS,
  NOTIFY_CLIENT,
];

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

/** The reminders function's bundling when the stack sends through GOV.UK Notify: with its client. */
export const NOTIFY_BUNDLING: BundlingOptions = {
  ...LAMBDA_BUNDLING,
  externalModules: EXTERNAL_MODULES.filter((m) => m !== NOTIFY_CLIENT),
};

/**
 * What `NodejsFunction` gives esbuild for `LAMBDA_BUNDLING`, in esbuild's own API: for the
 * checks that bundle an entry without a synth (`test/infra/app-stack.test.ts`).
 */
export const ESBUILD_OPTIONS: BuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: ESBUILD_TARGET,
  mainFields: MAIN_FIELDS,
  banner: { js: ESM_REQUIRE_BANNER },
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  external: EXTERNAL_MODULES,
  absWorkingDir: PROJECT_ROOT,
};

/**
 * The functions that render pages (the managers' pages; the ack link's): the same bundle
 * options, plus every template compiled to `web/templates.cjs` and govuk-frontend's stylesheet
 * beside the bundle after esbuild runs (`scripts/copy-web-resources.mjs`). The bundle carries
 * Nunjucks' runtime only; the whole of Nunjucks (which would also ask for `chokidar` to watch
 * templates) is for local mode and tests, loaded from node_modules, and stays out.
 */
export const WEB_BUNDLING: BundlingOptions = {
  ...LAMBDA_BUNDLING,
  commandHooks: {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (inputDir: string, outputDir: string) => [
      `node "${inputDir}/scripts/copy-web-resources.mjs" "${outputDir}"`,
    ],
  },
};
