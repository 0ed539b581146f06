/**
 * What `bench:fire` prints: one row per run (warm-up, serial baseline, measured runs), then the
 * figures against the targets. Kept apart from the runs themselves so `bench/fire.ts` reads as
 * set-up, act and assess; the figures are computed here from the runs' results alone.
 */
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { notifySummary } from './fire-notify.js';
import type { Seed } from './fire-setup.js';
import { fmt, median, table } from './stats.js';

/** One run's figures: how it was seeded and fired, and what was delivered. */
export interface RunResult {
  seed: Seed;
  reminders: number;
  cpuSeconds: number;
  dynamoCalls: number;
  /** DynamoDB calls while firing, by command. */
  byCommand: Map<string, number>;
  concurrency: string;
  seedSeconds: number;
  fireSeconds: number;
  fired: number;
  delivered: number;
  sesEmails: number;
  duplicates: number;
  losses: number;
  unexpected: number;
  notifyPeak: number; // with Notify: most requests in any 60 s
  notify429s: number;
  dead: number;
  timersLeft: number;
}

/** The run's line in the table of runs. */
function row(label: string, r: RunResult): string[] {
  return [
    label,
    r.seed,
    fmt(r.reminders),
    r.concurrency,
    fmt(r.seedSeconds, 1),
    fmt(r.fireSeconds, 2),
    fmt(r.fired / r.fireSeconds),
    fmt((r.cpuSeconds / r.fireSeconds) * 100),
    fmt(r.fired),
    fmt(r.delivered),
    fmt(r.sesEmails),
    fmt(r.duplicates),
    fmt(r.losses),
    fmt(r.unexpected),
    fmt(r.dead),
  ];
}

/**
 * Prints the table of runs and the figures against the targets; whether the run kept the
 * promise (no duplicate, no loss, and with Notify within its rate limit) — a missed time is
 * reported, not failed, as it depends on the machine's load.
 */
export function printReport(report: {
  reminders: number;
  messaging: 'aws' | 'notify';
  /**
   * The unmeasured runs before the baselines (seeded through ingest, then a burst that brings
   * DynamoDB Local's JVM to steady state); their duplicates count against every run.
   */
  warm: RunResult[];
  serial: RunResult | undefined;
  runs: RunResult[];
  putRate: number;
  /** `performance.now()` when the bench began. */
  began: number;
  targetSeconds: number;
  targetCalls: number;
}): boolean {
  const { reminders, messaging, warm, serial, runs, putRate, began, targetSeconds, targetCalls } =
    report;
  // In the order they ran: the warm-up, the serial baseline, the measured runs.
  const rows = [
    ...warm.map((r, i) => row(i === 0 ? 'warm-up' : 'warm-up (JIT)', r)),
    ...(serial === undefined ? [] : [row('serial (concurrency 1)', serial)]),
    ...runs.map((r, i) => row(`run ${i + 1}`, r)),
  ];
  const med = (f: (r: RunResult) => number) => median(runs.map(f));
  const fireMedian = med((r) => r.fireSeconds);
  const firedMedian = med((r) => r.fired);
  const warmDup = warm.reduce((sum, r) => sum + r.duplicates, 0);
  const worstDup = Math.max(...runs.map((r) => r.duplicates + warmDup));
  const worstLoss = Math.max(...runs.map((r) => r.losses + r.unexpected + r.dead));
  console.log(
    `\nbench:fire — ${fmt(reminders)} LADO reminders due at one instant (Tue 2 Jun 2026 04:00 BST, out of hours: EDT SMS + email each), local mode, ${messaging === 'notify' ? 'through the GOV.UK Notify stand-in' : 'SES and SMS stand-ins'}\n`,
  );
  console.log(
    table(
      [
        'run',
        'seed',
        'reminders',
        'conc.',
        'seed s',
        'fire s',
        'fired/s',
        'node CPU %',
        'fired',
        'delivered',
        'SES rcvd',
        'dup',
        'lost',
        'unexp.',
        'dead',
      ],
      rows,
    ),
  );
  const rate = firedMedian / fireMedian;
  const summary: string[][] = [
    ['DynamoDB Local PutItem/s (baseline, 24 in flight)', fmt(putRate)],
    [`time to deliver ${fmt(reminders)} (median of ${runs.length})`, `${fmt(fireMedian, 2)} s`],
    ['reminders fired/s (median)', fmt(rate)],
    [
      'DynamoDB calls per reminder (median)',
      fmt(
        med((r) => r.dynamoCalls / r.fired),
        2,
      ),
    ],
    [
      'DynamoDB calls per reminder by command (last run)',
      [...(runs.at(-1)?.byCommand ?? [])]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([name, calls]) => `${name} ${fmt(calls / (runs.at(-1)?.fired ?? 1), 2)}`)
        .join(', '),
    ],
    [
      'DynamoDB calls/s while firing ÷ PutItem/s',
      fmt(med((r) => r.dynamoCalls / r.fireSeconds) / putRate, 2),
    ],
    [
      'node CPU per reminder (median)',
      `${fmt(
        med((r) => (r.cpuSeconds / r.fired) * 1000),
        1,
      )} ms`,
    ],
    ['duplicates (all runs)', fmt(runs.reduce((s, r) => s + r.duplicates, 0))],
    ['losses (all runs)', fmt(runs.reduce((s, r) => s + r.losses, 0))],
  ];
  if (serial !== undefined) {
    const serialRate = serial.fired / serial.fireSeconds;
    summary.push(['serial driver reminders/s (1 in flight)', fmt(serialRate)]);
    summary.push(['speed-up over serial', `× ${fmt(rate / serialRate, 1)}`]);
    summary.push([
      `serial time for ${fmt(reminders)} (extrapolated)`,
      `${fmt(reminders / serialRate, 0)} s`,
    ]);
  }
  let ok = worstDup === 0 && worstLoss === 0;
  const notify = messaging === 'notify' ? notifySummary(runs, reminders) : undefined;
  if (notify?.ok === false) ok = false;
  const met = ok && (notify !== undefined || fireMedian <= targetSeconds);
  summary.push(...(notify?.rows ?? []), [
    `target: ${fmt(reminders)} within ${notify ? "Notify's rate limit" : `${targetSeconds} s`}, 0 duplicates, 0 losses`,
    met && firedMedian === reminders ? 'MET' : ok ? 'MISSED (time)' : 'MISSED',
  ]);
  const calls = med((r) => r.dynamoCalls / r.fired);
  summary.push([
    `target: at most ${targetCalls} DynamoDB calls per reminder`,
    calls <= targetCalls ? 'MET' : 'MISSED',
  ]);
  summary.push([
    'load average (1 min) / CPUs',
    `${fmt(loadavg()[0] ?? 0, 1)} / ${availableParallelism()}`,
  ]);
  summary.push(['bench wall time', `${fmt((performance.now() - began) / 1000, 0)} s`]);
  console.log(`\n${table(['figure', 'value'], summary)}`);
  return ok;
}
