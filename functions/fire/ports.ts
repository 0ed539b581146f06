/**
 * What firing a timer needs and returns: the ports (case store, scheduler, directory,
 * channels, claims, digests, audit, clock) and the outcome, shared by the fire use case's
 * modules (`fire-timer`, `fire-reminder`, `fire-digest`, `send-once`, `replace-timers`).
 */
import type { Calendar } from '#kernel/calendar/index.js';
import type { CalendarFor } from '#kernel/engine/index.js';
import type { AuditEntry, CaseAggregate } from '#kernel/model.js';
import type { Person } from '#kernel/people.js';
import type {
  AlertDeps,
  CaseStore,
  Clock,
  DigestStore,
  Directory,
  Log,
  Metrics,
  ReminderAudit,
  Scheduler,
} from '#kernel/ports.js';
import type { ChannelName, StoredCase } from '#kernel/records.js';
import type { Backoff } from '#kernel/reminders/backoff.js';
import type { ReminderPlans } from '#kernel/reminders/types.js';
import type { Timer } from '#kernel/timers.js';

/** The case store as the fire path uses it. */
export interface FireCaseStore extends Pick<CaseStore, 'loadCase' | 'commitCase'> {
  /**
   * The case and the directory stamp's generation, read together in one consistent read:
   * routing after `Directory.observe(generation)` sees every directory write made before
   * the case was read.
   */
  loadCaseWithDirectoryStamp(
    caseId: string,
  ): Promise<{ stored?: StoredCase; directoryGeneration: number }>;
}

export interface FireTimerDeps {
  cases: FireCaseStore;
  /**
   * Brings the calendar up to date with the operator's stored bank-holiday feed before a
   * timer is handled. @default none (the calendar is fixed)
   */
  refreshCalendar?: () => Promise<void>;
  /** The engine's `advance` with its context (calendar, rules) bound by the caller. */
  advance: (
    aggregate: CaseAggregate,
    now: Date,
  ) => { aggregate: CaseAggregate; audit: AuditEntry[] };
  /** The case's full timer plan (`planTimers` with the reminder planner wired). */
  planTimers: (aggregate: CaseAggregate) => Timer[];
  scheduler: Scheduler;
  directory: Directory;
  channels: Partial<Record<ChannelName, Channel>>;
  claims: SendClaims;
  digests: DigestStore;
  audit: ReminderAudit;
  clock: Clock;
  /** The authority's calendar: the morning digests', and the clocks' of a case with no division. */
  calendar: Calendar;
  /**
   * The calendar of a case in another division (its bank holidays, the authority's hours):
   * what a case's reminders are planned and routed with. @default `calendar` for every case
   */
  calendarFor?: CalendarFor;
  plans: ReminderPlans;
  caseUrlTemplate: string;
  /** The organiser of invitations (the SES sender). */
  emailFrom: string;
  /** The council's name, at the top of every email. @default none (the service's name alone) */
  authorityName?: string;
  /**
   * The authority's fallback contact as a person (`fallbackPerson`): reminders that reach
   * nobody they were meant for, and morning digests with nobody to go to, go there.
   * @default none (a routing gap is only logged, audited and counted)
   */
  fallback?: Person | undefined;
  /**
   * Names of the digest timers this process has scheduled: every overnight EDT alert of a team
   * names the same morning digest, so a burst of alerts schedules it once, not once each
   * (on AWS, CreateSchedule is rate-limited). @default none (schedule every time)
   */
  digestsScheduled?: Set<string>;
  /** How long a claim protects a send in progress. @default 120 s */
  leaseMs?: number;
  /** Retries of a failing send. @default 5 attempts, 500 ms base, 8 s cap */
  sendBackoff?: Partial<Backoff>;
  log?: Log;
  /** Outcome counters (`Sent`, `SendFailed`, `Unroutable`). @default none */
  metrics?: Metrics;
  /**
   * Urgent out-of-hours alerts asking to be acknowledged, escalated when nobody does.
   * @default none (alerts are sent and not tracked)
   */
  alerts?: AlertDeps | undefined;
}

/** What sending did, counted: the outcome of a reminder or a digest firing. */
export interface SendTally {
  sent: number;
  duplicates: number;
  deferred: number;
  failed: number;
  /** A send is in flight in another invocation: the handler throws so the timer is retried. */
  retryLater: boolean;
}

export type FireOutcome =
  | { status: 'ignored'; reason: string }
  | { status: 'advanced'; changed: boolean }
  | ({ status: 'reminded' | 'digest' } & SendTally);

export function emptyTally<S extends 'reminded' | 'digest'>(status: S): { status: S } & SendTally {
  return { status, sent: 0, duplicates: 0, deferred: 0, failed: 0, retryLater: false };
}

// ---------------------------------------------------------------------------------------
// Channels and exactly-once sending

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
  /** The email's `Date` and `Message-ID` headers (see `emailMessageId`). */
  headers?: { date: Date; messageId: string };
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
