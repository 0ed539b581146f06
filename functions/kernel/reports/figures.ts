/**
 * The compliance report's arithmetic (pure). Every deadline that is not cancelled counts
 * once, under its rule, its team and the Europe/London month of its due time, as one of four
 * outcomes; a clock met late also adds its lateness to that month's histogram. The store
 * keeps these counters per rule, team and month, changed by `reportDeltas` in the same
 * transaction as the deadlines, so a year's report reads rules × teams × months items.
 *
 * Quantiles are exact for the whole-unit lateness each deadline carries (see
 * `lateness.ts`): the histogram keeps one counter per whole unit up to `LATENESS_CAP`, so the
 * sorted lateness values can be read back in full. They use the "inclusive" definition
 * (linear interpolation between closest ranks: R-7, Excel's PERCENTILE.INC and MEDIAN), so a
 * council's analyst gets the same figures from `deadlines.csv` in a spreadsheet.
 */

import { isoDate } from '../calendar/days.js';
import { localDay } from '../calendar/london.js';
import { LATENESS_CAP, LATENESS_UNITS, type Lateness, type LatenessUnit } from './lateness.js';

export const REPORT_OUTCOMES = ['open', 'metOnTime', 'metLate', 'breached'] as const;
/**
 * What became of a clock: still open, met by its statutory limit, met after it, or not met at
 * all. A clock the DfE measures (`measure`) is on time when its working days by date are at
 * most the clock's, as the children in need statistics count.
 */
export type ReportOutcome = (typeof REPORT_OUTCOMES)[number];

/** One report row's identity: the rule, the deadline's team and the month it fell due. */
export interface ReportKey {
  /** `YYYY-MM`, Europe/London. */
  month: string;
  rule: string;
  team: string;
}

/** A deadline as the report sees it (a `Deadline` or its stored projection). */
export interface FigureSource {
  rule: string;
  team?: string | undefined;
  status: 'open' | 'met' | 'breached' | 'cancelled';
  dueAt: Date | string;
  metAt?: Date | string | undefined;
  lateness?: Lateness | undefined;
  /** The DfE's count (working days by date) and the most it allows, when the rule has one. */
  measure?: { workingDays: number; within: number } | undefined;
}

/** Where one deadline counts. */
export interface DeadlineFigure {
  key: ReportKey;
  outcome: ReportOutcome;
  /** Met late with a known lateness: one sample of `unit`, `amount` whole units. */
  late?: Lateness;
}

/** The team a deadline without one counts under. */
export const NO_TEAM = 'unallocated';

/** Lateness histogram: whole units late → how many clocks. */
export type Histogram = Record<number, number>;

/** One report item's counters. A delta has the same shape, with signed numbers. */
export interface ReportCounts {
  open: number;
  metOnTime: number;
  metLate: number;
  breached: number;
  late: Partial<Record<LatenessUnit, Histogram>>;
}

export interface ReportItem {
  key: ReportKey;
  counts: ReportCounts;
}

/** The Europe/London month (`YYYY-MM`) of an instant. */
export function monthOf(at: Date | string): string {
  const ms = typeof at === 'string' ? Date.parse(at) : at.getTime();
  return isoDate(localDay(ms)).slice(0, 7);
}

/**
 * Where a deadline counts; undefined for a cancelled one (it was no longer owed). On time is
 * against the statutory limit (`status` met), or the DfE's working days by date where the rule
 * measures so: a clock met on the Saturday after its limit's Friday is late by the limit and
 * within the DfE's count (the return counts working days, and Saturday is not one).
 */
export function figureOf(d: FigureSource): DeadlineFigure | undefined {
  if (d.status === 'cancelled') return undefined;
  const key = { month: monthOf(d.dueAt), rule: d.rule, team: d.team ?? NO_TEAM };
  if (d.status === 'open') return { key, outcome: 'open' };
  if (d.measure !== undefined && (d.status === 'met' || d.metAt !== undefined)) {
    if (d.measure.workingDays <= d.measure.within) return { key, outcome: 'metOnTime' };
    return d.lateness === undefined
      ? { key, outcome: 'metLate' }
      : { key, outcome: 'metLate', late: d.lateness };
  }
  if (d.status === 'met') return { key, outcome: 'metOnTime' };
  if (d.metAt === undefined) return { key, outcome: 'breached' };
  return d.lateness === undefined
    ? { key, outcome: 'metLate' }
    : { key, outcome: 'metLate', late: d.lateness };
}

