/**
 * A breach's steps: the breach step itself (when the statutory limit passes — out of hours,
 * at the next opening unless the clock is urgent — or when the clock reached us if later),
 * then either a daily repeat at each working day's opening until the clock is met, or the
 * escalations still to come on their working days. Pure: the calendar is an argument.
 */
import {
  addWorkingDays,
  type Calendar,
  CalendarRangeError,
  localDate,
  nextOpening,
  openingOn,
} from '../calendar/index.js';
import { limitOf } from '../model.js';
import { breachOf, escalated } from './plans.js';
import { type PlannedReminder, type PlannedStep, reachedAt, stepRecipients } from './steps.js';
import type {
  BreachFollowUp,
  RecipientSpec,
  ReminderDeadline,
  ReminderPlan,
  StepRecipients,
} from './types.js';

/** The step key of a breach's repeat on the nth working day after the due date (`br1`, …). */
export const breachRepeatKey = (n: number): string => `br${n}`;
/** The step key of the escalation n working days after the breach, when it does not repeat. */
export const breachEscalationKey = (n: number): string => `be${n}`;
/** The step key of the breach itself. */
export const BREACH_STEP = 'breach';

/** What follows the deadline's breach: the safeguarding or the routine follow-up. */
function followUpOf(deadline: ReminderDeadline, plan: ReminderPlan): BreachFollowUp {
  const breach = breachOf(plan);
  return deadline.safeguarding ? breach.safeguarding : breach.routine;
}

/** Whether the deadline's breach is told again each working day (breached, not yet met). */
function repeatsDaily(deadline: ReminderDeadline, plan: ReminderPlan): boolean {
  if (deadline.status !== 'breached' || deadline.metAt !== undefined) return false;
  return followUpOf(deadline, plan).repeatDaily;
}

/**
 * The breach step (at the breach, or when the clock reached us if later) and what follows it:
 * the first daily repeat, or the escalations still to come when the plan does not repeat.
 * Escalations whose day has passed by the breach step go with it.
 */
export function breachSteps(
  deadline: ReminderDeadline,
  calendar: Calendar,
  plan: ReminderPlan,
  state: 'fires' | 'on-breach',
): PlannedStep[] {
  const follow = followUpOf(deadline, plan);
  const reached = reachedAt(deadline);
  const due = breachToldAt(deadline, calendar);
  const fireAt = reached.getTime() > due.getTime() ? reached : due;
  const late = fireAt !== due;
  const daysBy = breachDaysBy(deadline, calendar, fireAt);
  const steps: PlannedStep[] = [
    {
      step: {
        key: BREACH_STEP,
        at: { kind: 'breach', workingDays: 0 },
        to: breachRecipients(deadline, plan, daysBy, 'upTo'),
      },
      plannedAt: due,
      fireAt,
      late,
      state,
    },
  ];
  if (follow.repeatDaily) {
    const link = breachRepeat(deadline, calendar, plan, daysBy + 1);
    if (link !== undefined) steps.push({ ...link, state });
    return steps;
  }
  const later = [...new Set(follow.escalation.map((e) => e.afterWorkingDays))].filter(
    (n) => n > daysBy,
  );
  for (const n of later.sort((a, b) => a - b)) {
    const at = breachDay(deadline, calendar, n);
    if (at === undefined) continue;
    steps.push({
      step: {
        key: breachEscalationKey(n),
        at: { kind: 'breach', workingDays: n },
        to: breachRecipients(deadline, plan, n, 'exactly'),
      },
      plannedAt: at,
      fireAt: at,
      late: false,
      state,
    });
  }
  return steps;
}

/** The breach's repeat on the nth working day after the due date (a link of its daily chain). */
export function breachRepeat(
  deadline: ReminderDeadline,
  calendar: Calendar,
  plan: ReminderPlan,
  n: number,
): PlannedReminder | undefined {
  const at = breachDay(deadline, calendar, n);
  if (at === undefined) return undefined;
  return {
    step: {
      key: breachRepeatKey(n),
      at: { kind: 'breach', workingDays: n },
      to: breachRecipients(deadline, plan, n, 'upTo'),
    },
    plannedAt: at,
    fireAt: at,
    late: false,
  };
}

/**
 * The link of a breach's daily chain that follows `now`: the first working day's opening
 * after it. A link that fires late (a redelivered timer) schedules the next one to come, not
 * the ones in between.
 */
