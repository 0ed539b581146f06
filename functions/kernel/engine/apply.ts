/** Applies one case event to the aggregate: facts first, then every rule's start/stop/cancel. */

import type { CaseEvent } from '#schemas/events.js';
import { recurringDeadlineId } from '../ids.js';
import { basisOf, type CaseAggregate, type Deadline } from '../model.js';
import { type EventMatcher, meetingKey, type Rule } from '../rules/index.js';
import { conditionHolds, conditionSince, recurringAnchor } from './clock.js';
import {
  cancel,
  iso,
  recomputeDeadline,
  record,
  startDeadline,
  stop,
  type Work,
} from './deadlines.js';
import { cancelReason, conditionReason } from './reasons.js';
import { cancelSubject, extendSubject, startSubject, stopSubject } from './subjects.js';

/** How many applied event ids the aggregate remembers for its own duplicate check. */
export const RECENT_EVENT_IDS = 50;

/** A fresh aggregate for a case first seen through `event`. */
export function blankAggregate(event: CaseEvent): CaseAggregate {
  const at = new Date(event.occurredAt);
  return {
    caseId: event.caseId,
    status: 'open',
    // Not yet opened: a later case.opened fills in the facts (out-of-order delivery).
    provisional: event.type !== 'case.opened',
    team: 'unallocated',
    riskLevel: 'standard',
    jointWithMentalHealth: false,
    workers: [],
    lastSupervision: {},
    openedAt: at,
    version: 0,
    deadlines: [],
    earlyStops: [],
    recentEventIds: [],
  };
}

/**
 * Whether a matcher matches an event: its type, and what the matcher narrows it by (`kind`, a
 * referral's `outcome`, whether the enquiry needs a `conference`, a visit `seenAlone`/`atHome`).
 */
export function matches(m: EventMatcher, event: CaseEvent): boolean {
  if (m.type !== event.type) return false;
  const data = event.data as Record<string, unknown>;
  if (m.kind !== undefined && kindOf(event) !== m.kind) return false;
  if (m.outcome !== undefined && !m.outcome.includes(data.outcome as never)) return false;
  if (m.conference !== undefined && data.conference !== m.conference) return false;
  if (m.seenAlone === true && data.seenAlone !== true) return false;
  return m.atHome !== true || data.atHome === true;
}

/** The `kind` a meeting or visit event carries. */
function kindOf(event: CaseEvent): string | undefined {
  const kind = (event.data as { kind?: unknown }).kind;
  return typeof kind === 'string' ? kind : undefined;
}

const matchesAny = (ms: EventMatcher[], e: CaseEvent) => ms.some((m) => matches(m, e));

/**
 * Updates the case facts the event carries (`at`: its `occurredAt`); returns the fields that
 * changed (old → new).
 */
