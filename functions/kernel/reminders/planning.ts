/**
 * Planning reminders: a deadline and its rule's plan give the steps that must fire and when,
 * who each step is for, and whether it is urgent. Pure: the calendar is an argument, the
 * wall clock is never read.
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
import { reminderTimerName } from '../ids.js';
import type { Timer } from '../timers.js';
import type { ReminderMoment } from './messages.js';
import { breachOf, DEFAULT_REMINDER_PLANS, escalated } from './plans.js';
import type {
  RecipientSpec,
  ReminderAt,
  ReminderDeadline,
  ReminderPlan,
  ReminderPlans,
  ReminderStep,
  StepRecipients,
} from './types.js';

/** A step's planned time, before the "already passed" rule is applied. */
export interface PlannedReminder {
  step: ReminderStep;
  /** The time the plan asks for. */
  plannedAt: Date;
  /** When it fires: `plannedAt`, or when the clock reached us if that time had already passed. */
  fireAt: Date;
  /** True when the planned time was before the clock started (or reached us): sent at once. */
  late: boolean;
}

/**
 * A step as the read view shows it: `fires` (it has a timer), `skipped` (its time passed
 * before the clock existed, and a later step covers it), `past` (a step of the clock before
 * it breached: no timer any more), or `on-breach` (the breach step of a clock still open:
 * planned when, and only if, it breaches).
 */
export interface PlannedStep extends PlannedReminder {
  state: 'fires' | 'skipped' | 'past' | 'on-breach';
}

/** The step key of a breach's repeat on the nth working day after the due date (`br1`, …). */
export const breachRepeatKey = (n: number): string => `br${n}`;
/** The step key of the escalation n working days after the breach, when it does not repeat. */
export const breachEscalationKey = (n: number): string => `be${n}`;
/** The step key of a supervision invitation's cancellation. */
export const CANCEL_INVITE_STEP = 'xinv';
/** The step key of the breach itself. */
export const BREACH_STEP = 'breach';

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
  return result.sort((a, b) => a.fireAt.getTime() - b.fireAt.getTime());
}

/** When the clock became known to us: its (stage's) start, or its start event's late arrival. */
function reachedAt(deadline: ReminderDeadline): Date {
  const start = deadline.stageStartedAt ?? deadline.startedAt;
  const arrived = deadline.arrivedAt;
  return arrived !== undefined && arrived.getTime() > start.getTime() ? arrived : start;
}

/**
 * The breach step (at the breach, or when the clock reached us if later) and what follows it:
 * the first daily repeat, or the escalations still to come when the plan does not repeat.
 * Escalations whose day has passed by the breach step go with it.
 */
function breachSteps(
  deadline: ReminderDeadline,
  calendar: Calendar,
  plan: ReminderPlan,
  state: 'fires' | 'on-breach',
): PlannedStep[] {
  const breach = breachOf(plan);
  const follow = deadline.safeguarding ? breach.safeguarding : breach.routine;
  const reached = reachedAt(deadline);
  const due = deadline.dueAt;
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
  if (deadline.status !== 'breached' || deadline.metAt !== undefined) return undefined;
  const follow = deadline.safeguarding ? breachOf(plan).safeguarding : breachOf(plan).routine;
  if (!follow.repeatDaily) return undefined;
  return breachRepeat(deadline, calendar, plan, breachDaysBy(deadline, calendar, now) + 1);
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
  const repeat = /^br([1-9][0-9]{0,3})$/.exec(key);
  if (repeat === null || deadline.status !== 'breached' || deadline.metAt !== undefined) return;
  const follow = deadline.safeguarding ? breachOf(plan).safeguarding : breachOf(plan).routine;
  if (!follow.repeatDaily) return undefined;
  return breachRepeat(deadline, calendar, plan, Number(repeat[1]));
}

/** Opening time of the nth working day after the due date; undefined outside the calendar. */
function breachDay(deadline: ReminderDeadline, calendar: Calendar, n: number): Date | undefined {
  const hours = calendar.hoursFor(deadline.hoursTeam);
  try {
    const day = localDate(addWorkingDays(calendar, deadline.dueAt, n, hours).due);
    return openingOn(calendar, day, hours);
  } catch (error) {
    if (error instanceof CalendarRangeError) return undefined;
    throw error;
  }
}

/** How many of the breach's working days have opened by `at` (0 on the due date itself). */
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
  const breach = breachOf(plan);
  const follow = deadline.safeguarding ? breach.safeguarding : breach.routine;
  const base = [...breachBase(breach.to, deadline, plan)];
  const levels = follow.escalation
    .filter((e) => (which === 'upTo' ? e.afterWorkingDays <= n : e.afterWorkingDays === n))
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

/** Steps that invite to the supervision's slot: those before it (never the overdue ones). */
export function carriesInvite(at: ReminderAt): boolean {
  return at.kind === 'start' || at.kind === 'before' || at.kind === 'on-day' || at.kind === 'due';
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
 * safeguarding clock, its breach (at due, overdue, and the breach step and its repeats).
 */
export function isUrgent(
  step: ReminderStep,
  plan: ReminderPlan,
  deadline: Partial<Pick<ReminderDeadline, 'urgent' | 'safeguarding'>> = {},
): boolean {
  if (step.urgent !== undefined) return step.urgent;
  if (step.at.kind === 'cancel-invite') return false;
  if (deadline.urgent === true || plan.urgent === true) return true;
  const breach = step.at.kind === 'due' || step.at.kind === 'after' || step.at.kind === 'breach';
  return breach && deadline.safeguarding === true;
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
    case 'breach':
      return 'breach';
    case 'cancel-invite':
      return 'cancelled';
  }
}
