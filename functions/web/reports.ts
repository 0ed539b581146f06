/**
 * The compliance report and the per-deadline extract, as rows and as RFC 4180 CSV.
 *
 * `complianceReport` reads the report's counters (one item per rule, team and month: a
 * year's report reads rules × teams × months items, never the deadlines) and turns each into
 * a row; `deadlineRows` pages through the deadline projections due in a range, for the
 * council's own analysis. Both take the teams a reader may see (a team manager's) or none
 * (every team).
 */

import { stringify } from 'csv-stringify/sync';
import { formatLocal } from '#kernel/calendar/index.js';
import { everyPage } from '#kernel/paging.js';
import type { CaseStore, ReportStore } from '#kernel/ports.js';
import type { DeadlineRecord, DeadlineStatusName } from '#kernel/records.js';
import { figureOf, type ReportRow, reportRow, sortRows } from '#kernel/reports/figures.js';
import { type LatenessUnit, latenessUnitOf } from '#kernel/reports/lateness.js';
import type { RuleSet } from '#kernel/rules/index.js';

export interface ComplianceQuery {
  /** `YYYY-MM`, inclusive. */
  from: string;
  to: string;
  /** Only these teams; absent: every team. */
  teams?: readonly string[] | undefined;
  rule?: string | undefined;
}

export interface ReportDeps {
  reports: ReportStore;
  /** The lateness unit of each rule comes from its clock. */
  rules: Pick<RuleSet, 'get'>;
}

/** The lateness unit of a rule, or undefined for a rule the rule set no longer has. */
export function unitOfRule(rules: Pick<RuleSet, 'get'>, rule: string): LatenessUnit | undefined {
  const found = rules.get(rule);
  return found === undefined ? undefined : latenessUnitOf(found.clock.unit);
}

/** One row per rule, team and month with a clock due, in rule, team, month order. */
export async function complianceReport(
  query: ComplianceQuery,
  deps: ReportDeps,
): Promise<ReportRow[]> {
  const items = await deps.reports.readReport(query);
  return sortRows(
    items
      .map((item) => reportRow(item, unitOfRule(deps.rules, item.key.rule)))
      .filter((row) => row.due > 0),
  );
}

/** The compliance CSV's header, in order. */
export const COMPLIANCE_CSV_COLUMNS = [
  'rule',
  'team',
  'month',
  'due',
  'met_on_time',
  'met_late',
  'breached',
  'open',
  'on_time_pct',
  'median_lateness',
  'p75_lateness',
  'lateness_unit',
] as const;

/** A figure as the CSV writes it: at most two decimals, no trailing zeros; empty when none. */
export function decimal(value: number | undefined): string {
  return value === undefined ? '' : String(Math.round(value * 100) / 100);
}

/** On-time percentage with one decimal ("75.0"); empty when no clock is closed yet. */
export function percent(value: number | undefined): string {
  return value === undefined ? '' : value.toFixed(1);
}

/** RFC 4180: CRLF line ends, fields quoted when they hold a comma, quote or line break. */
function csv(header: readonly string[], records: string[][]): string {
  return stringify([[...header], ...records], { record_delimiter: 'windows' });
}

export function complianceCsv(rows: readonly ReportRow[]): string {
  return csv(
    COMPLIANCE_CSV_COLUMNS,
    rows.map((r) => [
      r.rule,
      r.team,
      r.month,
      String(r.due),
      String(r.metOnTime),
      String(r.metLate),
      String(r.breached),
      String(r.open),
      percent(r.onTimePct),
      decimal(r.medianLateness),
      decimal(r.p75Lateness),
      r.latenessUnit ?? '',
    ]),
  );
}

export interface DeadlineRowsQuery {
  /** Due at or after. */
  from: Date;
  /** Due strictly before. */
  before: Date;
  teams?: readonly string[] | undefined;
}

const STATUSES: readonly DeadlineStatusName[] = ['open', 'met', 'breached', 'cancelled'];

/** Every deadline due in the range, in due-time order (pages of the status indexes). */
export async function deadlineRows(
  query: DeadlineRowsQuery,
  deps: { store: Pick<CaseStore, 'queryDeadlines'> },
): Promise<DeadlineRecord[]> {
  const lists = await Promise.all(
    STATUSES.flatMap((status) =>
      (query.teams ?? [undefined]).map(async (team) => {
        const found: DeadlineRecord[] = [];
        const pages = everyPage((cursor) =>
          deps.store.queryDeadlines({
            status,
            team,
            dueFrom: query.from,
            dueBefore: query.before,
            limit: 1000,
            cursor,
            fields: 'list',
          }),
        );
        for await (const page of pages) found.push(...page.deadlines);
        return found;
      }),
    ),
  );
  return lists
    .flat()
    .sort(
      (a, b) =>
        a.dueAt.localeCompare(b.dueAt) ||
        a.caseId.localeCompare(b.caseId) ||
        a.id.localeCompare(b.id),
    );
}

/**
 * What became of a deadline, in the report's words: on time against its statutory limit (the
 * DfE's working days by date for the assessment and the initial conference).
 */
export function outcomeOf(d: DeadlineRecord): string {
  const figure = figureOf(d);
  if (figure === undefined) return 'cancelled';
  return { open: 'open', metOnTime: 'met_on_time', metLate: 'met_late', breached: 'breached' }[
    figure.outcome
  ];
}

/** When the work was done: a met clock's close, a late one's `metAt`. */
export function metAtOf(d: DeadlineRecord): string | undefined {
  if (d.status === 'met') return d.closedAt;
  return d.metAt;
}

export const DEADLINES_CSV_COLUMNS = [
  'case',
  'deadline',
  'rule',
  'team',
  'started',
  'due',
  'limit',
  'met',
  'status',
  'lateness',
  'lateness_unit',
  'working_days',
] as const;

const local = (iso: string | undefined) => (iso === undefined ? '' : formatLocal(new Date(iso)));

export function deadlinesCsv(deadlines: readonly DeadlineRecord[]): string {
  return csv(
    DEADLINES_CSV_COLUMNS,
    deadlines.map((d) => [
      d.caseId,
      d.id,
      d.rule,
      d.team ?? '',
      local(d.startedAt),
      local(d.dueAt),
      local(d.limitAt ?? d.dueAt),
      local(metAtOf(d)),
      outcomeOf(d),
      d.lateness === undefined ? '' : String(d.lateness.amount),
      d.lateness?.unit ?? '',
      d.measure === undefined ? '' : String(d.measure.workingDays),
    ]),
  );
}
