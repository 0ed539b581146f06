/**
 * The case page's view model (`/app/cases/{caseId}`), in the order a manager acts on it: first
 * what needs doing (each clock still to meet: what is due, by when, the limit, who it is with,
 * what has been sent and whether anyone acknowledged it), then the reminders, then the whole
 * trail (newest first). Every word from the glossary: no step codes, role ids or ISO instants.
 */

import { caseReminders } from '#functions/read/read-queries.js';
import { maySeeClock, namedOn, type Viewer } from '#kernel/access.js';
import { ForbiddenError, NotFoundError } from '#kernel/errors.js';
import { gapWords } from '#kernel/gap-words.js';
import {
  capitalised,
  clockLabel,
  formatLateness,
  personLabel,
  plural,
  roleLabel,
  sentenceCase,
  stepLabel,
  ukTimesIn,
} from '#kernel/glossary.js';
import type { Deadline } from '#kernel/model.js';
import type { DeadlineRecord } from '#kernel/records.js';
import { type DeliveryRow, deliveryRows } from '#kernel/reminders/delivery-view.js';
import { DEFAULT_REMINDER_PLANS } from '#kernel/reminders/plans.js';
import { stepRecipients } from '#kernel/reminders/steps.js';
import type { ReminderPlans } from '#kernel/reminders/types.js';
import {
  type AuditLine,
  auditLines,
  type CaseWordsContext,
  type ClockMessages,
  channelsInOrder,
  clockMessages,
} from './case-words.js';
import { type ClockRow, clockRow, type ManagerDeps } from './manager-views.js';

/** A clock on the case, with everything the summary says about it. */
export interface ClockSummary extends ClockRow, ClockMessages {
  /** The statutory limit, where it differs from the due time (a date's end, not office close). */
  limitAt?: string;
  startedAt?: string;
  /** What to do, from the clock's reminder plan. */
  action?: string;
  /** Who the clock is with: "LADO One (LADO)". */
  with: string;
  /** "Breached 2 days ago and not met", "Met late: 1 working day late", "No longer owed: …". */
  state?: string;
  /** How the due time was worked out, line by line, times in words. */
  explain: string[];
}

/** A planned or sent reminder, as the reminders table shows it. */
export interface ReminderRow {
  fireAt: string;
  clock: string;
  step: string;
  state: string;
  to: string;
  by: string;
}

export interface CasePage {
  caseId: string;
  team: string;
  status: string;
  openedAt: string;
  closedAt?: string;
  workers: { role: string; name: string }[];
  /** The viewer's own roles on the case, when they are named on it. */
  yourRoles: string[];
  /** Clocks still to meet (open, or breached and not met), soonest first. */
  summary: ClockSummary[];
  /** Clocks met or cancelled. */
  done: ClockSummary[];
  reminders: ReminderRow[];
  audit: AuditLine[];
  /** Whether each message reached its person (`delivery.njk`). */
  delivery: DeliveryRow[];
}

const list = (parts: readonly string[]) =>
  parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;

/** The case page, for a viewer whose roles cover it or who is named on it (else 403; unknown: 404). */
export async function casePage(
  viewer: Viewer,
  caseId: string,
  deps: ManagerDeps,
): Promise<CasePage> {
  const stored = await deps.store.loadCase(caseId);
  if (stored === undefined) throw new NotFoundError(`there is no case ${caseId} in Timescales`);
  const aggregate = stored.aggregate;
  const visible =
    namedOn(viewer, aggregate.workers) ||
    maySeeClock(viewer, aggregate.team, false) ||
    aggregate.deadlines.some((d) =>
      maySeeClock(viewer, d.team, deps.rules.get(d.rule)?.urgent ?? false),
    );
  if (!visible)
    throw new ForbiddenError(
      `case ${caseId} is not one of your teams’ cases, and you are not named on it`,
    );
  const [deadlines, audit, people] = await Promise.all([
    deps.store.listDeadlines(caseId),
    deps.store.listAudit(caseId),
    deps.people(),
  ]);
  const planned = await caseReminders(stored, audit, deps.read);
  const plans = deps.read.reminders?.plans ?? DEFAULT_REMINDER_PLANS;
  const names = Object.fromEntries(people.map((p) => [p.personId, p.name]));
  const ctx: CaseWordsContext = {
    names,
    workers: aggregate.workers,
    rules: new Map(aggregate.deadlines.map((d) => [d.id, d.rule])),
    plans,
  };
  const now = deps.clock.now();
  const byId = new Map(aggregate.deadlines.map((d) => [d.id, d]));
  const clocks = deadlines
    .map((d) => summaryOf(d, byId.get(d.id), now, ctx, deps, audit))
    .sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  const stillToMeet = (c: ClockSummary) =>
    c.status === 'open' || (c.status === 'breached' && c.metAt === undefined);
  return {
    caseId,
    team: aggregate.team,
    status: capitalised(aggregate.status),
    openedAt: aggregate.openedAt.toISOString(),
    ...(aggregate.closedAt === undefined ? {} : { closedAt: aggregate.closedAt.toISOString() }),
    workers: aggregate.workers.map((w) => ({
      role: capitalised(roleLabel(w.role)),
      name: personLabel(w.personId, names),
    })),
    yourRoles: aggregate.workers
      .filter((w) => w.personId === viewer.personId)
      .map((w) => roleLabel(w.role)),
    summary: clocks.filter(stillToMeet),
    done: clocks.filter((c) => !stillToMeet(c)),
    reminders: planned.reminders.map((r) => reminderRow(r, ctx)),
    audit: auditLines(audit, ctx),
    delivery: deliveryRows(audit, names),
  };
}

