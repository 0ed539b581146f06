/**
 * The rule engine as the use cases see it: the pure engine (`functions/kernel`) bound to the
 * authority's calendar and rule set, so callers pass only the aggregate, the event and `now`.
 * Tests substitute their own `CaseEngine`.
 */

import type { CaseEvent } from '#schemas/events.js';
import type { CaseAggregate } from '../model.js';
import type { ReminderPlans } from '../reminders/types.js';
import type { RuleSet } from '../rules/index.js';
import type { Timer } from '../timers.js';

export interface CaseEngineResult {
  aggregate: CaseAggregate;
  audit: import('../model.js').AuditEntry[];
}

export interface CaseEngine {
  applyEvent(aggregate: CaseAggregate | undefined, event: CaseEvent, now: Date): CaseEngineResult;
  /**
   * The aggregate's timer plan. `serialized` (its exact JSON text, as stored) lets an engine
   * reuse the plan it made for that same text; engines may ignore it.
   */
  planTimers(aggregate: CaseAggregate, now: Date, serialized?: string): Timer[];
  /** The rules (what a 202's warnings read ladders from). @default none */
  readonly rules?: RuleSet;
  /** The reminder plans the timers are planned with. @default the default plans */
  readonly plans?: ReminderPlans;
}
