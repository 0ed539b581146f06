/** The dashboard's view model (`/app`): a viewer's clocks in sections, and unrouted reminders. */

import { maySeeClock, type Viewer } from '#kernel/access.js';
import { DAY_MS } from '#kernel/calendar/days.js';
import { localDay, localToUtc } from '#kernel/calendar/london.js';
import { gapWords } from '#kernel/gap-words.js';
import { roleLabel } from '#kernel/glossary.js';
import { everyPage } from '#kernel/paging.js';
import type { UnroutedReminder } from '#kernel/records.js';
import {
  type ClockRow,
  clockRow,
  listed,
  type ManagerDeps,
  type Slice,
  titleOf,
} from './manager-views.js';

export interface Section {
  id: 'breached' | 'overdue' | 'this-week' | 'next-week';
  title: string;
  rows: ClockRow[];
  /** Rows beyond `SECTION_ROWS` are counted, not listed. */
  total: number;
}

/** Rows listed per dashboard section (the rest are counted; the CSV has every one). */
export const SECTION_ROWS = 200;
/** How far back the dashboard lists breached clocks not yet met. */
export const BREACHED_DAYS = 28;

/** Monday 00:00 Europe/London of the week holding `at`. */
export function startOfWeek(at: Date): Date {
  const day = localDay(at.getTime());
  const monday = day - ((((day + 3) % 7) + 7) % 7);
  return new Date(localToUtc(monday * DAY_MS));
}

async function section(
  id: Section['id'],
  title: string,
  viewer: Viewer,
  slice: Slice,
  deps: ManagerDeps,
): Promise<Section> {
  const { rows, total } = await listed(viewer, slice, SECTION_ROWS, deps);
  return { id, title, rows, total };
}

/** A reminder that reached nobody it was meant for (the fallback contact was told instead). */
export interface UnroutedRow {
  caseId: string;
  title: string;
  team: string;
  at: string;
  /** What was missing, e.g. "LADO One’s manager: not in the directory". */
  missing: string;
  /** Whom to ask to fix it, e.g. "Ask the case system to record LADO One’s manager". */
  fix: string;
  fallback: string;
}

export interface Dashboard {
  /** The page's heading: whose clocks these are. */
  title: string;
  now: string;
  sections: Section[];
  unrouted: UnroutedRow[];
  unroutedTotal: number;
  /** Someone with no role of their own: the open cases they are named on, and their part. */
  yourCases?: { caseId: string; team: string; roles: string }[];
}

/** Reminders that reached nobody in the last `BREACHED_DAYS`, newest first, that the viewer may see. */
async function unroutedRows(viewer: Viewer, now: Date, deps: ManagerDeps): Promise<UnroutedRow[]> {
  const store = deps.read.unrouted;
  if (store === undefined) return [];
  const since = new Date(now.getTime() - BREACHED_DAYS * DAY_MS);
  const acrossTeams = viewer.roles.includes('head-of-service') || viewer.roles.includes('edt');
  const pages = await Promise.all(
    (acrossTeams ? [undefined] : viewer.teams).map(async (team) => {
      const found: UnroutedReminder[] = [];
      for await (const page of everyPage((cursor) =>
        store.queryUnrouted({ since, team, limit: 500, cursor }),
      )) {
        found.push(...page.reminders);
        if (found.length >= 2000) break;
      }
      return found;
    }),
  );
  const names = new Map((await deps.people()).map((p) => [p.personId, p.name]));
  return pages
    .flat()
    .filter((u) => maySeeClock(viewer, u.team, deps.rules.get(u.rule)?.urgent ?? false))
    .sort((a, b) => b.at.getTime() - a.at.getTime())
    .map((u) => {
      // Each gap in words, naming whose manager (or number) was missing; the same gap once.
      const words = u.missing.map((m) =>
        gapWords(m, u.at, m.personId === undefined ? undefined : names.get(m.personId)),
      );
      return {
        caseId: u.caseId,
        title: titleOf(u.rule, deps),
        team: u.team,
        at: u.at.toISOString(),
        missing: [...new Set(words.map((w) => w.missing))].join('; '),
        fix: [...new Set(words.map((w) => w.fix))].join('; '),
        fallback: u.fallback,
      };
    });
}

