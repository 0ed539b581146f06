/**
 * Subject rules: one clock per allegation, disagreement, referral, enquiry or proceedings,
 * started, met, cancelled and extended by events that carry the same id. A stop, cancel or
 * extension that arrives before its start is kept and applied when the start arrives.
 */
import type { CaseEvent } from '#schemas/events.js';
import { subjectDeadlineId } from '../ids.js';
import { type Deadline, limitOf } from '../model.js';
import type { Rule } from '../rules/index.js';
import { computeAgain } from './compute.js';
import { cancel, iso, record, startDeadline, stop, type Work } from './deadlines.js';
import { UnknownSubjectError } from './types.js';

/** The subject's clock of a rule on the case, if it has one. */
function clockOf(w: Work, rule: Rule, subjectId: string): Deadline | undefined {
  const id = subjectDeadlineId(rule.id, subjectId);
  return w.agg.deadlines.find((x) => x.id === id);
}

/** Keeps an event that came before its start, to apply when the start arrives. */
function keepEarly(
  w: Work,
  rule: Rule,
  subjectId: string,
  at: Date,
  action: 'stop' | 'cancel' | 'extend',
  extra: { reason?: string; weeks?: number } = {},
): void {
  w.agg.earlyStops ??= [];
  const early = w.agg.earlyStops;
  const eventId = w.eventId ?? '';
  const same = (e: (typeof early)[number]) =>
    e.rule === rule.id &&
    e.subjectId === subjectId &&
    (e.action ?? 'stop') === action &&
    (action !== 'extend' || e.eventId === eventId);
  if (!early.some(same)) early.push({ rule: rule.id, subjectId, at, eventId, action, ...extra });
  record(
    w,
    at,
    'early-stop',
    { rule: rule.id, subjectId, reason: `${action} before start` },
    subjectDeadlineId(rule.id, subjectId),
  );
}

export function stopSubject(w: Work, rule: Rule, subjectId: string, at: Date): void {
  const d = clockOf(w, rule, subjectId);
  if (d) stop(w, rule, d, at);
  else keepEarly(w, rule, subjectId, at, 'stop');
}

/**
 * An outcome that makes the subject's clock unnecessary: an open clock, or a breached one not
 * yet met, is cancelled with `reason`; before the start, the outcome is kept.
 */
export function cancelSubject(
  w: Work,
  rule: Rule,
  subjectId: string,
  at: Date,
  reason: string,
): void {
  const d = clockOf(w, rule, subjectId);
  if (d === undefined) {
    keepEarly(w, rule, subjectId, at, 'cancel', { reason });
    return;
  }
  if (d.status === 'open' || (d.status === 'breached' && d.metAt === undefined)) {
    cancel(w, d, at, reason);
    return;
  }
  record(w, at, 'duplicate', { rule: rule.id, status: d.status, reason: 'already stopped' }, d.id);
}

/**
 * An extension of the subject's clock by `weeks` (care proceedings, Children Act 1989 s32(5)):
 * the limit moves by the weeks. A breached clock whose extension was granted by its limit (and
 * reached us after the breach was recorded) is reopened; one granted after the limit passed
 * leaves the breach standing.
 */
export function extendSubject(
  w: Work,
  rule: Rule,
  subjectId: string,
  at: Date,
  weeks: number,
): void {
  const d = clockOf(w, rule, subjectId);
  if (d === undefined) {
    keepEarly(w, rule, subjectId, at, 'extend', { weeks });
    return;
  }
  const reopen = d.status === 'breached' && d.metAt === undefined && at <= limitOf(d);
  if (d.status !== 'open' && !reopen) {
    const reason =
      d.status === 'breached' && d.metAt === undefined
        ? 'extension granted after the limit had passed: the breach stands'
        : 'clock already stopped';
    record(w, at, 'ignored', { rule: rule.id, reason, weeks }, d.id);
    return;
  }
  const old = { dueAt: d.dueAt, limitAt: limitOf(d) };
  d.extensionWeeks = (d.extensionWeeks ?? 0) + weeks;
  Object.assign(d, computeAgain(w.ctx, w.agg, rule, d));
  if (reopen) {
    d.status = 'open';
    delete d.closedAt;
  }
  d.version++;
  record(
    w,
    at,
    reopen ? 'corrected' : 'recomputed',
    {
      rule: rule.id,
      reason: `extended by ${weeks} week${weeks === 1 ? '' : 's'}`,
      ...(reopen ? { from: 'breached', to: 'open' } : {}),
      oldDueAt: iso(old.dueAt),
      newDueAt: iso(d.dueAt),
      oldLimitAt: iso(old.limitAt),
      newLimitAt: iso(limitOf(d)),
    },
    d.id,
  );
}

