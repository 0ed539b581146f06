/**
 * The ports: everything the use cases (and the reminders' routing) need from outside — the
 * case store, the directory, the scheduler, the channels, send claims, the audit trail, the
 * clock, logs and metrics. Types and the errors their contracts name; no AWS import.
 * Adapters (`functions/adapters/*`) implement them; tests pass the fakes in `test/support/`.
 */
import type { AuditEntry, CaseAggregate } from './model.js';
import type { ReportItem } from './reports/figures.js';
import type { Lateness } from './reports/lateness.js';
import type { Timer } from './timers.js';

export type { Timer };

// ---------------------------------------------------------------------------------------
// Time, logs and metrics

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Structured log lines: ids and reasons only, never contact details. */
export interface Log {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export const silentLog: Log = { info: () => {}, warn: () => {}, error: () => {} };

/** Counters the use cases emit; the handler maps them to CloudWatch metrics (namespace Timescales). */
export type MetricName =
  | 'Sent'
  | 'SendFailed'
  | 'Unroutable'
  | 'TimerDead'
  /** An out-of-hours alert nobody acknowledged went to the senior manager on call. */
  | 'AlertEscalated'
  /** …and then to the fallback contact (or would have, with none configured): an alarm watches it. */
  | 'AlertEscalatedToFallback'
  /** …with no fallback contact configured: the escalation reached nobody (alarmed). */
  | 'AlertReachedNobody'
  /**
   * An escalation timer fired and sent nothing because the clock no longer needs it (its
   * phase acknowledged, the clock met, cancelled or closed, or its breach's chain took over).
   */
  | 'AlertEscalationStopped'
  /** An escalation timer found no case, deadline or alert to escalate (alarmed). */
  | 'AlertEscalationLost'
  // A dropped file's rows refused, or a file refused whole: no clock starts for them until
  // somebody fixes the file, so they raise an alarm rather than wait in a report.
  | 'ImportRowsRefused'
  | 'ImportFileUnusable';

export interface Metrics {
  count(name: MetricName, value?: number): void;
}

// ---------------------------------------------------------------------------------------
// Timers

/** Sets timers at their fire times; both calls are idempotent (timer names are deterministic). */
export interface Scheduler {
  schedule(timers: Timer[]): Promise<void>;
  cancel(names: string[]): Promise<void>;
}

// ---------------------------------------------------------------------------------------
// Cases, events and the audit trail

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
  aggregate: CaseAggregate;
  updatedAt: string;
  /** The aggregate's stored JSON text, when the store has it (keys the engine's plan memo). */
  serialized?: string;
}

export interface CaseCommit {
  caseId: string;
  /** The version read before applying the change; 0 when the case did not exist. */
  expectedVersion: number;
  /** The aggregate as read (undefined for a new case): deadlines that disappeared are deleted. */
  before: CaseAggregate | undefined;
  after: CaseAggregate;
  /** `JSON.stringify(after)` when the caller already made it: the store writes it as is. */
  afterJson?: string;
  audit: AuditEntry[];
  /** The idempotency record written in the same transaction (absent for timer-driven changes). */
  event?: EventRecord;
  now: Date;
}

export type DeadlineStatusName = 'open' | 'met' | 'breached' | 'cancelled';

export interface DeadlineQueryInput {
  status: DeadlineStatusName;
  /** Only deadlines due at or after this instant. */
  dueFrom?: Date | undefined;
  /** Only deadlines due strictly before this instant. */
  dueBefore?: Date | undefined;
  team?: string | undefined;
  limit: number;
  cursor?: string | undefined;
  /**
   * `list`: without the explanation and versions (lists and CSVs need neither, and a
   * deadline's explanation is most of its size). @default 'all'
   */
  fields?: 'all' | 'list' | undefined;
  /** Only these rules (e.g. the urgent ones, for the EDT manager). */
  rules?: readonly string[] | undefined;
  /** None of these rules (a team's other clocks, when its urgent ones are read across teams). */
  exceptRules?: readonly string[] | undefined;
  /** Only deadlines not met since (a breached clock without `metAt`). */
  notMet?: boolean | undefined;
}