export function applyFacts(
  w: Work,
  event: CaseEvent,
  at: Date,
): Record<string, { old: unknown; new: unknown }> {
  const a = w.agg;
  const changes: Record<string, { old: unknown; new: unknown }> = {};
  const set = <K extends keyof CaseAggregate>(key: K, value: CaseAggregate[K]) => {
    if (JSON.stringify(a[key]) === JSON.stringify(value)) return;
    changes[key] = { old: a[key], new: value };
    a[key] = value;
  };
  switch (event.type) {
    case 'case.opened':
    case 'case.updated': {
      const d = event.data;
      if (event.type === 'case.opened' && a.provisional) {
        a.provisional = false;
        a.openedAt = at;
      }
      if (d.team !== undefined) set('team', d.team);
      if (d.division !== undefined) set('division', d.division);
      if (d.riskLevel !== undefined) set('riskLevel', d.riskLevel);
      if (d.jointSupervisionEveryMonths !== undefined)
        set('jointSupervisionEveryMonths', d.jointSupervisionEveryMonths);
      if (d.workers !== undefined) set('workers', d.workers);
      if (
        d.jointWithMentalHealth !== undefined &&
        d.jointWithMentalHealth !== a.jointWithMentalHealth
      ) {
        set('jointWithMentalHealth', d.jointWithMentalHealth);
        a.jointSince = d.jointWithMentalHealth ? at : undefined;
      }
      break;
    }
    case 'supervision.held': {
      const last = a.lastSupervision[event.data.kind];
      if (!last || at > last) a.lastSupervision[event.data.kind] = at;
      break;
    }
    case 'conference.held':
    case 'core-group.held':
    case 'visit.made':
    case 'cla-review.held': {
      for (const key of meetingKeys(event)) {
        a.lastHeld ??= {};
        const last = a.lastHeld[key];
        if (!last || at > last) a.lastHeld[key] = at;
      }
      if (event.type === 'cla-review.held') {
        // A review changes the visits of a placement visited weekly until its first review.
        changes.claReview = { old: null, new: iso(at) };
        const period = a.lookedAfter;
        if (
          period &&
          at > period.startedAt &&
          !(period.firstReviewAt && period.firstReviewAt <= at)
        )
          set('lookedAfter', { ...period, firstReviewAt: at });
      }
      break;
    }
    case 'cp-plan.started':
      // A second start while a plan is in force changes nothing: the plan's clocks run on.
      if (a.cpPlan === undefined) set('cpPlan', { startedAt: at });
      break;
    case 'looked-after.started':
      if (a.lookedAfter === undefined) set('lookedAfter', { startedAt: at });
      break;
    case 'placement.started': {
      const d = event.data;
      const same = a.placement?.placementId === d.placementId;
      const basis =
        d.basis ??
        (d.permanent === true ? 'until-18' : d.permanent === false ? 'standard' : undefined);
      // The same placement again only updates its basis; another one replaces it.
      const kept = same && a.placement ? a.placement : undefined;
      set('placement', {
        placementId: d.placementId,
        startedAt: kept?.startedAt ?? at,
        basis: basis ?? (kept ? basisOf(kept) : 'standard'),
        ...(d.visitEveryWeeks !== undefined
          ? { visitEveryWeeks: d.visitEveryWeeks }
          : kept?.visitEveryWeeks !== undefined && basis === undefined
            ? { visitEveryWeeks: kept.visitEveryWeeks }
            : {}),
      });
      break;
    }
    case 'coworking.started':
      // A second start while co-working changes the review interval, not the start.
      set('coworking', {
        startedAt: a.coworking?.startedAt ?? at,
        reviewEveryWeeks: event.data.reviewEveryWeeks,
      });
      break;
    case 'building-bridges.started':
      set('buildingBridges', {
        personId: event.data.personId,
        startedAt: a.buildingBridges?.startedAt ?? at,
      });
      break;
    default:
      break;
  }
  return changes;
}

/** Every key a meeting is last held under: its kind, and what a visit saw (alone, at home). */
function meetingKeys(event: CaseEvent): string[] {
  const data = event.data as { seenAlone?: unknown; atHome?: unknown };
  const m = { type: event.type, kind: kindOf(event) };
  const alone = data.seenAlone === true;
  const home = data.atHome === true;
  return [
    meetingKey(m),
    ...(alone ? [meetingKey({ ...m, seenAlone: true })] : []),
    ...(home ? [meetingKey({ ...m, atHome: true })] : []),
    ...(alone && home ? [meetingKey({ ...m, seenAlone: true, atHome: true })] : []),
  ];
}

function subjectOf(rule: Rule, event: CaseEvent): string | undefined {
  if (!rule.subject) return undefined;
  const data = event.data as Record<string, unknown>;
  const v = data[rule.subject];
  return typeof v === 'string' ? v : undefined;
}

/**
 * Applies a rule's stop, cancel, extension and start to one event (`at`: its `occurredAt`).
 * Every rule sees every event, and most match none of it: nothing is worked out before a
 * matcher matches. An event that carries the rule's subject acts on that subject's clock only;
 * one that does not (`case.closed`) on every open clock of the rule.
 */
export function applyRule(w: Work, rule: Rule, event: CaseEvent, at: Date): void {
  let ruleDeadlines: Deadline[] | undefined;
  const mine = () => {
    ruleDeadlines ??= w.agg.deadlines.filter((d) => d.rule === rule.id);
    return ruleDeadlines;
  };
  const subject = subjectOf(rule, event);

  if (matchesAny(rule.stop, event)) {
    if (rule.subject) {
      if (subject !== undefined) stopSubject(w, rule, subject, at);
    } else {
      stopRecurring(w, rule, mine(), at);
    }
  }
  if (matchesAny(rule.cancel, event)) {
    if (rule.subject && subject !== undefined)
      cancelSubject(w, rule, subject, at, cancelReason(event));
    else for (const d of mine()) if (d.status === 'open') cancel(w, d, at, cancelReason(event));
  }
  if (rule.subject && subject !== undefined && matchesAny(rule.extend ?? [], event)) {
    extendSubject(w, rule, subject, at, (event.data as { weeks?: number }).weeks ?? 0);
  }
  if (rule.subject && subject !== undefined && matchesAny(rule.start, event)) {
    startSubject(w, rule, subject, at);
  }
}

