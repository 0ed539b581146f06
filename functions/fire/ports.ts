/**
 * What firing a timer needs, kind by kind: each kind of timer (due, reminder, escalation,
 * digest) gets only what it uses (`DueDeps`, `ReminderDeps`, `EscalationDeps`, `DigestDeps`);
 * the three that send share `SendDeps` (the firing store, the channels, the clock) and
 * `MessageSettings`. The firing store (`FiringStore`) is the fire path's own: one batched read
 * of what a kind decides from, one conditional write that claims a send (with the alert it
 * records), one write that records how the sends went with the firing's records.
 */
import type { Alert, ClockAlerts } from '#kernel/alert-state.js';
import type { Calendar } from '#kernel/calendar/index.js';
import type { CalendarFor } from '#kernel/engine/index.js';
import type { AuditEntry, CaseAggregate } from '#kernel/model.js';
import type { Person } from '#kernel/people.js';
import type {
  AlertLinks,
  CaseStore,
  Clock,
  DigestStore,
  Directory,
  Log,
  Metrics,
  ReminderAudit,
  Scheduler,
} from '#kernel/ports.js';
import type {
  ChannelName,
  DigestEntry,
  ReminderAuditEntry,
  StoredCase,
  UnroutedReminder,
} from '#kernel/records.js';
import type { Backoff } from '#kernel/reminders/backoff.js';
import type { EmailLayout } from '#kernel/reminders/email-layout.js';
import type { ReminderPlans } from '#kernel/reminders/types.js';
import type { Timer } from '#kernel/timers.js';
import type { UndeliveredDeps } from './undelivered-ports.js';

/** Every kind's dependencies, built once per process by the wiring. */
export interface FireTimerDeps {
  /**
   * Brings the calendar up to date with the operator's stored bank-holiday feed before a
   * timer is handled. @default none (the calendar is fixed)
   */
  refreshCalendar?: () => Promise<void>;
  /** The handler's own log and counts (a payload no retry can make valid: `TimerDead`). */
  log?: Log | undefined;
  metrics?: Metrics | undefined;
  due: DueDeps;
  reminder: ReminderDeps;
  escalation: EscalationDeps;
  digest: DigestDeps;
  /** A person not told (`undelivered`). @default none (followed up nowhere: only recorded) */
  undelivered?: UndeliveredDeps | undefined;
}

/** A `due` timer: breach or escalate the case's deadlines, then move its timers. */
export interface DueDeps {
  cases: Pick<CaseStore, 'loadCase' | 'commitCase'>;
  /** The engine's `advance` with its context (calendar, rules) bound by the caller. */
  advance: (
    aggregate: CaseAggregate,
    now: Date,
  ) => { aggregate: CaseAggregate; audit: AuditEntry[] };
  /** The case's full timer plan (`planTimers` with the reminder planner wired). */
  planTimers: (aggregate: CaseAggregate) => Timer[];
  scheduler: Scheduler;
  /** Where the re-planned reminder timers are audited. */
  audit: ReminderAudit;
  clock: Clock;
  log?: Log | undefined;
}

/** What every kind that sends needs: the firing store, the channels, timers, the clock. */
export interface SendDeps {
  store: FiringStore;
  channels: Partial<Record<ChannelName, Channel>>;
  scheduler: Scheduler;
  clock: Clock;
  /** How long a claim protects a send in progress. @default 120 s */
  leaseMs?: number | undefined;
  /** Retries of a failing send. @default 5 attempts, 500 ms base, 8 s cap */
  sendBackoff?: Partial<Backoff> | undefined;
  /** When the invocation must stop waiting (epoch ms): a later retry is the timer's. */
  deadline?: (() => number) | undefined;
  log?: Log | undefined;
  /** Outcome counters (`Sent`, `SendFailed`, `Unroutable`, the alerts' …). @default none */
  metrics?: Metrics | undefined;
  /**
   * A person the provider would not take a message for (it refused it after every retry): a
   * person not told, followed up as an undelivered receipt is. @default none (only recorded)
   */
  undelivered?: ((followUp: UndeliveredPayload) => Promise<unknown>) | undefined;
}

/**
 * A send not delivered (a receipt said so, or the provider refused it): what the fire path is
 * asked to follow up — the person's other channel, the fallback contact when the step reached
 * nobody, an alert's escalation at once.
 */
export interface UndeliveredPayload {
  kind: 'undelivered';
  caseId: string;
  /** The send's claim (`<reminder>~<channel>` for a message on the person's other channel). */
  reminderId: string;
  personId: string;
}

/** How messages are written: the plans' titles and actions, the case link, the sender. */
export interface MessageSettings {
  plans: ReminderPlans;
  caseUrlTemplate: string;
  /** The organiser of invitations (the SES sender). */
  emailFrom: string;
  /** The council's name, at the top of every email. @default none (the service's name alone) */
  authorityName?: string | undefined;
  /** The council's name in text messages (under 20 characters). @default `authorityName` */
  authorityShortName?: string | undefined;
  /**
   * The authority's fallback contact as a person (`fallbackPerson`): reminders that reach
   * nobody they were meant for, escalations past tier 2, digests with nobody to go to.
   * @default none (a routing gap is only logged, audited and counted)
   */
  fallback?: Person | undefined;
}

