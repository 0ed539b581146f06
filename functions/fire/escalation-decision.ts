/**
 * An escalation timer's firing, decided (pure) from the case, the clock's alert state and who
 * is on the rota now.
 *
 * - Nothing to escalate (no case, no deadline, no chain — or not an escalation at all): lost,
 *   an error counted as `AlertEscalationLost` (alarmed), with an audit line where the case is.
 * - No longer needed — the phase acknowledged, the clock met, cancelled or met late, its case
 *   closed, or (before the breach) the clock breached with its breach alert's own chain
 *   running: stopped, an `alert-escalation-stopped` line and `AlertEscalationStopped`.
 * - `esc2`: the senior manager on the rota now (tier 2), by SMS and email; nobody on tier 2 (or
 *   no way to reach them): straight on to the fallback contact. `escf`: the fallback contact.
 *   A breach's alert has its own chain (`esc2b`, `escfb`).
 * - The new alert is written with the clock's escalation and the claim, in one conditional
 *   write, before its messages go: they carry its own ack link and say who was alerted and has
 *   not acknowledged. A redelivery finds the alert its tier was given before (even if the due
 *   time has moved since), so it sends nothing twice.
 * - The audit says `alert-escalated` and `alert-sent`; tier 2 sets the timer that takes it to
 *   the fallback. With no fallback contact configured, the escalation is recorded as reaching
 *   nobody (`AlertReachedNobody`, alarmed too).
 */

import type { AlertPhase, ClockAlerts } from '#kernel/alert-state.js';
import { clockLabel } from '#kernel/glossary.js';
import { FALLBACK_PERSON_ID, reminderId as makeReminderId } from '#kernel/ids.js';
import type { Person } from '#kernel/people.js';
import type { ReminderAuditEntry, StoredCase } from '#kernel/records.js';
import {
  type Delivery,
  ESCALATION_STEPS,
  escalationDueAt,
  escalationStopReason,
  escalationTimer,
  isAcknowledged,
  parseEscalationStep,
  type ReminderMoment,
  withEscalation,
} from '#kernel/reminders/index.js';
import type { ReminderDeadline } from '#kernel/reminders/types.js';
import type { TimerPayload } from '#kernel/timers.js';
import { type KnownAlerts, linkText, lookupAlert, newAlert } from './alert-decision.js';
import type { Firing, Note, Recorded } from './carry-out.js';
import { composeMessage, stepInput } from './compose-message.js';
import { chainMoment, delivery, unacknowledgedBy } from './escalation-parts.js';
import type { AlertSettings, MessageSettings, SendResult, SendTally } from './ports.js';
import { emptyTally, tally } from './tally.js';

/** Who the step's tier is now: tier 2 on the rota, else (or for `escf`) the fallback contact. */
export interface EscalationTarget {
  tier: 2 | 'fallback';
  person?: Person | undefined;
  reason?: string | undefined;
}

/** Why an escalation sent nothing, with the step's phase and tier and the chain's first alert. */
export interface Why {
  reason: string;
  phase?: AlertPhase;
  tier?: 2 | 'fallback';
  fromAlertId?: string;
}

export interface EscalationRecorded extends Recorded {
  outcome: { status: 'reminded' } & SendTally;
}

export type EscalationDecision =
  | { firing: Firing<EscalationRecorded>; notes: Note[] }
  | { read: string[] };

/** The parts of the step that do not need the rota: whether there is anything to escalate. */
export function escalationGate(
  payload: TimerPayload,
  stored: StoredCase | undefined,
  clock: ClockAlerts | undefined,
  alertsTracked: boolean,
):
  | {
      deadline: ReminderDeadline;
      stored: StoredCase;
      clock: ClockAlerts;
      phase: AlertPhase;
      tier: 2 | 'fallback';
    }
  | { lost: Why }
  | { stopped: Why } {
  const parsed = parseEscalationStep(payload.step ?? '');
  if (parsed === undefined || !alertsTracked || clock === undefined)
    return { lost: { reason: 'not-an-escalation' } };
  if (stored === undefined) return { lost: { reason: 'no-case', ...parsed } };
  const deadline = stored.aggregate.deadlines.find((d) => d.id === payload.deadlineId);
  if (deadline === undefined) return { lost: { reason: 'no-deadline', ...parsed } };
  const chain = clock.chains[parsed.phase];
  const why = { ...parsed, ...(chain === undefined ? {} : { fromAlertId: chain.alertId }) };
  if (isAcknowledged(clock, parsed.phase)) return { stopped: { ...why, reason: 'acknowledged' } };
  if (chain === undefined) return { lost: { ...why, reason: 'no-alert' } };
  const reason = escalationStopReason(stored.aggregate, deadline, parsed.phase, clock);
  if (reason !== undefined) return { stopped: { ...why, reason } };
  return { deadline, stored, clock, ...parsed };
}

