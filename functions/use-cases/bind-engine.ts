/**
 * Binds the pure rule engine to an authority's calendar and rules: the production
 * `CaseEngine`. Built once at cold start (a bad rule configuration fails it).
 *
 * The calendar is the authority's configuration plus the operator's stored GOV.UK feed
 * (`options.feed`); when the feed source reports a new feed the calendar is rebuilt, and its
 * `version` changes. Before an event is applied or a case advanced, a case with an open
 * deadline computed with another calendar or rule version is recomputed first (audited as
 * `recomputed` with old and new due times), so the caller's timer diff moves its timers.
 */
import {
  type Calendar,
  type CalendarOptions,
  createCalendar,
  type GovUkFeed,
} from '#calendar/index.js';
import { advance, applyEvent, type EngineResult, recompute } from '#domain/engine/index.js';
import type { CaseAggregate } from '#domain/model.js';
import {
  type ReminderPlans,
  reminderPlans,
  reminderTimerPlanner,
} from '#domain/reminders/index.js';
import { loadRuleSet, type RuleSet } from '#domain/rules/index.js';
import { DEFAULT_PLANNERS, planTimers, type Timer, type TimerPlanner } from '#domain/timers.js';
import type { AuthorityConfig } from '#schemas/authority.js';
import type { CaseEngine } from './case-engine.js';

export interface BoundEngine extends CaseEngine {
  /** The calendar in use now (a newer stored feed replaces it). */
  readonly calendar: Calendar;
  rules: RuleSet;
  readonly plans: ReminderPlans;
  /** Breaches and escalations due by `now`, after recomputing a stale case. */
  advance(aggregate: CaseAggregate, now: Date): EngineResult;
  /** Recomputes every open deadline with the current rules and calendar. */
  recompute(aggregate: CaseAggregate, now: Date): EngineResult;
  /** True when an open deadline was computed with another calendar or rule version. */
  isStale(aggregate: CaseAggregate): boolean;
}

/** Where the engine reads the operator's feed: a fixed feed, or a source refreshed elsewhere. */
export type FeedOption = GovUkFeed | { current(): { feed: GovUkFeed; sha256: string } | undefined };

export interface EngineOptions {
  /** The operator's GOV.UK feed (see `functions/adapters/dynamodb/calendar-feed.ts`). */
  feed?: FeedOption | undefined;
}

/**
 * @param plans reminder plans; their timers are planned with the engine's `due` timers, so
 *   the ingest path and the timer handler schedule the same set. @default reminderPlans()
 */