/** Urgent out-of-hours alerts: asked to be acknowledged, escalated when nobody does. */
export interface AlertSettings {
  /** Makes each alert's ack link. @default none (acknowledged by SMS or the API) */
  links?: AlertLinks | undefined;
  /** How long an alert waits for acknowledgement before the next tier hears of it (ms). */
  ackWithinMs: number;
  /** Two-way SMS is configured: alert SMS say "Reply YES to acknowledge". */
  replyYes: boolean;
}

/** A `reminder` timer: one step of a deadline's plan. */
export interface ReminderDeps extends SendDeps, MessageSettings {
  directory: Directory;
  /** The authority's calendar: the morning digest's opening, a case with no division's clocks. */
  calendar: Calendar;
  /**
   * The calendar of a case in another division (its bank holidays, the authority's hours):
   * what a case's reminders are planned and routed with. @default `calendar` for every case
   */
  calendarFor?: CalendarFor | undefined;
  /** @default none (alerts are sent and not tracked) */
  alerts?: AlertSettings | undefined;
  /**
   * Names of the digest timers this process has scheduled: every overnight EDT alert of a team
   * names the same morning digest, so a burst of alerts schedules it once, not once each
   * (on AWS, CreateSchedule is rate-limited). @default none (schedule every time)
   */
  digestsScheduled?: Set<string> | undefined;
}

/** An `escalation` timer: an alert nobody acknowledged, to the next tier. */
export interface EscalationDeps extends SendDeps, MessageSettings {
  directory: Directory;
  /** @default none (nothing is tracked, so an escalation timer finds nothing to escalate) */
  alerts?: AlertSettings | undefined;
}

/** A `digest` timer: the day team's one email of the night's EDT alerts. */
export interface DigestDeps extends SendDeps, MessageSettings {
  digests: DigestStore;
  directory: Directory;
  /** The authority's calendar: the team's hours and the digest's period. */
  calendar: Calendar;
  /** Alerts are tracked: each clock's line says who acknowledged. @default false */
  alertsTracked?: boolean | undefined;
}

// ---------------------------------------------------------------------------------------
// The firing store: one read, one claim, one record

/** What a reminder or an escalation decides from, read together. */
export interface FiringState {
  stored?: StoredCase;
  /** The directory stamp's generation, read with the case (`Directory.observe`). */
  directoryGeneration: number;
  /** The clock's alert state (asked for with its deadline id; empty when it has none). */
  clock?: ClockAlerts;
}

/** What a morning digest decides from: its cases and their clocks' alert states. */
export interface DigestState {
  cases: ReadonlyMap<string, StoredCase>;
  /** By `<caseId>|<deadlineId>` (asked for when alerts are tracked). */
  clocks: ReadonlyMap<string, ClockAlerts>;
  directoryGeneration: number;
}