export function nextBreachRepeat(
  deadline: ReminderDeadline,
  calendar: Calendar,
  plan: ReminderPlan,
  now: Date,
): PlannedReminder | undefined {
  if (!repeatsDaily(deadline, plan)) return undefined;
  return breachRepeat(deadline, calendar, plan, breachDaysBy(deadline, calendar, now) + 1);
}

/** A link of the breach's daily chain by its step key (`br3`), while the breach repeats. */
export function breachRepeatByKey(
  deadline: ReminderDeadline,
  calendar: Calendar,
  plan: ReminderPlan,
  key: string,
): PlannedReminder | undefined {
  const repeat = /^br([1-9][0-9]{0,3})$/.exec(key);
  if (repeat === null || !repeatsDaily(deadline, plan)) return undefined;
  return breachRepeat(deadline, calendar, plan, Number(repeat[1]));
}

/**
 * When a breach is told: as the limit passes for an urgent clock; else at once in the clock's
 * hours, or at their next opening when the limit passes out of hours (a day-counted limit is a
 * London midnight).
 */
export function breachToldAt(deadline: ReminderDeadline, calendar: Calendar): Date {
  const limit = limitOf(deadline);
  if (deadline.urgent) return limit;
  try {
    return nextOpening(calendar, limit, calendar.hoursFor(deadline.hoursTeam));
  } catch (error) {
    if (error instanceof CalendarRangeError) return limit;
    throw error;
  }
}

/**
 * Opening time of the nth working day after the limit's date (the day that ends at a London
 * midnight limit); undefined outside the calendar.
 */
function breachDay(deadline: ReminderDeadline, calendar: Calendar, n: number): Date | undefined {
  const hours = calendar.hoursFor(deadline.hoursTeam);
  try {
    const lastDay = new Date(limitOf(deadline).getTime() - 1);
    const day = localDate(addWorkingDays(calendar, lastDay, n, hours).due);
    return openingOn(calendar, day, hours);
  } catch (error) {
    if (error instanceof CalendarRangeError) return undefined;
    throw error;
  }
}

/** How many of the breach's working days have opened by `at` (0 on the limit's date itself). */
function breachDaysBy(deadline: ReminderDeadline, calendar: Calendar, at: Date): number {
  let n = 0;
  // Bounded: a chain replayed long after its breach skips ahead to the day to come.
  for (; n < 100_000; n++) {
    const next = breachDay(deadline, calendar, n + 1);
    if (next === undefined) return n;
    if (next.getTime() > at.getTime()) return n;
  }
  return n;
}

/**
 * Who a breach step tells: the breach's recipients and, for the follow-up that escalates, the
 * lead recipient's manager or head of service from their day on (`upTo` day n), or only the
 * escalation that starts on day n (`exactly`, when the breach is not repeated).
 */
function breachRecipients(
  deadline: ReminderDeadline,
  plan: ReminderPlan,
  n: number,
  which: 'upTo' | 'exactly',
): RecipientSpec[] {
  const base = [...breachBase(breachOf(plan).to, deadline, plan)];
  const levels = followUpOf(deadline, plan)
    .escalation.filter((e) =>
      which === 'upTo' ? e.afterWorkingDays <= n : e.afterWorkingDays === n,
    )
    .map((e) => e.level);
  const escalations = [...new Set(levels)].sort().flatMap((level) => escalated(base, level));
  return which === 'upTo' ? [...base, ...escalations] : escalations;
}

/** The breach's own recipients as role specs (a stage ladder's resolved for its stage). */
function breachBase(
  to: 'plan' | StepRecipients,
  deadline: ReminderDeadline,
  plan: ReminderPlan,
): readonly RecipientSpec[] {
  if (to !== 'plan') return resolveRecipients(to, plan, deadline);
  // The people the plan was telling up to the due time: its last step before overdue.
  const upToDue = plan.steps.filter((s) => s.at.kind !== 'after');
  const last = upToDue.at(-1) ?? plan.steps[0];
  return last === undefined ? [] : resolveRecipients(last.to, plan, deadline);
}

function resolveRecipients(
  to: StepRecipients,
  plan: ReminderPlan,
  deadline: Pick<ReminderDeadline, 'stage' | 'escalateTo'>,
): readonly RecipientSpec[] {
  return stepRecipients({ key: '', at: { kind: 'due' }, to }, plan, deadline);
}
