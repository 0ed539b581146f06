/**
 * An escalation timer fires: an out-of-hours alert nobody acknowledged goes up a tier.
 *
 * The timer belongs to the alert's escalation chain (named with the deadline version the chain
 * started under, which it keeps), not to the deadline's current version: an event that moves
 * the clock's due time while the escalation is pending does not make it stale.
 *
 * 1. Read the clock's alert state. Nothing to escalate (no case, no deadline, no chain):
 *    an error, `AlertEscalationLost` (alarmed) and, where the case exists, an audit line.
 * 2. Escalation no longer needed — the phase acknowledged, the clock met, cancelled or met
 *    late, its case closed, or (before the breach) the clock breached with its breach alert's
 *    own chain running: an `alert-escalation-stopped` audit line and `AlertEscalationStopped`.
 *    Whatever the timer's cancellation did or did not do, nothing is sent, never silently.
 * 3. `esc2`: the senior manager on the rota now (tier 2), by SMS and email; nobody on tier 2
 *    (or no way to reach them): straight on to the fallback contact. `escf`: the fallback
 *    contact. A breach's alert has its own chain (`esc2b`, `escfb`).
 * 4. The new alert is recorded with the clock's escalation (one conditional write) before its
 *    messages go: they carry its own ack link and say who was alerted and has not acknowledged.
 *    A redelivery finds the alert its tier was given before (even if the due time has moved
 *    since), so it sends nothing twice.
 * 5. Sent once (`sendToPersonOnce`, claimed under the escalation's reminder id); the audit says
 *    `alert-escalated` and `alert-sent`; tier 2 sets the timer that takes it to the fallback.
 *    Escalating to tier 2 (`AlertEscalated`) and to the fallback contact
 *    (`AlertEscalatedToFallback`) are metrics alarms watch — with no fallback configured, it
 *    is recorded as reaching nobody (`AlertReachedNobody`, alarmed too).
 */

import type { Alert, AlertPhase, ClockAlerts } from '#kernel/alert-state.js';
import { AlertConflictError } from '#kernel/errors.js';
import { FALLBACK_PERSON_ID, reminderId as makeReminderId } from '#kernel/ids.js';
import type { Person } from '#kernel/people.js';
import type { ReminderAuditEntry, StoredCase } from '#kernel/records.js';
import {
  ALERT_WRITE_ATTEMPTS,
  ESCALATION_STEPS,
  escalationDueAt,
  escalationStopReason,
  escalationTimer,
  isAcknowledged,
  parseEscalationStep,
  tierRole,
  withEscalation,
} from '#kernel/reminders/alerts.js';
import { caseLink, type ReminderMoment } from '#kernel/reminders/messages.js';
import type { Delivery } from '#kernel/reminders/routing.js';
import { momentOf } from '#kernel/reminders/steps.js';
import type { ReminderDeadline } from '#kernel/reminders/types.js';
import type { TimerPayload } from '#kernel/timers.js';
import { composeMessage } from './compose-message.js';
import { emptyTally, type FireOutcome, type FireTimerDeps } from './ports.js';
import { findAlert, linkText, newAlert } from './raise-alert.js';
import { sendToPersonOnce, tally } from './send-once.js';