/** The fire path's reads and writes. Reads are strongly consistent. */
export interface FiringStore {
  /**
   * The case and the directory stamp, and with `deadlineId` that clock's alert state: ONE
   * read (on DynamoDB one BatchGetItem), so routing after `Directory.observe(generation)` sees
   * every directory write made before the case was read.
   */
  read(caseId: string, deadlineId?: string): Promise<FiringState>;
  /** A digest's cases, the clocks named and the directory stamp, in as few reads as fit. */
  readDigest(
    caseIds: readonly string[],
    clocks: readonly { caseId: string; deadlineId: string }[],
  ): Promise<DigestState>;
  /** Alerts by id: a redelivery's alert, or an id probed past one another alert holds. */
  getAlerts(alertIds: readonly string[]): Promise<Map<string, Alert>>;
  /**
   * ONE conditional write: claims a person's sends and, with `guard`, records the alert and
   * the clock's new state in the same write (either may come alone).
   */
  claim(claim: Claim, now: Date, leaseMs: number): Promise<ClaimResult>;
  /**
   * ONE write (on DynamoDB one BatchWriteItem, where 25 items hold it: a digest of many cases
   * takes more): every claim this firing acquired, finished with each channel's outcome, with
   * the firing's audit lines, its morning-digest entry and its unrouted record. Nothing in it
   * is conditional, and each item is a final state: written twice, it changes nothing.
   */
  record(record: FiringRecord): Promise<void>;
  /**
   * Marks a finished claim's refused channels as followed up, once the follow-up is done: a
   * later firing of the same timer then finds nothing owed (`ClaimResult.followUpOwed`).
   */
  followedUp(key: ClaimKey): Promise<void>;
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

/** The alert state a firing changes, written only if the clock is still as it was read. */
export interface AlertGuard {
  /** A new alert (its id must be free). */
  alert?: Alert | undefined;
  clock: { before: ClockAlerts; after: ClockAlerts };
}

export interface Claim {
  /** The sends to claim. @default none: the guard alone */
  key?: ClaimKey | undefined;
  /** Kept with the claim for its delivery receipts (`SendContext`). */
  context?: SendContext | undefined;
  guard?: AlertGuard | undefined;
}

export type ClaimResult =
  /**
   * Ours to send (or, with no key, the guard written): `token` proves it when recording.
   * `done`: what an earlier attempt under this claim already sent (a provider's rate limit
   * held the rest back), not to be sent again. `unrecorded`: taken over from an attempt that
   * stopped before recording anything, so its messages may have gone.
   */
  | {
      outcome: 'acquired';
      token: string;
      takeover: boolean;
      done?: ChannelOutcome[];
      unrecorded?: true;
    }
  /**
   * Finished: some channel went (`sent`) or none did (`failed`). `followUpOwed`: a channel was
   * refused and its follow-up is not marked done — the firing that recorded it stopped before
   * following it up, so this one does.
   */
  | { outcome: 'sent' | 'failed'; followUpOwed?: true }
  /** Another invocation holds an unexpired lease: it will send (or its lease expires). */
  | { outcome: 'in-flight' }
  /**
   * The guard could not be written (the clock moved since it was read, or the alert's id is
   * taken): nothing was written. Read again and decide again.
   */
  | { outcome: 'conflict' };

/**
 * What a claim keeps for the delivery receipts of its sends: who else the step was meant for
 * (a failure is a person not told; the step reached nobody only when none of them was
 * reached), the alert its messages carry, and the case version its audit lines follow.
 */
export interface SendContext {
  /** Every person the step was meant for (sent to, or held to their opening), but the fallback. */
  peers: string[];
  /** The channels the claim's messages go by: receipts for all of them settle the person. */
  channels: ChannelName[];
  /** The out-of-hours alert the messages carry: an undelivered one escalates at once. */
  alert?: { alertId: string; tier: 1 | 2 | 'fallback'; phase: 'open' | 'breached' } | undefined;
  caseVersion: number;
}

/**
 * How one channel's send under a claim ended: `throttled`, the provider's rate limit held it
 * back after every retry: not sent, and the claim is left to be tried again (never a failure,
 * never a double).
 */
export type ChannelOutcome =
  | { channel: ChannelName; state: 'sent'; messageId?: string }
  | { channel: ChannelName; state: 'failed'; reason: string }
  | { channel: ChannelName; state: 'throttled'; reason: string };

/** What a firing writes once its sends are done. */
export interface FiringRecord {
  now: Date;
  /**
   * The claims this firing acquired: `sent` if any channel was, else `failed`; final either
   * way — unless a channel was `throttled`: then the claim stays open, its lease ended, with
   * what was sent, for the timer's retry to finish.
   */
  finished: {
    key: ClaimKey;
    token: string;
    outcomes: ChannelOutcome[];
    context?: SendContext | undefined;
  }[];
  /** Audit lines, by case, each after the case version read (for ordering). */
  audit: { entries: ReminderAuditEntry[]; caseVersion: number }[];
  digest?: DigestEntry | undefined;
  /** One, or one per case (a morning digest that reached nobody). */
  unrouted?: UnroutedReminder | readonly UnroutedReminder[] | undefined;
}

// ---------------------------------------------------------------------------------------
// Channels and outcomes

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
  /** The email's parts, for a provider that lays emails out itself (GOV.UK Notify's markdown). */
  layout?: EmailLayout;
  /** The email's `Date` and `Message-ID` headers (see `emailMessageId`). */
  headers?: { date: Date; messageId: string };
  meta: { caseId: string; rule: string; reminderId: string; personId: string };
}

/** A way to reach people (SES email, SMS, the local outbox). */
export interface Channel {
  readonly name: ChannelName;
  /**
   * Resolves once the provider accepted the message; throws `ChannelError` otherwise.
   * `takenOver`: the send's claim was taken over from an invocation that stopped before
   * recording anything, so the message may already have gone (a provider that can look it up
   * does, before sending).
   */
  send(message: OutboundMessage, attempt?: { takenOver: boolean }): Promise<{ messageId?: string }>;
}

/**
 * A send that failed; `retryable` for throttling and 5xx, not for a rejected message;
 * `rateLimited` when the provider refused it for its rate limit (GOV.UK Notify's 429): not
 * taken, so trying again later can never double it.
 */
export class ChannelError extends Error {
  readonly retryable: boolean;
  readonly code: string;
  readonly rateLimited: boolean;
  constructor(
    message: string,
    options: { retryable: boolean; code: string; cause?: unknown; rateLimited?: boolean },
  ) {
    super(message, { cause: options.cause });
    this.name = 'ChannelError';
    this.retryable = options.retryable;
    this.code = options.code;
    this.rateLimited = options.rateLimited ?? false;
  }
}

/** How one message's send went, as a firing sees it. */
export type SendResult =
  | { status: 'sent'; messageId?: string }
  | { status: 'duplicate' }
  | { status: 'in-flight' }
  | { status: 'failed'; reason: string };

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