export function emptyCounts(): ReportCounts {
  return { open: 0, metOnTime: 0, metLate: 0, breached: 0, late: {} };
}

export function keyString(key: ReportKey): string {
  return `${key.month}#${key.rule}#${key.team}`;
}

/** The histogram bin of a lateness: whole units, 1 to `LATENESS_CAP`. */
export function lateBin(amount: number): number {
  return Math.min(LATENESS_CAP, Math.max(1, Math.ceil(amount)));
}

function add(counts: ReportCounts, figure: DeadlineFigure, sign: 1 | -1): void {
  counts[figure.outcome] += sign;
  if (figure.late === undefined) return;
  const histogram = counts.late[figure.late.unit] ?? {};
  counts.late[figure.late.unit] = histogram;
  const bin = lateBin(figure.late.amount);
  histogram[bin] = (histogram[bin] ?? 0) + sign;
}

/** Adds `figures` (or takes them away) into the map of counters by key. */
export function tally(
  into: Map<string, ReportItem>,
  figures: Iterable<DeadlineFigure | undefined>,
  sign: 1 | -1 = 1,
): Map<string, ReportItem> {
  for (const figure of figures) {
    if (figure === undefined) continue;
    const id = keyString(figure.key);
    let item = into.get(id);
    if (item === undefined) {
      item = { key: figure.key, counts: emptyCounts() };
      into.set(id, item);
    }
    add(item.counts, figure, sign);
  }
  return into;
}

/** Adds `delta`'s counters (signed) into `into`: what a stored item's `ADD` does. */
export function addCounts(into: ReportCounts, delta: ReportCounts): ReportCounts {
  for (const outcome of REPORT_OUTCOMES) into[outcome] += delta[outcome];
  for (const unit of LATENESS_UNITS) {
    const bins = Object.entries(delta.late[unit] ?? {});
    if (bins.length === 0) continue;
    const histogram = into.late[unit] ?? {};
    into.late[unit] = histogram;
    for (const [bin, n] of bins) histogram[Number(bin)] = (histogram[Number(bin)] ?? 0) + n;
  }
  return into;
}

/** Whether a delta changes nothing. */
export function isZero(counts: ReportCounts): boolean {
  return (
    REPORT_OUTCOMES.every((o) => counts[o] === 0) &&
    Object.values(counts.late).every((h) => Object.values(h ?? {}).every((n) => n === 0))
  );
}

/** The delta without its zero histogram bins. */
function pruned(counts: ReportCounts): ReportCounts {
  const late: ReportCounts['late'] = {};
  for (const unit of LATENESS_UNITS) {
    const bins = Object.entries(counts.late[unit] ?? {}).filter(([, n]) => n !== 0);
    if (bins.length > 0) late[unit] = Object.fromEntries(bins) as Histogram;
  }
  return { ...counts, late };
}

/**
 * What a change of a case's deadlines does to the report: the counters to add, per key
 * (signed; keys whose counts do not change are left out). Deadlines are matched by `id`, and
 * one whose figure did not change costs nothing.
 */
export function reportDeltas(
  before: readonly (FigureSource & { id: string })[],
  after: readonly (FigureSource & { id: string })[],
): ReportItem[] {
  const old = new Map(before.map((d) => [d.id, figureOf(d)]));
  const added: (DeadlineFigure | undefined)[] = [];
  const removed: (DeadlineFigure | undefined)[] = [];
  for (const d of after) {
    const now = figureOf(d);
    const was = old.get(d.id);
    old.delete(d.id);
    if (sameFigure(was, now)) continue;
    added.push(now);
    removed.push(was);
  }
  removed.push(...old.values());
  const deltas = tally(tally(new Map(), added, 1), removed, -1);
  return [...deltas.values()]
    .filter((item) => !isZero(item.counts))
    .map((item) => ({ key: item.key, counts: pruned(item.counts) }));
}

