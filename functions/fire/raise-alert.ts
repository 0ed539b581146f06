/**
 * An urgent out-of-hours alert to the person on call, made trackable before its messages go.
 *
 * 1. Read the clock's alert state. Already acknowledged for this phase (an acknowledgement
 *    before the breach covers everything but the breach): the messages say who acknowledged
 *    and when, carry no link, and nothing escalates.
 * 2. Otherwise find the alert this reminder made before (a redelivery), or record a new one
 *    together with the clock's new state (one conditional write; a lost race reads again).
 * 3. The first alert of a phase nobody acknowledged starts its escalation: a timer at
 *    `ackWithinMinutes` after it, which takes it to the senior manager on call.
 * 4. The messages carry its ack link (and "Reply YES to acknowledge" with two-way SMS).
 *
 * The alert is recorded before it is sent, so its link answers as soon as it arrives, and an
 * alert whose sends all failed still escalates.
 */

import type { Alert, AlertTier } from '#kernel/alert-state.js';
import { AlertConflictError } from '#kernel/errors.js';
import { ALERT_ID, alertId as makeAlertId } from '#kernel/ids.js';
import type { AlertDeps } from '#kernel/ports.js';
import {
  ALERT_WRITE_ATTEMPTS,
  ackRole,
  ackValidUntil,
  ESCALATION_STEPS,
  escalationDueAt,
  escalationTimer,
  isAcknowledged,
  phaseOf,
  withAlert,
} from '#kernel/reminders/alerts.js';
import type { AlertText, ReminderMoment } from '#kernel/reminders/messages.js';
import type { ReminderDeadline } from '#kernel/reminders/types.js';
import type { FireTimerDeps } from './ports.js';

/** Salts tried when an alert id is taken by another alert. */
const ID_ATTEMPTS = 4;

export interface RaisedAlert {
  /** What the alerted person's messages say about acknowledgement. */
  text: AlertText;
  /** The `alert-sent` audit line's detail. */
  detail: Record<string, unknown>;
}

export interface AlertRequest {
  deadline: Pick<ReminderDeadline, 'caseId' | 'id' | 'rule' | 'dueAt' | 'version'>;
  /** The plan step (tier 1) or escalation step it is about. */
  step: string;
  /** The reminder id its sends are claimed under. */
  reminderId: string;
  moment: ReminderMoment;
  tier: AlertTier;
  personId: string;
  /** The person gets it by SMS too: only then do the messages say "reply YES". */
  bySms: boolean;
  now: Date;
}

/** Records the tier-1 alert of a reminder (or finds it again) and starts its escalation. */
export async function raiseAlert(
  request: AlertRequest,
  deps: Pick<FireTimerDeps, 'alerts' | 'scheduler'>,
): Promise<RaisedAlert | undefined> {
  const alerts = deps.alerts;
  if (alerts === undefined) return undefined;
  const { deadline, personId } = request;
  const phase = phaseOf(request.moment);
  for (let attempt = 1; attempt <= ALERT_WRITE_ATTEMPTS; attempt++) {
    const clock = await alerts.store.getClock(deadline.caseId, deadline.id);
    const ack = clock.ack;
    if (ack !== undefined && isAcknowledged(clock, phase)) {
      return {
        text: { acknowledged: { role: ackRole(ack.by), at: ack.at } },
        detail: { tier: request.tier, personId, phase, acknowledgedBy: ackRole(ack.by) },
      };
    }
    const found = await findAlert(request, alerts);
    let alert = found.alert;
    if (alert === undefined) {
      alert = newAlert(request, found.id, phase);
      const next = withAlert(clock, alert);
      try {
        await alerts.store.recordAlert(alert, clock, next.clock);
      } catch (error) {
        if (error instanceof AlertConflictError && attempt < ALERT_WRITE_ATTEMPTS) continue;
        throw error;
      }
      clock.chains = next.clock.chains;
    }
    // The chain this reminder started (now or on an earlier delivery): its first timer, by name.
    const chain = clock.chains[phase];
    if (chain !== undefined && chain.reminderId === request.reminderId && request.tier === 1) {
      const fireAt = escalationDueAt(chain.startedAt, alerts.ackWithinMs);
      await deps.scheduler.schedule([
        escalationTimer(
          { caseId: deadline.caseId, id: deadline.id, version: chain.version },
          ESCALATION_STEPS[phase][2],
          fireAt,
        ),
      ]);
    }
    return {
      text: linkText(alert, alerts, request.bySms),
      detail: { alertId: alert.alertId, tier: request.tier, personId, phase },
    };
  }
  return undefined;
}

/** The ack link and the reply that acknowledge an alert. */
export function linkText(alert: Alert, alerts: AlertDeps, bySms: boolean): AlertText {
  return {
    ...(alerts.links === undefined
      ? {}
      : { ackLink: alerts.links.link(alert.alertId, alert.validUntil) }),
    // A reply acknowledges only from a phone that got the text: an email-only recipient (the
    // duty inbox, say) is not told to reply to a text it never had.
    replyYes: alerts.replyYes && bySms,
  };
}

/** The alert this request made before, or a free id for a new one. */
export async function findAlert(
  request: Pick<AlertRequest, 'deadline' | 'reminderId' | 'tier'>,
  alerts: AlertDeps,
): Promise<{ alert?: Alert; id: string }> {
  const key = {
    caseId: request.deadline.caseId,
    reminderId: request.reminderId,
    tier: String(request.tier),
  };
  let free: string | undefined;
  for (let salt = 0; salt < ID_ATTEMPTS; salt++) {
    const id = makeAlertId(key, salt);
    const existing = await alerts.store.getAlert(id);
    if (existing === undefined) {
      free ??= id;
      // Ids are probed in order: the first free one is where this alert would have gone.
      break;
    }
    if (
      existing.caseId === key.caseId &&
      existing.reminderId === key.reminderId &&
      String(existing.tier) === key.tier
    )
      return { alert: existing, id };
  }
  if (free === undefined || !ALERT_ID.test(free))
    throw new Error(`no free alert id for ${key.caseId} ${key.reminderId}`);
  return { id: free };
}

export function newAlert(request: AlertRequest, id: string, phase: Alert['phase']): Alert {
  const { deadline } = request;
  return {
    alertId: id,
    caseId: deadline.caseId,
    deadlineId: deadline.id,
    rule: deadline.rule,
    step: request.step,
    reminderId: request.reminderId,
    tier: request.tier,
    personId: request.personId,
    phase,
    version: deadline.version,
    sentAt: request.now,
    dueAt: deadline.dueAt,
    validUntil: ackValidUntil(deadline.dueAt, request.now),
    status: 'open',
  };
}
