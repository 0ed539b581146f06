/**
 * Planning reminders: a deadline and its rule's plan give the steps that must fire and when,
 * who each step is for, and whether it is urgent. Pure: the calendar is an argument, the
 * wall clock is never read.
 */
import {
  addWorkingDays,
  atWorkingFraction,
  type Calendar,
  localDate,
  openingOn,
  type WeeklyHours,
  workingDaysBefore,
  workingHoursBefore,
} from '#calendar/index.js';
import { reminderTimerName } from '#domain/ids.js';
import type { Timer } from '#domain/timers.js';
import type { ReminderMoment } from './messages.js';
import { DEFAULT_REMINDER_PLANS } from './plans.js';
import type {
  RecipientSpec,
  ReminderAt,
  ReminderDeadline,
  ReminderPlan,
  ReminderPlans,
  ReminderStep,
} from './types.js';

/** A step's planned time, before the "already passed" rule is applied. */
export interface PlannedReminder {
  step: ReminderStep;
  /** The time the plan asks for. */
  plannedAt: Date;
  /** When it fires: `plannedAt`, or the clock's start when that had already passed. */
  fireAt: Date;
  /** True when the planned time was before the clock started: sent once, at once. */
  late: boolean;
}

/**
 * The reminders a deadline needs, in firing order. A step whose time falls before the clock
 * started ("2 days before" on a 1-day clock) fires once at the start; when several have passed,
 * only the last of them (the closest to due) is kept, so the recipient is told once.
 * Deterministic: planning again gives the same list, so nothing is repeated.
 */
export function planReminders(
  deadline: ReminderDeadline,
  calendar: Calendar,
  plan: ReminderPlan | undefined,
): PlannedReminder[] {
  if (plan === undefined) return [];
  if (deadline.status !== 'open' && deadline.status !== 'breached') return [];
  const hours = calendar.hoursFor(deadline.hoursTeam);
  const start = deadline.stageStartedAt ?? deadline.startedAt;
  const planned = plan.steps
    // A breached deadline keeps its at-due and overdue steps (the breach bumps the version).
    .filter(
      (step) => deadline.status === 'open' || step.at.kind === 'after' || step.at.kind === 'due',
    )
    .map((step) => ({ step, plannedAt: stepTime(step.at, deadline, plan, calendar, hours) }))
    .sort((a, b) => a.plannedAt.getTime() - b.plannedAt.getTime());
  const passed = planned.filter((p) => p.plannedAt.getTime() < start.getTime());
  const lastPassed = passed.at(-1);
  const result: PlannedReminder[] = [];
  for (const p of planned) {
    if (p.plannedAt.getTime() >= start.getTime()) {
      result.push({ ...p, fireAt: p.plannedAt, late: false });
    } else if (p === lastPassed) {
      result.push({ ...p, fireAt: start, late: true });
    }
  }
  return result.sort((a, b) => a.fireAt.getTime() - b.fireAt.getTime());
}

/** The timers of a deadline's reminders: one per planned step, carrying the step key. */
export function reminderTimers(
  deadline: ReminderDeadline,
  calendar: Calendar,
  plan: ReminderPlan | undefined,
): Timer[] {
  return planReminders(deadline, calendar, plan).map((p) =>
    reminderTimer(deadline, p.step.key, p.fireAt),
  );
}

/** The timer of one step of a deadline's reminders, at `fireAt` (`suffix`: see `reminderTimerName`). */
export function reminderTimer(
  deadline: ReminderDeadline,
  step: string,
  fireAt: Date,
  suffix = '',
): Timer {
  return {
    name: reminderTimerName(deadline, step, suffix),
    fireAt,
    payload: {
      caseId: deadline.caseId,
      deadlineId: deadline.id,
      kind: 'reminder',
      version: deadline.version,
      step,
    },
  };
}

/**
 * A `TimerPlanner` (see `functions/domain/timers.ts`) for reminders: add it to the planners
 * `planTimers` runs, beside the engine's `dueTimer`.
 */
export function reminderTimerPlanner(plans: ReminderPlans = DEFAULT_REMINDER_PLANS) {
  return (deadline: ReminderDeadline, _aggregate: unknown, ctx: { calendar: Calendar }): Timer[] =>
    reminderTimers(deadline, ctx.calendar, plans[deadline.rule]);
}

/** The recipients of a step for the deadline's stage. */
export function stepRecipients(
  step: ReminderStep,
  plan: ReminderPlan,
  deadline: Pick<ReminderDeadline, 'stage' | 'escalateTo'>,
): readonly RecipientSpec[] {
  if (step.to !== 'stage' && step.to !== 'next-stage') return step.to;
  // The rule's own ladder names who is told at this stage; the plan's ladder is the fallback.
  if (step.to === 'stage' && deadline.escalateTo !== undefined)
    return [{ role: deadline.escalateTo }];
  const ladder = plan.stageRecipients ?? [];
  const stage = (deadline.stage ?? 1) + (step.to === 'next-stage' ? 1 : 0);
  return ladder[Math.min(stage, ladder.length) - 1] ?? [];
}

/**
 * Whether a step is urgent: the step's own flag; else an urgent clock (LADO); else, on a
 * safeguarding clock, its breach (at due and overdue).
 */
export function isUrgent(
  step: ReminderStep,
  plan: ReminderPlan,
  deadline: Partial<Pick<ReminderDeadline, 'urgent' | 'safeguarding'>> = {},
): boolean {
  if (step.urgent !== undefined) return step.urgent;
  if (deadline.urgent === true || plan.urgent === true) return true;
  const breach = step.at.kind === 'due' || step.at.kind === 'after';
  return breach && deadline.safeguarding === true;
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
    case 'after': {
      const day = localDate(addWorkingDays(calendar, due, at.workingDays, hours).due);
      return openingOn(calendar, day, hours);
    }
  }
}

/** How a step's timing reads in a message. */
export function momentOf(at: ReminderAt): ReminderMoment {
  switch (at.kind) {
    case 'start':
      return 'start';
    case 'before':
    case 'fraction':
      return 'before';
    case 'on-day':
      return 'on-day';
    case 'due':
      return 'due';
    case 'after':
      return 'overdue';
  }
}
