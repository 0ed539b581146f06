/**
 * The rule engine as the use cases see it: the pure engine (`functions/domain`) bound to the
 * authority's calendar and rule set, so callers pass only the aggregate, the event and `now`.
 * Tests substitute their own `CaseEngine`.
 */

import type { CaseAggregate } from '#domain/model.js';
import type { ReminderPlans } from '#domain/reminders/types.js';
import type { RuleSet } from '#domain/rules/index.js';
import type { Timer } from '#domain/timers.js';
import type { CaseEvent } from '#schemas/events.js';

export interface CaseEngineResult {
  aggregate: CaseAggregate;
  audit: import('#domain/model.js').AuditEntry[];
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
