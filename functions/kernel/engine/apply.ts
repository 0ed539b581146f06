/** Applies one case event to the aggregate: facts first, then every rule's start/stop/cancel. */

import type { CaseEvent } from '#schemas/events.js';
import { recurringDeadlineId, subjectDeadlineId } from '../ids.js';
import type { CaseAggregate, Deadline } from '../model.js';
import { type EventMatcher, meetingKey, type Rule } from '../rules/index.js';
import { conditionHolds, conditionSince, recurringAnchor } from './clock.js';
import {
  cancel,
  compute,
  iso,
  recomputeDeadline,
  record,
  startDeadline,
  stop,
  type Work,
} from './deadlines.js';

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

/** Whether a matcher matches an event (and its `kind`, when the matcher names one). */
export function matches(m: EventMatcher, event: CaseEvent): boolean {
  if (m.type !== event.type) return false;
  return m.kind === undefined || kindOf(event) === m.kind;
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
    case 'visit.made': {
      const key = meetingKey({ type: event.type, kind: kindOf(event) });
      a.lastHeld ??= {};
      const last = a.lastHeld[key];
      if (!last || at > last) a.lastHeld[key] = at;
      break;
    }
    case 'cp-plan.started':
      // A second start while a plan is in force changes nothing: the plan's clocks run on.
      if (a.cpPlan === undefined) set('cpPlan', { startedAt: at });
      break;
    case 'placement.started': {
      const same = a.placement?.placementId === event.data.placementId;
      // The same placement again only updates whether it is permanent; another one replaces it.
      set('placement', {
        placementId: event.data.placementId,
        startedAt: same && a.placement ? a.placement.startedAt : at,
        permanent: event.data.permanent ?? (same ? (a.placement?.permanent ?? false) : false),
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

function subjectOf(rule: Rule, event: CaseEvent): string | undefined {
  if (!rule.subject) return undefined;
  const data = event.data as Record<string, unknown>;
  const v = data[rule.subject];
  return typeof v === 'string' ? v : undefined;
}

/**
 * Applies a rule's stop, cancel and start to one event (`at`: its `occurredAt`). Every rule
 * sees every event, and most match none of it: nothing is worked out before a matcher matches.
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
    for (const d of mine()) if (d.status === 'open') cancel(w, d, at, `event ${event.type}`);
  }
  if (rule.subject && subject !== undefined && matchesAny(rule.start, event)) {
    startSubject(w, rule, subject, at);
  }
}

function stopSubject(w: Work, rule: Rule, subjectId: string, at: Date): void {
  const id = subjectDeadlineId(rule.id, subjectId);
  const d = w.agg.deadlines.find((x) => x.id === id);
  if (d) {
    stop(w, rule, d, at);
    return;
  }
  // The stop arrived before its start: keep it, and meet the clock when the start arrives.
  w.agg.earlyStops ??= [];
  const early = w.agg.earlyStops;
  if (!early.some((e) => e.rule === rule.id && e.subjectId === subjectId)) {
    early.push({ rule: rule.id, subjectId, at, eventId: w.eventId ?? '' });
  }
  record(w, at, 'early-stop', { rule: rule.id, subjectId, reason: 'stop before start' }, id);
}

function startSubject(w: Work, rule: Rule, subjectId: string, at: Date): void {
  const id = subjectDeadlineId(rule.id, subjectId);
  const existing = w.agg.deadlines.find((x) => x.id === id);
  if (existing) {
    if (rule.restart && restartSubject(w, rule, existing, at)) return;
    record(w, at, 'duplicate', { rule: rule.id, subjectId, reason: 'clock already started' }, id);
    return;
  }
  const d = startDeadline(w, rule, { id, subjectId, startedAt: at });
  const early = w.agg.earlyStops ?? [];
  const i = early.findIndex((e) => e.rule === rule.id && e.subjectId === subjectId);
  if (i >= 0) {
    const e = early[i]!;
    early.splice(i, 1);
    const eventId = w.eventId;
    w.eventId = e.eventId || eventId;
    stop(w, rule, d, e.at);
    w.eventId = eventId;
  }
}

/**
 * A later start of a restarting rule (a second strategy discussion of the enquiry) moves the
 * clock's start to it: an open clock is recomputed from it; a clock already breached whose
 * restart happened before its due time (delivered late) is reopened and recomputed, then
 * advanced as usual. An earlier or equal start, a met clock, or a start after the breach
 * changes nothing (false: the caller audits a duplicate).
 */
function restartSubject(w: Work, rule: Rule, d: Deadline, at: Date): boolean {
  if (at.getTime() <= d.startedAt.getTime()) return false;
  const reopen = d.status === 'breached' && !d.metAt && at.getTime() <= d.dueAt.getTime();
  if (d.status !== 'open' && !reopen) return false;
  const old = { startedAt: d.startedAt, dueAt: d.dueAt };
  d.startedAt = at;
  Object.assign(d, compute(w.ctx, rule, w.agg, at));
  if (reopen) {
    d.status = 'open';
    delete d.closedAt;
  }
  d.version++;
  if (w.eventId) d.startEventId = w.eventId;
  record(
    w,
    at,
    reopen ? 'corrected' : 'recomputed',
    {
      rule: rule.id,
      reason: 'restarted by a later start event',
      ...(reopen ? { from: 'breached', to: 'open' } : {}),
      oldStartedAt: iso(old.startedAt),
      newStartedAt: iso(at),
      oldDueAt: iso(old.dueAt),
      newDueAt: iso(d.dueAt),
    },
    d.id,
  );
  return true;
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
    if (open) cancel(w, open, at, `${rule.while} ended`);
    return;
  }
  const since = conditionSince(rule.while, w.agg);
  // A new period (another placement) ends the clocks of the one before it.
  const newPeriod = (d: Deadline) => since !== undefined && d.startedAt < since;
  if (open && newPeriod(open)) cancel(w, open, at, `${rule.while} restarted`);
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
  const relevant = ['riskLevel', 'jointSupervisionEveryMonths', 'coworking', 'placement'];
  if (!everything && !changed.some((c) => relevant.includes(c))) return;
  for (const d of w.agg.deadlines) {
    const rule = w.ctx.rules.get(d.rule);
    if (!rule || d.status !== 'open') continue;
    // A clock of an earlier period (the placement before this one) is ended, not recomputed.
    const since = rule.while === undefined ? undefined : conditionSince(rule.while, w.agg);
    if (since !== undefined && d.startedAt < since) continue;
    if (everything || rule.interval || rule.later) {
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
