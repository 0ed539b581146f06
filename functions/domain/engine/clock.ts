/**
 * Turns a rule's clock into a due instant with the calendar: the only place the engine does
 * time arithmetic, so every rule follows DOMAIN.md "Exact semantics" the same way.
 */
import {
  addHours,
  addMonths,
  addWeeks,
  addWorkingDays,
  addWorkingHours,
  type Calendar,
  type Due,
  type WeeklyHours,
} from '#calendar/index.js';
import type { CaseAggregate } from '#domain/model.js';
import {
  type CaseCondition,
  type Clock,
  type Rule,
  supervisionKindOf,
} from '#domain/rules/index.js';

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
  return Object.fromEntries(
    Object.entries(rule.defaultHours).map(([day, h]) => [Number(day), h]),
  ) as WeeklyHours;
}

/**
 * The clock for a recurring rule on this case: the case's own interval when it sets one,
 * else the high-risk default for a high-risk case, else the rule's amount; never above `max`.
 */
export function effectiveClock(rule: Rule, agg: CaseAggregate): { clock: Clock; why: string } {
  const iv = rule.interval;
  if (!iv) return { clock: rule.clock, why: `${rule.clock.amount} ${rule.clock.unit} (rule)` };
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

/** Whether the case condition a recurring rule runs under holds. */
export function conditionHolds(condition: CaseCondition, agg: CaseAggregate): boolean {
  switch (condition) {
    case 'jointWithMentalHealth':
      return agg.jointWithMentalHealth;
    case 'coworking':
      return agg.coworking !== undefined;
    case 'buildingBridges':
      return agg.buildingBridges !== undefined;
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
  }
}

/**
 * Where a recurring rule's next clock starts: the last supervision of its kind held in the
 * current period, else the period's start.
 */
export function recurringAnchor(rule: Rule, agg: CaseAggregate): Date | undefined {
  if (!rule.while) return undefined;
  const since = conditionSince(rule.while, agg);
  const kind = supervisionKindOf(rule);
  const last = kind ? agg.lastSupervision[kind] : undefined;
  if (!since) return last;
  return last && last.getTime() > since.getTime() ? last : since;
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
