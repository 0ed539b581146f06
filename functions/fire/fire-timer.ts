/**
 * Fire a timer: what EventBridge Scheduler (or the local driver) runs at a timer's time.
 *
 * Input: a timer payload (ids and a version). Output: what was done, for logs and tests.
 * Each kind reads what it decides from, decides, then does it, with only its own
 * dependencies:
 *
 * - `reminder`: one step of a deadline's plan, sent (`fire-reminder.ts`).
 * - `escalation`: an out-of-hours alert nobody acknowledged, to the next tier, or why not
 *   (`fire-escalation.ts`). It belongs to an alert's chain, not to a deadline version.
 * - `digest`: the day team's one morning email of the night's EDT alerts (`fire-digest.ts`).
 * - `due`: the engine's `advance` (breach / escalation) committed through the store
 *   (retrying on a concurrent change), then the case's timers replaced with the new plan; a
 *   deadline that breached gets its at-due and overdue reminders re-planned (below).
 *
 * The calendar is first brought up to date with the operator's bank-holiday feed. A delivery
 * claimed by another invocation that has not finished (`in-flight`) makes the outcome
 * `retryLater`: the handler then throws so the invocation is retried after the claim's
 * lease, and a crashed sender's message is not lost.
 */
import { VersionConflictError } from '#kernel/errors.js';
import type { TimerPayload } from '#kernel/timers.js';
import { replaceTimers } from '#platform/replace-timers.js';
import { fireDigest } from './fire-digest.js';
import { fireEscalation } from './fire-escalation.js';
import { fireReminder } from './fire-reminder.js';
import type { DueDeps, FireOutcome, FireTimerDeps } from './ports.js';
import { gateTimer, ignored } from './timer-gate.js';

export type { FireOutcome, FireTimerDeps } from './ports.js';

/** Thrown by the handler when a send is in flight elsewhere: the invocation is retried. */
export class RetryLaterError extends Error {
  override readonly name = 'RetryLaterError';
}

/** Attempts at committing a breach or escalation against concurrent changes to the case. */
const DUE_COMMIT_ATTEMPTS = 5;

export async function fireTimer(payload: TimerPayload, deps: FireTimerDeps): Promise<FireOutcome> {
  await deps.refreshCalendar?.();
  switch (payload.kind) {
    case 'reminder':
      return fireReminder(payload, deps.reminder);
    case 'escalation':
      return fireEscalation(payload, deps.escalation);
    case 'digest':
      return fireDigest(payload, deps.digest);
    case 'due':
      return fireDue(payload, deps.due);
  }
  const ids = { caseId: payload.caseId, deadlineId: payload.deadlineId, kind: payload.kind };
  return ignored(deps.log, ids, 'unknown-kind');
}

/** Breach or escalate the case's deadlines due by now, then move its timers to the new plan. */
async function fireDue(payload: TimerPayload, deps: DueDeps): Promise<FireOutcome> {
  const now = deps.clock.now();
  const { caseId } = payload;
  for (let attempt = 1; attempt <= DUE_COMMIT_ATTEMPTS; attempt++) {
    const stored = await deps.cases.loadCase(caseId);
    // The first read decides whether the timer is still the deadline's; a retry after a
    // concurrent change only commits again.
    if (attempt === 1) {
      const gate = gateTimer(payload, stored);
      const ids = { caseId, deadlineId: payload.deadlineId, kind: payload.kind };
      if ('reason' in gate) return ignored(deps.log, ids, gate.reason);
    }
    if (stored === undefined) return { status: 'ignored', reason: 'no-case' };
    const before = stored.aggregate;
    const result = deps.advance(before, now);
    if (result.aggregate === before || result.audit.length === 0) {
      return { status: 'advanced', changed: false };
    }
    try {
      await deps.cases.commitCase({
        caseId,
        expectedVersion: stored.version,
        before,
        after: result.aggregate,
        audit: result.audit,
        now,
      });
    } catch (error) {
      if (error instanceof VersionConflictError && attempt < DUE_COMMIT_ATTEMPTS) continue;
      throw error;
    }
    await replaceTimers(before, result.aggregate, stored.version + 1, now, deps);
    return { status: 'advanced', changed: true };
  }
  return { status: 'advanced', changed: false };
}