export function makeCaseEngine(
  authority: AuthorityConfig,
  plans: ReminderPlans = reminderPlans(),
  options: EngineOptions = {},
): BoundEngine {
  const base: CalendarOptions = {
    division: authority.division,
    ...(authority.closures === undefined ? {} : { closures: authority.closures }),
    ...(authority.officeHours === undefined
      ? {}
      : { officeHours: authority.officeHours as CalendarOptions['officeHours'] }),
    ...(authority.teamHours === undefined
      ? {}
      : { teamHours: authority.teamHours as CalendarOptions['teamHours'] }),
  };
  const source = options.feed;
  const read =
    source !== undefined && typeof (source as { current?: unknown }).current === 'function'
      ? () => (source as Exclude<FeedOption, GovUkFeed>).current()
      : () => (source === undefined ? undefined : { feed: source as GovUkFeed, sha256: 'fixed' });
  const build = (feed: GovUkFeed | undefined): Calendar =>
    createCalendar(feed === undefined ? base : { ...base, feed });
  const initial = read();
  let built = { sha256: initial?.sha256, calendar: build(initial?.feed) };
  /** The calendar for the feed in use; rebuilt only when the feed changed. */
  const calendar = (): Calendar => {
    const now = read();
    if (now?.sha256 !== built.sha256) built = { sha256: now?.sha256, calendar: build(now?.feed) };
    return built.calendar;
  };
  const rules = loadRuleSet(authority.preset, authority.rules);
  const planners = memoisedPlanner([...DEFAULT_PLANNERS, reminderTimerPlanner(plans)]);

  /** caseId → the last plan made for the case's exact JSON text (oldest entry evicted first). */
  const planMemo = new Map<string, { serialized: string; calendar: Calendar; timers: Timer[] }>();
  let memoChars = 0;
  const forget = (caseId: string): void => {
    const entry = planMemo.get(caseId);
    if (entry === undefined) return;
    memoChars -= entry.serialized.length;
    planMemo.delete(caseId);
  };

  const isStale = (aggregate: CaseAggregate, cal: Calendar): boolean =>
    aggregate.status !== 'closed' &&
    aggregate.deadlines.some(
      (d) =>
        d.status === 'open' &&
        rules.get(d.rule) !== undefined &&
        (d.calendarVersion !== cal.version || d.ruleVersion !== rules.ruleVersion(d.rule)),
    );
  /** Recomputes a stale case first; its audit lines come before the caller's. */
  const fresh = (aggregate: CaseAggregate, cal: Calendar, now: Date): EngineResult =>
    isStale(aggregate, cal)
      ? recompute(aggregate, { calendar: cal, rules, now })
      : { aggregate, audit: [] };

  return {
    get calendar() {
      return calendar();
    },
    rules,
    plans,
    isStale: (aggregate) => isStale(aggregate, calendar()),
    applyEvent: (aggregate, event, now) => {
      const cal = calendar();
      const ctx = { calendar: cal, rules, now };
      if (aggregate === undefined || aggregate.recentEventIds?.includes(event.id)) {
        return applyEvent(aggregate, event, ctx);
      }
      const before = fresh(aggregate, cal, now);
      const after = applyEvent(before.aggregate, event, ctx);
      return { aggregate: after.aggregate, audit: [...before.audit, ...after.audit] };
    },
    advance: (aggregate, now) => {
      const cal = calendar();
      // `recompute` advances to `now` itself.
      return isStale(aggregate, cal)
        ? recompute(aggregate, { calendar: cal, rules, now })
        : advance(aggregate, { calendar: cal, rules, now });
    },
    recompute: (aggregate, now) => recompute(aggregate, { calendar: calendar(), rules, now }),
    planTimers: (aggregate, _now, serialized) => {
      const cal = calendar();
      if (serialized === undefined)
        return planTimers(aggregate, { calendar: cal, rules }, planners);
      // A plan depends only on the aggregate, the calendar and the rules: the text an event's
      // "after" plan was made for is the text the next event on the case loads as its "before".
      const memo = planMemo.get(aggregate.caseId);
      if (memo !== undefined && memo.serialized === serialized && memo.calendar === cal)
        return memo.timers.map(copyTimer);
      const timers = planTimers(aggregate, { calendar: cal, rules }, planners);
      forget(aggregate.caseId);
      if (serialized.length <= PLAN_MEMO_CHARS) {
        for (const oldest of planMemo.keys()) {
          if (planMemo.size < PLAN_MEMO_CASES && memoChars + serialized.length <= PLAN_MEMO_CHARS)
            break;
          forget(oldest);
        }
        planMemo.set(aggregate.caseId, {
          serialized,
          calendar: cal,
          timers: timers.map(copyTimer),
        });
        memoChars += serialized.length;
      }
      return timers;
    },
  };
}

/** Cases whose last plan is kept, and the most JSON text kept as their keys (~16 MB). */
const PLAN_MEMO_CASES = 1_000;
const PLAN_MEMO_CHARS = 8_000_000;

/** Deadlines whose timers are kept: ~5 timers of ~250 bytes each, so ~15 MB at most. */
const DEADLINE_MEMO_ENTRIES = 10_000;

/**
 * The planners as one, remembering each deadline's timers: an event changes one or two of a
 * case's deadlines, and planning the others again (calendar arithmetic for every reminder step)
 * was the costliest part of ingesting it. A deadline's timers depend only on the fields in the
 * key (with the case's status: a closed case keeps only withdrawn invitations), its rule's plan
 * (fixed at cold start) and the calendar (a new one empties the memo).
 */
function memoisedPlanner(planners: readonly TimerPlanner[]): TimerPlanner[] {
  const memo = new Map<string, Timer[]>();
  let memoCalendar: Calendar | undefined;
  const planner: TimerPlanner = (d, aggregate, ctx) => {
    if (ctx.calendar !== memoCalendar) {
      memo.clear();
      memoCalendar = ctx.calendar;
    }
    const key = `${aggregate.status}|${d.caseId}|${d.id}|${d.version}|${d.status}|${d.rule}|${d.hoursTeam ?? ''}|${d.dueAt.getTime()}|${d.startedAt.getTime()}|${d.stageStartedAt?.getTime() ?? ''}|${d.arrivedAt?.getTime() ?? ''}|${d.closedAt?.getTime() ?? ''}|${d.metAt?.getTime() ?? ''}|${d.safeguarding}`;
    const known = memo.get(key);
    if (known !== undefined) return known.map(copyTimer);
    const timers = planners.flatMap((p) => p(d, aggregate, ctx));
    if (memo.size >= DEADLINE_MEMO_ENTRIES) memo.delete(memo.keys().next().value as string);
    memo.set(key, timers.map(copyTimer));
    return timers;
  };
  return [planner];
}

/** A timer no caller's change can reach the memo through. */
function copyTimer(t: Timer): Timer {
  return { ...t, fireAt: new Date(t.fireAt.getTime()), payload: { ...t.payload } };
}
