/**
 * What the store keeps and the ports carry besides the case itself: an event's idempotency
 * record, a stored case, a deadline and an audit line as read, a reminder's audit line, an
 * unrouted reminder, a morning digest's entry. Ids and roles only, never contact details.
 */
import type { CaseAggregate } from './model.js';
import type { Lateness } from './reports/lateness.js';

/** The answer given to the first delivery of an event, replayed to every redelivery. */
export interface StoredAnswer {
  statusCode: number;
  body: unknown;
}

/** The idempotency record of one event id. */
export interface EventRecord {
  eventId: string;
  type: string;
  caseId: string | null;
  /** sha256 of the canonical JSON of the envelope: a redelivery must match it. */
  bodyHash: string;
  answer: StoredAnswer;
  receivedAt: string;
}

export interface StoredCase {
  caseId: string;
  /** Store version for optimistic concurrency: 1 after the first event, +1 per commit. */
  version: number;
  readonly aggregate: CaseAggregate;
  updatedAt: string;
  /** The aggregate's stored JSON text, when the store has it (keys the engine's plan memo). */
  serialized?: string;
}

export type DeadlineStatusName = 'open' | 'met' | 'breached' | 'cancelled';

/** A deadline as projected for reading (one item per deadline, indexed by status and due time). */
export interface DeadlineRecord {
  id: string;
  caseId: string;
  rule: string;
  status: DeadlineStatusName;
  /** The working target reminders are planned around. */
  dueAt: string;
  /** The statutory limit: breached only when it passes (absent on records stored before it). */
  limitAt?: string;
  startedAt?: string;
  closedAt?: string;
  /** Why a cancelled clock is no longer owed, in words a manager reads. */
  closedReason?: string;
  /** The DfE's count (working days by date) and the most it allows, for rules measured so. */
  measure?: { workingDays: number; within: number };
  /** A breached clock's late stop: when the work was done. */
  metAt?: string;
  /** With `metAt`: how late, in whole units of the clock's kind. */
  lateness?: Lateness;
  stage?: number;
  stageName?: string;
  subjectId?: string;
  team?: string;
  version?: number;
  ruleVersion?: string;
  calendarVersion?: string;
  explain: string[];
}

export interface AuditRecord {
  at: string;
  kind: string;
  eventId?: string;
  deadlineId?: string;
  detail?: unknown;
}

/** An audit line about a reminder (appended to the case's trail). */
export interface ReminderAuditEntry {
  caseId: string;
  at: Date;
  kind:
    | 'reminder-planned'
    | 'reminder-cancelled'
    | 'reminder-fired'
    | 'reminder-sent'
    | 'reminder-deferred'
    | 'reminder-rerouted'
    | 'reminder-failed'
    | 'reminder-skipped'
    /** Reached nobody it was meant for (or nobody was on the EDT rota): the fallback was told. */
    | 'reminder-unrouted'
    /** An urgent out-of-hours alert went out (its id, tier and person; whether already acknowledged). */
    | 'alert-sent'
    /** An alert was acknowledged: by whom (a tier's role, or an integration), by which path, when. */
    | 'alert-acknowledged'
    /** Nobody acknowledged an alert in time: it went to the next tier (2, or the fallback contact). */
    | 'alert-escalated'
    /** An escalation step fired and sent nothing: why (`acknowledged`, `deadline-met`, …). */
    | 'alert-escalation-stopped'
    /** A provider's receipt for one send: delivered, or why not (`delivery.ts`). */
    | 'reminder-delivery'
    /** A person the step was meant for was not reached: what was done about it, or why nothing. */
    | 'reminder-undelivered';
  deadlineId?: string;
  detail: Record<string, unknown>;
}

/**
 * A reminder that reached nobody it was meant for (or found nobody on the EDT rota), kept for
 * managers (`GET /v1/reminders/unrouted`): what was missing and which event would fix it.
 * Ids and roles only, never contact details.
 */
export interface UnroutedReminder {
  /** The case's owning team. */
  team: string;
  caseId: string;
  deadlineId: string;
  rule: string;
  step: string;
  reminderId: string;
  /** When the step was due to fire: one record per reminder (a re-fire rewrites it). */
  at: Date;
  missing: {
    reason: string;
    role?: string;
    personId?: string;
    channel?: ChannelName;
    /** `undelivered`: what the provider's receipt said (`permanent-failure`, …). */
    delivery?: string;
  }[];
  /** The events that would fix it, e.g. "send case.updated with a worker in role lado". */
  fix: string[];
  /** Whether the fallback contact was told: `sent`, `failed`, or `none` (no fallback configured). */
  fallback: 'sent' | 'failed' | 'none';
}

/** One EDT alert kept for the day team's morning digest. */
export interface DigestEntry {
  team: string;
  /** Local date of the digest (the next opening after the alert). */
  date: string;
  caseId: string;
  reminderId: string;
  /** The clock alerted about (the digest has one line per clock); absent on older entries. */
  deadlineId?: string;
  /** The plan step that alerted (how the alert reads in the digest); absent on older entries. */
  step?: string;
  rule: string;
  dueAt: Date;
  alertedAt: Date;
  /**
   * Who gets the digest: the case's team manager(s); empty: the team's manager in the
   * directory, else the fallback contact.
   */
  recipientIds: string[];
}

export type ChannelName = 'email' | 'sms';
