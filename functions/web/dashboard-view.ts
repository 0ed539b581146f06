/** The dashboard's view model (`/app`): a viewer's clocks in sections, and unrouted reminders. */

import { maySeeClock, type Viewer } from '#kernel/access.js';
import { DAY_MS } from '#kernel/calendar/days.js';
import { localDay, localToUtc } from '#kernel/calendar/london.js';
import { everyPage } from '#kernel/paging.js';
import type { UnroutedReminder } from '#kernel/records.js';
import { missingWords } from '#kernel/reminders/delivery-view.js';
import { type ClockRow, listed, type ManagerDeps, type Slice, titleOf } from './manager-views.js';

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
  /** What was missing, e.g. "no-worker-in-role (lado)". */
  missing: string;
  /** The events that would fix it. */
  fix: string;
  fallback: string;
}

export interface Dashboard {
  now: string;
  sections: Section[];
  unrouted: UnroutedRow[];
  unroutedTotal: number;
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
  return pages
    .flat()
    .filter((u) => maySeeClock(viewer, u.team, deps.rules.get(u.rule)?.urgent ?? false))
    .sort((a, b) => b.at.getTime() - a.at.getTime())
    .map((u) => ({
      caseId: u.caseId,
      title: titleOf(u.rule, deps),
      team: u.team,
      at: u.at.toISOString(),
      missing: u.missing.map(missingWords).join('; '),
      fix: u.fix.join('; '),
      fallback: u.fallback,
    }));
}

/**
 * `/app`: breached (not yet met, due in the last 4 weeks), overdue, due this week, due next
 * week, each by due time, oldest first; and the reminders that reached nobody.
 */
export async function dashboard(viewer: Viewer, deps: ManagerDeps): Promise<Dashboard> {
  const now = deps.clock.now();
  const nextWeek = new Date(startOfWeek(now).getTime() + 7 * DAY_MS);
  const weekAfter = new Date(startOfWeek(nextWeek).getTime() + 7 * DAY_MS);
  const since = new Date(now.getTime() - BREACHED_DAYS * DAY_MS);
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
  return {
    now: now.toISOString(),
    sections: [breached, overdue, thisWeek, following],
    unrouted: unrouted.slice(0, SECTION_ROWS),
    unroutedTotal: unrouted.length,
  };
}
