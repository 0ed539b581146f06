/**
 * A plan's steps as planned for one deadline: when each fires (`PlannedReminder`), who it is
 * for at the deadline's stage, whether it is urgent, and how its timing reads in a message.
 * Pure: no calendar arithmetic here (`planning.ts` works out the times).
 */
import type { ReminderMoment } from './messages.js';
import type {
  RecipientSpec,
  ReminderAt,
  ReminderDeadline,
  ReminderPlan,
  ReminderStep,
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

/** When the clock became known to us: its (stage's) start, or its start event's late arrival. */
export function reachedAt(deadline: ReminderDeadline): Date {
  const start = deadline.stageStartedAt ?? deadline.startedAt;
  const arrived = deadline.arrivedAt;
  return arrived !== undefined && arrived.getTime() > start.getTime() ? arrived : start;
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

/** Steps that invite to the supervision's slot: those before it (never the overdue ones). */
export function carriesInvite(at: ReminderAt): boolean {
  return at.kind === 'start' || at.kind === 'before' || at.kind === 'on-day' || at.kind === 'due';
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
