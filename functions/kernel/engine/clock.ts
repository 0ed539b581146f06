/**
 * Turns a rule's clock into a due instant with the calendar: the only place the engine does
 * time arithmetic, so every rule follows docs/domain.md "Exact semantics" the same way.
 */

import { addMonthsToDate, humanDate, parseIsoDate } from '../calendar/days.js';
import { quantity, UNIT_WORDS } from '../calendar/explain.js';
import {
  addHours,
  addMonths,
  addWeeks,
  addWorkingDays,
  addWorkingHours,
  type Calendar,
  type Due,
  type WeeklyHours,
} from '../calendar/index.js';
import { localDate } from '../calendar/london.js';
import { basisOf, type CaseAggregate } from '../model.js';
import {
  type CaseCondition,
  type Clock,
  meetingKey,
  type Rule,
  type Source,
} from '../rules/index.js';

/** Adds a clock to an instant: the working target (`due`) and the statutory limit (`limit`). */
export function addClock(cal: Calendar, from: Date, clock: Clock, hours?: WeeklyHours): Due {
  switch (clock.unit) {
    case 'hours':
      return addHours(cal, from, clock.amount);
    case 'working-hours':
      return addWorkingHours(cal, from, clock.amount, hours);
    case 'working-days':
      return addWorkingDays(cal, from, clock.amount, hours);
    case 'weeks':
      return addWeeks(cal, from, clock.amount, hours, clock.beginningWith === true);
    case 'months':
      return addMonths(cal, from, clock.amount, hours);
  }
}

/** "6 weeks", "1 working day", "26 weeks beginning with the day it started": a clock in words. */
export function clockWords(clock: Clock): string {
  return `${quantity(clock.amount, clock.unit)}${clock.beginningWith ? ' beginning with the day it started' : ''}`;
}

/** "every 6 weeks", "every week", "every working day": a recurring interval in words. */
export function everyWords(clock: Clock): string {
  if (clock.amount !== 1) return `every ${clockWords(clock)}`;
  return `every ${UNIT_WORDS[clock.unit][0]}`;
}

/**
 * The working hours a rule's clock uses: the team's hours from the calendar when it has
 * them, else the rule's `defaultHours` (seed hours), else office hours (undefined).
 */
export function hoursForRule(cal: Calendar, rule: Rule): WeeklyHours | undefined {
  if (!rule.hoursTeam) return undefined;
  const team = cal.hoursFor(rule.hoursTeam);
  const configured = JSON.stringify(team) !== JSON.stringify(cal.hoursFor());
  if (configured || !rule.defaultHours) return team;
  return weeklyHours(rule.defaultHours);
}

/**
 * The team hours the rules bring (`hoursTeam` with `defaultHours`: Building Bridges'
 * 08:30–17:00), for a calendar whose authority configured none for that team: the bound
 * engine builds its calendars with them, so a clock's reminders use the hours its due time does.
 */
export function ruleTeamHours(rules: readonly Rule[]): Record<string, WeeklyHours> {
  const teams: Record<string, WeeklyHours> = {};
  for (const rule of rules) {
    if (rule.hoursTeam !== undefined && rule.defaultHours !== undefined)
      teams[rule.hoursTeam] ??= weeklyHours(rule.defaultHours);
  }
  return teams;
}

function weeklyHours(hours: NonNullable<Rule['defaultHours']>): WeeklyHours {
  return Object.fromEntries(
    Object.entries(hours).map(([day, h]) => [Number(day), h]),
  ) as WeeklyHours;
}

/**
 * The clock a deadline runs, in words (`why`), what it runs from when that is not simply the
 * start's instant (`from`: "the placement's start"), why this clock (`note`, read after a
 * comma), and the source of that timescale when it is not the rule's.
 */
export interface EffectiveClock {
  clock: Clock;
  why: string;
  /** How `why` joins the start ("from"; "beginning with" for Children Act 1989 s32 weeks). */
  joiner?: string;
  from?: string;
  note?: string;
  source?: Source;
}

/**
 * The clock a recurring rule runs from `startedAt` on this case:
 * - from the start of the case condition (no meeting yet), the rule's `first` clock (a placement
 *   basis's own first clock; after the first review, a basis whose visits are weekly until
 *   then runs its later interval);
 * - from the period's first meeting, the rule's `second` clock (the second review);
 * - from a visit before the first review of the placement, a basis's `untilReview` clock;
 * - from a meeting on or after the period's `later.afterMonths` anniversary (and the case fact
 *   `later.when` holding), the `later` clock;
 * - else the case's own interval when it sets one, the high-risk default for a high-risk case,
 *   or the rule's clock; never above `interval.max`.
 */