/**
 * A start event of the subject. A new subject starts its clock and applies what arrived before
 * it (extensions, then a stop or a cancel). For one already running: a restarting rule moves to
 * a later start; any other rule runs from the FIRST start, so an earlier start delivered late
 * moves an open clock back to it and a later one is a duplicate.
 */
export function startSubject(w: Work, rule: Rule, subjectId: string, at: Date): void {
  const existing = clockOf(w, rule, subjectId);
  if (existing) {
    if (rule.restart && restartSubject(w, rule, existing, at)) return;
    if (!rule.restart && earlierStart(w, rule, existing, at)) return;
    record(
      w,
      at,
      'duplicate',
      { rule: rule.id, subjectId, reason: 'clock already started' },
      existing.id,
    );
    return;
  }
  const d = startDeadline(w, rule, {
    id: subjectDeadlineId(rule.id, subjectId),
    subjectId,
    startedAt: at,
  });
  const early = w.agg.earlyStops ?? [];
  const mine = early.filter((e) => e.rule === rule.id && e.subjectId === subjectId);
  if (mine.length === 0) return;
  w.agg.earlyStops = early.filter((e) => !mine.includes(e));
  const eventId = w.eventId;
  const order = { extend: 0, stop: 1, cancel: 2 } as const;
  for (const e of mine.sort((a, b) => order[a.action ?? 'stop'] - order[b.action ?? 'stop'])) {
    w.eventId = e.eventId || eventId;
    if (e.action === 'extend') extendSubject(w, rule, subjectId, e.at, e.weeks ?? 0);
    else if (e.action === 'cancel' && d.status === 'open')
      cancel(w, d, e.at, e.reason ?? 'cancelled');
    else if ((e.action ?? 'stop') === 'stop' && d.status === 'open') stop(w, rule, d, e.at);
  }
  w.eventId = eventId;
}

/** An earlier start of an open clock, delivered late: the clock runs from the first start. */
function earlierStart(w: Work, rule: Rule, d: Deadline, at: Date): boolean {
  if (d.status !== 'open' || at.getTime() >= d.startedAt.getTime()) return false;
  moveStart(
    w,
    rule,
    d,
    at,
    false,
    'an earlier start of the same subject arrived: the clock runs from the first',
  );
  return true;
}

/**
 * A later start of a restarting rule moves the clock's start to it: an open clock is
 * recomputed from it; a clock already breached whose restart happened by its limit (delivered
 * late) is reopened and recomputed, then advanced as usual. An earlier or equal start, a met
 * clock, or a start after the breach changes nothing (false: the caller audits a duplicate).
 */
function restartSubject(w: Work, rule: Rule, d: Deadline, at: Date): boolean {
  if (at.getTime() <= d.startedAt.getTime()) return false;
  const reopen = d.status === 'breached' && !d.metAt && at.getTime() <= limitOf(d).getTime();
  if (d.status !== 'open' && !reopen) return false;
  moveStart(w, rule, d, at, reopen, 'restarted by a later start event');
  return true;
}

/** Moves a clock's start to `at` and recomputes it (reopening a breach), audited old → new. */
function moveStart(
  w: Work,
  rule: Rule,
  d: Deadline,
  at: Date,
  reopen: boolean,
  reason: string,
): void {
  const old = { startedAt: d.startedAt, dueAt: d.dueAt, limitAt: limitOf(d) };
  d.startedAt = at;
  Object.assign(d, computeAgain(w.ctx, w.agg, rule, d));
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
      reason,
      ...(reopen ? { from: 'breached', to: 'open' } : {}),
      oldStartedAt: iso(old.startedAt),
      newStartedAt: iso(at),
      oldDueAt: iso(old.dueAt),
      newDueAt: iso(d.dueAt),
      oldLimitAt: iso(old.limitAt),
      newLimitAt: iso(limitOf(d)),
    },
    d.id,
  );
}

/**
 * `enquiry.concluded` must name an enquiry the case knows (a strategy discussion started its
 * clock): an unknown one is refused, naming `data.enquiryId`. Nothing is checked when no rule
 * keys its clocks by enquiry (the initial conference switched off).
 */
export function assertKnownSubject(w: Work, event: CaseEvent): void {
  if (event.type !== 'enquiry.concluded') return;
  const rules = w.ctx.rules.rules.filter((r) => r.subject === 'enquiryId');
  if (rules.length === 0) return;
  const enquiryId = event.data.enquiryId;
  const known = rules.some((r) => clockOf(w, r, enquiryId) !== undefined);
  if (known) return;
  throw new UnknownSubjectError(
    'data.enquiryId',
    `case ${event.caseId} has no strategy discussion of enquiry ${enquiryId}: send strategy-discussion.held for it first`,
  );
}
