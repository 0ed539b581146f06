/**
 * An escalation timer fires: an out-of-hours alert nobody acknowledged goes up a tier.
 * Read, decide, do:
 *
 * 1. Read: the case, the directory stamp and the clock's alert state, in ONE read.
 * 2. Gate (`escalationGate`, pure): nothing to escalate (lost) or no longer needed (stopped)
 *    sends nothing and writes why (`notSent`): never silently, whatever the timer's
 *    cancellation did or did not do.
 * 3. Who the tier is now (`targetOf`, through the cached directory): the senior manager on the
 *    rota, else the fallback contact.
 * 4. Decide (`decideEscalation`, pure): their messages, the new alert and the clock's
 *    escalation, the timer to the fallback contact, what to write.
 * 5. Do (`carryOut`): the claim with the alert and the escalation in one conditional write,
 *    the timer, the sends, then the outcome with the audit lines in one write.
 *
 * The timer belongs to the alert's escalation chain (named with the deadline version the chain
 * started under, which it keeps), not to the deadline's current version: an event that moves
 * the clock's due time while the escalation is pending does not make it stale. A write that
 * finds the clock changed since it was read (acknowledged meanwhile) reads again.
 */
import { AlertConflictError } from '#kernel/errors.js';
import { ALERT_WRITE_ATTEMPTS } from '#kernel/reminders/index.js';
import type { TimerPayload } from '#kernel/timers.js';
import { carryOut, decideThenCarryOut, emit } from './carry-out.js';
import {
  decideEscalation,
  type EscalationTarget,
  escalationGate,
  notSent,
} from './escalation-decision.js';
import type { EscalationDeps, FireOutcome } from './ports.js';

/** Takes the clock's unacknowledged alert of the timer's phase to its tier, or records why not. */
export async function fireEscalation(
  payload: TimerPayload,
  deps: EscalationDeps,
): Promise<FireOutcome> {
  const alerts = deps.alerts;
  let assumeFree = true;
  for (let attempt = 1; attempt <= ALERT_WRITE_ATTEMPTS; attempt++) {
    const state = await deps.store.read(
      payload.caseId,
      alerts === undefined ? undefined : payload.deadlineId,
    );
    deps.directory.observe?.(state.directoryGeneration);
    const now = deps.clock.now();
    const gate = escalationGate(payload, state.stored, state.clock, alerts !== undefined);
    if ('lost' in gate || 'stopped' in gate) {
      const nothing = notSent(payload, state.stored, now, gate);
      await carryOut(nothing.firing, deps);
      emit(nothing.notes, deps);
      return { status: 'ignored', reason: nothing.ignored.reason };
    }
    if (alerts === undefined) break;
    const target = await targetOf(gate.tier, now, deps);
    const settings = { ...deps, alerts };
    // The alert this tier was given before (a redelivery) is read before it is decided on.
    const carried = await decideThenCarryOut(
      (known) => decideEscalation({ ...gate, target, now, known, assumeFree }, settings),
      deps,
    );
    if (carried.conflict) {
      assumeFree = false;
      continue;
    }
    return carried.recorded.outcome;
  }
  throw new AlertConflictError(`${payload.caseId}/${payload.deadlineId}`);
}

/** Who the step's tier is now: tier 2 on the rota, else (or for `escf`) the fallback contact. */
async function targetOf(
  tier: 2 | 'fallback',
  now: Date,
  deps: Pick<EscalationDeps, 'directory' | 'fallback'>,
): Promise<EscalationTarget> {
  if (tier === 2) {
    const onCall = await deps.directory.onCallAt(now, 2);
    const person = onCall === undefined ? undefined : await deps.directory.getPerson(onCall);
    if (person !== undefined) return { tier: 2, person };
    return {
      tier: 'fallback',
      person: deps.fallback,
      reason: onCall === undefined ? 'no-tier-2-on-call' : 'unknown-person',
    };
  }
  return { tier: 'fallback', person: deps.fallback };
}
