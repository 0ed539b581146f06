/**
 * npm run bench:bundles — bundles every Lambda entry with the stack's esbuild options
 * (lib/bundling.ts), prints each bundle's size, fails if date-holidays (and its world data)
 * got into a bundle, and compares cold import time in a fresh Node process against a naive
 * bundle of the same handler that also imports date-holidays directly.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { type BuildOptions, build } from 'esbuild';
import {
  ENTRIES,
  type EntryName,
  ESBUILD_TARGET,
  ESM_REQUIRE_BANNER,
  EXTERNAL_MODULES,
  entryPath,
  MAIN_FIELDS,
  PROJECT_ROOT,
} from '../lib/bundling.js';

/** Inside the repository so the external `@aws-sdk/*` imports resolve from node_modules, as in the runtime. */
const OUT = join(PROJECT_ROOT, '.bench', 'bundles');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const FORBIDDEN = /node_modules\/(date-holidays|date-holidays-parser)\//;

/** The options NodejsFunction passes to esbuild for our `LAMBDA_BUNDLING`. */
const STACK_OPTIONS: BuildOptions = {
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
  metafile: true,
  logLevel: 'silent',
  absWorkingDir: PROJECT_ROOT,
};

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
  return {
    file,
    bytes: statSync(file).size,
    gzipBytes: gzipSync(readFileSync(file)).length,
    forbidden,
  };
}

/** Median wall time of `await import(bundle)` in fresh Node processes, in ms. */
function coldImportMs(file: string): number | string {
  const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(String(performance.now() - t));`;
  const times: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    try {
      const out = execFileSync(
        process.execPath,
        ['--enable-source-maps', '--input-type=module', '-e', script],
        {
          cwd: PROJECT_ROOT,
          env: { ...process.env, ...FAKE_ENV },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      times.push(Number(out.toString()));
    } catch (error) {
      const stderr =
        (error as { stderr?: Buffer }).stderr
          ?.toString()
          .split('\n')
          .find((l) => l.trim()) ?? '';
      return `import failed: ${stderr.slice(0, 120)}`;
    }
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const ms = (v: number | string) => (typeof v === 'number' ? `${v.toFixed(1)} ms` : v);

async function main(): Promise<void> {
  const names = (Object.keys(ENTRIES) as EntryName[]).filter((name) => existsSync(entryPath(name)));
  const skipped = (Object.keys(ENTRIES) as EntryName[]).filter((name) => !names.includes(name));
  let failed = false;
  const rows: string[][] = [];

  for (const name of names) {
    const ours = await bundle(name, { entryPoints: [entryPath(name)] });
    if (ours.forbidden.length > 0) {
      failed = true;
      console.error(
        `\n✖ ${name}: the bundle contains date-holidays — the calendar must use the precomputed tables.\n  ${ours.forbidden.slice(0, 5).join('\n  ')}${ours.forbidden.length > 5 ? `\n  … and ${ours.forbidden.length - 5} more` : ''}`,
      );
    }
    const naive = await bundle(`${name}-naive`, {
      stdin: {
        contents: `export * from ${JSON.stringify(entryPath(name))};\nimport Holidays from 'date-holidays';\nglobalThis.__holidays = new Holidays('GB', 'ENG');\n`,
        resolveDir: PROJECT_ROOT,
        loader: 'ts',
        sourcefile: `${name}-naive.ts`,
      },
    });
    const oursMs = coldImportMs(ours.file);
    const naiveMs = coldImportMs(naive.file);
    const ratio =
      typeof oursMs === 'number' && typeof naiveMs === 'number' && oursMs > 0
        ? `${(naiveMs / oursMs).toFixed(1)}×`
        : 'n/a';
    rows.push([
      name,
      kb(ours.bytes),
      kb(ours.gzipBytes),
      kb(naive.bytes),
      `${(naive.bytes / ours.bytes).toFixed(1)}×`,
      ms(oursMs),
      ms(naiveMs),
      ratio,
    ]);
  }

  const header = [
    'entry',
    'bundle',
    'gzip',
    'naive bundle',
    'size ratio',
    'cold import',
    'naive import',
    'import ratio',
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  console.log(
    `\nLambda bundles (esbuild ${ESBUILD_TARGET}, ESM, minified, @aws-sdk/* external; median of ${RUNS} cold imports)\n`,
  );
  console.log(line(header));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const row of rows) console.log(line(row));
  if (skipped.length > 0)
    console.log(`\n(not present, skipped: ${skipped.map((s) => ENTRIES[s]).join(', ')})`);
  console.log(
    "\n\"naive\" = the same handler plus `new Holidays('GB', 'ENG')` from date-holidays.",
  );

  if (failed) {
    console.error('\n✖ FAILED: date-holidays found in a Lambda bundle (see above).');
    process.exit(1);
  }
  console.log('\n✔ No bundle contains date-holidays.');
}

await main();
