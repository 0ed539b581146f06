/**
 * Planning reminders: a deadline and its rule's plan give the steps that must fire and when
 * (the breach's own steps: `breach-steps.ts`; who each step is for and whether it is urgent:
 * `steps.ts`). Pure: the calendar is an argument, the wall clock is never read.
 */
import {
  addWorkingDays,
  atWorkingFraction,
  type Calendar,
  CalendarRangeError,
  localDate,
  openingOn,
  type WeeklyHours,
  workingDaysBefore,
  workingHoursBefore,
} from '../calendar/index.js';
import { breachRepeatByKey, breachSteps } from './breach-steps.js';
import {
  carriesInvite,
  type PlannedReminder,
  type PlannedStep,
  reachedAt,
  stepRecipients,
} from './steps.js';
import type { RecipientSpec, ReminderAt, ReminderDeadline, ReminderPlan } from './types.js';

/** The step key of a supervision invitation's cancellation. */
export const CANCEL_INVITE_STEP = 'xinv';

/**
 * The reminders a deadline needs, in firing order: what has a timer. A step whose time falls
 * before the clock started, or before its start event reached us ("2 days before" on a 1-day
 * clock; 12 hours in on a concern that arrived 20 hours late) fires once, when the clock
 * reached us; when several have passed only the last of them (the closest to due) is kept,
 * so the recipient is told once. A clock breached by the time it reached us skips every step
 * up to its due time: its breach step says it all. A breached deadline has its overdue steps
 * and its breach step (and the first of its daily repeats), which stands for its at-due step;
 * a met or cancelled supervision whose invitation went out has its cancellation.
 * Deterministic: planning again gives the same list.
 */
export function planReminders(
  deadline: ReminderDeadline,
  calendar: Calendar,
  plan: ReminderPlan | undefined,
): PlannedReminder[] {
  return planSteps(deadline, calendar, plan)
    .filter((p) => p.state === 'fires')
    .map(({ state: _state, ...p }) => p);
}

/** Every step of a deadline, with what happens to it (`PlannedStep.state`), in time order. */
export function planSteps(
  deadline: ReminderDeadline,
  calendar: Calendar,
  plan: ReminderPlan | undefined,
): PlannedStep[] {
  if (plan === undefined) return [];
  if (deadline.status === 'met' || deadline.status === 'cancelled') {
    const cancel = cancelInviteStep(deadline, calendar, plan);
    return cancel === undefined ? [] : [cancel];
  }
  // A breach met late needs nobody told any more (and its repeats stop).
  if (deadline.status === 'breached' && deadline.metAt !== undefined) return [];
  const hours = calendar.hoursFor(deadline.hoursTeam);
  const breached = deadline.status === 'breached';
  const reached = reachedAt(deadline);
  const planned = plan.steps
    .flatMap((step) => {
      const plannedAt = safeStepTime(step.at, deadline, plan, calendar, hours);
      return plannedAt === undefined ? [] : [{ step, plannedAt }];
    })
    .sort((a, b) => a.plannedAt.getTime() - b.plannedAt.getTime());
  // A breached deadline keeps its overdue steps (re-planned under the breach's version); its
  // breach step says what an at-due step would have, and more.
  const live = breached ? planned.filter((p) => p.step.at.kind === 'after') : planned;
  // Passed before the clock reached us. On arrival already breached, the breach step stands in
  // for every step up to the due time; a passed overdue step (an escalation) still goes.
  const passed = live.filter((p) => p.plannedAt.getTime() < reached.getTime());
  const lastPassed = passed.at(-1);
  const result: PlannedStep[] = [];
  for (const p of live) {
    if (p.plannedAt.getTime() >= reached.getTime()) {
      result.push({ ...p, fireAt: p.plannedAt, late: false, state: 'fires' });
    } else if (p === lastPassed) {
      result.push({ ...p, fireAt: reached, late: true, state: 'fires' });
    } else {
      result.push({ ...p, fireAt: p.plannedAt, late: true, state: 'skipped' });
    }
  }
  // The steps a breach ended: fired while the clock ran, or skipped if it never ran for us.
  for (const p of planned) {
    if (live.includes(p)) continue;
    const before = p.plannedAt.getTime() < reached.getTime();
    result.push({ ...p, fireAt: p.plannedAt, late: before, state: before ? 'skipped' : 'past' });
  }
  result.push(...breachSteps(deadline, calendar, plan, breached ? 'fires' : 'on-breach'));
  // A breach told at the opening when an overdue step also fires comes before it: it says
  // BREACHED, the overdue step escalates.
  const overdueLast = (p: PlannedStep) => (p.step.at.kind === 'after' ? 1 : 0);
  return result.sort(
    (a, b) => a.fireAt.getTime() - b.fireAt.getTime() || overdueLast(a) - overdueLast(b),
  );
}

