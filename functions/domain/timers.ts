/**
 * What must fire when: the timers a case needs now. Pure; the use case diffs the old and new
 * plans and calls the `Scheduler` port. Names are deterministic, so scheduling twice is harmless.
 */
import { timerName } from './engine/ids.js';
import type { EngineContext } from './engine/types.js';
import type { CaseAggregate, Deadline } from './model.js';

/** Kinds of timer; reminder kinds are added by the reminders work. */
export type TimerKind = 'due' | 'reminder';

/** One thing that must happen at a time. */
export interface Timer {
  /** ≤ 64 chars of `[0-9a-zA-Z-_.]`, unique across cases. */
  name: string;
  fireAt: Date;
  payload: {
    caseId: string;
    deadlineId: string;
    kind: TimerKind;
    /** The deadline version the timer was planned for; a stale timer does nothing. */
    version: number;
    reminderId?: string;
  };
}

/** Plans the timers of one open deadline; the reminders work adds a planner for its plans. */
export type TimerPlanner = (
  deadline: Deadline,
  aggregate: CaseAggregate,
  ctx: Pick<EngineContext, 'calendar' | 'rules'>,
) => Timer[];

/** One `due` timer at `dueAt`: firing it runs `advance` (escalation or breach). */
export const dueTimer: TimerPlanner = (d) => [
  {
    name: timerName(d.caseId, d.id, d.version, 'due'),
    fireAt: d.dueAt,
    payload: { caseId: d.caseId, deadlineId: d.id, kind: 'due', version: d.version },
  },
];

/** The default planners. */
export const DEFAULT_PLANNERS: readonly TimerPlanner[] = [dueTimer];

/**
 * Every timer the case needs now: nothing for a closed case, and for each open deadline what
 * each planner says, sorted by time then name (a stable order makes plan diffs easy to read).
 */
export function planTimers(
  aggregate: CaseAggregate,
  ctx: Pick<EngineContext, 'calendar' | 'rules'>,
  planners: readonly TimerPlanner[] = DEFAULT_PLANNERS,
): Timer[] {
  if (aggregate.status === 'closed') return [];
  return aggregate.deadlines
    .filter((d) => d.status === 'open')
    .flatMap((d) => planners.flatMap((p) => p(d, aggregate, ctx)))
    .sort((a, b) => a.fireAt.getTime() - b.fireAt.getTime() || (a.name < b.name ? -1 : 1));
}

/** The timers to cancel and to schedule to go from one plan to the next (matched by name). */
export function diffTimers<T extends { name: string }>(
  before: readonly T[],
  after: readonly T[],
): { schedule: T[]; cancel: T[] } {
  const had = new Set(before.map((t) => t.name));
  const has = new Set(after.map((t) => t.name));
  return {
    schedule: after.filter((t) => !had.has(t.name)),
    cancel: before.filter((t) => !has.has(t.name)),
  };
}
