/**
 * Binds the pure rule engine to an authority's calendar and rules: the production
 * `CaseEngine`. Built once at cold start (a bad rule configuration fails it).
 */
import { type Calendar, type CalendarOptions, createCalendar } from '../calendar/index.js';
import type { AuthorityConfig } from '../commons/config.js';
import { applyEvent } from '../domain/engine/index.js';
import { loadRuleSet, type RuleSet } from '../domain/rules/index.js';
import { planTimers } from '../domain/timers.js';
import type { CaseEngine } from './case-engine.js';

export interface BoundEngine extends CaseEngine {
  calendar: Calendar;
  rules: RuleSet;
}

export function makeCaseEngine(authority: AuthorityConfig): BoundEngine {
  const calendar = createCalendar({
    division: authority.division,
    ...(authority.closures === undefined ? {} : { closures: authority.closures }),
    ...(authority.officeHours === undefined ? {} : { officeHours: authority.officeHours as CalendarOptions['officeHours'] }),
    ...(authority.teamHours === undefined ? {} : { teamHours: authority.teamHours as CalendarOptions['teamHours'] }),
  });
  const rules = loadRuleSet(authority.preset, authority.rules);
  return {
    calendar,
    rules,
    applyEvent: (aggregate, event, now) => applyEvent(aggregate, event, { calendar, rules, now }),
    planTimers: (aggregate) => planTimers(aggregate, { calendar, rules }),
  };
}
