/**
 * Turns a rule's clock into a due instant with the calendar: the only place the engine does
 * time arithmetic, so every rule follows docs/domain.md "Exact semantics" the same way.
 */

import { addMonthsToDate } from '../calendar/days.js';
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
import type { CaseAggregate } from '../model.js';
import { type CaseCondition, type Clock, meetingKey, type Rule } from '../rules/index.js';

/** Adds a clock to an instant. */
export function addClock(cal: Calendar, from: Date, clock: Clock, hours?: WeeklyHours): Due {
  switch (clock.unit) {
    case 'hours':
      return addHours(cal, from, clock.amount);
    case 'working-hours':
      return addWorkingHours(cal, from, clock.amount, hours);
    case 'working-days':
      return addWorkingDays(cal, from, clock.amount, hours);
    case 'weeks':
      return addWeeks(cal, from, clock.amount, hours);
    case 'months':
      return addMonths(cal, from, clock.amount, hours);
  }
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
 * The clock a recurring rule runs from `startedAt` on this case:
 * - from the start of the case condition (no meeting yet), the rule's `first` clock;
 * - from a meeting on or after the period's `later.afterMonths` anniversary (and the case fact
 *   `later.when` holding), the `later` clock;
 * - else the case's own interval when it sets one, the high-risk default for a high-risk case,
 *   or the rule's clock; never above `interval.max`.
 */
export function effectiveClock(
  rule: Rule,
  agg: CaseAggregate,
  startedAt?: Date,
): { clock: Clock; why: string } {
  const since = rule.while === undefined ? undefined : conditionSince(rule.while, agg);
  const fromPeriodStart =
    since !== undefined && startedAt !== undefined && startedAt.getTime() === since.getTime();
  if (rule.first !== undefined && fromPeriodStart) {
    return {
      clock: rule.first,
      why: `${rule.first.amount} ${rule.first.unit} from the start (${CONDITION_STARTS[rule.while as CaseCondition]})`,
    };
  }
  const later = rule.later;
  if (later !== undefined && since !== undefined && startedAt !== undefined && !fromPeriodStart) {
    const anniversary = addMonthsToDate(localDate(since), later.afterMonths);
    const holds =
      later.when === undefined || (later.when === 'permanent' && agg.placement?.permanent);
    if (holds && localDate(startedAt) >= anniversary) {
      return {
        clock: later.clock,
        why: `every ${later.clock.amount} ${later.clock.unit} (from ${anniversary}, ${later.afterMonths} months after the start${later.when === 'permanent' ? ', the placement being permanent' : ''})`,
      };
    }
  }
  const iv = rule.interval;
  if (!iv)
    return { clock: rule.clock, why: `every ${rule.clock.amount} ${rule.clock.unit} (rule)` };
  const fromCase =
    iv.fromCase === 'jointSupervisionEveryMonths'
      ? agg.jointSupervisionEveryMonths
      : iv.fromCase === 'coworkingReviewEveryWeeks'
        ? agg.coworking?.reviewEveryWeeks
        : undefined;
  let amount = rule.clock.amount;
  let why = 'rule default';
  if (fromCase !== undefined) {
    amount = fromCase;
    why = `case sets ${iv.fromCase}`;
  } else if (agg.riskLevel === 'high' && iv.highRisk !== undefined) {
    amount = iv.highRisk;
    why = 'high-risk default';
  }
  if (iv.max !== undefined && amount > iv.max) {
    amount = iv.max;
    why += `, capped at the maximum ${iv.max}`;
  }
  return {
    clock: { unit: rule.clock.unit, amount },
    why: `every ${amount} ${rule.clock.unit} (${why})`,
  };
}

/** What starts each case condition's period, in explanations. */
const CONDITION_STARTS: Record<CaseCondition, string> = {
  jointWithMentalHealth: 'joint working began',
  coworking: 'co-working began',
  buildingBridges: 'Building Bridges began',
  cpPlan: 'the child protection plan began',
  placement: 'the placement began',
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
