/**
 * Whether a `due` or `reminder` timer still has work (pure): it belongs to a deadline version,
 * and does nothing for a missing or closed case, a missing deadline, a stale version, a met or
 * cancelled deadline, or a breach met late — except a supervision invitation's withdrawal
 * (`xinv`), which is for exactly those.
 */
import type { Log } from '#kernel/ports.js';
import type { StoredCase } from '#kernel/records.js';
import { CANCEL_INVITE_STEP } from '#kernel/reminders/index.js';
import type { ReminderDeadline } from '#kernel/reminders/types.js';
import type { TimerPayload } from '#kernel/timers.js';
import type { FireOutcome } from './ports.js';

export function gateTimer(
  payload: TimerPayload,
  stored: StoredCase | undefined,
): { stored: StoredCase; deadline: ReminderDeadline } | { reason: string } {
  if (stored === undefined) return { reason: 'no-case' };
  // A withdrawn invitation is sent for a clock that stopped, or a case that closed.
  const withdrawal = payload.kind === 'reminder' && payload.step === CANCEL_INVITE_STEP;
  if (stored.aggregate.status === 'closed' && !withdrawal) return { reason: 'case-closed' };
  const deadline = stored.aggregate.deadlines.find((d) => d.id === payload.deadlineId);
  if (deadline === undefined) return { reason: 'no-deadline' };
  if (deadline.version !== payload.version) return { reason: 'stale-version' };
  if ((deadline.status === 'met' || deadline.status === 'cancelled') && !withdrawal)
    return { reason: `deadline-${deadline.status}` };
  if (deadline.status === 'breached' && deadline.metAt !== undefined)
    return { reason: 'deadline-met-late' };
  return { stored, deadline };
}

/** A timer with nothing to do: logged (ids and the reason) and answered. */
export function ignored(
  log: Log | undefined,
  ids: Record<string, unknown>,
  reason: string,
): FireOutcome {
  log?.info('timer ignored', { ...ids, reason });
  return { status: 'ignored', reason };
}