/**
 * A step of the deadline's plan by key as it stands now: a planned step, or a link of the
 * breach's daily chain (only the first is planned; each firing schedules the next).
 */
export function findStep(
  deadline: ReminderDeadline,
  calendar: Calendar,
  plan: ReminderPlan | undefined,
  key: string,
): PlannedReminder | undefined {
  if (plan === undefined) return undefined;
  const planned = planReminders(deadline, calendar, plan).find((p) => p.step.key === key);
  if (planned !== undefined) return planned;
  return breachRepeatByKey(deadline, calendar, plan, key);
}

/**
 * A met or cancelled supervision (or one whose case closed) whose invitation went out while
 * its slot was still ahead: its cancellation (`METHOD:CANCEL`) to the people invited.
 */
function cancelInviteStep(
  deadline: ReminderDeadline,
  calendar: Calendar,
  plan: ReminderPlan,
): PlannedStep | undefined {
  const closedAt = deadline.closedAt;
  if (plan.invite !== true || closedAt === undefined) return undefined;
  if (closedAt.getTime() >= deadline.dueAt.getTime()) return undefined;
  const asOpen: ReminderDeadline = { ...deadline, status: 'open' };
  const invited = planReminders(asOpen, calendar, plan).filter(
    (p) => carriesInvite(p.step.at) && p.fireAt.getTime() <= closedAt.getTime(),
  );
  if (invited.length === 0) return undefined;
  const to: RecipientSpec[] = [];
  for (const p of invited) {
    for (const spec of stepRecipients(p.step, plan, deadline)) {
      if (!to.some((t) => t.role === spec.role && (t.escalate ?? 0) === (spec.escalate ?? 0)))
        to.push(spec);
    }
  }
  return {
    step: { key: CANCEL_INVITE_STEP, at: { kind: 'cancel-invite' }, to },
    plannedAt: closedAt,
    fireAt: closedAt,
    late: false,
    state: 'fires',
  };
}

/** A step's time, or undefined when it falls outside the years the calendar covers. */
function safeStepTime(
  at: ReminderAt,
  deadline: ReminderDeadline,
  plan: ReminderPlan,
  calendar: Calendar,
  hours: WeeklyHours,
): Date | undefined {
  try {
    return stepTime(at, deadline, plan, calendar, hours);
  } catch (error) {
    if (error instanceof CalendarRangeError) return undefined;
    throw error;
  }
}

function stepTime(
  at: ReminderAt,
  deadline: ReminderDeadline,
  plan: ReminderPlan,
  calendar: Calendar,
  hours: WeeklyHours,
): Date {
  const due = deadline.dueAt;
  const start = deadline.stageStartedAt ?? deadline.startedAt;
  switch (at.kind) {
    case 'start':
      return start;
    case 'due':
      return due;
    case 'before':
      if ('workingDays' in at) return workingDaysBefore(calendar, due, at.workingDays, hours);
      return workingHoursBefore(calendar, due, at.workingHours, hours);
    case 'fraction':
      if (plan.clock === 'elapsed') {
        return new Date(start.getTime() + at.fraction * (due.getTime() - start.getTime()));
      }
      return atWorkingFraction(calendar, start, due, at.fraction, hours);
    case 'on-day':
      return openingOn(calendar, localDate(due), hours);
    case 'after':
    case 'breach': {
      if (at.kind === 'breach' && at.workingDays === 0) return due;
      const day = localDate(addWorkingDays(calendar, due, at.workingDays, hours).due);
      return openingOn(calendar, day, hours);
    }
    case 'cancel-invite':
      return deadline.closedAt ?? due;
  }
}
