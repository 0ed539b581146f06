/** Builders for the domain tests: a real calendar, a rule set, and events with synthetic ids. */
import { createCalendar } from '#kernel/calendar/index.js';
import type { EngineContext } from '#kernel/engine/index.js';
import { applyEvent } from '#kernel/engine/index.js';
import type { CaseAggregate, Deadline } from '#kernel/model.js';
import { loadRuleSet, type RuleSet } from '#kernel/rules/index.js';
import type { CaseEvent } from '#schemas/events.js';

/**
 * England's statutory clocks (Working Together 2023, the Care Planning Regulations 2010, the
 * Children Act 1989), written out from docs/domain.md, in the presets' order.
 */
export const WORKING_TOGETHER_RULES = [
  'referral-decision',
  'assessment',
  'initial-conference',
  'review-conference',
  'core-group',
  'cp-visit',
  'cla-visit',
  'cla-review',
  'care-proceedings',
];

/** Every rule docs/domain.md gives a timescale, in the presets' order. */
export const DOMAIN_RULES = [
  'lado-notification',
  'lado-response',
  'disagreement',
  'joint-supervision',
  'building-bridges-supervision',
  'co-working-review',
  ...WORKING_TOGETHER_RULES,
];

/** The rules only an authority in Wales runs (`nation: 'wales'`). */
export const WALES_ONLY_RULES = ['cp-home-visit'];

export const calendar = createCalendar({ division: 'england-and-wales' });
export const southampton = loadRuleSet('southampton');

/** An engine context at `now` (an ISO instant). */
export function ctxAt(now: string, rules: RuleSet = southampton): EngineContext {
  return { calendar, rules, now: new Date(now) };
}

let seq = 0;

/** A case event for C-1001 with a fresh id; `occurredAt` is an ISO instant. */
export function ev<T extends CaseEvent['type']>(
  type: T,
  occurredAt: string,
  data: Extract<CaseEvent, { type: T }>['data'],
  caseId = 'C-1001',
): CaseEvent {
  seq++;
  return { id: `E-${seq}`, type, occurredAt, caseId, data } as CaseEvent;
}

/**
 * Applies events in order, each with `now` = its own `occurredAt` (as the API would), and
 * returns the final aggregate and every audit line.
 */
export function play(events: CaseEvent[], rules: RuleSet = southampton, start?: CaseAggregate) {
  let agg = start;
  const audit = [];
  for (const e of events) {
    const r = applyEvent(agg, e, ctxAt(e.occurredAt, rules));
    agg = r.aggregate;
    audit.push(...r.audit);
  }
  if (!agg) throw new Error('no events');
  return { aggregate: agg, audit };
}

/** The deadline with this id, or a failing test. */
export function deadline(agg: CaseAggregate, id: string): Deadline {
  const d = agg.deadlines.find((x) => x.id === id);
  if (!d) throw new Error(`no deadline ${id} in [${agg.deadlines.map((x) => x.id).join(', ')}]`);
  return d;
}

/** `dueAt` in UTC ISO form, for compact assertions. */
export const due = (agg: CaseAggregate, id: string): string =>
  deadline(agg, id).dueAt.toISOString();

/** A deadline's due time, statutory limit and status, for compact assertions. */
export const at = (agg: CaseAggregate, id: string) => {
  const d = deadline(agg, id);
  return { due: d.dueAt.toISOString(), limit: d.limitAt?.toISOString(), status: d.status };
};

/** A standard open case (Southampton team), opened at `at`. */
export const opened = (
  at: string,
  data: Partial<Extract<CaseEvent, { type: 'case.opened' }>['data']> = {},
) => ev('case.opened', at, { team: 'north-assessment', ...data });
