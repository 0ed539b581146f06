/**
 * Binds the pure rule engine to an authority's calendar, rules and reminder plans: the
 * production `CaseEngine`. Built once at cold start (a bad rule or reminder-plan override fails
 * it, naming the rule and the field).
 *
 * The calendar is the authority's configuration plus the operator's stored GOV.UK feed
 * (`options.feed`); when the feed source reports a new feed the calendars are rebuilt, and
 * their `version` changes. A case whose `division` differs from the authority's runs on that
 * division's bank holidays with the authority's hours and closure days: one calendar per
 * division, built on first use and kept. Before an event is applied or a case advanced, a case
 * with an open deadline computed with another calendar or rule version is recomputed first
 * (audited as `recomputed` with old and new due times), so the caller's timer diff moves its
 * timers.
 */

import type { AuthorityConfig } from '#schemas/authority.js';
import type { Calendar, Division } from '../calendar/index.js';
import { CaseTextMemo } from '../case-text-memo.js';
import type { CaseAggregate, Deadline } from '../model.js';
import { loadRulesAndPlans, type ReminderPlans, reminderTimerPlanner } from '../reminders/index.js';
import type { RuleSet } from '../rules/index.js';
import { DEFAULT_PLANNERS, planTimers, type Timer, type TimerPlanner } from '../timers.js';
import { bindCalendars, type FeedOption } from './calendars.js';
import type { CaseEngine } from './case-engine.js';
import { advance, applyEvent, caseCalendar, type EngineResult, recompute } from './index.js';

export type { FeedOption };

export interface BoundEngine extends CaseEngine {
  /** The authority's calendar in use now (a newer stored feed replaces it). */
  readonly calendar: Calendar;
  /**
   * The calendar of a case in `division` (the authority's when undefined): that division's
   * bank holidays, the authority's hours and closures; the same object until the feed changes.
   */
  calendarFor(division?: Division): Calendar;
  rules: RuleSet;
  /** The reminder plans: the defaults with the authority's `reminderPlans` overrides. */
  readonly plans: ReminderPlans;
  /** Breaches and escalations due by `now`, after recomputing a stale case. */
  advance(aggregate: CaseAggregate, now: Date): EngineResult;
  /** Recomputes every open deadline with the current rules and calendar. */
  recompute(aggregate: CaseAggregate, now: Date): EngineResult;
  /** True when an open deadline was computed with another calendar or rule version. */
  isStale(aggregate: CaseAggregate): boolean;
}

export interface EngineOptions {
  /** The operator's GOV.UK feed (see `functions/platform/dynamodb/calendar-feed.ts`). */
  feed?: FeedOption | undefined;
}

/**
 * @param plans reminder plans; their timers are planned with the engine's `due` timers, so
 *   the ingest path and the timer handler schedule the same set. @default the defaults with
 *   the authority's `reminderPlans` overrides
 * @throws RuleValidationError when the authority's rule or reminder-plan overrides are invalid.
 */
export function makeCaseEngine(
  authority: AuthorityConfig,
  plans?: ReminderPlans,
  options: EngineOptions = {},
): BoundEngine {
  const configured = loadRulesAndPlans(authority);
  const rules = configured.rules;
  const boundPlans = plans ?? configured.plans;
  const { calendarFor } = bindCalendars(authority, rules, options.feed);
  const calendar = (): Calendar => calendarFor(authority.division);
  /** The engine's context at `now`: the authority's calendar, and each case's own. */
  const contextAt = (now: Date) => ({ calendar: calendar(), calendarFor, rules, now });
  const planners = memoisedPlanner([...DEFAULT_PLANNERS, reminderTimerPlanner(boundPlans)]);

  /** Each case's last plan, for the case's exact JSON text and the calendar it was made with. */
  const planMemo = new CaseTextMemo<{ calendar: Calendar; timers: readonly Timer[] }>();

  /** True when an open deadline was computed with another calendar of the case or rule version. */
  const isStale = (aggregate: CaseAggregate): boolean => {
    if (aggregate.status === 'closed') return false;
    const version = caseCalendar({ calendar: calendar(), calendarFor }, aggregate).version;
    return aggregate.deadlines.some(
      (d) =>
        d.status === 'open' &&
        rules.get(d.rule) !== undefined &&
        (d.calendarVersion !== version || d.ruleVersion !== rules.ruleVersion(d.rule)),
    );
  };
  /** Recomputes a stale case first; its audit lines come before the caller's. */
  const fresh = (aggregate: CaseAggregate, now: Date): EngineResult =>
    isStale(aggregate) ? recompute(aggregate, contextAt(now)) : { aggregate, audit: [] };

  return {
    get calendar() {
      return calendar();
    },
    calendarFor,
    rules,
    plans: boundPlans,
    isStale,
    applyEvent: (aggregate, event, now) => {
      const ctx = contextAt(now);
      if (aggregate === undefined || aggregate.recentEventIds?.includes(event.id)) {
        return applyEvent(aggregate, event, ctx);
      }
      const before = fresh(aggregate, now);
      const after = applyEvent(before.aggregate, event, ctx);
      return { aggregate: after.aggregate, audit: [...before.audit, ...after.audit] };
    },
    advance: (aggregate, now) =>
      // `recompute` advances to `now` itself.
      isStale(aggregate)
        ? recompute(aggregate, contextAt(now))
        : advance(aggregate, contextAt(now)),
    recompute: (aggregate, now) => recompute(aggregate, contextAt(now)),
    planTimers: (aggregate, _now, serialized) => {
      const cal = caseCalendar({ calendar: calendar(), calendarFor }, aggregate);
      const ctx = { calendar: cal, rules };
      if (serialized === undefined) return planTimers(aggregate, ctx, planners);
      // A plan depends only on the aggregate, the calendar and the rules: the text an event's
      // "after" plan was made for is the text the next event on the case loads as its "before".
      // The memos hold frozen timers and hand them out as they are: only the array is new.
      const memo = planMemo.get(aggregate.caseId, serialized);
      if (memo !== undefined && memo.calendar === cal) return memo.timers.slice();
      const timers = planTimers(aggregate, ctx, planners);
      planMemo.set(aggregate.caseId, serialized, { calendar: cal, timers: timers.slice() });
      return timers;
    },
  };
}

