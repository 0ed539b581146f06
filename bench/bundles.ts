/**
 * npm run bench:bundles — bundles every Lambda entry with the stack's esbuild options
 * (lib/bundling.ts), prints each bundle's size, fails if date-holidays (and its world data)
 * got into a bundle, and compares cold import time in a fresh Node process against a naive
 * bundle of the same handler that also imports date-holidays directly.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { type BuildOptions, build } from 'esbuild';
import {
  ENTRIES,
  type EntryName,
  ESBUILD_OPTIONS,
  ESBUILD_TARGET,
  entryPath,
  PROJECT_ROOT,
  UNREACHED_CREDENTIAL_PROVIDERS,
} from '#lib/bundling.js';
import { FUNCTION_NODE_OPTIONS } from '#lib/node-options.js';

/** Inside the repository so the external `@aws-sdk/*` imports resolve from node_modules, as in the runtime. */
const OUT = join(PROJECT_ROOT, '.bench', 'bundles');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const FORBIDDEN = /node_modules\/(date-holidays|date-holidays-parser)\//;
/** The targets: every bundle under 500 KB, cold import at most half the naive bundle's. */
const SIZE_LIMIT = 500 * 1024;
const IMPORT_RATIO_TARGET = 2;

/** The alternative measured alongside: every `@aws-sdk/*` package external (the runtime's SDK). */
const RUNTIME_SDK = { external: ['@aws-sdk/*'] };

/** The options NodejsFunction passes to esbuild for our `LAMBDA_BUNDLING`, with the metafile. */
const STACK_OPTIONS: BuildOptions = { ...ESBUILD_OPTIONS, metafile: true, logLevel: 'silent' };

/** Enough environment for a handler's cold-start config parsing; no AWS call is made on import. */
const FAKE_ENV: Record<string, string> = {
  AWS_REGION: 'eu-west-2',
  AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'example',
  TABLE_NAME: 'bench-table',
  WEBHOOK_SECRET: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  WEBHOOK_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-2:111122223333:secret:bench-AbCdEf',
  AUTHORITY_CONFIG: JSON.stringify({
    authority: 'Example Borough Council',
    division: 'england-and-wales',
    preset: 'southampton',
    links: { caseUrlTemplate: 'https://cases.example.gov.uk/cases/{caseId}' },
  }),
  SCHEDULE_GROUP: 'bench',
  SCHEDULER_ROLE_ARN: 'arn:aws:iam::111122223333:role/bench',
  TIMER_TARGET_ARN: 'arn:aws:lambda:eu-west-2:111122223333:function:bench',
  SCHEDULER_DLQ_ARN: 'arn:aws:sqs:eu-west-2:111122223333:bench',
  SES_FROM: 'timescales@example.gov.uk',
  SES_CONFIGURATION_SET: 'bench',
  SMS_ORIGINATION_IDENTITY: 'arn:aws:sms-voice:eu-west-2:111122223333:sender-id/EXAMPLEBC/GB',
  SMS_CONFIGURATION_SET: 'bench',
  POWERTOOLS_SERVICE_NAME: 'bench',
  POWERTOOLS_METRICS_NAMESPACE: 'Timescales',
  POWERTOOLS_DEV: 'true',
  LOG_LEVEL: 'ERROR',
};

interface Built {
  file: string;
  bytes: number;
  gzipBytes: number;
  forbidden: string[];
  /** The external packages the bundle imports statically (what its cold import loads). */
  externals: string[];
  /** The external packages it imports with `await import()` on first use (not at cold start). */
  lazy: string[];
}

async function bundle(name: string, options: BuildOptions): Promise<Built> {
  const outdir = join(OUT, name);
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const file = join(outdir, 'index.mjs');
  const result = await build({ ...STACK_OPTIONS, ...options, outfile: file });
  const forbidden = Object.keys(result.metafile?.inputs ?? {}).filter((input) =>
    FORBIDDEN.test(input),
  );
  const externals = new Set<string>();
  const lazy = new Set<string>();
  for (const output of Object.values(result.metafile?.outputs ?? {})) {
    for (const i of output.imports) {
      if (!i.external || isBuiltin(i.path)) continue;
      // Only an import statement runs at the cold import; a `require` call (nunjucks asking
      // for chokidar to watch templates) or a dynamic import runs when its code does.
      (i.kind === 'import-statement' ? externals : lazy).add(i.path);
    }
  }
  const sdk = (set: Set<string>) =>
    [...set].filter((e) => !UNREACHED_CREDENTIAL_PROVIDERS.includes(e)).sort();
  return {
    file,
    bytes: statSync(file).size,
    gzipBytes: gzipSync(readFileSync(file)).length,
    forbidden,
    externals: sdk(externals),
    lazy: sdk(lazy).filter((e) => !externals.has(e)),
  };
}