/** Takes the clock's unacknowledged alert of the timer's phase to its tier, or records why not. */
export async function fireEscalation(
  payload: TimerPayload,
  stored: StoredCase | undefined,
  deps: FireTimerDeps,
): Promise<FireOutcome> {
  const stepKey = payload.step ?? '';
  const parsed = parseEscalationStep(stepKey);
  const alerts = deps.alerts;
  const now = deps.clock.now();
  const notSent = { payload, stored, now, deps };
  if (parsed === undefined || alerts === undefined)
    return lost(notSent, { reason: 'not-an-escalation' });
  if (stored === undefined) return lost(notSent, { reason: 'no-case', ...parsed });
  const deadline = stored.aggregate.deadlines.find((d) => d.id === payload.deadlineId);
  if (deadline === undefined) return lost(notSent, { reason: 'no-deadline', ...parsed });
  const { phase } = parsed;
  for (let attempt = 1; attempt <= ALERT_WRITE_ATTEMPTS; attempt++) {
    const clock = await alerts.store.getClock(deadline.caseId, deadline.id);
    const chain = clock.chains[phase];
    const why = { ...parsed, ...(chain === undefined ? {} : { fromAlertId: chain.alertId }) };
    if (isAcknowledged(clock, phase)) return stopped(notSent, { ...why, reason: 'acknowledged' });
    if (chain === undefined) return lost(notSent, { ...why, reason: 'no-alert' });
    const reason = escalationStopReason(stored.aggregate, deadline, phase, clock);
    if (reason !== undefined) return stopped(notSent, { ...why, reason });

    const target = await targetOf(parsed.tier, now, deps);
    const step = ESCALATION_STEPS[phase][target.tier];
    // The alert this tier was given on an earlier delivery: the due time (so the reminder id
    // `findAlert` would look under) may have moved since.
    const earlier = chain.escalations.find((e) => e.tier === target.tier)?.alertId;
    const given = earlier === undefined ? undefined : await alerts.store.getAlert(earlier);
    const reminderId = given?.reminderId ?? makeReminderId(deadline, step);
    const escalation = {
      tier: target.tier,
      // A redelivery keeps the first firing's time (and so its next timer's).
      at: chain.escalations.find((e) => e.tier === target.tier)?.at ?? now,
      ...(target.reason === undefined ? {} : { reason: target.reason }),
    };
    if (target.person === undefined) {
      // No fallback contact configured: recorded and counted as reaching nobody.
      const after = withEscalation(clock, phase, { ...escalation, reason: 'no-fallback' });
      if (!(await saved(clock, after, attempt, deps))) continue;
      return reachedNobody(stored, deadline, chain.alertId, now, deps);
    }
    const person = target.person;
    const request = {
      deadline,
      step,
      reminderId,
      moment: 'due' as ReminderMoment,
      tier: target.tier,
      personId: person.personId,
      bySms: person.phone !== undefined,
      now,
    };
    const found: { alert?: Alert; id: string } =
      given === undefined ? await findAlert(request, alerts) : { alert: given, id: given.alertId };
    const alert = found.alert ?? newAlert(request, found.id, phase);
    const after = withEscalation(clock, phase, {
      ...escalation,
      alertId: alert.alertId,
      personId: person.personId,
    });
    try {
      if (found.alert === undefined) await alerts.store.recordAlert(alert, clock, after);
      else if (after !== clock) await alerts.store.saveClock(clock, after);
    } catch (error) {
      if (error instanceof AlertConflictError && attempt < ALERT_WRITE_ATTEMPTS) continue;
      throw error;
    }

    const audit: ReminderAuditEntry[] = [];
    const line = (kind: ReminderAuditEntry['kind'], detail: Record<string, unknown>) =>
      audit.push({ caseId: deadline.caseId, at: now, kind, deadlineId: deadline.id, detail });
    line('alert-escalated', {
      fromAlertId: chain.alertId,
      alertId: alert.alertId,
      tier: target.tier,
      personId: person.personId,
      ...(target.reason === undefined ? {} : { reason: target.reason }),
    });
    const outcome = emptyTally('reminded');
    const deliveries: Delivery[] = [
      ...(person.phone === undefined ? [] : [delivery(person, 'sms')]),
      delivery(person, 'email'),
    ];
    const moment = chainMoment(deadline, chain.step, phase, deps);
    const messages = deliveries.map((d) =>
      composeMessage(d, {
        caseId: deadline.caseId,
        rule: deadline.rule,
        reminderId,
        title: deps.plans[deadline.rule]?.title ?? deadline.rule,
        stageName: deadline.stageName,
        action: deps.plans[deadline.rule]?.action ?? '',
        dueAt: deadline.dueAt,
        moment,
        urgent: true,
        link: caseLink(deps.caseUrlTemplate, deadline.caseId),
        lateMs:
          moment === 'breach' ? Math.max(0, now.getTime() - deadline.dueAt.getTime()) : undefined,
        emailFrom: deps.emailFrom,
        now,
        alert: {
          ...linkText(alert, alerts, request.bySms),
          unacknowledged: { role: unacknowledgedBy(clock, phase), since: chain.startedAt },
        },
      }),
    );
    const results = await sendToPersonOnce(
      { caseId: deadline.caseId, reminderId, personId: person.personId },
      messages,
      deps,
    );
    results.forEach((result, i) => {
      tally(outcome, result);
      line('alert-sent', {
        alertId: alert.alertId,
        tier: target.tier,
        personId: person.personId,
        phase,
        channel: deliveries[i]?.channel,
        status: result.status,
      });
    });
    const ids = { caseId: deadline.caseId, deadlineId: deadline.id, alertId: chain.alertId };
    if (target.tier === 2) {
      deps.metrics?.count('AlertEscalated');
      deps.log?.warn('alert escalated to tier 2', { ...ids, metric: 'AlertEscalated' });
      const fireAt = escalationDueAt(escalation.at, alerts.ackWithinMs);
      await deps.scheduler.schedule([
        escalationTimer(
          { caseId: deadline.caseId, id: deadline.id, version: chain.version },
          ESCALATION_STEPS[phase].fallback,
          fireAt,
        ),
      ]);
    } else {
      deps.metrics?.count('AlertEscalatedToFallback');
      deps.log?.error('alert escalated to the fallback contact', {
        ...ids,
        ...(target.reason === undefined ? {} : { reason: target.reason }),
        metric: 'AlertEscalatedToFallback',
      });
    }
    await deps.audit.append(audit, stored.version);
    return outcome;
  }
  // Unreachable: the last attempt's conflict is thrown (the invocation is retried).
  return lost(notSent, { ...parsed, reason: 'contended' });
}

