/**
 * Fire a timer: what EventBridge Scheduler (or the local driver) runs at a timer's time.
 *
 * Input: a timer payload (ids and a version). Output: what was done, for logs and tests.
 *
 * 1. Bring the calendar up to date with the operator's bank-holiday feed.
 * 2. `digest` timers send the day team the one overnight digest of EDT alerts, and stop.
 * 3. Load the case with the directory stamp, and bring the directory up to date with it.
 *    `escalation` timers go on from here (`fire-escalation.ts`): they belong to an alert's
 *    chain, not to a deadline version, and decide for themselves whether the clock still
 *    needs them. Other timers ignore a missing or closed case, a missing deadline, a stale
 *    version, a met or cancelled deadline, a breach met late — except a supervision
 *    invitation's withdrawal, which is for exactly those.
 * 4. `due` timers: run the engine's `advance` (breach / escalation), commit it through the
 *    store (retrying on a concurrent change), then replace the case's timers with the new
 *    plan; a deadline that breached gets its at-due and overdue reminders re-planned.
 * 5. `reminder` timers: send the step (`fire-reminder.ts`).
 * 6. `escalation` timers: take an out-of-hours alert nobody acknowledged to the next tier,
 *    or record why not (`fire-escalation.ts`).
 *
 * A delivery claimed by another invocation that has not finished (`in-flight`) makes the
 * outcome `retryLater`: the handler then throws so the invocation is retried after the
 * claim's lease, and a crashed sender's message is not lost.
 */
import { VersionConflictError } from '#kernel/errors.js';
import { CANCEL_INVITE_STEP } from '#kernel/reminders/planning.js';
import type { TimerPayload } from '#kernel/timers.js';
import { replaceTimers } from '#platform/replace-timers.js';
import { fireDigest } from './fire-digest.js';
import { fireEscalation } from './fire-escalation.js';
import { fireReminder } from './fire-reminder.js';
import type { FireOutcome, FireTimerDeps } from './ports.js';

export type { FireCaseStore, FireOutcome, FireTimerDeps } from './ports.js';

/** Thrown by the handler when a send is in flight elsewhere: the invocation is retried. */
export class RetryLaterError extends Error {
  override readonly name = 'RetryLaterError';
}

/** Attempts at committing a breach or escalation against concurrent changes to the case. */
const DUE_COMMIT_ATTEMPTS = 5;

export async function fireTimer(payload: TimerPayload, deps: FireTimerDeps): Promise<FireOutcome> {
  await deps.refreshCalendar?.();
  if (payload.kind === 'digest') return fireDigest(payload, deps);
  const { stored, directoryGeneration } = await deps.cases.loadCaseWithDirectoryStamp(
    payload.caseId,
  );
  deps.directory.observe?.(directoryGeneration);
  if (payload.kind === 'escalation') return fireEscalation(payload, stored, deps);
  const ids = { caseId: payload.caseId, deadlineId: payload.deadlineId, kind: payload.kind };
  if (stored === undefined) return ignored(deps, ids, 'no-case');
  // A withdrawn invitation is sent for a clock that stopped, or a case that closed.
  const withdrawal = payload.kind === 'reminder' && payload.step === CANCEL_INVITE_STEP;
  if (stored.aggregate.status === 'closed' && !withdrawal) return ignored(deps, ids, 'case-closed');
  const deadline = stored.aggregate.deadlines.find((d) => d.id === payload.deadlineId);
  if (deadline === undefined) return ignored(deps, ids, 'no-deadline');
  if (deadline.version !== payload.version) return ignored(deps, ids, 'stale-version');
  if ((deadline.status === 'met' || deadline.status === 'cancelled') && !withdrawal) {
    return ignored(deps, ids, `deadline-${deadline.status}`);
  }
  if (deadline.status === 'breached' && deadline.metAt !== undefined)
    return ignored(deps, ids, 'deadline-met-late');
  if (payload.kind === 'due') return fireDue(payload.caseId, deps);
  if (payload.kind === 'reminder' && payload.step !== undefined) {
    const outcome = await fireReminder(stored, deadline, payload.step, deps);
    return outcome ?? ignored(deps, { ...ids, step: payload.step }, 'not-planned');
  }
  return ignored(deps, ids, 'unknown-kind');
}

function ignored(
  deps: Pick<FireTimerDeps, 'log'>,
  ids: Record<string, unknown>,
  reason: string,
): FireOutcome {
  deps.log?.info('timer ignored', { ...ids, reason });
  return { status: 'ignored', reason };
}

/** Breach or escalate the case's deadlines due by now, then move its timers to the new plan. */
async function fireDue(caseId: string, deps: FireTimerDeps): Promise<FireOutcome> {
  const now = deps.clock.now();
  for (let attempt = 1; attempt <= DUE_COMMIT_ATTEMPTS; attempt++) {
    const stored = await deps.cases.loadCase(caseId);
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
