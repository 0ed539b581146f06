/**
 * What must fire when: the timers a case needs now. Pure; the use case diffs the old and new
 * plans and calls the `Scheduler` port. Names are deterministic, so scheduling twice is harmless.
 */
import { nextChangeAt } from './engine/deadlines.js';
import { caseCalendar, type EngineContext } from './engine/types.js';
import { dueTimerName } from './ids.js';
import type { CaseAggregate, Deadline } from './model.js';

/**
 * What a timer does when it fires: `due` advances its deadline (breach, escalation),
 * `reminder` sends one step of the deadline's reminder plan, `digest` sends a team's
 * morning digest, `escalation` takes an out-of-hours alert nobody acknowledged to the next
 * tier (the senior manager on call, then the fallback contact).
 */
export type TimerKind = 'due' | 'reminder' | 'digest' | 'escalation';

/**
 * What a timer carries: ids and a version only (the schedule's input). A `digest` timer
 * belongs to a team and a date, not a case: its `caseId` is `team:<team>` and its
 * `deadlineId` the digest's local date.
 */
export interface TimerPayload {
  caseId: string;
  deadlineId: string;
  kind: TimerKind;
  /**
   * The deadline version the timer was planned for; a stale timer does nothing. An
   * `escalation` timer carries the version its chain started under (its name's), and fires
   * whatever the deadline's version is now: it belongs to the alert, not to the due time.
   */
  version: number;
  /**
   * `reminder` timers: the plan step's key (`p50`, `b2wd`, …); `escalation` timers: the
   * escalation step (`esc2`, `escf`, and `esc2b`, `escfb` for a breach's alert).
   */
  step?: string;
}

/** One thing that must happen at a time. */
export interface Timer {
  /** ≤ 64 chars of `[0-9a-zA-Z-_.]`, unique across cases (see `ids.ts`). */
  name: string;
  fireAt: Date;
  payload: TimerPayload;
}

/**
 * Plans the timers of one deadline (the engine's `due` timer; the reminders' steps): each
 * planner decides which deadlines (by status, and the case's) need timers.
 */
export type TimerPlanner = (
  deadline: Deadline,
  aggregate: CaseAggregate,
  ctx: Pick<EngineContext, 'calendar' | 'rules'>,
) => Timer[];

/**
 * One `due` timer for an open deadline, when it next changes by itself: a ladder stage with a
 * next one at its working target (`dueAt`), any other clock at its statutory limit (`limitAt`).
 * Firing it runs `advance` (escalation or breach).
 */
export const dueTimer: TimerPlanner = (d, aggregate, ctx) =>
  d.status !== 'open' || aggregate.status === 'closed'
    ? []
    : [
        {
          name: dueTimerName(d),
          fireAt: nextChangeAt(ctx.rules.get(d.rule), d),
          payload: { caseId: d.caseId, deadlineId: d.id, kind: 'due', version: d.version },
        },
      ];

/** The default planners. */
export const DEFAULT_PLANNERS: readonly TimerPlanner[] = [dueTimer];

/**
 * Every timer the case needs now: for each deadline what each planner says (an open one's due
 * timer and reminders; a breached one's breach step; a closed case's withdrawn invitations),
 * sorted by time then name (a stable order makes plan diffs easy to read). Planners get the
 * case's own calendar (its division's bank holidays).
 */
export function planTimers(
  aggregate: CaseAggregate,
  ctx: Pick<EngineContext, 'calendar' | 'calendarFor' | 'rules'>,
  planners: readonly TimerPlanner[] = DEFAULT_PLANNERS,
): Timer[] {
  const caseCtx = { calendar: caseCalendar(ctx, aggregate), rules: ctx.rules };
  const timers: Timer[] = [];
  for (const d of aggregate.deadlines)
    for (const planner of planners) for (const t of planner(d, aggregate, caseCtx)) timers.push(t);
  return timers.sort(byTimeThenName);
}

const byTimeThenName = (a: Timer, b: Timer): number =>
  a.fireAt.getTime() - b.fireAt.getTime() || (a.name < b.name ? -1 : 1);

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
