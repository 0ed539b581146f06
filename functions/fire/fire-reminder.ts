/**
 * A reminder timer fires: one step of a deadline's plan, from the scheduler's payload
 * (`{ caseId, deadlineId, kind: 'reminder', version, step }`) to the messages sent.
 * Read, decide, do:
 *
 * 1. Read: the case, the directory stamp and (when alerts are tracked) the clock's alert
 *    state, in ONE read (`FiringStore.read`); the directory cache is brought up to date with
 *    the stamp before routing.
 * 2. Gate (`gateTimer`): a timer whose case, deadline or version has moved on does nothing;
 *    so does a step no longer in the plan.
 * 3. Route (`routeReminder`, through the cached directory): the people the step names
 *    (delegates for the away), or the EDT manager on call for an urgent step out of hours;
 *    what reaches nobody it was meant for (or finds nobody on the rota) also goes to the
 *    fallback contact.
 * 4. Decide (`decideReminder`, pure): each person's messages, the alert (`decideAlert`), the
 *    timers to set (deferrals, the breach's next repeat, the escalation), what to write.
 * 5. Do (`carryOut`): claim each person's sends — the EDT manager's with the new alert, in one
 *    conditional write — set the timers, send, then record every outcome with the audit lines,
 *    the unrouted record and the morning-digest entry in one write; then make sure the team's
 *    digest has its timer (once per process).
 *
 * The alert's write finding the clock changed since it was read (acknowledged or alerted
 * meanwhile) writes nothing: the firing reads again and decides again.
 */
import { caseCalendar } from '#kernel/engine/index.js';
import { AlertConflictError } from '#kernel/errors.js';
import { ALERT_WRITE_ATTEMPTS, findStep, routeReminder } from '#kernel/reminders/index.js';
import type { TimerPayload } from '#kernel/timers.js';
import { decideThenCarryOut } from './carry-out.js';
import { scheduleMorningDigest } from './digest-timer.js';
import type { FireOutcome, ReminderDeps } from './ports.js';
import { decideReminder, type ReminderFacts } from './reminder-decision.js';
import { gateTimer, ignored } from './timer-gate.js';

export async function fireReminder(
  payload: TimerPayload,
  deps: ReminderDeps,
): Promise<FireOutcome> {
  const ids = { caseId: payload.caseId, deadlineId: payload.deadlineId, kind: payload.kind };
  // After a write found an alert id taken, ids are read rather than assumed free.
  let assumeFree = true;
  for (let attempt = 1; attempt <= ALERT_WRITE_ATTEMPTS; attempt++) {
    const state = await deps.store.read(
      payload.caseId,
      deps.alerts === undefined ? undefined : payload.deadlineId,
    );
    deps.directory.observe?.(state.directoryGeneration);
    const gate = gateTimer(payload, state.stored);
    if ('reason' in gate) return ignored(deps.log, ids, gate.reason);
    const { stored, deadline } = gate;
    const stepKey = payload.step;
    if (stepKey === undefined) return ignored(deps.log, ids, 'unknown-kind');
    const plan = deps.plans[deadline.rule];
    // The case's own calendar: a Scottish case's reminders skip Scotland's bank holidays.
    const calendar = caseCalendar(deps, stored.aggregate);
    const planned = findStep(deadline, calendar, plan, stepKey);
    if (plan === undefined || planned === undefined)
      return ignored(deps.log, { ...ids, step: stepKey }, 'not-planned');
    const now = deps.clock.now();
    const routing = await routeReminder({
      plan,
      step: planned.step,
      deadline,
      workers: stored.aggregate.workers,
      now,
      calendar,
      directory: deps.directory,
      fallback: deps.fallback,
    });
    const facts: Omit<ReminderFacts, 'known'> = {
      stored,
      deadline,
      plan,
      planned,
      now,
      calendar,
      routing,
      clock: state.clock,
      assumeFree,
    };
    // An alert this reminder made before (a redelivery) is read before it is decided on.
    const carried = await decideThenCarryOut(
      (known) => decideReminder({ ...facts, known }, deps),
      deps,
    );
    if (carried.conflict) {
      assumeFree = false;
      continue;
    }
    const { morning, outcome } = carried.recorded;
    if (morning !== undefined) await scheduleMorningDigest(morning.entry, morning.opening, deps);
    return outcome;
  }
  throw new AlertConflictError(`${payload.caseId}/${payload.deadlineId}`);
}