function stopRecurring(w: Work, rule: Rule, mine: Deadline[], at: Date): void {
  const open = mine.find((d) => d.status === 'open');
  if (open) {
    // The supervision that anchors this clock (or an older one) cannot also meet it.
    if (at <= open.startedAt) {
      record(
        w,
        at,
        'ignored',
        { rule: rule.id, reason: 'supervision not after the clock started' },
        open.id,
      );
      return;
    }
    stop(w, rule, open, at);
    return;
  }
  const overdue = latest(mine);
  if (overdue?.status === 'breached' && !overdue.metAt && at > overdue.startedAt) {
    stop(w, rule, overdue, at);
    return;
  }
  record(w, at, 'supervision-recorded', { rule: rule.id, reason: 'no clock running' });
}

/**
 * Keeps a recurring rule in step with its case condition: cancels its clock when the
 * condition ends, starts the next one (from the last supervision or the condition's start)
 * when it holds and nothing is running. A breached clock awaiting its late supervision
 * blocks a new one, so an overdue supervision is not counted twice.
 */
export function ensureRecurring(w: Work, rule: Rule, at: Date): void {
  if (!rule.while) return;
  const mine = w.agg.deadlines.filter((d) => d.rule === rule.id);
  const open = mine.find((d) => d.status === 'open');
  if (!conditionHolds(rule.while, w.agg)) {
    if (open) cancel(w, open, at, conditionReason(rule.while, false));
    return;
  }
  const since = conditionSince(rule.while, w.agg);
  // A new period (another placement) ends the clocks of the one before it.
  const newPeriod = (d: Deadline) => since !== undefined && d.startedAt < since;
  if (open && newPeriod(open)) cancel(w, open, at, conditionReason(rule.while, true));
  else if (open) return;
  const last = latest(mine);
  if (last?.status === 'breached' && !last.metAt && !newPeriod(last)) return;
  const anchor = recurringAnchor(rule, w.agg);
  if (!anchor) return;
  if (last && last.status !== 'cancelled' && anchor <= last.startedAt) return;
  const sequence = Math.max(0, ...mine.map((d) => d.sequence ?? 0)) + 1;
  startDeadline(w, rule, {
    id: recurringDeadlineId(rule.id, sequence),
    startedAt: anchor,
    sequence,
  });
}

/**
 * Recomputes open clocks after the case facts they depend on changed: every clock when the
 * case's division (so its bank holidays) changed, else those of recurring rules whose
 * interval the case sets or whose later interval depends on the placement.
 */
export function recomputeIntervals(w: Work, at: Date, changed: string[]): void {
  const everything = changed.includes('division');
  const relevant = [
    'riskLevel',
    'jointSupervisionEveryMonths',
    'coworking',
    'placement',
    'lookedAfter',
    'claReview',
  ];
  if (!everything && !changed.some((c) => relevant.includes(c))) return;
  for (const d of w.agg.deadlines) {
    const rule = w.ctx.rules.get(d.rule);
    if (!rule || d.status !== 'open') continue;
    // A clock of an earlier period (the placement before this one) is ended, not recomputed.
    const since = rule.while === undefined ? undefined : conditionSince(rule.while, w.agg);
    if (since !== undefined && d.startedAt < since) continue;
    if (everything || rule.interval || rule.later || rule.bases || rule.second) {
      recomputeDeadline(w, rule, d, at, `case changed: ${changed.join(', ')}`);
    }
  }
}

/**
 * docs/domain.md (joint supervision): warn when a case with joint working closes with no joint
 * supervision in the preceding `closureWarningWeeks` weeks.
 */
export function closureWarning(w: Work, at: Date): void {
  if (!w.agg.jointWithMentalHealth) return;
  const weeks = w.ctx.rules.settings.closureWarningWeeks;
  const last = w.agg.lastSupervision.joint;
  const windowStart = new Date(at.getTime() - weeks * 7 * 86_400_000);
  if (last && last >= windowStart && last <= at) return;
  record(w, at, 'warning', {
    reason: 'closed-without-joint-supervision',
    message: `case with joint mental-health working closed with no joint supervision in the preceding ${weeks} weeks`,
    lastJointSupervision: last ? iso(last) : null,
    windowWeeks: weeks,
  });
}

function latest(ds: Deadline[]): Deadline | undefined {
  return ds.reduce<Deadline | undefined>(
    (best, d) => (!best || (d.sequence ?? 0) > (best.sequence ?? 0) ? d : best),
    undefined,
  );
}