/** How many of a case-only viewer's cases the dashboard reads. */
const MOST_CASES = 50;

/**
 * The dashboard of someone with no role of their own, named on cases (a LADO, a worker): the
 * clocks of those cases in the same sections, read case by case, and the cases themselves.
 */
async function casesDashboard(viewer: Viewer, deps: ManagerDeps): Promise<Dashboard> {
  const now = deps.clock.now();
  const { nextWeek, weekAfter, since } = windows(now);
  const cases = viewer.cases.slice(0, MOST_CASES);
  const rows = (await Promise.all(cases.map((c) => deps.store.listDeadlines(c.caseId))))
    .flat()
    .map((d) => clockRow(d, deps))
    .sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.caseId.localeCompare(b.caseId));
  const due = (r: ClockRow) => Date.parse(r.dueAt);
  const make = (id: Section['id'], title: string, keep: (r: ClockRow) => boolean): Section => {
    const kept = rows.filter(keep);
    return { id, title, rows: kept.slice(0, SECTION_ROWS), total: kept.length };
  };
  const open = (r: ClockRow) => r.status === 'open';
  return {
    title: 'Your cases’ deadlines',
    now: now.toISOString(),
    sections: [
      make(
        'breached',
        'Breached and not yet met',
        (r) =>
          r.status === 'breached' &&
          r.metAt === undefined &&
          due(r) >= since.getTime() &&
          due(r) < now.getTime(),
      ),
      make('overdue', 'Overdue', (r) => open(r) && due(r) < now.getTime()),
      make(
        'this-week',
        'Due this week',
        (r) => open(r) && due(r) >= now.getTime() && due(r) < nextWeek.getTime(),
      ),
      make(
        'next-week',
        'Due next week',
        (r) => open(r) && due(r) >= nextWeek.getTime() && due(r) < weekAfter.getTime(),
      ),
    ],
    unrouted: [],
    unroutedTotal: 0,
    yourCases: viewer.cases.map((c) => ({
      caseId: c.caseId,
      team: c.team,
      roles: c.roles.map(roleLabel).join(', '),
    })),
  };
}

/** The dashboard's windows: next Monday, the Monday after, and how far back breaches are listed. */
function windows(now: Date): { nextWeek: Date; weekAfter: Date; since: Date } {
  const nextWeek = new Date(startOfWeek(now).getTime() + 7 * DAY_MS);
  const weekAfter = new Date(startOfWeek(nextWeek).getTime() + 7 * DAY_MS);
  return { nextWeek, weekAfter, since: new Date(now.getTime() - BREACHED_DAYS * DAY_MS) };
}

/**
 * `/app`: breached (not yet met, due in the last 4 weeks), overdue, due this week, due next
 * week, each by due time, oldest first; and the reminders that reached nobody.
 */
export async function dashboard(viewer: Viewer, deps: ManagerDeps): Promise<Dashboard> {
  if (viewer.roles.length === 0) return casesDashboard(viewer, deps);
  const now = deps.clock.now();
  const { nextWeek, weekAfter, since } = windows(now);
  const [breached, overdue, thisWeek, following, unrouted] = await Promise.all([
    section(
      'breached',
      'Breached and not yet met',
      viewer,
      { status: 'breached', dueFrom: since, dueBefore: now, notMet: true },
      deps,
    ),
    section('overdue', 'Overdue', viewer, { status: 'open', dueBefore: now }, deps),
    section(
      'this-week',
      'Due this week',
      viewer,
      { status: 'open', dueFrom: now, dueBefore: nextWeek },
      deps,
    ),
    section(
      'next-week',
      'Due next week',
      viewer,
      { status: 'open', dueFrom: nextWeek, dueBefore: weekAfter },
      deps,
    ),
    unroutedRows(viewer, now, deps),
  ]);
  const manages = viewer.roles.includes('team-manager') || viewer.roles.includes('head-of-service');
  return {
    title: manages ? 'Your teams’ deadlines' : 'Urgent clocks of every team',
    now: now.toISOString(),
    sections: [breached, overdue, thisWeek, following],
    unrouted: unrouted.slice(0, SECTION_ROWS),
    unroutedTotal: unrouted.length,
  };
}