/** The firing of a step that sends nothing: its line in the case's trail, its log and count. */
export function notSent(
  payload: TimerPayload,
  stored: Pick<StoredCase, 'version'> | undefined,
  now: Date,
  outcome: { lost: Why } | { stopped: Why },
): { ignored: Why; firing: Firing; notes: Note[] } {
  const lost = 'lost' in outcome;
  const why = lost ? outcome.lost : outcome.stopped;
  const { reason, ...rest } = why;
  const fields = {
    caseId: payload.caseId,
    deadlineId: payload.deadlineId,
    step: payload.step,
    ...why,
  };
  const line: ReminderAuditEntry = {
    caseId: payload.caseId,
    at: now,
    kind: 'alert-escalation-stopped',
    deadlineId: payload.deadlineId,
    detail: { step: payload.step, ...rest, reason },
  };
  return {
    ignored: why,
    firing: {
      sends: [],
      timers: [],
      record: () => ({
        audit: stored === undefined ? [] : [{ entries: [line], caseVersion: stored.version }],
      }),
    },
    notes: [
      lost
        ? {
            metric: 'AlertEscalationLost',
            log: {
              level: 'error',
              message: 'alert escalation lost: nothing to escalate',
              fields: { ...fields, metric: 'AlertEscalationLost' },
            },
          }
        : {
            metric: 'AlertEscalationStopped',
            log: {
              level: 'warn',
              message: 'alert escalation stopped',
              fields: { ...fields, metric: 'AlertEscalationStopped' },
            },
          },
    ],
  };
}

export interface EscalationFacts {
  stored: Pick<StoredCase, 'version'>;
  deadline: ReminderDeadline;
  clock: ClockAlerts;
  phase: AlertPhase;
  target: EscalationTarget;
  now: Date;
  known: KnownAlerts;
  assumeFree: boolean;
}

