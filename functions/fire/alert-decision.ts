/**
 * An urgent out-of-hours alert, decided from the clock's alert state (pure): what the alerted
 * person's messages say about acknowledgement, and what the firing writes of the alert.
 *
 * 1. Already acknowledged for this phase (an acknowledgement before the breach covers
 *    everything but the breach): the messages say who acknowledged and when, carry no link,
 *    and nothing escalates.
 * 2. Otherwise the alert this reminder made before (a redelivery), or a new one recorded with
 *    the clock's new state in the same conditional write as the claim (`AlertGuard`): its link
 *    answers as soon as the message arrives, and an alert whose sends all fail still escalates.
 * 3. The first alert of a phase nobody acknowledged starts its escalation: a timer at
 *    `ackWithinMinutes` after it, which takes it to the senior manager on call.
 * 4. The messages carry its ack link (and "Reply YES to acknowledge" with two-way SMS).
 *
 * Finding an earlier alert needs no read of its own in the usual case: the clock lists every
 * alert awaiting acknowledgement (`open`), and an alert leaves that list only when the clock
 * is acknowledged — and then no alert is raised at all. So an id the clock does not list is
 * free, unless another clock's alert holds it (a hash collision): the write's condition finds
 * that, and the firing reads and decides again, probing ids by reading them.
 */

import type { Alert, AlertTier, ClockAlerts } from '#kernel/alert-state.js';
import { ALERT_ID, alertId as makeAlertId } from '#kernel/ids.js';
import {
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
import type { Timer } from '#kernel/timers.js';
import type { AlertGuard, AlertSettings } from './ports.js';

/** Salts tried when an alert id is taken by another alert. */
const ID_ATTEMPTS = 4;

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

/** Alerts read so far, by id: `null` for an id read and found free. */
export type KnownAlerts = ReadonlyMap<string, Alert | null>;

/** The alert of a request: found, a free id for a new one, or the ids to read first. */
export type AlertLookup = { alert: Alert } | { free: string } | { read: string[] };

/** A new alert, and the timers that start when it is written (`Firing.guard`). */
export type RaisedGuard = AlertGuard & { timers: Timer[] };

export interface AlertDecision {
  /** What the alerted person's messages say about acknowledgement. */
  text: AlertText;
  /** The `alert-sent` audit line's detail. */
  detail: Record<string, unknown>;
  /** A new alert: written with the person's claim. */
  guard?: RaisedGuard;
  /** The escalation timer of a chain an earlier delivery of this reminder started. */
  timers: Timer[];
}

/**
 * The tier-1 alert of a reminder: acknowledged already, found again, or new (its guard).
 * `{ read }` when an alert must be read before it can be decided.
 */
export function decideAlert(
  request: AlertRequest,
  clock: ClockAlerts,
  known: KnownAlerts,
  assumeFree: boolean,
  settings: AlertSettings,
): AlertDecision | { read: string[] } {
  const { deadline, personId } = request;
  const phase = phaseOf(request.moment);
  const ack = clock.ack;
  if (ack !== undefined && isAcknowledged(clock, phase)) {
    return {
      text: { acknowledged: { role: ackRole(ack.by), at: ack.at } },
      detail: { tier: request.tier, personId, phase, acknowledgedBy: ackRole(ack.by) },
      timers: [],
    };
  }
  const lookup = lookupAlert(request, clock, known, assumeFree);
  if ('read' in lookup) return lookup;
  let alert: Alert;
  let guard: AlertGuard | undefined;
  let chains = clock.chains;
  if ('alert' in lookup) alert = lookup.alert;
  else {
    alert = newAlert(request, lookup.free, phase);
    const next = withAlert(clock, alert);
    guard = { alert, clock: { before: clock, after: next.clock } };
    chains = next.clock.chains;
  }
  // The chain this reminder started (now or on an earlier delivery): its first timer, by name.
  const chain = chains[phase];
  const timers =
    chain !== undefined && chain.reminderId === request.reminderId && request.tier === 1
      ? [
          escalationTimer(
            { caseId: deadline.caseId, id: deadline.id, version: chain.version },
            ESCALATION_STEPS[phase][2],
            escalationDueAt(chain.startedAt, settings.ackWithinMs),
          ),
        ]
      : [];
  return {
    text: linkText(alert, settings, request.bySms),
    detail: { alertId: alert.alertId, tier: request.tier, personId, phase },
    ...(guard === undefined ? { timers } : { guard: { ...guard, timers }, timers: [] }),
  };
}

/** The ack link and the reply that acknowledge an alert. */
export function linkText(alert: Alert, settings: AlertSettings, bySms: boolean): AlertText {
  return {
    ...(settings.links === undefined
      ? {}
      : { ackLink: settings.links.link(alert.alertId, alert.validUntil) }),
    // A reply acknowledges only from a phone that got the text: an email-only recipient (the
    // duty inbox, say) is not told to reply to a text it never had.
    replyYes: settings.replyYes && bySms,
  };
}

/**
 * The alert this request made before, or a free id for a new one: ids are probed in salt
 * order, and the first free one is where this alert would have gone. An id not yet read is
 * taken as free when `assumeFree` and the clock does not list it (see the header); else it
 * must be read.
 */
export function lookupAlert(
  request: Pick<AlertRequest, 'deadline' | 'reminderId' | 'tier'>,
  clock: Pick<ClockAlerts, 'open'>,
  known: KnownAlerts,
  assumeFree: boolean,
): AlertLookup {
  const key = {
    caseId: request.deadline.caseId,
    reminderId: request.reminderId,
    tier: String(request.tier),
  };
  for (let salt = 0; salt < ID_ATTEMPTS; salt++) {
    const id = makeAlertId(key, salt);
    const existing = known.get(id);
    if (existing === undefined) {
      if (assumeFree && salt === 0 && !clock.open.includes(id)) return { free: id };
      return { read: [id] };
    }
    if (existing === null) return ALERT_ID.test(id) ? { free: id } : noFreeId(key);
    if (
      existing.caseId === key.caseId &&
      existing.reminderId === key.reminderId &&
      String(existing.tier) === key.tier
    )
      return { alert: existing };
  }
  return noFreeId(key);
}

function noFreeId(key: { caseId: string; reminderId: string }): never {
  throw new Error(`no free alert id for ${key.caseId} ${key.reminderId}`);
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
