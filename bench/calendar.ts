/**
 * `npm run bench:calendar`: how fast and how light the calendar is, measured in one run.
 *
 * - ops/s of working-day and working-hour additions, against the obvious implementation: a
 *   day-by-day loop asking date-holidays `isHoliday` about each day;
 * - the cost of importing the calendar module (cold, in a fresh `node`), and its esbuild bundle
 *   size, against date-holidays.
 *
 * Every figure is the median of several runs. Targets: ≥ 1,000× the naive loop,
 * ≥ 1,000,000 additions/s, calendar < 100 KB and < 10 ms cold.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import Holidays from 'date-holidays';
import { build } from 'esbuild';
import {
  addWorkingDays,
  addWorkingHours,
  createCalendar,
  formatLocal,
} from '#kernel/calendar/index.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, '.bench');
const RUNS = 7;
const HOUR = 3_600_000;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};

/** ops/s of `fn` over `inputs`, median of RUNS runs of at least `minMs` each. */
function opsPerSecond<T>(inputs: T[], fn: (input: T) => unknown, minMs = 200): number {
  const rates: number[] = [];
  let sink = 0;
  for (let run = 0; run < RUNS; run++) {
    let ops = 0;
    const start = performance.now();
    let elapsed = 0;
    do {
      for (const input of inputs) if (fn(input)) sink++;
      ops += inputs.length;
      elapsed = performance.now() - start;
    } while (elapsed < minMs);
    rates.push((ops / elapsed) * 1000);
  }
  if (sink < 0) console.log(sink);
  return median(rates);
}

// Inputs: instants spread over 2026, amounts a deadline would use.
let seed = 42;
const random = (): number => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
};
const inputs = Array.from({ length: 1000 }, () => ({
  from: new Date(Date.UTC(2026, 0, 1) + Math.floor(random() * 360 * 24) * HOUR),
  days: 1 + Math.floor(random() * 10),
  hours: 1 + Math.floor(random() * 40),
}));

// The obvious implementation, as a reference.
const hd = new Holidays('GB', 'ENG');
const isBankHoliday = (d: Date): boolean => {
  const found = hd.isHoliday(d);
  return Array.isArray(found) && found.some((h) => h.type === 'public' || h.type === 'bank');
};
function naiveAddWorkingDays(from: Date, n: number): Date {
  const d = new Date(from);
  let count = 0;
  while (count < n) {
    d.setDate(d.getDate() + 1);
    if (d.getDay() !== 0 && d.getDay() !== 6 && !isBankHoliday(d)) count++;
  }
  d.setHours(17, 0, 0, 0);
  return d;
}
function naiveAddWorkingHours(from: Date, n: number): Date {
  let left = n * HOUR;
  const d = new Date(from);
  for (;;) {
    const open = new Date(d).setHours(9, 0, 0, 0);
    const close = new Date(d).setHours(17, 0, 0, 0);
    if (d.getDay() !== 0 && d.getDay() !== 6 && !isBankHoliday(d)) {
      const start = Math.max(d.getTime(), open);
      if (start < close) {
        if (left <= close - start) return new Date(start + left);
        left -= close - start;
      }
    }
    d.setDate(d.getDate() + 1);
    d.setHours(0, 0, 0, 0);
  }
}

async function bundle(name: string, contents: string): Promise<number> {
  const outfile = join(OUT, `${name}.mjs`);
  await build({
    stdin: { contents, resolveDir: ROOT, loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outfile,
    logLevel: 'silent',
  });
  return statSync(outfile).size / 1024;
}

/** Median ms to import `file` (and run `after`) in fresh node processes. */
function coldImportMs(file: string, after = ''): number {
  const script = join(OUT, 'cold.mjs');
  writeFileSync(
    script,
    `const t = performance.now(); const m = await import(${JSON.stringify(file)}); ${after}; console.log(performance.now() - t);`,
  );
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++)
    times.push(Number(execFileSync(process.execPath, [script], { encoding: 'utf8' })));
  return median(times);
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const cal = createCalendar({ division: 'england-and-wales' });
  const check = inputs[0];
  if (check && formatLocal(addWorkingDays(cal, check.from, check.days).due) === '')
    throw new Error('unreachable');

  const wd = opsPerSecond(inputs, (i) => addWorkingDays(cal, i.from, i.days).due);
  const wh = opsPerSecond(inputs, (i) => addWorkingHours(cal, i.from, i.hours).due);
  const wdExplained = opsPerSecond(
    inputs,
    (i) => addWorkingDays(cal, i.from, i.days).explain.length,
  );
  const naiveInputs = inputs.slice(0, 20);
  const naiveWd = opsPerSecond(naiveInputs, (i) => naiveAddWorkingDays(i.from, i.days), 300);
  const naiveWh = opsPerSecond(naiveInputs, (i) => naiveAddWorkingHours(i.from, i.hours), 300);

  const calendarKb = await bundle(
    'calendar',
    `export * from './functions/kernel/calendar/index.ts';`,
  );
  const holidaysKb = await bundle('date-holidays', `export { default } from 'date-holidays';`);
  const calendarCold = coldImportMs(join(OUT, 'calendar.mjs'));
  const calendarFirstUse = coldImportMs(
    join(OUT, 'calendar.mjs'),
    `m.addWorkingDays(m.createCalendar({ division: 'england-and-wales' }), new Date(), 2)`,
  );
  const holidaysCold = coldImportMs(join(OUT, 'date-holidays.mjs'));
  const holidaysFirstUse = coldImportMs(
    join(OUT, 'date-holidays.mjs'),
    `new m.default('GB', 'ENG').isHoliday(new Date())`,
  );

  const f = (n: number): string => Math.round(n).toLocaleString('en-GB');
  const ok = (pass: boolean): string => (pass ? 'ok' : 'MISSED');
  const rows: [string, string, string][] = [
    ['working-day additions/s', f(wd), ok(wd >= 1_000_000)],
    ['  naive date-holidays loop/s', f(naiveWd), ''],
    ['  speed-up', `${f(wd / naiveWd)}×`, ok(wd / naiveWd >= 1000)],
    ['  with the explanation read', f(wdExplained), ''],
    ['working-hour additions/s', f(wh), ok(wh >= 1_000_000)],
    ['  naive date-holidays loop/s', f(naiveWh), ''],
    ['  speed-up', `${f(wh / naiveWh)}×`, ok(wh / naiveWh >= 1000)],
    ['calendar bundle (esbuild, minified)', `${calendarKb.toFixed(1)} KB`, ok(calendarKb < 100)],
    ['  cold import', `${calendarCold.toFixed(1)} ms`, ok(calendarCold < 10)],
    ['  cold import + calendar + first addition', `${calendarFirstUse.toFixed(1)} ms`, ''],
    ['date-holidays bundle (esbuild, minified)', `${holidaysKb.toFixed(1)} KB`, ''],
    ['  cold import', `${holidaysCold.toFixed(1)} ms`, ''],
    ['  cold import + first isHoliday', `${holidaysFirstUse.toFixed(1)} ms`, ''],
  ];
  console.log(`calendar benchmark (node ${process.version}, medians of ${RUNS} runs)`);
  for (const [what, value, verdict] of rows)
    console.log(`${what.padEnd(44)} ${value.padStart(14)}  ${verdict}`);
}

await main();
