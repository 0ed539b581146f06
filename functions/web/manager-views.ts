/**
 * What every manager view shares: its dependencies, a deadline as a row, and the queries that
 * list exactly the clocks a signed-in viewer's roles cover (`functions/kernel/access.ts`). The
 * views themselves: `dashboard-view.ts`, `case-view.ts`, `on-call-view.ts`, `people-view.ts`.
 */

import type { ReadDeps } from '#functions/read/read-queries.js';
import { isHead, type Viewer } from '#kernel/access.js';
import { clockLabel } from '#kernel/glossary.js';
import type { Person } from '#kernel/people.js';
import type {
  AlertStore,
  CaseStore,
  Clock,
  DeadlineQueryInput,
  Directory,
  DirectoryListing,
} from '#kernel/ports.js';
import type { DeadlineRecord } from '#kernel/records.js';
import { DEFAULT_REMINDER_PLANS } from '#kernel/reminders/plans.js';
import type { RuleSet } from '#kernel/rules/index.js';
import type { AlertLog, DirectoryOverview } from './ports.js';

export interface ManagerDeps {
  store: Pick<
    CaseStore,
    'queryDeadlines' | 'countDeadlines' | 'loadCase' | 'listDeadlines' | 'listAudit'
  >;
  /** What the reminders view plans and routes with. */
  read: ReadDeps;
  directory: Pick<DirectoryListing, 'listShifts'> &
    Pick<DirectoryOverview, 'awayEndingAfter'> &
    Pick<Directory, 'onCallAt'>;
  alerts: AlertLog;
  /** Each clock's alert state: who acknowledged it, where it escalated (the on-call page). */
  acks?: Pick<AlertStore, 'getClock'>;
  rules: Pick<RuleSet, 'get' | 'rules'>;
  clock: Clock;
  /** The directory's people, kept per process until the directory stamp moves. */
  people: () => Promise<Person[]>;
}

/** A deadline as a row of a page. */
export interface ClockRow {
  caseId: string;
  deadlineId: string;
  rule: string;
  /** The rule's title, e.g. "LADO notification". */
  title: string;
  team: string;
  dueAt: string;
  stageName?: string;
  status: DeadlineRecord['status'];
  urgent: boolean;
  metAt?: string;
}

/** A clock's short name, as its messages call it (the glossary's `clockLabel`). */
export function titleOf(rule: string, deps: Pick<ManagerDeps, 'read' | 'rules'>): string {
  const plans = deps.read.reminders?.plans ?? DEFAULT_REMINDER_PLANS;
  return clockLabel(rule, plans, deps.rules.get(rule)?.title);
}

export function clockRow(d: DeadlineRecord, deps: Pick<ManagerDeps, 'read' | 'rules'>): ClockRow {
  const rule = deps.rules.get(d.rule);
  return {
    caseId: d.caseId,
    deadlineId: d.id,
    rule: d.rule,
    title: titleOf(d.rule, deps),
    team: d.team ?? 'unallocated',
    dueAt: d.dueAt,
    ...(d.stageName === undefined ? {} : { stageName: d.stageName }),
    status: d.status,
    urgent: rule?.urgent ?? false,
    ...(d.metAt === undefined ? {} : { metAt: d.metAt }),
  };
}

/** One query's worth of the clocks a viewer may see: a team (or every team) and which rules. */
export type Scope = Pick<DeadlineQueryInput, 'team' | 'rules' | 'exceptRules'>;

/**
 * The queries that together list exactly the clocks `maySeeClock` lets the viewer see, each
 * clock in one of them: every clock for a head of service; a team manager's teams one by one;
 * the urgent rules across teams for the EDT manager (a team manager who is EDT too reads their
 * teams' other rules per team, so no clock is counted twice).
 */
function scopesOf(viewer: Viewer, deps: Pick<ManagerDeps, 'rules'>): Scope[] {
  if (isHead(viewer)) return [{}];
  const edt = viewer.roles.includes('edt');
  const urgent = deps.rules.rules.filter((r) => r.urgent).map((r) => r.id);
  const teams: Scope[] = viewer.roles.includes('team-manager')
    ? viewer.teams.map((team) =>
        edt && urgent.length > 0 ? { team, exceptRules: urgent } : { team },
      )
    : [];
  return edt ? [...teams, { rules: urgent }] : teams;
}

/** Query options shared by every scope: a status, a due range, met or not. */
export type Slice = Pick<DeadlineQueryInput, 'status' | 'dueFrom' | 'dueBefore' | 'notMet'>;

function byDue(a: ClockRow, b: ClockRow): number {
  return a.dueAt.localeCompare(b.dueAt) || a.caseId.localeCompare(b.caseId);
}

/**
 * The first `limit` clocks of a slice the viewer may see, by due time, and how many there are
 * in all: each scope lists up to `limit` and is counted (`Select: COUNT`) only when it has
 * more, so a section never reads more than it lists.
 */
export async function listed(
  viewer: Viewer,
  slice: Slice,
  limit: number,
  deps: ManagerDeps,
  scopes: Scope[] = scopesOf(viewer, deps),
): Promise<{ rows: ClockRow[]; total: number }> {
  const found = await Promise.all(
    scopes.map(async (scope) => {
      const query = { ...slice, ...scope };
      const page = await deps.store.queryDeadlines({ ...query, limit, fields: 'list' });
      const total =
        page.nextCursor === undefined
          ? page.deadlines.length
          : await deps.store.countDeadlines(query);
      return { deadlines: page.deadlines, total };
    }),
  );
  return {
    rows: found
      .flatMap((f) => f.deadlines)
      .map((d) => clockRow(d, deps))
      .sort(byDue)
      .slice(0, limit),
    total: found.reduce((sum, f) => sum + f.total, 0),
  };
}