/** Decides the escalation to `target`; `{ read }` when an alert must be read first. */
export function decideEscalation(
  facts: EscalationFacts,
  settings: MessageSettings & { alerts: AlertSettings },
): EscalationDecision {
  const { deadline, clock, phase, target, now } = facts;
  const chain = clock.chains[phase];
  if (chain === undefined) throw new Error('escalation decided without a chain');
  const step = ESCALATION_STEPS[phase][target.tier];
  const earlier = chain.escalations.find((e) => e.tier === target.tier);
  const escalation = {
    tier: target.tier,
    // A redelivery keeps the first firing's time (and so its next timer's).
    at: earlier?.at ?? now,
    ...(target.reason === undefined ? {} : { reason: target.reason }),
  };
  const audit = (entries: ReminderAuditEntry[]) => [{ entries, caseVersion: facts.stored.version }];
  const line = (kind: ReminderAuditEntry['kind'], detail: Record<string, unknown>) => ({
    caseId: deadline.caseId,
    at: now,
    kind,
    deadlineId: deadline.id,
    detail,
  });
  const ids = { caseId: deadline.caseId, deadlineId: deadline.id, alertId: chain.alertId };
  const person = target.person;
  if (person === undefined) {
    // No fallback contact configured: recorded and counted as reaching nobody.
    const after = withEscalation(clock, phase, { ...escalation, reason: 'no-fallback' });
    const entries = [
      line('alert-escalated', {
        fromAlertId: chain.alertId,
        tier: 'fallback',
        personId: FALLBACK_PERSON_ID,
        reason: 'no-fallback',
        status: 'failed',
      }),
    ];
    return {
      firing: {
        sends: [],
        guard: earlier === undefined ? { clock: { before: clock, after }, timers: [] } : undefined,
        timers: [],
        record: () => ({
          audit: audit(entries),
          outcome: { ...emptyTally('reminded'), failed: 1 },
        }),
      },
      notes: [
        { metric: 'AlertEscalatedToFallback' },
        {
          metric: 'AlertReachedNobody',
          log: {
            level: 'error',
            message: 'alert escalated to the fallback contact, and none is configured',
            fields: { ...ids, metric: 'AlertReachedNobody' },
          },
        },
      ],
    };
  }

  // The alert this tier was given on an earlier delivery: the due time (so the reminder id
  // it would be found under) may have moved since.
  const given = earlier?.alertId === undefined ? undefined : facts.known.get(earlier.alertId);
  if (earlier?.alertId !== undefined && given === undefined) return { read: [earlier.alertId] };
  const reminderId = given?.reminderId ?? makeReminderId(deadline, step);
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
  let found = given ?? undefined;
  let fresh: ReturnType<typeof newAlert> | undefined;
  if (found === undefined) {
    const lookup = lookupAlert(request, clock, facts.known, facts.assumeFree);
    if ('read' in lookup) return lookup;
    if ('alert' in lookup) found = lookup.alert;
    else fresh = newAlert(request, lookup.free, phase);
  }
  const alert = found ?? (fresh as NonNullable<typeof fresh>);
  const after = withEscalation(clock, phase, {
    ...escalation,
    alertId: alert.alertId,
    personId: person.personId,
  });
  const guard =
    fresh !== undefined || earlier === undefined
      ? { alert: fresh, clock: { before: clock, after }, timers: [], send: 0 }
      : undefined;

  const deliveries: Delivery[] = [
    ...(person.phone === undefined ? [] : [delivery(person, 'sms')]),
    delivery(person, 'email'),
  ];
  const moment = chainMoment(deadline, chain.step, phase, settings);
  const plan = settings.plans[deadline.rule];
  const messages = deliveries.map((d) =>
    composeMessage(d, {
      ...stepInput(deadline, clockLabel(deadline.rule, settings.plans), moment, now, settings),
      reminderId,
      action: plan?.action ?? '',
      urgent: true,
      alert: {
        ...linkText(alert, settings.alerts, request.bySms),
        unacknowledged: { role: unacknowledgedBy(clock, phase), since: chain.startedAt },
      },
    }),
  );
  const escalated = line('alert-escalated', {
    fromAlertId: chain.alertId,
    alertId: alert.alertId,
    tier: target.tier,
    personId: person.personId,
    ...(target.reason === undefined ? {} : { reason: target.reason }),
  });
  const record = (results: SendResult[][]): EscalationRecorded => {
    const outcome = emptyTally('reminded');
    const entries = [escalated];
    (results[0] ?? []).forEach((result, i) => {
      tally(outcome, result);
      entries.push(
        line('alert-sent', {
          alertId: alert.alertId,
          tier: target.tier,
          personId: person.personId,
          phase,
          channel: deliveries[i]?.channel,
          status: result.status,
        }),
      );
    });
    return { audit: audit(entries), outcome };
  };
  return {
    firing: {
      sends: [
        {
          key: { caseId: deadline.caseId, reminderId, personId: person.personId },
          messages,
          context: {
            peers: person.personId === FALLBACK_PERSON_ID ? [] : [person.personId],
            channels: deliveries.map((d) => d.channel),
            alert: { alertId: alert.alertId, tier: target.tier, phase },
            caseVersion: facts.stored.version,
          },
        },
      ],
      guard,
      // Tier 2 sets the timer that takes it on to the fallback contact.
      timers:
        target.tier === 2
          ? [
              escalationTimer(
                { caseId: deadline.caseId, id: deadline.id, version: chain.version },
                ESCALATION_STEPS[phase].fallback,
                escalationDueAt(escalation.at, settings.alerts.ackWithinMs),
              ),
            ]
          : [],
      record,
    },
    notes: [
      target.tier === 2
        ? {
            metric: 'AlertEscalated',
            log: {
              level: 'warn',
              message: 'alert escalated to tier 2',
              fields: { ...ids, metric: 'AlertEscalated' },
            },
          }
        : {
            metric: 'AlertEscalatedToFallback',
            log: {
              level: 'error',
              message: 'alert escalated to the fallback contact',
              fields: {
                ...ids,
                ...(target.reason === undefined ? {} : { reason: target.reason }),
                metric: 'AlertEscalatedToFallback',
              },
            },
          },
    ],
  };
}
