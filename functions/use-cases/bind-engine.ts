/**
 * Binds the pure rule engine to an authority's calendar and rules: the production
 * `CaseEngine`. Built once at cold start (a bad rule configuration fails it).
 */
import { type Calendar, type CalendarOptions, createCalendar } from '../calendar/index.js';
import type { AuthorityConfig } from '../commons/config.js';
import { applyEvent } from '../domain/engine/index.js';
import {
  type ReminderPlans,
  reminderPlans,
  reminderTimerPlanner,
} from '../domain/reminders/index.js';
import { loadRuleSet, type RuleSet } from '../domain/rules/index.js';
import { DEFAULT_PLANNERS, planTimers, type TimerPlanner } from '../domain/timers.js';
import type { CaseEngine } from './case-engine.js';

export interface BoundEngine extends CaseEngine {
  calendar: Calendar;
  rules: RuleSet;
}

/**
 * @param plans reminder plans; their timers are planned with the engine's `due` timers, so
 *   the ingest path and the timer handler schedule the same set. @default reminderPlans()
 */
export function makeCaseEngine(
  authority: AuthorityConfig,
  plans: ReminderPlans = reminderPlans(),
): BoundEngine {
  const calendar = createCalendar({
    division: authority.division,
    ...(authority.closures === undefined ? {} : { closures: authority.closures }),
    ...(authority.officeHours === undefined
      ? {}
      : { officeHours: authority.officeHours as CalendarOptions['officeHours'] }),
    ...(authority.teamHours === undefined
      ? {}
      : { teamHours: authority.teamHours as CalendarOptions['teamHours'] }),
  });
  const rules = loadRuleSet(authority.preset, authority.rules);
  const planners: TimerPlanner[] = [...DEFAULT_PLANNERS, reminderTimerPlanner(plans)];
  return {
    calendar,
    rules,
    applyEvent: (aggregate, event, now) => applyEvent(aggregate, event, { calendar, rules, now }),
    planTimers: (aggregate) => planTimers(aggregate, { calendar, rules }, planners),
  };
}
