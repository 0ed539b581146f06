/**
 * State changes of one deadline: start, meet, breach, escalate, cancel, recompute. Each works
 * on the engine's private copy of the aggregate and appends the audit line it owes.
 */
import type { AuditEntry, AuditKind, CaseAggregate, Deadline } from '../model.js';
import { limitOf } from '../model.js';
import { dfeWorkingDays } from '../reports/dfe.js';
import { latenessOf, latenessUnitOf } from '../reports/lateness.js';
import type { Rule } from '../rules/index.js';
import { hoursForRule } from './clock.js';
import { compute, computeAgain } from './compute.js';
import { caseCalendar, type EngineContext } from './types.js';

export { compute, sourceLine } from './compute.js';

/** The engine's working state for one call. */
export interface Work {
  agg: CaseAggregate;
  audit: AuditEntry[];
  ctx: EngineContext;
  eventId?: string;
}

/** Appends an audit line. */
export function record(
  w: Work,
  at: Date,
  kind: AuditKind,
  detail: Record<string, unknown>,
  deadlineId?: string,
): void {
  w.audit.push({
    caseId: w.agg.caseId,
    at,
    kind,
    ...(w.eventId ? { eventId: w.eventId } : {}),
    ...(deadlineId ? { deadlineId } : {}),
    detail,
  });
}

/** Starts a new open deadline. */
export function startDeadline(
  w: Work,
  rule: Rule,
  init: { id: string; startedAt: Date; subjectId?: string; sequence?: number },
): Deadline {
  const c = compute(w.ctx, rule, w.agg, init.startedAt);
  const d: Deadline = {
    id: init.id,
    caseId: w.agg.caseId,
    rule: rule.id,
    ...(init.subjectId !== undefined ? { subjectId: init.subjectId } : {}),
    ...(init.sequence !== undefined ? { sequence: init.sequence } : {}),
    status: 'open',
    startedAt: init.startedAt,
    ...c,
    team: w.agg.team,
    ...(rule.hoursTeam ? { hoursTeam: rule.hoursTeam } : {}),
    urgent: rule.urgent,
    safeguarding: rule.safeguarding,
    ruleVersion: w.ctx.rules.ruleVersion(rule.id),
    calendarVersion: caseCalendar(w.ctx, w.agg).version,
    version: 1,
    // A start event that reached us after the clock's start: its passed reminders are skipped.
    ...(w.ctx.now.getTime() > init.startedAt.getTime() ? { arrivedAt: w.ctx.now } : {}),
    ...(w.eventId ? { startEventId: w.eventId } : {}),
  };
  w.agg.deadlines.push(d);
  record(
    w,
    init.startedAt,
    'started',
    {
      rule: rule.id,
      dueAt: iso(d.dueAt),
      limitAt: iso(limitOf(d)),
      ...(d.stage ? { stage: d.stage } : {}),
    },
    d.id,
  );
  return d;
}

/** Moves a ladder deadline to its next stage, starting at the previous stage's due instant. */
export function escalate(w: Work, rule: Rule, d: Deadline): void {
  const from = d.stage ?? 1;
  const at = d.dueAt;
  Object.assign(d, compute(w.ctx, rule, w.agg, d.startedAt, from + 1));
  d.version++;
  record(
    w,
    at,
    'escalated',
    {
      rule: d.rule,
      fromStage: from,
      toStage: d.stage,
      stageName: d.stageName,
      escalateTo: d.escalateTo,
      dueAt: iso(d.dueAt),
      limitAt: iso(limitOf(d)),
    },
    d.id,
  );
}

/** Whether a ladder deadline has a stage after its current one. */
export function hasNextStage(
  rule: Pick<Rule, 'stages'> | undefined,
  d: Pick<Deadline, 'stage'>,
): boolean {
  return !!rule?.stages && (d.stage ?? 1) < rule.stages.length;
}

/**
 * When an open deadline next changes by itself: a ladder stage that has a next one escalates
 * at its working target (`dueAt`); any other clock breaches only when its limit passes.
 */
export function nextChangeAt(
  rule: Pick<Rule, 'stages'> | undefined,
  d: Pick<Deadline, 'stage' | 'dueAt' | 'limitAt'>,
): Date {
  return hasNextStage(rule, d) ? d.dueAt : limitOf(d);
}

/**
 * Marks an open deadline breached when its limit passed; it stays for the audit. A clock whose
 * own start event finds it already past its limit is also recorded as `breached-on-arrival`
 * (at the instant it arrived, with how late).
 */
export function breach(w: Work, d: Deadline): void {
  const limit = limitOf(d);
  d.status = 'breached';
  d.closedAt = limit;
  d.version++;
  record(
    w,
    limit,
    'breached',
    {
      rule: d.rule,
      dueAt: iso(d.dueAt),
      limitAt: iso(limit),
      urgent: d.urgent,
      safeguarding: d.safeguarding,
    },
    d.id,
  );
  if (w.eventId !== undefined && d.startEventId === w.eventId) {
    const arrivedAt = d.arrivedAt ?? w.ctx.now;
    record(
      w,
      arrivedAt,
      'breached-on-arrival',
      {
        rule: d.rule,
        dueAt: iso(d.dueAt),
        limitAt: iso(limit),
        arrivedAt: iso(arrivedAt),
        lateMs: Math.max(0, arrivedAt.getTime() - limit.getTime()),
      },
      d.id,
    );
  }
}