/** Deadlines whose timers are kept: ~5 timers of ~250 bytes each, so ~15 MB at most. */
const DEADLINE_MEMO_ENTRIES = 10_000;

/** A deadline's timers with what they were planned from (the fields planning reads). */
interface PlannedDeadline {
  readonly caseId: string;
  readonly id: string;
  readonly caseStatus: string;
  readonly version: number;
  readonly status: string;
  readonly rule: string;
  readonly hoursTeam: string | undefined;
  readonly dueAt: number;
  readonly limitAt: number | undefined;
  readonly startedAt: number;
  readonly stageStartedAt: number | undefined;
  readonly arrivedAt: number | undefined;
  readonly closedAt: number | undefined;
  readonly metAt: number | undefined;
  readonly safeguarding: boolean | undefined;
  readonly timers: readonly Timer[];
}

/**
 * The planners as one, remembering each deadline's timers: an event changes one or two of a
 * case's deadlines, and planning the others again (calendar arithmetic for every reminder step)
 * was the costliest part of ingesting it. A deadline's timers depend only on the fields kept
 * with them (with the case's status: a closed case keeps only withdrawn invitations), its
 * rule's plan (fixed at cold start) and the calendar: one memo per calendar (one per division
 * in use), dropped with the calendar when a new feed replaces it. Each deadline keeps its last
 * plan, found by case and id and compared field by field (building a key of every field cost
 * as much as the lookup saved).
 */
function memoisedPlanner(planners: readonly TimerPlanner[]): TimerPlanner[] {
  const memos = new WeakMap<Calendar, Map<string, PlannedDeadline>>();
  const planner: TimerPlanner = (d, aggregate, ctx) => {
    let memo = memos.get(ctx.calendar);
    if (memo === undefined) {
      memo = new Map();
      memos.set(ctx.calendar, memo);
    }
    const key = `${d.caseId}|${d.id}`;
    const known = memo.get(key);
    // Frozen and shared: `planTimers` copies the array it is handed into its own.
    if (known !== undefined && plannedFrom(known, d, aggregate.status))
      return known.timers as Timer[];
    const timers = Object.freeze(planners.flatMap((p) => p(d, aggregate, ctx)).map(frozenTimer));
    if (known !== undefined) memo.delete(key);
    else if (memo.size >= DEADLINE_MEMO_ENTRIES) memo.delete(memo.keys().next().value as string);
    memo.set(key, {
      caseId: d.caseId,
      id: d.id,
      caseStatus: aggregate.status,
      version: d.version,
      status: d.status,
      rule: d.rule,
      hoursTeam: d.hoursTeam,
      dueAt: d.dueAt.getTime(),
      limitAt: d.limitAt?.getTime(),
      startedAt: d.startedAt.getTime(),
      stageStartedAt: d.stageStartedAt?.getTime(),
      arrivedAt: d.arrivedAt?.getTime(),
      closedAt: d.closedAt?.getTime(),
      metAt: d.metAt?.getTime(),
      safeguarding: d.safeguarding,
      timers,
    });
    return timers as Timer[];
  };
  return [planner];
}

/** True when `known` was planned from what `d` holds now (an invalid date never matches). */
function plannedFrom(known: PlannedDeadline, d: Deadline, caseStatus: string): boolean {
  return (
    known.version === d.version &&
    known.status === d.status &&
    known.dueAt === d.dueAt.getTime() &&
    known.limitAt === d.limitAt?.getTime() &&
    known.startedAt === d.startedAt.getTime() &&
    known.stageStartedAt === d.stageStartedAt?.getTime() &&
    known.arrivedAt === d.arrivedAt?.getTime() &&
    known.closedAt === d.closedAt?.getTime() &&
    known.metAt === d.metAt?.getTime() &&
    known.caseStatus === caseStatus &&
    known.rule === d.rule &&
    known.hoursTeam === d.hoursTeam &&
    known.safeguarding === d.safeguarding &&
    // The key joins the two with "|": a case id holding one must not reach another's plan.
    known.id === d.id &&
    known.caseId === d.caseId
  );
}

/**
 * A planned timer as the memos keep it: frozen, so that a caller changing a timer it was
 * handed fails at once (a TypeError in strict code) instead of changing every later plan, and
 * with its own `fireAt`, so that no aggregate shares a Date with it. (A Date cannot be frozen:
 * nothing in the service calls a setter on a timer's `fireAt`, and a test holds it to that.)
 */
function frozenTimer(t: Timer): Timer {
  return Object.freeze({
    ...t,
    fireAt: new Date(t.fireAt.getTime()),
    payload: Object.freeze({ ...t.payload }),
  });
}
