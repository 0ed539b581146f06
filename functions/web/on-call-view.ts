/** The on-call page's view model (`/app/on-call`). */

import { isHead, maySeeClock, type Viewer } from '#kernel/access.js';
import type { AlertPhase, ClockAlerts } from '#kernel/alert-state.js';
import { DAY_MS } from '#kernel/calendar/days.js';
import { capitalised, formatUkLong, personLabel, tierLabel } from '#kernel/glossary.js';
import type { Person } from '#kernel/people.js';
import type { DigestEntry } from '#kernel/records.js';
import { isAcknowledged } from '#kernel/reminders/alerts.js';
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
    /** "EDT Manager One, Saturday 25 May 2030, 10:45 (BST)", or who was told when nobody did. */
    acknowledged: string;
  }[];
}

/** An alert about the breach (its step or a repeat) belongs to the breach's phase. */
const phaseOfStep = (step: string | undefined): AlertPhase =>
  step !== undefined && /^(breach|br[0-9]+|be[0-9]+)$/.test(step) ? 'breached' : 'open';

/** Whether the alert was acknowledged, by whom and when; else who heard because nobody did. */
function acknowledgement(
  entry: DigestEntry,
  clock: ClockAlerts | undefined,
  names: Readonly<Record<string, string>>,
): string {
  if (clock === undefined) return '';
  const phase = phaseOfStep(entry.step);
  const ack = clock.ack;
  if (ack !== undefined && isAcknowledged(clock, phase)) {
    const who =
      ack.personId === undefined
        ? capitalised(tierLabel(String(ack.by)))
        : personLabel(ack.personId, names);
    return `${who}, ${formatUkLong(ack.at)}`;
  }
  const told = (clock.chains[phase]?.escalations ?? [])
    .filter((e) => e.personId !== undefined)
    .map((e) => `${tierLabel(e.tier)} was told on ${formatUkLong(e.at)}`);
  return `Not acknowledged${told.length === 0 ? '' : `: ${told.join('; ')}`}`;
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
  const names = Object.fromEntries(people.map((p) => [p.personId, p.name]));
  const mine = alerts.filter((a) => maySeeClock(viewer, a.team, true));
  // One read of alert state per clock, however many of its alerts are listed.
  const clocks = new Map<string, Promise<ClockAlerts | undefined>>();
  const clockOf = (a: DigestEntry) => {
    if (a.deadlineId === undefined || deps.acks === undefined) return Promise.resolve(undefined);
    const key = `${a.caseId}#${a.deadlineId}`;
    if (!clocks.has(key)) clocks.set(key, deps.acks.getClock(a.caseId, a.deadlineId));
    return clocks.get(key) as Promise<ClockAlerts | undefined>;
  };
  const states = await Promise.all(mine.map(clockOf));
  const onCall = onCallId === undefined ? undefined : byId.get(onCallId);
  return {
    now: now.toISOString(),
    ...(onCall === undefined ? {} : { onCall }),
    shifts: shifts
      .sort((a, b) => a.from.localeCompare(b.from))
      .map((s) => ({ ...s, name: byId.get(s.personId)?.name ?? s.personId })),
    urgent: open.rows,
    urgentTotal: open.total,
    alerts: mine
      .map((a, i) => ({ a, state: states[i] }))
      .sort((x, y) => y.a.alertedAt.getTime() - x.a.alertedAt.getTime())
      .map(({ a, state }) => ({
        at: a.alertedAt.toISOString(),
        caseId: a.caseId,
        rule: a.rule,
        title: titleOf(a.rule, deps),
        team: a.team,
        dueAt: a.dueAt.toISOString(),
        acknowledged: acknowledgement(a, state, names),
      })),
  };
}
