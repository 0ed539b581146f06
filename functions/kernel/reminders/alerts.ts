/**
 * Out-of-hours alerts as a state machine, pure: a clock's alerts await acknowledgement; an
 * acknowledgement stops the chain for that clock (later steps still go, saying who
 * acknowledged, and escalate no more unless the clock breaches); an alert nobody acknowledges
 * within the authority's `ackWithinMinutes` goes to the senior manager on call (tier 2), and
 * after another period to the fallback contact. The store keeps `ClockAlerts`; the use cases
 * read it, apply one of these functions and write it back conditionally.
 */

import type {
  AckVia,
  Alert,
  AlertAck,
  AlertPhase,
  AlertTier,
  ClockAlerts,
  EscalationChain,
} from '../alert-state.js';
import { reminderTimerName } from '../ids.js';
import type { CaseAggregate, Deadline } from '../model.js';
import type { Timer } from '../timers.js';
import type { ReminderMoment } from './messages.js';

/** How long an alert's link works after the clock's due time. */
export const ACK_VALID_AFTER_DUE_MS = 24 * 3_600_000;

/**
 * When the next tier hears of an alert nobody acknowledged: `ackWithinMs` after the minute it
 * went (an alert sent at 04:30:07 escalates at 05:00:00). Messages give times to the minute,
 * so the escalation falls when the people reading them expect it, and a timer's few seconds
 * of lateness do not push the chain later at each tier.
 */
export function escalationDueAt(alertedAt: Date, ackWithinMs: number): Date {
  return new Date(Math.floor(alertedAt.getTime() / 60_000) * 60_000 + ackWithinMs);
}

/** A clock with no alert state yet. */
export function emptyClockAlerts(caseId: string, deadlineId: string): ClockAlerts {
  return { caseId, deadlineId, revision: 0, open: [], chains: {} };
}

/** An alert about the breach (its step, or a repeat) belongs to the breach; any other, before it. */
export function phaseOf(moment: ReminderMoment): AlertPhase {
  return moment === 'breach' ? 'breached' : 'open';
}

/**
 * Whether an alert of `phase` is already acknowledged: any acknowledgement covers the clock's
 * alerts before its breach; only one given after the breach was alerted covers the breach.
 */
export function isAcknowledged(clock: ClockAlerts, phase: AlertPhase): boolean {
  return clock.ack !== undefined && (phase === 'open' || clock.ack.phase === 'breached');
}

/** Until when an alert's link works: 24 hours after the due time, or after the alert if later. */
export function ackValidUntil(dueAt: Date, sentAt: Date): Date {
  return new Date(Math.max(dueAt.getTime(), sentAt.getTime()) + ACK_VALID_AFTER_DUE_MS);
}

/**
 * The clock with a new alert awaiting acknowledgement. The first alert of a phase nobody has
 * acknowledged starts that phase's escalation chain (`startsChain`: the caller schedules its
 * first timer; a redelivery of the same reminder gets `startsChain` again, and schedules the
 * same timer by name). An alert the clock's acknowledgement already covers is not added.
 */
export function withAlert(
  clock: ClockAlerts,
  alert: Pick<Alert, 'alertId' | 'reminderId' | 'step' | 'phase' | 'sentAt' | 'version' | 'tier'>,
): { clock: ClockAlerts; startsChain: boolean } {
  if (isAcknowledged(clock, alert.phase)) return { clock, startsChain: false };
  const open = clock.open.includes(alert.alertId) ? clock.open : [...clock.open, alert.alertId];
  let chain = clock.chains[alert.phase];
  if (chain === undefined && alert.tier === 1) {
    chain = {
      alertId: alert.alertId,
      reminderId: alert.reminderId,
      step: alert.step,
      startedAt: alert.sentAt,
      version: alert.version,
      escalations: [],
    };
  }
  const chains = chain === undefined ? clock.chains : { ...clock.chains, [alert.phase]: chain };
  const startsChain = alert.tier === 1 && chain?.reminderId === alert.reminderId;
  return { clock: { ...clock, open, chains }, startsChain };
}

/** The acknowledgement an alert's link, an SMS reply or the API makes now. */
export function ackOf(
  clock: ClockAlerts,
  alert: Pick<Alert, 'alertId' | 'tier' | 'personId' | 'phase'>,
  via: AckVia,
  at: Date,
): AlertAck {
  return {
    at,
    alertId: alert.alertId,
    via,
    by: via === 'api' ? 'integration' : alert.tier,
    ...(via === 'api' ? {} : { personId: alert.personId }),
    // Given after the breach was alerted, it covers the breach too: that alert was out.
    phase: clock.chains.breached !== undefined ? 'breached' : alert.phase,
  };
}

/**
 * The clock acknowledged: every alert awaiting acknowledgement is (`acknowledged`), and its
 * escalation chains stop. Undefined when an alert of `phase` was already acknowledged.
 */