/** `d` met at `at` by the event being applied, with how it measures against its rule. */
function markMet(w: Work, rule: Rule | undefined, d: Deadline, at: Date): void {
  d.status = 'met';
  d.closedAt = at;
  d.version++;
  if (w.eventId) d.stopEventId = w.eventId;
  measure(w, rule, d, at);
}

/**
 * Applies a stop event that happened at `at` to a deadline. A ladder first climbs the stages
 * whose working target fell before `at`; a stop after the (last) limit is a breach met late.
 */
export function stop(w: Work, rule: Rule | undefined, d: Deadline, at: Date): void {
  if (d.status === 'open') {
    while (at > d.dueAt && rule && hasNextStage(rule, d)) escalate(w, rule, d);
    if (at <= limitOf(d)) {
      markMet(w, rule, d, at);
      record(
        w,
        at,
        'met',
        { rule: d.rule, dueAt: iso(d.dueAt), limitAt: iso(limitOf(d)), ...stageOf(d) },
        d.id,
      );
      return;
    }
    breach(w, d);
  }
  if (d.status === 'breached' && !d.metAt) {
    if (at <= limitOf(d)) {
      // The stop happened in time but reached us after the breach was recorded.
      markMet(w, rule, d, at);
      record(w, at, 'corrected', { rule: d.rule, from: 'breached', to: 'met' }, d.id);
      return;
    }
    d.metAt = at;
    // Worked out now, on today's calendar, so the report never recounts history.
    d.lateness = latenessOf(
      w.ctx.calendar,
      latenessUnitOf(rule?.clock.unit),
      limitOf(d),
      at,
      rule === undefined ? undefined : hoursForRule(w.ctx.calendar, rule),
    );
    measure(w, rule, d, at);
    // A new version: the breach's timers (its daily repeat) still pending become stale.
    d.version++;
    if (w.eventId) d.stopEventId = w.eventId;
    record(
      w,
      at,
      'met-late',
      {
        rule: d.rule,
        dueAt: iso(d.dueAt),
        limitAt: iso(limitOf(d)),
        metAt: iso(at),
        lateness: d.lateness,
      },
      d.id,
    );
    return;
  }
  record(w, at, 'duplicate', { rule: d.rule, status: d.status, reason: 'already stopped' }, d.id);
}

/**
 * The DfE's count for a clock the report measures as the children in need statistics do:
 * working days from the start's date to the stop's date, on England and Wales bank holidays.
 */
function measure(w: Work, rule: Rule | undefined, d: Deadline, at: Date): void {
  if (rule?.measure !== 'dfe-working-days') return;
  const calendar = w.ctx.calendarFor?.('england-and-wales') ?? w.ctx.calendar;
  d.measure = {
    workingDays: dfeWorkingDays(calendar, d.startedAt, at),
    within: rule.clock.amount,
  };
}

/**
 * Cancels a deadline no longer owed, with the reason a manager reads. A breached clock not yet
 * met is cancelled too when its outcome arrives (the work it stood for is no longer owed, and
 * the DfE counts only what was held): audited as `corrected`, breached → cancelled.
 */
export function cancel(w: Work, d: Deadline, at: Date, reason: string): void {
  const wasBreached = d.status === 'breached';
  d.status = 'cancelled';
  d.closedAt = at;
  d.closedReason = reason;
  d.version++;
  record(
    w,
    at,
    wasBreached ? 'corrected' : 'cancelled',
    { rule: d.rule, reason, ...(wasBreached ? { from: 'breached', to: 'cancelled' } : {}) },
    d.id,
  );
}

/**
 * Recomputes an open deadline's target and limit with the current rule, case facts and
 * calendar (and takes the rule's flags again); bumps the version and audits old and new only
 * when the target, limit or stage start moved.
 */
export function recomputeDeadline(
  w: Work,
  rule: Rule,
  d: Deadline,
  at: Date,
  reason: string,
): void {
  const c = computeAgain(w.ctx, w.agg, rule, d);
  const moved =
    c.dueAt.getTime() !== d.dueAt.getTime() ||
    c.limitAt.getTime() !== d.limitAt?.getTime() ||
    c.stageStartedAt?.getTime() !== d.stageStartedAt?.getTime();
  const flagged = d.urgent !== rule.urgent || d.safeguarding !== rule.safeguarding;
  const old = { dueAt: d.dueAt, limitAt: limitOf(d) };
  Object.assign(d, c);
  d.urgent = rule.urgent;
  d.safeguarding = rule.safeguarding;
  d.ruleVersion = w.ctx.rules.ruleVersion(rule.id);
  d.calendarVersion = caseCalendar(w.ctx, w.agg).version;
  if (moved || flagged) {
    d.version++;
    record(
      w,
      at,
      'recomputed',
      {
        rule: d.rule,
        reason,
        oldDueAt: iso(old.dueAt),
        newDueAt: iso(d.dueAt),
        oldLimitAt: iso(old.limitAt),
        newLimitAt: iso(limitOf(d)),
      },
      d.id,
    );
  }
}

function stageOf(d: Deadline): Record<string, unknown> {
  return d.stage ? { stage: d.stage, stageName: d.stageName } : {};
}

/** ISO-8601 in UTC, the storage form. */
export function iso(d: Date): string {
  return d.toISOString();
}