/**
 * The script that times `await import(bundle)` (ms); `preload` modules are imported before the
 * clock starts (untimed).
 */
function importScript(file: string, preload: string[] = []): string {
  const warm = preload.map((m) => `await import(${JSON.stringify(m)});`).join(' ');
  return `${warm} const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(String(performance.now() - t));`;
}

/** The script that times importing just these packages (ms). */
function packagesScript(packages: string[]): string {
  return `const t = performance.now(); ${packages.map((m) => `await import(${JSON.stringify(m)});`).join(' ')} process.stdout.write(String(performance.now() - t));`;
}

function runOnce(script: string): number {
  const out = execFileSync(
    process.execPath,
    [...FUNCTION_NODE_OPTIONS.split(' '), '--input-type=module', '-e', script],
    { cwd: PROJECT_ROOT, env: { ...process.env, ...FAKE_ENV }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return Number(out.toString());
}

/**
 * Median of what each script prints (ms), each run in a fresh Node process. The scripts are
 * interleaved run by run (a, b, a, b, …) so load on a shared machine hits each alike.
 */
function interleavedMs(scripts: string[]): (number | string)[] {
  const times: number[][] = scripts.map(() => []);
  const failures: (string | undefined)[] = scripts.map(() => undefined);
  for (let i = 0; i < RUNS; i += 1) {
    scripts.forEach((script, k) => {
      if (failures[k] !== undefined) return;
      try {
        times[k]!.push(runOnce(script));
      } catch (error) {
        const stderr =
          (error as { stderr?: Buffer }).stderr
            ?.toString()
            .split('\n')
            .find((l) => l.trim()) ?? '';
        failures[k] = `import failed: ${stderr.slice(0, 120)}`;
      }
    });
  }
  return times.map((t, k) => {
    if (failures[k] !== undefined) return failures[k]!;
    t.sort((a, b) => a - b);
    return t[Math.floor(t.length / 2)]!;
  });
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const ms = (v: number | string) => (typeof v === 'number' ? `${v.toFixed(1)} ms` : v);

interface Row {
  name: string;
  ours: Built;
  naive: Built;
  sdkMs: number | string;
  oursMs: number | string;
  naiveMs: number | string;
  oursAppMs: number | string;
  naiveAppMs: number | string;
  bundled: Built;
  bundledMs: number | string;
  naiveBundledMs: number | string;
}

const ratio = (naive: number | string, ours: number | string): number | undefined =>
  typeof naive === 'number' && typeof ours === 'number' && ours > 0 ? naive / ours : undefined;
const x = (r: number | undefined) => (r === undefined ? 'n/a' : `${r.toFixed(1)}×`);

function table(title: string, header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  console.log(`\n${title}\n`);
  console.log(line(header));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const row of rows) console.log(line(row));
}

const naiveSource = (name: EntryName) => ({
  contents: `export * from ${JSON.stringify(entryPath(name))};\nimport Holidays from 'date-holidays';\nglobalThis.__holidays = new Holidays('GB', 'ENG');\n`,
  resolveDir: PROJECT_ROOT,
  loader: 'ts' as const,
  sourcefile: `${name}-naive.ts`,
});

async function main(): Promise<void> {
  const names = (Object.keys(ENTRIES) as EntryName[]).filter((name) => existsSync(entryPath(name)));
  const skipped = (Object.keys(ENTRIES) as EntryName[]).filter((name) => !names.includes(name));
  let failed = false;
  const rows: Row[] = [];

  for (const name of names) {
    const ours = await bundle(name, { entryPoints: [entryPath(name)] });
    if (ours.forbidden.length > 0) {
      failed = true;
      console.error(
        `\n✖ ${name}: the bundle contains date-holidays — the calendar must use the precomputed tables.\n  ${ours.forbidden.slice(0, 5).join('\n  ')}${ours.forbidden.length > 5 ? `\n  … and ${ours.forbidden.length - 5} more` : ''}`,
      );
    }
    const naive = await bundle(`${name}-naive`, { stdin: naiveSource(name) });
    const bundled = await bundle(`${name}-sdk`, { entryPoints: [entryPath(name)], ...RUNTIME_SDK });
    const naiveBundled = await bundle(`${name}-sdk-naive`, {
      stdin: naiveSource(name),
      ...RUNTIME_SDK,
    });
    const [sdkMs, oursMs, naiveMs, oursAppMs, naiveAppMs, bundledMs, naiveBundledMs] =
      interleavedMs([
        packagesScript(ours.externals),
        importScript(ours.file),
        importScript(naive.file),
        importScript(ours.file, ours.externals),
        importScript(naive.file, naive.externals),
        importScript(bundled.file),
        importScript(naiveBundled.file),
      ]) as [number | string, ...(number | string)[]];
    rows.push({
      name,
      ours,
      naive,
      sdkMs,
      oursMs: oursMs!,
      naiveMs: naiveMs!,
      oursAppMs: oursAppMs!,
      naiveAppMs: naiveAppMs!,
      bundled,
      bundledMs: bundledMs!,
      naiveBundledMs: naiveBundledMs!,
    });
  }

  table(
    `Deployed bundles (esbuild ${ESBUILD_TARGET}, ESM, minified, DynamoDB SDK bundled, lazily loaded clients external; median of ${RUNS} cold imports, fresh process each, interleaved)`,
    [
      'entry',
      'bundle',
      'gzip',
      'naive bundle',
      'SDK load',
      'cold import',
      'naive import',
      'ratio',
      'app code',
      'naive app code',
      'app ratio',
    ],
    rows.map((r) => [
      r.name,
      kb(r.ours.bytes),
      kb(r.ours.gzipBytes),
      kb(r.naive.bytes),
      ms(r.sdkMs),
      ms(r.oursMs),
      ms(r.naiveMs),
      x(ratio(r.naiveMs, r.oursMs)),
      ms(r.oursAppMs),
      ms(r.naiveAppMs),
      x(ratio(r.naiveAppMs, r.oursAppMs)),
    ]),
  );
  table(
    "Alternative, not deployed: every @aws-sdk/* package external (loaded from the runtime's SDK)",
    ['entry', 'bundle', 'gzip', 'cold import', 'naive import', 'ratio', 'under 500 KB'],
    rows.map((r) => [
      r.name,
      kb(r.bundled.bytes),
      kb(r.bundled.gzipBytes),
      ms(r.bundledMs),
      ms(r.naiveBundledMs),
      x(ratio(r.naiveBundledMs, r.bundledMs)),
      r.bundled.bytes < SIZE_LIMIT ? 'yes' : 'NO',
    ]),
  );
  console.log(
    '\nExternal SDK packages per deployed bundle (static = loaded by the cold import):\n',
  );
  for (const r of rows) {
    console.log(
      `  ${r.name}: static ${r.ours.externals.join(', ') || '—'}; on first use ${r.ours.lazy.join(', ') || '—'}`,
    );
  }
  if (skipped.length > 0)
    console.log(`\n(not present, skipped: ${skipped.map((s) => ENTRIES[s]).join(', ')})`);
  console.log(
    [
      '',
      "naive     = the same handler, built the same way, plus `new Holidays('GB', 'ENG')` from date-holidays.",
      'SDK load  = importing only the external @aws-sdk/* packages the bundle imports statically (no app code).',
      'app code  = the bundle imported with those SDK packages already loaded (the same for both).',
      'ratio     = naive / ours; the target is ≥ 2.0× (ours at most half the naive).',
    ].join('\n'),
  );

  for (const r of rows) {
    if (r.ours.bytes >= SIZE_LIMIT) {
      failed = true;
      console.error(`✖ ${r.name}: ${kb(r.ours.bytes)} is not under 500 KB`);
    }
  }
  const endToEnd = rows.map((r) => ratio(r.naiveMs, r.oursMs) ?? 0);
  const appCode = rows.map((r) => ratio(r.naiveAppMs, r.oursAppMs) ?? 0);
  const verdict = (rs: number[]) =>
    rs.every((v) => v >= IMPORT_RATIO_TARGET)
      ? 'met'
      : `NOT met (min ${Math.min(...rs).toFixed(1)}×)`;
  console.log(
    `\nImport target (≥ ${IMPORT_RATIO_TARGET}×): end to end ${verdict(endToEnd)}; app code ${verdict(appCode)}.`,
  );

  if (failed) {
    console.error('\n✖ FAILED: a bundle is too large or contains date-holidays (see above).');
    process.exit(1);
  }
  console.log('✔ Every bundle is under 500 KB and none contains date-holidays.');
}

await main();