export function effectiveClock(rule: Rule, agg: CaseAggregate, startedAt?: Date): EffectiveClock {
  const since = rule.while === undefined ? undefined : conditionSince(rule.while, agg);
  const fromPeriodStart =
    since !== undefined && startedAt !== undefined && startedAt.getTime() === since.getTime();
  const plan = basisPlan(rule, agg);
  const source = plan.source === undefined ? {} : { source: plan.source };
  const reviewed =
    plan.untilReview !== undefined && since !== undefined && reviewedSince(agg, since);
  if (fromPeriodStart) {
    if (reviewed)
      return {
        clock: plan.clock,
        why: everyWords(plan.clock),
        from: CONDITION_STARTS[rule.while as CaseCondition],
        note: 'the first review having been held',
        ...source,
      };
    const first = plan.first ?? rule.first;
    if (first !== undefined) {
      return {
        clock: first,
        why: clockWords(first),
        from: CONDITION_STARTS[rule.while as CaseCondition],
        ...source,
      };
    }
  }
  const firstMeeting = rule.second === undefined ? undefined : agg.lookedAfter?.firstReviewAt;
  if (
    rule.second !== undefined &&
    startedAt?.getTime() === firstMeeting?.getTime() &&
    !fromPeriodStart
  ) {
    return {
      clock: rule.second,
      why: clockWords(rule.second),
      from: 'the first review',
      ...source,
    };
  }
  if (plan.untilReview !== undefined && !reviewed && !fromPeriodStart) {
    return {
      clock: plan.untilReview,
      why: everyWords(plan.untilReview),
      note: 'until the first review',
      ...source,
    };
  }
  const later = plan.later;
  if (later !== undefined && since !== undefined && startedAt !== undefined && !fromPeriodStart) {
    const anniversary = addMonthsToDate(localDate(since), later.afterMonths);
    if (localDate(startedAt) >= anniversary) {
      return {
        clock: later.clock,
        why: everyWords(later.clock),
        note: `the placement being ${quantity(later.afterMonths, 'months')} old on ${humanDate(parseIsoDate(anniversary))}${later.why}`,
        ...source,
      };
    }
  }
  if (plan.fromPlacement) {
    return {
      clock: plan.clock,
      why: everyWords(plan.clock),
      note: 'the interval agreed with the IRO',
      ...source,
    };
  }
  const iv = rule.interval;
  if (!iv) return { clock: plan.clock, why: everyWords(plan.clock), ...source };
  const fromCase =
    iv.fromCase === 'jointSupervisionEveryMonths'
      ? agg.jointSupervisionEveryMonths
      : iv.fromCase === 'coworkingReviewEveryWeeks'
        ? agg.coworking?.reviewEveryWeeks
        : undefined;
  let amount = rule.clock.amount;
  let why = 'the rule’s default';
  if (fromCase !== undefined) {
    amount = fromCase;
    why = `the case sets ${iv.fromCase}`;
  } else if (agg.riskLevel === 'high' && iv.highRisk !== undefined) {
    amount = iv.highRisk;
    why = 'the high-risk default';
  }
  if (iv.max !== undefined && amount > iv.max) {
    amount = iv.max;
    why += `, capped at the maximum ${iv.max}`;
  }
  const clock = { unit: rule.clock.unit, amount };
  return { clock, why: everyWords(clock), note: why };
}

/** A recurring rule's clocks as the case's placement basis sets them. */
interface BasisPlan {
  first?: Clock;
  clock: Clock;
  untilReview?: Clock;
  later?: { afterMonths: number; clock: Clock; why: string };
  fromPlacement: boolean;
  source?: Source;
}

