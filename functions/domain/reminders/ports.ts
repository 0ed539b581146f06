/**
 * The ports reminders deliver through. Types only: adapters live in `functions/adapters/`.
 */
import type { ChannelName } from './routing.js';

/** One message to one address. `meta` carries ids only (for logs, the outbox and claims). */
export interface OutboundMessage {
  channel: ChannelName;
  /** Email address or E.164 number: used to send, never logged. */
  to: string;
  subject?: string;
  text: string;
  html?: string;
  /** RFC 5545 invitation to attach (email only). */
  ics?: string;
  meta: { caseId: string; rule: string; reminderId: string; personId: string };
}

/** A way to reach people (SES email, SMS, the local outbox). */
export interface Channel {
  readonly name: ChannelName;
  /** Resolves once the provider accepted the message; throws `ChannelError` otherwise. */
  send(message: OutboundMessage): Promise<{ messageId?: string }>;
}

/** A send that failed; `retryable` for throttling and 5xx, not for a rejected message. */
export class ChannelError extends Error {
  readonly retryable: boolean;
  readonly code: string;
  constructor(message: string, options: { retryable: boolean; code: string; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.name = 'ChannelError';
    this.retryable = options.retryable;
    this.code = options.code;
  }
}

/**
 * What a claim is about: one reminder to one person, on every channel it reaches them by
 * (an out-of-hours alert goes by SMS and email under one claim).
 */
export interface ClaimKey {
  caseId: string;
  reminderId: string;
  personId: string;
}

export type ClaimResult =
  /** Ours to send: `token` proves it when recording the outcome. */
  | { outcome: 'acquired'; token: string; takeover: boolean }
  | { outcome: 'sent' }
  | { outcome: 'failed' }
  /** Another invocation holds an unexpired lease: it will send (or its lease expires). */
  | { outcome: 'in-flight' };

/** How one channel's send under a claim ended. */
export type ChannelOutcome =
  | { channel: ChannelName; state: 'sent'; messageId?: string }
  | { channel: ChannelName; state: 'failed'; reason: string };

/** Exactly-once sending: a conditional write claims the sends before they go. */
export interface SendClaims {
  claim(key: ClaimKey, now: Date, leaseMs: number): Promise<ClaimResult>;
  /**
   * Records how each channel's send ended, in one write: the claim is `sent` if any channel
   * was, else `failed`, and either way no later firing sends again.
   */
  finish(key: ClaimKey, token: string, now: Date, outcomes: ChannelOutcome[]): Promise<void>;
}

/** One EDT alert kept for the day team's morning digest. */
export interface DigestEntry {
  team: string;
  /** Local date of the digest (the next opening after the alert). */
  date: string;
  caseId: string;
  reminderId: string;
  rule: string;
  dueAt: Date;
  alertedAt: Date;
  /** Who would have been told in hours: they get the digest. */
  recipientIds: string[];
}

/** The morning digests' entries (written with the alert's audit: `ReminderAudit.appendWithDigest`). */
export interface DigestStore {
  list(team: string, date: string): Promise<DigestEntry[]>;
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
    | 'reminder-skipped';
  deadlineId?: string;
  detail: Record<string, unknown>;
}

export interface ReminderAudit {
  /** `caseVersion`: the stored case version read when the lines were written (for ordering). */
  append(entries: ReminderAuditEntry[], caseVersion: number): Promise<void>;
  /**
   * An overnight EDT alert's audit lines and its entry in the day team's morning digest, in
   * one write (both record the same firing; on DynamoDB one BatchWriteItem).
   */
  appendWithDigest(
    entries: ReminderAuditEntry[],
    caseVersion: number,
    digest: DigestEntry,
  ): Promise<void>;
}
