/** The on-call page's view model (`/app/on-call`). */

import { isHead, maySeeClock, type Viewer } from '#kernel/access.js';
import { DAY_MS } from '#kernel/calendar/days.js';
import type { Person } from '#kernel/people.js';
import { shiftsBetween } from './directory-lists.js';
import { type ClockRow, listed, type ManagerDeps, type Scope, titleOf } from './manager-views.js';

export interface OnCallPage {
  now: string;
  onCall?: Person;
  shifts: { personId: string; name: string; from: string; to: string }[];
  urgent: ClockRow[];
  /** Urgent clocks open now in all (beyond `URGENT_ROWS` they are counted, not listed). */
  urgentTotal: number;
  alerts: {
    at: string;
    caseId: string;
    rule: string;
    title: string;
    team: string;
    dueAt: string;
  }[];
}

/** How far ahead the on-call page looks for urgent clocks open now. */
export const URGENT_AHEAD_DAYS = 14;
/** Urgent clocks listed on the on-call page. */
export const URGENT_ROWS = 200;

/** The urgent clocks among those the viewer may see (the on-call page's). */
function urgentScopes(viewer: Viewer, deps: Pick<ManagerDeps, 'rules'>): Scope[] {
  const urgent = deps.rules.rules.filter((r) => r.urgent).map((r) => r.id);
  if (isHead(viewer) || viewer.roles.includes('edt')) return [{ rules: urgent }];
  return viewer.teams.map((team) => ({ team, rules: urgent }));
}

/**
 * `/app/on-call`: who is on call now and for the next 7 days, the urgent clocks open now
 * (overdue or due within 14 days) and the EDT alerts of the last 24 hours.
 */
export async function onCallPage(viewer: Viewer, deps: ManagerDeps): Promise<OnCallPage> {
  const now = deps.clock.now();
  const [onCallId, shifts, open, alerts, people] = await Promise.all([
    deps.directory.onCallAt(now),
    shiftsBetween(deps.directory, now, new Date(now.getTime() + 7 * DAY_MS)),
    listed(
      viewer,
      { status: 'open', dueBefore: new Date(now.getTime() + URGENT_AHEAD_DAYS * DAY_MS) },
      URGENT_ROWS,
      deps,
      urgentScopes(viewer, deps),
    ),
    deps.alerts.alertsSince(new Date(now.getTime() - DAY_MS)),
    deps.people(),
  ]);
  const byId = new Map(people.map((p) => [p.personId, p]));
  const onCall = onCallId === undefined ? undefined : byId.get(onCallId);
  return {
    now: now.toISOString(),
    ...(onCall === undefined ? {} : { onCall }),
    shifts: shifts
      .sort((a, b) => a.from.localeCompare(b.from))
      .map((s) => ({ ...s, name: byId.get(s.personId)?.name ?? s.personId })),
    urgent: open.rows,
    urgentTotal: open.total,
    alerts: alerts
      .filter((a) => maySeeClock(viewer, a.team, true))
      .sort((a, b) => b.alertedAt.getTime() - a.alertedAt.getTime())
      .map((a) => ({
        at: a.alertedAt.toISOString(),
        caseId: a.caseId,
        rule: a.rule,
        title: titleOf(a.rule, deps),
        team: a.team,
        dueAt: a.dueAt.toISOString(),
      })),
  };
}
