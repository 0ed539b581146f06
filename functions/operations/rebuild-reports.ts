/**
 * `npx timescales rebuild-reports`: recomputes the compliance report's counters from the
 * deadlines of every case (open or closed) and writes exactly those, deleting any other.
 *
 * Input: a scan of the cases and the report store. Output: how many cases, deadlines and
 * report items. Steps: 1. read every case, adding each deadline's figure as it arrives (no
 * case is kept); 2. replace the stored counters with the sums.
 *
 * The counters are normally kept by each commit (same transaction); this is for repair: the
 * first run on a table that had deadlines before the report existed, after a restore, or
 * after a crash between the commit and a report overflow (docs/store.md). Commits made
 * while it runs may be counted twice or not at all: run it while no events arrive (or run it
 * twice).
 */

import type { ReportStore } from '#kernel/ports.js';
import { type DeadlineFigure, figureOf, type ReportItem, tally } from '#kernel/reports/figures.js';
import type { CaseScan } from './ports.js';

export interface RebuildSummary {
  cases: number;
  deadlines: number;
  items: number;
  deleted: number;
}

export async function rebuildReports(deps: {
  cases: CaseScan;
  reports: ReportStore;
}): Promise<RebuildSummary> {
  const sums = new Map<string, ReportItem>();
  let cases = 0;
  let deadlines = 0;
  await deps.cases.scanCases((aggregate) => {
    cases++;
    deadlines += aggregate.deadlines.length;
    tally(
      sums,
      aggregate.deadlines.map((d): DeadlineFigure | undefined => figureOf(d)),
    );
  });
  const items = [...sums.values()];
  const { written, deleted } = await deps.reports.replaceAll(items);
  return { cases, deadlines, items: written, deleted };
}
