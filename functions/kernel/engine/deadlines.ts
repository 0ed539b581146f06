/**
 * State changes of one deadline: start, meet, breach, escalate, cancel, recompute. Each works
 * on the engine's private copy of the aggregate and appends the audit line it owes.
 */
import { formatLocal } from '../calendar/index.js';
import type { AuditEntry, AuditKind, CaseAggregate, Deadline } from '../model.js';
import { latenessOf, latenessUnitOf } from '../reports/lateness.js';
import type { Rule } from '../rules/index.js';
import { addClock, effectiveClock, hoursForRule, ladderStage } from './clock.js';
import { caseCalendar, type EngineContext } from './types.js';

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

interface Computed {
  dueAt: Date;
  explain: string[];
  stage?: number;
  stageName?: string;
  stageStartedAt?: Date;
  escalateTo?: Deadline['escalateTo'];
}

/** Computes a deadline's due time (and stage fields) from its start, the rule and the calendar. */
export function compute(
  ctx: EngineContext,
  rule: Rule,
  agg: CaseAggregate,
  startedAt: Date,
  stage = 1,
): Computed {
  const calendar = caseCalendar(ctx, agg);
  const hours = hoursForRule(calendar, rule);
  const hoursNote = rule.hoursTeam ? [`Uses the working hours of team ${rule.hoursTeam}.`] : [];
  if (rule.stages) {
    const s = rule.stages[stage - 1] ?? rule.stages[rule.stages.length - 1]!;
    const n = Math.min(stage, rule.stages.length);
    const { stageStartedAt, due } = ladderStage(calendar, rule, startedAt, n, hours);
    return {
      dueAt: due.due,
      stage: n,
      stageName: s.name,
      stageStartedAt,
      escalateTo: s.escalateTo,
      explain: [
        `${rule.title}: stage ${n} of ${rule.stages.length} (${s.name}) from ${formatLocal(stageStartedAt)}.`,
        ...hoursNote,
        ...due.explain,
      ],
    };
  }
  const { clock, why } = rule.while
    ? effectiveClock(rule, agg, startedAt)
    : { clock: rule.clock, why: `${rule.clock.amount} ${rule.clock.unit}` };
  const due = addClock(calendar, startedAt, clock, hours);
  return {
    dueAt: due.due,
    explain: [
      `${rule.title}: ${why} from ${formatLocal(startedAt)}.`,
      ...hoursNote,
      ...due.explain,
    ],
  };
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
    { rule: rule.id, dueAt: iso(d.dueAt), ...(d.stage ? { stage: d.stage } : {}) },
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
    },
    d.id,
  );
}

/** Whether a ladder deadline has a stage after its current one. */
export function hasNextStage(rule: Rule | undefined, d: Deadline): boolean {
  return !!rule?.stages && (d.stage ?? 1) < rule.stages.length;
}

/**
 * Marks an open deadline breached at its due instant; it stays for the audit. A clock whose
 * own start event finds it already due is also recorded as `breached-on-arrival` (at the
 * instant it arrived, with how late).
 */
export function breach(w: Work, d: Deadline): void {
  d.status = 'breached';
  d.closedAt = d.dueAt;
  d.version++;
  record(
    w,
    d.dueAt,
    'breached',
    { rule: d.rule, dueAt: iso(d.dueAt), urgent: d.urgent, safeguarding: d.safeguarding },
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
        arrivedAt: iso(arrivedAt),
        lateMs: Math.max(0, arrivedAt.getTime() - d.dueAt.getTime()),
      },
      d.id,
    );
  }
}

/**
 * Applies a stop event that happened at `at` to a deadline. A ladder first climbs the
 * stages that fell due before `at`; a stop after the (last) due time is a breach met late.
 */
export function stop(w: Work, rule: Rule | undefined, d: Deadline, at: Date): void {
  if (d.status === 'open') {
    while (at > d.dueAt && rule && hasNextStage(rule, d)) escalate(w, rule, d);
    if (at <= d.dueAt) {
      d.status = 'met';
      d.closedAt = at;
      d.version++;
      if (w.eventId) d.stopEventId = w.eventId;
      record(w, at, 'met', { rule: d.rule, dueAt: iso(d.dueAt), ...stageOf(d) }, d.id);
      return;
    }
    breach(w, d);
  }
  if (d.status === 'breached' && !d.metAt) {
    if (at <= d.dueAt) {
      // The stop happened in time but reached us after the breach was recorded.
      d.status = 'met';
      d.closedAt = at;
      d.version++;
      if (w.eventId) d.stopEventId = w.eventId;
      record(w, at, 'corrected', { rule: d.rule, from: 'breached', to: 'met' }, d.id);
      return;
    }
    d.metAt = at;
    // Worked out now, on today's calendar, so the report never recounts history.
    d.lateness = latenessOf(
      w.ctx.calendar,
      latenessUnitOf(rule?.clock.unit),
      d.dueAt,
      at,
      rule === undefined ? undefined : hoursForRule(w.ctx.calendar, rule),
    );
    // A new version: the breach's timers (its daily repeat) still pending become stale.
    d.version++;
    if (w.eventId) d.stopEventId = w.eventId;
    record(
      w,
      at,
      'met-late',
      { rule: d.rule, dueAt: iso(d.dueAt), metAt: iso(at), lateness: d.lateness },
      d.id,
    );
    return;
  }
  record(w, at, 'duplicate', { rule: d.rule, status: d.status, reason: 'already stopped' }, d.id);
}

/** Cancels an open deadline. */
export function cancel(w: Work, d: Deadline, at: Date, reason: string): void {
  d.status = 'cancelled';
  d.closedAt = at;
  d.version++;
  record(w, at, 'cancelled', { rule: d.rule, reason }, d.id);
}

/**
 * Recomputes an open deadline's due time with the current rule, case facts and calendar;
 * bumps the version and audits old and new only when the due time or stage start moved.
 */
export function recomputeDeadline(
  w: Work,
  rule: Rule,
  d: Deadline,
  at: Date,
  reason: string,
): void {
  const c = compute(w.ctx, rule, w.agg, d.startedAt, d.stage ?? 1);
  const moved =
    c.dueAt.getTime() !== d.dueAt.getTime() ||
    c.stageStartedAt?.getTime() !== d.stageStartedAt?.getTime();
  const old = d.dueAt;
  Object.assign(d, c);
  d.ruleVersion = w.ctx.rules.ruleVersion(rule.id);
  d.calendarVersion = caseCalendar(w.ctx, w.agg).version;
  if (moved) {
    d.version++;
    record(
      w,
      at,
      'recomputed',
      { rule: d.rule, reason, oldDueAt: iso(old), newDueAt: iso(d.dueAt) },
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
