/** The engine's inputs and outputs. */
import type { Calendar, Division } from '../calendar/index.js';
import type { AuditEntry, CaseAggregate } from '../model.js';
import type { RuleSet } from '../rules/index.js';

/**
 * The calendar of a case in another division than the authority's: that division's bank
 * holidays with the authority's hours and closure days (`bind-engine.ts` caches one each).
 */
export type CalendarFor = (division: Division) => Calendar;

/** Everything the pure engine needs: the calendar, the rules and the current instant. */
export interface EngineContext {
  /** The authority's calendar: the clocks of a case with no division of its own. */
  calendar: Calendar;
  /** The calendar of a case whose `division` is set. @default `calendar` for every case */
  calendarFor?: CalendarFor;
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

/** The calendar a case's clocks run on: its division's, else the authority's. */
export function caseCalendar(
  ctx: Pick<EngineContext, 'calendar' | 'calendarFor'>,
  agg: { division?: Division | undefined },
): Calendar {
  return agg.division === undefined || ctx.calendarFor === undefined
    ? ctx.calendar
    : ctx.calendarFor(agg.division);
}

/**
 * The event names a subject the case does not know (an `enquiry.concluded` for an enquiry no
 * strategy discussion started): the caller's input is at fault, `field` says where.
 */
export class UnknownSubjectError extends Error {
  override readonly name = 'UnknownSubjectError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}
