/**
 * The rule engine (pure): derives a case's deadlines from its events, the rules and the
 * calendar. Every function returns a new aggregate and the audit lines to append; the
 * input aggregate is never mutated.
 */

import type { CaseEvent } from '#schemas/events.js';
import type { CaseAggregate } from '../model.js';
import { advanceWork } from './advance.js';
import {
  applyFacts,
  applyRule,
  blankAggregate,
  closureWarning,
  ensureRecurring,
  RECENT_EVENT_IDS,
  recomputeIntervals,
} from './apply.js';
import { clonePlain } from './clone.js';
import { cancel, recomputeDeadline, record, type Work } from './deadlines.js';
import { cancelReason } from './reasons.js';
import { assertKnownSubject } from './subjects.js';
import { type EngineContext, EngineError, type EngineResult } from './types.js';

export { blankAggregate } from './apply.js';
export { ruleTeamHours } from './clock.js';
export { nextChangeAt, sourceLine } from './deadlines.js';
export {
  type CalendarFor,
  caseCalendar,
  type EngineContext,
  EngineError,
  type EngineResult,
  UnknownSubjectError,
} from './types.js';

/**
 * Applies one case event.
 *
 * 1. A redelivered event (its id among the aggregate's recent ids) changes nothing.
 * 2. On a closed case the event is audited as ignored and creates nothing; an
 *    `enquiry.concluded` for an enquiry the case does not know is refused.
 * 3. The case facts change (team, risk, joint working, co-working, Building Bridges, supervisions).
 * 4. Each rule meets, cancels or starts its clocks; recurring clocks follow their condition.
 * 5. Clocks whose interval depends on a changed fact are recomputed.
 * 6. `case.closed` cancels every open clock and may warn (no recent joint supervision).
 * 7. Clocks whose limit (a ladder stage: its target) passed by `ctx.now` are advanced
 *    (escalated or breached), as `advance` would.
 *
 * Events may arrive out of order: an event before `case.opened` creates a provisional case;
 * a stop before its start (e.g. `lado.notified` before `lado.concern-raised`) is kept and
 * meets the clock when the start arrives.
 * @throws EngineError when the event is for another case than the aggregate.
 * @throws UnknownSubjectError when an `enquiry.concluded` names an enquiry the case does not know.
 */
export function applyEvent(
  aggregate: CaseAggregate | undefined,
  event: CaseEvent,
  ctx: EngineContext,
): EngineResult {
  if (aggregate && aggregate.caseId !== event.caseId) {
    throw new EngineError(`event ${event.id} is for case ${event.caseId}, not ${aggregate.caseId}`);
  }
  if (aggregate?.recentEventIds?.includes(event.id)) return { aggregate, audit: [] };
  const w: Work = {
    agg: aggregate ? clonePlain(aggregate) : blankAggregate(event),
    audit: [],
    ctx,
    eventId: event.id,
  };
  const at = new Date(event.occurredAt);
  w.agg.version++;
  w.agg.recentEventIds = [...(w.agg.recentEventIds ?? []), event.id].slice(-RECENT_EVENT_IDS);

  if (w.agg.status === 'closed') {
    record(w, at, 'ignored', { type: event.type, reason: 'case is closed' });
    return { aggregate: w.agg, audit: w.audit };
  }
  assertKnownSubject(w, event);
  if (event.type === 'placement.ended' && w.agg.placement?.placementId !== event.data.placementId) {
    // The end of a placement the case has already left (or never had) ends nothing.
    record(w, at, 'ignored', { type: event.type, reason: 'not the current placement' });
    return { aggregate: w.agg, audit: w.audit };
  }

  const wasProvisional = !!aggregate?.provisional;
  const changes = applyFacts(w, event, at);
  if (event.type === 'case.opened') {
    record(w, at, wasProvisional || !aggregate ? 'case-opened' : 'case-updated', {
      team: w.agg.team,
      ...(aggregate && !wasProvisional
        ? { note: 'case.opened for an open case: facts merged' }
        : {}),
      changes: jsonChanges(changes),
    });
  } else if (event.type === 'case.updated') {
    record(w, at, 'case-updated', { changes: jsonChanges(changes) });
  } else if (event.type === 'supervision.held') {
    record(w, at, 'supervision-recorded', { kind: event.data.kind });
  }
  if ('team' in changes) {
    for (const d of w.agg.deadlines) if (d.status === 'open') d.team = w.agg.team;
  }

  for (const rule of ctx.rules.rules) applyRule(w, rule, event, at);

  if (event.type === 'coworking.ended') w.agg.coworking = undefined;
  if (event.type === 'building-bridges.ended') w.agg.buildingBridges = undefined;
  if (event.type === 'cp-plan.ended') w.agg.cpPlan = undefined;
  if (event.type === 'placement.ended') w.agg.placement = undefined;
  if (event.type === 'looked-after.ended') w.agg.lookedAfter = undefined;

  if (event.type === 'case.closed') {
    closureWarning(w, at);
    for (const d of w.agg.deadlines) if (d.status === 'open') cancel(w, d, at, cancelReason(event));
    w.agg.status = 'closed';
    w.agg.closedAt = at;
    record(w, at, 'case-closed', {});
    return { aggregate: w.agg, audit: w.audit };
  }

  recomputeIntervals(w, at, Object.keys(changes));
  for (const rule of ctx.rules.rules) ensureRecurring(w, rule, at);
  advanceWork(w, ctx.now);
  return { aggregate: w.agg, audit: w.audit };
}

/**
 * Escalates stage ladders and breaches open deadlines due by `ctx.now`. Idempotent; the
 * aggregate's version changes only when a deadline did.
 */
export function advance(aggregate: CaseAggregate, ctx: EngineContext): EngineResult {
  const w: Work = { agg: clonePlain(aggregate), audit: [], ctx };
  if (w.agg.status === 'closed') return { aggregate, audit: [] };
  advanceWork(w, ctx.now);
  if (w.audit.length === 0) return { aggregate, audit: [] };
  w.agg.version++;
  return { aggregate: w.agg, audit: w.audit };
}

/**
 * Recomputes every open deadline with the current rules and calendar (after a rule edit or
 * a newer bank-holiday feed), then advances to `ctx.now`. Deadlines whose due time moved
 * get a new version and a `recomputed` audit line with old and new due times; the others
 * only take the new rule and calendar versions and explanation.
 */
export function recompute(aggregate: CaseAggregate, ctx: EngineContext): EngineResult {
  const w: Work = { agg: clonePlain(aggregate), audit: [], ctx };
  if (w.agg.status === 'closed') return { aggregate, audit: [] };
  for (const d of w.agg.deadlines) {
    if (d.status !== 'open') continue;
    const rule = ctx.rules.get(d.rule);
    if (!rule) {
      record(w, ctx.now, 'warning', { reason: 'rule-missing', rule: d.rule }, d.id);
      continue;
    }
    recomputeDeadline(w, rule, d, ctx.now, 'rules or calendar changed');
  }
  advanceWork(w, ctx.now);
  const changed = JSON.stringify(w.agg) !== JSON.stringify(aggregate);
  if (!changed && w.audit.length === 0) return { aggregate, audit: [] };
  w.agg.version++;
  return { aggregate: w.agg, audit: w.audit };
}

function jsonChanges(
  changes: Record<string, { old: unknown; new: unknown }>,
): Record<string, { old: unknown; new: unknown }> {
  return JSON.parse(JSON.stringify(changes));
}