/** A deadline as projected for reading (one item per deadline, indexed by status and due time). */
export interface DeadlineRecord {
  id: string;
  caseId: string;
  rule: string;
  status: DeadlineStatusName;
  dueAt: string;
  startedAt?: string;
  closedAt?: string;
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

/** Cases, their deadline projections, audit trail and the event idempotency records. */
export interface CaseStore {
  getEventRecord(eventId: string): Promise<EventRecord | undefined>;
  loadCase(caseId: string): Promise<StoredCase | undefined>;
  /** `getEventRecord` and `loadCase` together (one round trip), for an incoming case event. */
  loadEventAndCase(
    eventId: string,
    caseId: string,
  ): Promise<{ recorded?: EventRecord; stored?: StoredCase }>;
  /**
   * Writes the event record, the case, changed deadline projections and the audit entries in
   * ONE transaction. Throws `EventAlreadyRecordedError` when the event id is taken and
   * `VersionConflictError` when the case moved on since it was read.
   */
  commitCase(commit: CaseCommit): Promise<void>;
  listDeadlines(caseId: string): Promise<DeadlineRecord[]>;
  queryDeadlines(
    query: DeadlineQueryInput,
  ): Promise<{ deadlines: DeadlineRecord[]; nextCursor?: string }>;
  /** How many deadlines `queryDeadlines` would list in all (its limit and cursor aside). */
  countDeadlines(query: Omit<DeadlineQueryInput, 'limit' | 'cursor' | 'fields'>): Promise<number>;
  listAudit(caseId: string): Promise<AuditRecord[]>;
  /** The ids of the open cases, a page at a time in case id order (snapshot reconciliation). */
  listOpenCases(page: {
    limit: number;
    cursor?: string | undefined;
  }): Promise<{ caseIds: string[]; nextCursor?: string }>;
}

// ---------------------------------------------------------------------------------------
// The compliance report's counters

/** Months `from` to `to` (`YYYY-MM`, inclusive); optionally only some teams or one rule. */
export interface ReportQuery {
  from: string;
  to: string;
  /** Only these teams (a team manager's); absent: every team. */
  teams?: readonly string[] | undefined;
  rule?: string | undefined;
}

/**
 * The report's counters per rule, team and month. `CaseStore.commitCase` keeps them in step
 * with the deadlines (same transaction); `replaceAll` is `rebuild-reports`.
 */
export interface ReportStore {
  readReport(query: ReportQuery): Promise<ReportItem[]>;
  /** Writes exactly `items`: every other report item is deleted. */
  replaceAll(items: readonly ReportItem[]): Promise<{ written: number; deleted: number }>;
}

/** Every case in the store, for recomputations that must see closed cases too. */
export interface CaseScan {
  /** Calls `visit` with every case, open or closed, in no particular order. */
  scanCases(visit: (aggregate: CaseAggregate) => void): Promise<void>;
}

/** The event id was already recorded (by an earlier or a concurrent delivery). */
export class EventAlreadyRecordedError extends Error {
  constructor(readonly eventId: string) {
    super(`event ${eventId} is already recorded`);
    this.name = 'EventAlreadyRecordedError';
  }
}

/** The case changed between read and write. */
export class VersionConflictError extends Error {
  constructor(readonly caseId: string) {
    super(`case ${caseId} changed concurrently`);
    this.name = 'VersionConflictError';
  }
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
    | 'alert-escalation-stopped';
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
  missing: { reason: string; role?: string; personId?: string; channel?: ChannelName }[];
  /** The events that would fix it, e.g. "send case.updated with a worker in role lado". */
  fix: string[];
  /** Whether the fallback contact was told: `sent`, `failed`, or `none` (no fallback configured). */
  fallback: 'sent' | 'failed' | 'none';
}

export interface UnroutedQueryInput {
  /** Only reminders due to fire at or after this instant. */
  since?: Date | undefined;
  team?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** Unrouted reminders, newest first (written with the firing's audit lines). */
export interface UnroutedStore {
  queryUnrouted(
    query: UnroutedQueryInput,
  ): Promise<{ reminders: UnroutedReminder[]; nextCursor?: string }>;
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

export interface ReminderAudit {
  /**
   * `caseVersion`: the stored case version read when the lines were written (for ordering).
   * `unrouted`: the firing's record for `GET /v1/reminders/unrouted`, written with the lines.
   */
  append(
    entries: ReminderAuditEntry[],
    caseVersion: number,
    unrouted?: UnroutedReminder,
  ): Promise<void>;
  /**
   * An overnight EDT alert's audit lines and its entry in the day team's morning digest, in
   * one write (both record the same firing; on DynamoDB one BatchWriteItem).
   */
  appendWithDigest(
    entries: ReminderAuditEntry[],
    caseVersion: number,
    digest: DigestEntry,
    unrouted?: UnroutedReminder,
  ): Promise<void>;
}

/** The morning digests' entries (written with the alert's audit: `ReminderAudit.appendWithDigest`). */
export interface DigestStore {
  list(team: string, date: string): Promise<DigestEntry[]>;
}

// ---------------------------------------------------------------------------------------
// The directory: people, away periods, the EDT rota

/** A professional in the directory. No child or family data is ever held here. */
export interface Person {
  personId: string;
  name: string;
  email: string;
  phone?: string;
  team?: string;
  managerId?: string;
  updatedAt: string;
}

/** A person's second point of contact for a period. */
export interface AwayPeriod {
  personId: string;
  from: string;
  to: string;
  delegateId: string;
}

/** A person on the EDT rota for a period, at a tier (1: the EDT manager, the default; 2: the senior manager). */
export interface RotaShift {
  personId: string;
  from: string;
  to: string;
  tier?: 1 | 2;
}

/** Read side of the directory, for routing reminders. */
export interface Directory {
  getPerson(personId: string): Promise<Person | undefined>;
  /** The delegate (second point of contact) when the person is away at `at`, if any. */
  awayAt(personId: string, at: Date): Promise<string | undefined>;
  /**
   * Who is on the rota at `at`, if anyone: at tier 1 (the default) the EDT manager on call, at
   * tier 2 the senior manager on call above them.
   */
  onCallAt(at: Date, tier?: 1 | 2): Promise<string | undefined>;
  /**
   * The manager of a team: the person most of the team's members name as their manager (ties:
   * the smaller id). For the morning digest of a case that names no team manager.
   */
  teamManager?(team: string): Promise<string | undefined>;
  /**
   * Brings a cached directory up to date with the directory stamp read with a case (an
   * uncached directory is always current and leaves this out).
   */
  observe?(generation: number): void;
  /**
   * The same for a path that routes without reading a case first (the morning digest): reads
   * the stamp itself.
   */
  sync?(): Promise<void>;
}

/** A rota shift as stored (`tier` absent: tier 1, the EDT manager on call). */
export type StoredShift = RotaShift;

/** The directory, listed for reading (`GET /v1/people`, `/v1/people/{id}`, `/v1/rota`). */
export interface DirectoryListing {
  getPerson(personId: string): Promise<Person | undefined>;
  /** People by person id, a page at a time; with `team`, that team's only. */
  listPeople(page: {
    team?: string | undefined;
    limit: number;
    cursor?: string | undefined;
  }): Promise<{ people: Person[]; nextCursor?: string }>;
  /** Every away period of a person, oldest first. */
  awayPeriods(personId: string): Promise<AwayPeriod[]>;
  /** The shifts overlapping [from, to), by start then person, a page at a time. */
  listShifts(page: {
    from: Date;
    to: Date;
    limit: number;
    cursor?: string | undefined;
  }): Promise<{ shifts: StoredShift[]; nextCursor?: string }>;
}

/**
 * What the managers' pages read besides the listing (`/app/people`, `/app/on-call`, sign-in):
 * the current and coming away periods of everyone, and the directory stamp, so a people list
 * read at one generation is kept until it moves.
 */
export interface DirectoryOverview {
  /** Away periods that end after `at`: the current and coming ones. */
  awayEndingAfter(at: Date): Promise<AwayPeriod[]>;
  generation(): Promise<number>;
}

/** EDT alerts (the morning digests' entries) across teams, by when they were sent. */
export interface AlertLog {
  alertsSince(since: Date): Promise<DigestEntry[]>;
}

/** Write side of the directory: each write carries its event's idempotency record. */
export interface DirectoryWriter {
  /** Ignores (but still records the event) an upsert older than the stored profile. */
  upsertPerson(person: Person, event: EventRecord): Promise<void>;
  addAway(away: AwayPeriod, event: EventRecord): Promise<void>;
  addShift(shift: RotaShift, event: EventRecord): Promise<void>;
}

// ---------------------------------------------------------------------------------------
// Channels and exactly-once sending

export type ChannelName = 'email' | 'sms';

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

// ---------------------------------------------------------------------------------------
// Out-of-hours alerts: acknowledged, or escalated to the second tier

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

export interface AlertQueryInput {
  status: 'open' | 'acknowledged';
  limit: number;
  cursor?: string | undefined;
}

/** Alerts and each clock's alert state. Reads are strongly consistent. */
export interface AlertStore {
  getAlert(alertId: string): Promise<Alert | undefined>;
  /** The clock's alert state; an empty one (revision 0) when it has none. */
  getClock(caseId: string, deadlineId: string): Promise<ClockAlerts>;
  /**
   * A new alert and the clock's state with it, in one write. Throws `AlertConflictError` when
   * the clock moved since `before` was read, or the alert id is already taken.
   */
  recordAlert(alert: Alert, before: ClockAlerts, after: ClockAlerts): Promise<void>;
  /** The clock's new state (an escalation recorded); `AlertConflictError` as above. */
  saveClock(before: ClockAlerts, after: ClockAlerts): Promise<void>;
  /**
   * An acknowledgement: the clock's new state and each of `alertIds` marked acknowledged, in
   * one write; `AlertConflictError` when the clock moved since `before` was read.
   */
  acknowledge(
    before: ClockAlerts,
    after: ClockAlerts,
    alertIds: readonly string[],
    ack: AlertAck,
  ): Promise<void>;
  /** Alerts by status, newest first. */
  listAlerts(query: AlertQueryInput): Promise<{ alerts: Alert[]; nextCursor?: string }>;
}

/** A conditional write on a clock's alert state (or a new alert id) lost: read again and retry. */
export class AlertConflictError extends Error {
  constructor(readonly key: string) {
    super(`alert state ${key} changed concurrently`);
    this.name = 'AlertConflictError';
  }
}

/** Makes the link an alert is acknowledged by (the signed token in the path). */
export interface AlertLinks {
  link(alertId: string, validUntil: Date): string;
}

// ---------------------------------------------------------------------------------------
// Imports from the drop bucket

/** One version of one object in the drop bucket. */
export interface ImportObject {
  bucket: string;
  key: string;
  /** The object's version id, else its ETag. */
  version: string;
}

/** Where an object's import stands: resumed from `nextLine` by a later invocation. */
export interface ImportCheckpoint {
  nextLine: number;
  done: boolean;
  tally: { rows: number; imported: number; unchanged: number; refused: number };
  /** The report's lists so far (refused rows, warnings), as the report writes them. */
  report: unknown;
}

export interface ImportProgressStore {
  load(object: ImportObject): Promise<ImportCheckpoint | undefined>;
  save(object: ImportObject, checkpoint: ImportCheckpoint, now: Date): Promise<void>;
}
