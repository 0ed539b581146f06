/** The engine's inputs and outputs. */
import type { Calendar } from '#calendar/index.js';
import type { AuditEntry, CaseAggregate } from '#domain/model.js';
import type { RuleSet } from '#domain/rules/index.js';

/** Everything the pure engine needs: the calendar, the rules and the current instant. */
export interface EngineContext {
  calendar: Calendar;
  rules: RuleSet;
  /** The wall clock, read by the caller: the engine never reads it itself. */
  now: Date;
}

/** The new aggregate and the audit lines to append with it (in the same transaction). */
export interface EngineResult {
  aggregate: CaseAggregate;
  audit: AuditEntry[];
}

/** The caller broke a precondition (e.g. an event for another case); never caused by data. */
export class EngineError extends Error {
  override readonly name = 'EngineError';
}