function basisPlan(rule: Rule, agg: CaseAggregate): BasisPlan {
  const placement = rule.while === 'placement' ? agg.placement : undefined;
  const basis = placement === undefined ? undefined : basisOf(placement);
  const own = basis === undefined ? undefined : rule.bases?.[basis];
  const laterHolds =
    rule.later !== undefined &&
    (rule.later.when === undefined || (rule.later.when === 'permanent' && basis === 'until-18'));
  const later = own?.later ?? (laterHolds ? rule.later : undefined);
  const weeks = own?.fromPlacement === 'visitEveryWeeks' ? placement?.visitEveryWeeks : undefined;
  const agreed = weeks === undefined ? undefined : { unit: 'weeks' as const, amount: weeks };
  return {
    ...((agreed ?? own?.first) ? { first: agreed ?? own?.first } : {}),
    clock: agreed ?? own?.clock ?? rule.clock,
    ...(own?.untilReview === undefined ? {} : { untilReview: own.untilReview }),
    ...(later === undefined
      ? {}
      : {
          later: {
            afterMonths: later.afterMonths,
            clock: later.clock,
            why: basis === 'until-18' ? ' and intended to last until the child is 18' : '',
          },
        }),
    fromPlacement: agreed !== undefined,
    ...(own?.source === undefined ? {} : { source: own.source }),
  };
}

/** Whether the child's case has been reviewed (`cla-review.held`) since `since` (the placement's start). */
function reviewedSince(agg: CaseAggregate, since: Date): boolean {
  const last = agg.lastHeld?.['cla-review.held'];
  return last !== undefined && last.getTime() > since.getTime();
}

/** What starts each case condition's period, in explanations ("1 week from the placement's start"). */
const CONDITION_STARTS: Record<CaseCondition, string> = {
  jointWithMentalHealth: 'the start of joint working',
  coworking: 'the start of co-working',
  buildingBridges: 'the start of Building Bridges',
  cpPlan: 'the start of the child protection plan',
  placement: 'the placement’s start',
  lookedAfter: 'the day the child became looked after',
};

/** Whether the case condition a recurring rule runs under holds. */
export function conditionHolds(condition: CaseCondition, agg: CaseAggregate): boolean {
  switch (condition) {
    case 'jointWithMentalHealth':
      return agg.jointWithMentalHealth;
    case 'coworking':
      return agg.coworking !== undefined;
    case 'buildingBridges':
      return agg.buildingBridges !== undefined;
    case 'cpPlan':
      return agg.cpPlan !== undefined;
    case 'placement':
      return agg.placement !== undefined;
    case 'lookedAfter':
      return agg.lookedAfter !== undefined;
  }
}

/** When the current period of the condition began. */
export function conditionSince(condition: CaseCondition, agg: CaseAggregate): Date | undefined {
  switch (condition) {
    case 'jointWithMentalHealth':
      return agg.jointSince;
    case 'coworking':
      return agg.coworking?.startedAt;
    case 'buildingBridges':
      return agg.buildingBridges?.startedAt;
    case 'cpPlan':
      return agg.cpPlan?.startedAt;
    case 'placement':
      return agg.placement?.startedAt;
    case 'lookedAfter':
      return agg.lookedAfter?.startedAt;
  }
}

/**
 * Where a recurring rule's next clock starts: the last meeting of the kind that meets it, held
 * in the current period, else the period's start.
 */
export function recurringAnchor(rule: Rule, agg: CaseAggregate): Date | undefined {
  if (!rule.while) return undefined;
  const since = conditionSince(rule.while, agg);
  const last = lastMeeting(rule, agg);
  if (!since) return last;
  return last && last.getTime() > since.getTime() ? last : since;
}

/** The last meeting that meets the rule: supervisions by kind, other meetings by their key. */
export function lastMeeting(rule: Rule, agg: CaseAggregate): Date | undefined {
  const m = rule.stop[0];
  if (m === undefined) return undefined;
  if (m.type === 'supervision.held') {
    return m.kind === undefined
      ? undefined
      : agg.lastSupervision[m.kind as keyof CaseAggregate['lastSupervision']];
  }
  return agg.lastHeld?.[meetingKey(m)];
}

/** Stage `stage` (1-based) of a ladder: its start and due, chained from the clock's start. */
export function ladderStage(
  cal: Calendar,
  rule: Rule,
  startedAt: Date,
  stage: number,
  hours?: WeeklyHours,
): { stageStartedAt: Date; due: Due } {
  const stages = rule.stages ?? [];
  let start = startedAt;
  let due: Due | undefined;
  for (let i = 0; i < stage; i++) {
    const s = stages[i];
    if (!s) break;
    if (due) start = due.due;
    due = addClock(cal, start, s.clock ?? rule.clock, hours);
  }
  return { stageStartedAt: start, due: due ?? addClock(cal, startedAt, rule.clock, hours) };
}
