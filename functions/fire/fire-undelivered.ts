/**
 * A send was not delivered (a provider's receipt said so, or it refused the message): a
 * person not told, followed up at once. Read, decide, do:
 *
 * 1. Read: the person's claims of the step (its own, and any on their other channel) with
 *    their receipts, the case, the directory stamp and the clock's alert state — one read;
 *    then the claims of everyone else the step was meant for (the claim names them) — one
 *    more; the person's addresses through the cached directory.
 * 2. Decide (`decideUndelivered`, pure): wait, record only (the chain moved on), the other
 *    channel, or the fallback contact when the step reached nobody; an alert's escalation now.
 * 3. Do (`carryOut`): claim, send, record; then the escalation, in this process.
 *
 * A morning digest's send is followed up by `fireUndeliveredDigest`.
 */
import { caseCalendar } from '#kernel/engine/index.js';
import { FALLBACK_PERSON_ID } from '#kernel/ids.js';
import { findStep, reminderParts, stepReminderId } from '#kernel/reminders/index.js';
import { carryOut, emit } from './carry-out.js';
import { TEAM_PREFIX } from './digest-timer.js';
import type { FireOutcome, UndeliveredPayload } from './ports.js';
import { emptyTally, tally } from './tally.js';
import { decideUndelivered } from './undelivered-decision.js';
import { fireUndeliveredDigest } from './undelivered-digest.js';
import type { UndeliveredDeps } from './undelivered-ports.js';

export async function fireUndelivered(
  payload: UndeliveredPayload,
  deps: UndeliveredDeps,
): Promise<FireOutcome> {
  if (payload.caseId.startsWith(TEAM_PREFIX)) return fireUndeliveredDigest(payload, deps);
  const stepId = stepReminderId(payload.reminderId);
  const { deadlineId, step } = reminderParts(stepId);
  const first = await deps.sends.readSends(
    claimsOf(payload.caseId, stepId, payload.personId),
    payload.caseId,
    deadlineId,
  );
  deps.directory.observe?.(first.directoryGeneration ?? 0);
  const context = (
    first.sends.find((s) => s.key.reminderId === stepId) ?? first.sends.find((s) => s.claim)
  )?.claim?.context;
  const others = (context?.peers ?? []).filter((p) => p !== payload.personId);
  const theirs =
    others.length === 0
      ? []
      : (await deps.sends.readSends(others.flatMap((p) => claimsOf(payload.caseId, stepId, p))))
          .sends;
  const peers = new Map(others.map((p) => [p, theirs.filter((s) => s.key.personId === p)]));
  const contact =
    payload.personId === FALLBACK_PERSON_ID
      ? deps.fallback
      : await deps.directory.getPerson(payload.personId);
  const stored = first.stored;
  const deadline = stored?.aggregate.deadlines.find((d) => d.id === deadlineId);
  const plan = deadline === undefined ? undefined : deps.plans[deadline.rule];
  const calendar = stored === undefined ? deps.calendar : caseCalendar(deps, stored.aggregate);
  const planned = deadline === undefined ? undefined : findStep(deadline, calendar, plan, step);
  const decision = decideUndelivered(
    {
      payload,
      stepId,
      stored,
      clock: first.clock,
      person: first.sends,
      peers,
      contact,
      calendar,
      planned,
      now: deps.clock.now(),
    },
    deps,
  );
  if ('wait' in decision) return { status: 'ignored', reason: 'undelivered-waiting' };
  const carried = await carryOut(decision.firing, deps);
  if (carried.conflict) throw new Error('undelivered follow-up: unexpected claim conflict');
  emit(decision.notes, deps);
  if (decision.escalate !== undefined) await deps.escalate(decision.escalate);
  const outcome = emptyTally('reminded');
  for (const results of carried.results) for (const r of results) tally(outcome, r);
  return decision.firing.sends.length === 0
    ? { status: 'ignored', reason: `undelivered-${carried.recorded.outcome}` }
    : outcome;
}

/** A person's claims of a step: its own, and one per channel tried after it failed. */
function claimsOf(caseId: string, stepId: string, personId: string) {
  return [stepId, `${stepId}~email`, `${stepId}~sms`].map((reminderId) => ({
    caseId,
    reminderId,
    personId,
  }));
}