function sameFigure(a: DeadlineFigure | undefined, b: DeadlineFigure | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return (
    a.outcome === b.outcome &&
    keyString(a.key) === keyString(b.key) &&
    a.late?.unit === b.late?.unit &&
    (a.late === undefined || lateBin(a.late.amount) === lateBin(b.late?.amount ?? 0))
  );
}

/** Every deadline's figure, added up: what `rebuild-reports` writes. */
export function reportItemsOf(deadlines: Iterable<FigureSource>): ReportItem[] {
  const figures: DeadlineFigure[] = [];
  for (const d of deadlines) {
    const figure = figureOf(d);
    if (figure !== undefined) figures.push(figure);
  }
  return [...tally(new Map(), figures).values()].map((item) => ({
    key: item.key,
    counts: pruned(item.counts),
  }));
}

/**
 * The p-quantile (0–1) of the values a histogram holds, interpolating linearly between the
 * closest ranks (R-7: h = (n − 1)·p). Undefined for an empty histogram.
 */
export function quantile(histogram: Histogram, p: number): number | undefined {
  const bins = Object.entries(histogram)
    .map(([value, count]) => [Number(value), count] as const)
    .filter(([, count]) => count > 0)
    .sort((a, b) => a[0] - b[0]);
  const n = bins.reduce((sum, [, count]) => sum + count, 0);
  if (n === 0) return undefined;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const at = (rank: number): number => {
    let seen = 0;
    for (const [value, count] of bins) {
      seen += count;
      if (rank < seen) return value;
    }
    return (bins.at(-1) as readonly [number, number])[0];
  };
  const low = at(lo);
  return h === lo ? low : low + (h - lo) * (at(lo + 1) - low);
}

/** One row of the compliance report. */
export interface ReportRow {
  rule: string;
  team: string;
  month: string;
  /** Every clock that fell due in the month (open ones included). */
  due: number;
  metOnTime: number;
  metLate: number;
  breached: number;
  open: number;
  /** metOnTime ÷ (due − open) × 100; undefined when every clock is still open. */
  onTimePct: number | undefined;
  /** Of the clocks met late (those with a known lateness). */
  medianLateness: number | undefined;
  p75Lateness: number | undefined;
  latenessUnit: LatenessUnit | undefined;
}

/**
 * A report row from one item's counters. `unit` is the rule's lateness unit (from the rule
 * set); without it, the unit most samples have.
 */
export function reportRow(item: ReportItem, unit?: LatenessUnit): ReportRow {
  const { open, metOnTime, metLate, breached } = item.counts;
  const closed = metOnTime + metLate + breached;
  const chosen = unit ?? dominantUnit(item.counts);
  const histogram = chosen === undefined ? {} : (item.counts.late[chosen] ?? {});
  return {
    rule: item.key.rule,
    team: item.key.team,
    month: item.key.month,
    due: closed + open,
    metOnTime,
    metLate,
    breached,
    open,
    onTimePct: closed === 0 ? undefined : (metOnTime / closed) * 100,
    medianLateness: quantile(histogram, 0.5),
    p75Lateness: quantile(histogram, 0.75),
    latenessUnit: chosen,
  };
}

function dominantUnit(counts: ReportCounts): LatenessUnit | undefined {
  let best: LatenessUnit | undefined;
  let most = 0;
  for (const unit of LATENESS_UNITS) {
    const n = Object.values(counts.late[unit] ?? {}).reduce((a, b) => a + b, 0);
    if (n > most) [best, most] = [unit, n];
  }
  return best;
}

/** Rows in the report's order: rule, team, then month. */
export function sortRows<T extends Pick<ReportRow, 'rule' | 'team' | 'month'>>(rows: T[]): T[] {
  return rows.sort(
    (a, b) =>
      a.rule.localeCompare(b.rule) ||
      a.team.localeCompare(b.team) ||
      a.month.localeCompare(b.month),
  );
}