/** Who the step's tier is now: tier 2 on the rota, else (or for `escf`) the fallback contact. */
async function targetOf(
  tier: 2 | 'fallback',
  now: Date,
  deps: FireTimerDeps,
): Promise<{ tier: 2 | 'fallback'; person?: Person | undefined; reason?: string }> {
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

/** Who was alerted and has not acknowledged, in the escalation's words. */
function unacknowledgedBy(clock: ClockAlerts, phase: 'open' | 'breached'): string {
  const tier2 = clock.chains[phase]?.escalations.some((e) => e.tier === 2 && e.alertId);
  return tier2 ? `${tierRole(1)} nor ${tierRole(2)}` : tierRole(1);
}

/** How the chain's first alert read (its plan step), or BREACHED for a breach's chain. */
function chainMoment(
  deadline: ReminderDeadline,
  stepKey: string,
  phase: 'open' | 'breached',
  deps: FireTimerDeps,
): ReminderMoment {
  // An alert of the open clock escalated after the clock breached says so (and how late).
  if (phase === 'breached' || deadline.status === 'breached') return 'breach';
  const step = deps.plans[deadline.rule]?.steps.find((s) => s.key === stepKey);
  return step === undefined ? 'due' : momentOf(step.at);
}

function delivery(person: Person, channel: 'sms' | 'email'): Delivery {
  return {
    personId: person.personId,
    channel,
    to: channel === 'sms' ? (person.phone ?? '') : person.email,
    // Composed as a message to the person themselves: no EDT line, no routing gaps.
    via: 'direct',
    forPersonId: person.personId,
  };
}

async function saved(
  before: ClockAlerts,
  after: ClockAlerts,
  attempt: number,
  deps: FireTimerDeps,
): Promise<boolean> {
  if (after === before) return true;
  try {
    await deps.alerts?.store.saveClock(before, after);
    return true;
  } catch (error) {
    if (error instanceof AlertConflictError && attempt < ALERT_WRITE_ATTEMPTS) return false;
    throw error;
  }
}

/** The fallback escalation with no fallback contact: an error, a metric and an audit line. */
async function reachedNobody(
  stored: Pick<StoredCase, 'version'>,
  deadline: ReminderDeadline,
  fromAlertId: string,
  now: Date,
  deps: FireTimerDeps,
): Promise<FireOutcome> {
  deps.metrics?.count('AlertEscalatedToFallback');
  deps.metrics?.count('AlertReachedNobody');
  deps.log?.error('alert escalated to the fallback contact, and none is configured', {
    caseId: deadline.caseId,
    deadlineId: deadline.id,
    alertId: fromAlertId,
    metric: 'AlertReachedNobody',
  });
  await deps.audit.append(
    [
      {
        caseId: deadline.caseId,
        at: now,
        kind: 'alert-escalated',
        deadlineId: deadline.id,
        detail: {
          fromAlertId,
          tier: 'fallback',
          personId: FALLBACK_PERSON_ID,
          reason: 'no-fallback',
          status: 'failed',
        },
      },
    ],
    stored.version,
  );
  return { ...emptyTally('reminded'), failed: 1 };
}

/** An escalation timer's firing that sends nothing, and the ids its record carries. */
interface NotSent {
  payload: TimerPayload;
  stored: Pick<StoredCase, 'version'> | undefined;
  now: Date;
  deps: FireTimerDeps;
}

/** Why nothing was sent, with the step's phase and tier and the chain's first alert. */
interface Why {
  reason: string;
  phase?: AlertPhase;
  tier?: 2 | 'fallback';
  fromAlertId?: string;
}

/**
 * The escalation is no longer needed (acknowledged, or the clock stopped): a warning, the
 * `AlertEscalationStopped` metric and an `alert-escalation-stopped` line in the case's trail.
 */
async function stopped(notSent: NotSent, why: Why): Promise<FireOutcome> {
  notSent.deps.metrics?.count('AlertEscalationStopped');
  notSent.deps.log?.warn('alert escalation stopped', {
    ...idsOf(notSent.payload, why),
    metric: 'AlertEscalationStopped',
  });
  await auditNotSent(notSent, why);
  return { status: 'ignored', reason: why.reason };
}

/**
 * The timer finds nothing to escalate (its case, deadline or chain is gone — or it is not an
 * escalation at all): an error, `AlertEscalationLost` (an alarm watches it), and an audit line
 * when the case is there to hold one.
 */
async function lost(notSent: NotSent, why: Why): Promise<FireOutcome> {
  notSent.deps.metrics?.count('AlertEscalationLost');
  notSent.deps.log?.error('alert escalation lost: nothing to escalate', {
    ...idsOf(notSent.payload, why),
    metric: 'AlertEscalationLost',
  });
  await auditNotSent(notSent, why);
  return { status: 'ignored', reason: why.reason };
}

function idsOf(payload: TimerPayload, why: Why): Record<string, unknown> {
  return {
    caseId: payload.caseId,
    deadlineId: payload.deadlineId,
    step: payload.step,
    ...why,
  };
}

async function auditNotSent({ payload, stored, now, deps }: NotSent, why: Why): Promise<void> {
  if (stored === undefined) return;
  const { reason, ...rest } = why;
  await deps.audit.append(
    [
      {
        caseId: payload.caseId,
        at: now,
        kind: 'alert-escalation-stopped',
        deadlineId: payload.deadlineId,
        detail: { step: payload.step, ...rest, reason },
      },
    ],
    stored.version,
  );
}