export function withAck(
  clock: ClockAlerts,
  phase: AlertPhase,
  ack: AlertAck,
): { clock: ClockAlerts; acknowledged: string[] } | undefined {
  if (isAcknowledged(clock, phase)) return undefined;
  return { clock: { ...clock, open: [], ack }, acknowledged: [...clock.open] };
}

/** The clock with one more escalation of `phase`'s chain (and its alert awaiting acknowledgement). */
export function withEscalation(
  clock: ClockAlerts,
  phase: AlertPhase,
  escalation: EscalationChain['escalations'][number],
): ClockAlerts {
  const chain = clock.chains[phase];
  if (chain === undefined) return clock;
  const already = chain.escalations.some((e) => e.tier === escalation.tier);
  const escalations = already ? chain.escalations : [...chain.escalations, escalation];
  const open =
    escalation.alertId === undefined || clock.open.includes(escalation.alertId)
      ? clock.open
      : [...clock.open, escalation.alertId];
  return { ...clock, open, chains: { ...clock.chains, [phase]: { ...chain, escalations } } };
}

/** The escalation steps of each phase: its timer's `step`, and the reminder id its sends are claimed under. */
export const ESCALATION_STEPS: Readonly<Record<AlertPhase, Record<2 | 'fallback', string>>> = {
  open: { 2: 'esc2', fallback: 'escf' },
  breached: { 2: 'esc2b', fallback: 'escfb' },
};

/**
 * The timer of an escalation step: named like the deadline's reminder timers (so the names
 * an acknowledgement cancels are known from the deadline and the step), fired at `fireAt`.
 */
export function escalationTimer(
  deadline: { readonly caseId: string; readonly id: string; readonly version: number },
  step: string,
  fireAt: Date,
): Timer {
  return {
    name: reminderTimerName(deadline, step),
    fireAt,
    payload: {
      caseId: deadline.caseId,
      deadlineId: deadline.id,
      kind: 'escalation',
      version: deadline.version,
      step,
    },
  };
}

/** The names of every escalation timer a clock's chains may have pending (to cancel them). */
export function escalationTimerNames(clock: ClockAlerts): string[] {
  const names: string[] = [];
  for (const [phase, chain] of Object.entries(clock.chains) as [AlertPhase, EscalationChain][]) {
    const owner = { caseId: clock.caseId, id: clock.deadlineId, version: chain.version };
    for (const step of Object.values(ESCALATION_STEPS[phase]))
      names.push(reminderTimerName(owner, step));
  }
  return names;
}

/**
 * Why a pending escalation of `phase` is no longer needed, or undefined while it is: the
 * clock's work is done or withdrawn (met, met late, cancelled, its case closed) — or, before
 * the breach, the clock breached and its breach alert started a chain of its own, which tells
 * the next tier about the breach. A clock still open (whatever its version: a moved due time
 * is still a clock somebody must hear of), or breached with no breach chain, escalates.
 */
export function escalationStopReason(
  aggregate: Pick<CaseAggregate, 'status'>,
  deadline: Pick<Deadline, 'status' | 'metAt'>,
  phase: AlertPhase,
  clock: Pick<ClockAlerts, 'chains'>,
): string | undefined {
  if (aggregate.status === 'closed') return 'case-closed';
  if (deadline.status === 'met') return 'deadline-met';
  if (deadline.status === 'cancelled') return 'deadline-cancelled';
  if (deadline.status === 'breached' && deadline.metAt !== undefined) return 'deadline-met-late';
  if (phase === 'open' && deadline.status === 'breached' && clock.chains.breached !== undefined)
    return 'superseded-by-breach';
  return undefined;
}

/** An escalation step's phase and target, or undefined for any other key. */
export function parseEscalationStep(
  step: string,
): { phase: AlertPhase; tier: 2 | 'fallback' } | undefined {
  const match = /^esc(2|f)(b?)$/.exec(step);
  if (match === null) return undefined;
  return {
    phase: match[2] === 'b' ? 'breached' : 'open',
    tier: match[1] === '2' ? 2 : 'fallback',
  };
}

/** Who acknowledged, in a message's words. */
export function ackRole(by: AlertAck['by']): string {
  return ACK_ROLES[String(by) as keyof typeof ACK_ROLES];
}

/** Who an alert of a tier went to, in a message's words. */
export function tierRole(tier: AlertTier): string {
  return ACK_ROLES[String(tier) as keyof typeof ACK_ROLES];
}

const ACK_ROLES = {
  '1': 'the EDT manager on call',
  '2': 'the senior manager on call',
  fallback: 'the duty inbox',
  integration: 'an integration (API)',
} as const;

/** Attempts at recording against concurrent acknowledgements and alerts of the same clock. */
export const ALERT_WRITE_ATTEMPTS = 6;
