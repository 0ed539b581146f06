/** A case's timers after a change: the plan diffed, the scheduler told, the audit written. */

import type { CaseAggregate } from '#kernel/model.js';
import type { ReminderAudit, Scheduler } from '#kernel/ports.js';
import type { ReminderAuditEntry } from '#kernel/records.js';
import { diffTimers, type Timer } from '#kernel/timers.js';

/**
 * Diffs the case's timer plans and calls the scheduler: a deadline that breached has its
 * at-due and overdue reminders and its breach step re-planned under the new version (the plan
 * of a breached deadline holds them).
 */
export async function replaceTimers(
  before: CaseAggregate,
  after: CaseAggregate,
  caseVersion: number,
  now: Date,
  deps: {
    planTimers: (aggregate: CaseAggregate) => Timer[];
    scheduler: Scheduler;
    audit: ReminderAudit;
  },
): Promise<void> {
  await applyPlanChange(
    deps.planTimers(before),
    deps.planTimers(after),
    deps.scheduler,
    deps.audit,
    caseVersion,
    now,
  );
}

/**
 * Goes from one timer plan to the next: cancels what left it, schedules what joined it, and
 * audits the reminder timers among them (when there is an audit to write to).
 */
export async function applyPlanChange(
  old: readonly Timer[],
  next: readonly Timer[],
  scheduler: Scheduler,
  audit: ReminderAudit | undefined,
  caseVersion: number,
  now: Date,
): Promise<void> {
  const diff = diffTimers(old, next);
  await tellScheduler(diff, scheduler);
  const entries = reminderTimerAudit(diff.schedule, diff.cancel, now);
  if (audit !== undefined && entries.length > 0) await audit.append(entries, caseVersion);
}

/** Cancels the timers a plan dropped, then schedules those it added. */
export async function tellScheduler(
  diff: { cancel: readonly Timer[]; schedule: Timer[] },
  scheduler: Scheduler,
): Promise<void> {
  if (diff.cancel.length > 0) await scheduler.cancel(diff.cancel.map((t) => t.name));
  if (diff.schedule.length > 0) await scheduler.schedule(diff.schedule);
}

/**
 * Audit lines for reminder timers scheduled and cancelled by a plan change. The webhook use
 * case calls this with its own diff (`schedule`, and the cancelled timers from the old plan).
 */
export function reminderTimerAudit(
  scheduled: readonly Timer[],
  cancelled: readonly Timer[],
  at: Date,
): ReminderAuditEntry[] {
  const line = (t: Timer, kind: 'reminder-planned' | 'reminder-cancelled') => ({
    caseId: t.payload.caseId,
    at,
    kind,
    deadlineId: t.payload.deadlineId,
    detail: {
      timer: t.name,
      step: t.payload.step,
      version: t.payload.version,
      fireAt: t.fireAt.toISOString(),
    },
  });
  return [
    ...scheduled
      .filter((t) => t.payload.kind === 'reminder')
      .map((t) => line(t, 'reminder-planned')),
    ...cancelled
      .filter((t) => t.payload.kind === 'reminder')
      .map((t) => line(t, 'reminder-cancelled')),
  ];
}
