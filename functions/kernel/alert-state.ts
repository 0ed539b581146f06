/**
 * Out-of-hours alerts: an alert sent to one person about a clock, its acknowledgement, and
 * each clock's alert state with its escalation chains. Ids only.
 */
import type { AlertAckView, AlertView } from '#schemas/responses.js';

/** Who an alert went to: the EDT manager on call (1), the senior manager on call (2), the fallback contact. */
export type AlertTier = 1 | 2 | 'fallback';

/** Which part of a clock's life an alert belongs to: before its breach, or the breach itself. */
export type AlertPhase = 'open' | 'breached';

/** How an alert was acknowledged: its link (the button), an SMS reply, or the API. */
export type AckVia = 'link' | 'sms' | 'api';

/** One acknowledgement of a clock's alerts. Ids and roles only. */
export interface AlertAck {
  at: Date;
  /** The alert whose link, SMS or API call acknowledged it. */
  alertId: string;
  via: AckVia;
  /** Whose acknowledgement it is: the tier that alert went to, or an integration (the API). */
  by: AlertTier | 'integration';
  /** The person the acknowledged alert went to (`@fallback` for the fallback contact); absent for the API. */
  personId?: string;
  /**
   * What it covers: `open` — the clock's alerts until it breaches; `breached` — its breach's
   * alerts too (acknowledged after the breach was alerted).
   */
  phase: AlertPhase;
}

/**
 * One message set sent to one person about a clock out of hours, asking to be acknowledged
 * (its link carries the alert id). Ids only: the person's contact details stay in the directory.
 */
export interface Alert {
  /** 8 base64url characters (`alertId` in ids.ts). */
  alertId: string;
  caseId: string;
  deadlineId: string;
  rule: string;
  /** The plan step that alerted (tier 1), or the escalation step (`esc2`, `escf`, …). */
  step: string;
  /** The reminder id its sends were claimed under. */
  reminderId: string;
  tier: AlertTier;
  /** Who it went to (`@fallback`: the fallback contact). */
  personId: string;
  phase: AlertPhase;
  /** The deadline version it was sent under (escalation timers carry it). */
  version: number;
  sentAt: Date;
  dueAt: Date;
  /** Its link works until then: 24 hours after the due time (or after the alert, if later). */
  validUntil: Date;
  status: 'open' | 'acknowledged';
  ack?: AlertAck;
}

/** The escalation of one phase of a clock's alerts: started by its first alert nobody acknowledged. */
export interface EscalationChain {
  /** The alert that started it and its reminder (a redelivery re-schedules the same timer). */
  alertId: string;
  reminderId: string;
  /** That alert's plan step (how the escalation's messages read). */
  step: string;
  startedAt: Date;
  /** The deadline version its timers were named with (kept when the deadline's moves on). */
  version: number;
  /** Where it has gone since, in order. */
  escalations: {
    tier: 2 | 'fallback';
    at: Date;
    alertId?: string;
    personId?: string;
    /** Why it skipped a tier or reached nobody: `no-tier-2-on-call`, `no-fallback`. */
    reason?: string;
  }[];
}

/**
 * The alert state of one clock (deadline): which of its alerts await acknowledgement, its
 * latest acknowledgement, and each phase's escalation. The source of truth for "is this clock
 * acknowledged": every change is a conditional write on `revision`.
 */
export interface ClockAlerts {
  caseId: string;
  deadlineId: string;
  /** 0 before the first write; each write expects the revision it read and adds one. */
  revision: number;
  /** Alerts awaiting acknowledgement, oldest first. */
  open: string[];
  ack?: AlertAck;
  chains: Partial<Record<AlertPhase, EscalationChain>>;
}

/** An alert as the API shows it (instants as ISO strings, the tier as text). */
export function toAlertView(a: Alert): AlertView {
  return {
    alertId: a.alertId,
    caseId: a.caseId,
    deadlineId: a.deadlineId,
    rule: a.rule,
    step: a.step,
    tier: String(a.tier),
    personId: a.personId,
    phase: a.phase,
    sentAt: a.sentAt.toISOString(),
    dueAt: a.dueAt.toISOString(),
    validUntil: a.validUntil.toISOString(),
    status: a.status,
    ...(a.ack === undefined ? {} : { ack: toAckView(a.ack) }),
  };
}

/** An acknowledgement as the API shows it. */
export function toAckView(ack: AlertAck): AlertAckView {
  return {
    at: ack.at.toISOString(),
    via: ack.via,
    by: String(ack.by),
    ...(ack.personId === undefined ? {} : { personId: ack.personId }),
    alertId: ack.alertId,
  };
}