/** The people the clock is with: those holding the roles its reminders name, at its stage. */
function withWhom(deadline: Deadline | undefined, ctx: CaseWordsContext): string {
  const plan = deadline === undefined ? undefined : ctx.plans[deadline.rule];
  if (deadline === undefined || plan === undefined) return '';
  const roles = [
    ...new Set(
      plan.steps
        .flatMap((s) => stepRecipients(s, plan, deadline))
        .filter((r) => (r.escalate ?? 0) === 0)
        .map((r) => r.role),
    ),
  ];
  const people = roles.flatMap((role) => {
    const holders = ctx.workers.filter((w) => w.role === role);
    return holders.length === 0
      ? [`nobody: the case has no ${roleLabel(role)}`]
      : holders.map((w) => `${personLabel(w.personId, ctx.names)} (${roleLabel(role)})`);
  });
  return capitalised(list(people));
}

function summaryOf(
  record: DeadlineRecord,
  deadline: Deadline | undefined,
  now: Date,
  ctx: CaseWordsContext,
  deps: ManagerDeps,
  audit: Parameters<typeof clockMessages>[1],
): ClockSummary {
  const row = clockRow(record, deps);
  // The statutory limit, where the clock has one apart from its working target.
  const limitAt = record.limitAt;
  const lateMs = now.getTime() - Date.parse(record.dueAt);
  const lateness = record.lateness;
  const state =
    record.status === 'breached' && record.metAt === undefined
      ? `Breached ${formatLateness(lateMs)} ago and not yet met`
      : record.status === 'breached' && lateness !== undefined
        ? `Met late: ${plural(lateness.amount, sentenceCase(lateness.unit).toLowerCase().replace(/s$/, ''))} late`
        : record.status === 'open' && lateMs > 0
          ? `Overdue by ${formatLateness(lateMs)}`
          : record.status === 'cancelled' && record.closedReason !== undefined
            ? `No longer owed: ${record.closedReason}`
            : undefined;
  return {
    ...row,
    title: clockLabel(record.rule, ctx.plans),
    ...(limitAt === undefined || limitAt === record.dueAt ? {} : { limitAt }),
    ...(record.startedAt === undefined ? {} : { startedAt: record.startedAt }),
    ...(ctx.plans[record.rule]?.action === undefined
      ? {}
      : { action: ctx.plans[record.rule]?.action }),
    with: withWhom(deadline, ctx),
    ...(state === undefined ? {} : { state }),
    explain: record.explain.map(ukTimesIn),
    ...clockMessages(record.id, audit, ctx),
  };
}

type PlannedReminder = Awaited<ReturnType<typeof caseReminders>>['reminders'][number];

const REMINDER_STATES: Record<PlannedReminder['status'], string> = {
  planned: 'Planned',
  sent: 'Sent',
  skipped: 'Not needed',
  deferred: 'Held until working hours',
  failed: 'Failed',
  unrouted: 'Reached nobody: the duty inbox was told',
};

/** A reminder of the case as the reminders table shows it: whom, by what, or what was missing. */
function reminderRow(r: PlannedReminder, ctx: CaseWordsContext): ReminderRow {
  const to = r.recipients.map((p) => {
    const name = personLabel(p.personId, ctx.names);
    if (p.personId === '@fallback') return `${name} (nobody else could be reached)`;
    if (p.via === 'edt') return `${name} (EDT manager on call)`;
    if (p.via === 'delegate')
      return `${name} (covering for ${personLabel(p.forPersonId, ctx.names)})`;
    return p.role === undefined ? name : `${name} (${roleLabel(p.role)})`;
  });
  const gaps = [
    ...new Set(
      r.unroutable.map(
        (u) =>
          gapWords(
            u,
            new Date(r.fireAt),
            u.personId === undefined ? undefined : ctx.names[u.personId],
          ).missing,
      ),
    ),
  ];
  return {
    fireAt: r.fireAt,
    clock: clockLabel(r.rule, ctx.plans as ReminderPlans),
    step: stepLabel(r.step, ctx.plans[r.rule]),
    state: REMINDER_STATES[r.status],
    to: [...to, ...gaps].join('; '),
    by: capitalised(list(channelsInOrder(r.channels))),
  };
}
