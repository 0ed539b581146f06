/** The timers of a deadline's reminders: one per planned step, carrying the step key. */
import type { Calendar } from '../calendar/index.js';
import { reminderTimerName } from '../ids.js';
import type { Timer } from '../timers.js';
import { CANCEL_INVITE_STEP, planReminders } from './planning.js';
import { DEFAULT_REMINDER_PLANS } from './plans.js';
import type { ReminderDeadline, ReminderPlan, ReminderPlans } from './types.js';

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
 * A `TimerPlanner` (see `functions/kernel/timers.ts`) for reminders: add it to the planners
 * `planTimers` runs, beside the engine's `dueTimer`. A closed case keeps only the
 * cancellations of its supervisions' invitations.
 */
export function reminderTimerPlanner(plans: ReminderPlans = DEFAULT_REMINDER_PLANS) {
  return (
    deadline: ReminderDeadline,
    aggregate: { status?: string },
    ctx: { calendar: Calendar },
  ): Timer[] => {
    const timers = reminderTimers(deadline, ctx.calendar, plans[deadline.rule]);
    return aggregate.status === 'closed'
      ? timers.filter((t) => t.payload.step === CANCEL_INVITE_STEP)
      : timers;
  };
}
