/**
 * The ports two or more features share: what the use cases need from outside — the case
 * store, the directory, the scheduler, the audit trail, alerts, the clock, logs and metrics.
 * Interfaces only (the entities they carry are in `records.ts`, `people.ts` and
 * `alert-state.ts`, the errors their contracts name in `errors.ts`); no AWS import. The
 * adapters in `functions/platform/` implement them; tests pass the fakes in `test/support/`.
 * A port only one feature uses lives in that feature's own `ports.ts`.
 */
import type { Alert, AlertAck, ClockAlerts } from './alert-state.js';
import type { MetricName } from './metrics.js';
import type { AuditEntry, CaseAggregate } from './model.js';
import type { AwayPeriod, Person, RotaShift, StoredShift } from './people.js';
import type {
  AuditRecord,
  DeadlineRecord,
  DeadlineStatusName,
  DigestEntry,
  EventRecord,
  ReminderAuditEntry,
  StoredCase,
  UnroutedReminder,
} from './records.js';
import type { ReportItem } from './reports/figures.js';
import type { Timer } from './timers.js';

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

export interface Metrics {
  count(name: MetricName, value?: number): void;
}

/** Sets timers at their fire times; both calls are idempotent (timer names are deterministic). */
export interface Scheduler {
  schedule(timers: Timer[]): Promise<void>;
  cancel(names: string[]): Promise<void>;
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
  /**
   * The reminder timers the change planned and cancelled, as audit lines written in the same
   * transaction under the new version (after `audit` in the trail): the plan is decided before
   * the commit, so the trail needs no write of its own. Absent: none.
   */
  reminderLines?: ReminderAuditEntry[] | undefined;
  /** The idempotency record written in the same transaction (absent for timer-driven changes). */
  event?: EventRecord;
  now: Date;
}

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
}

/** The morning digests' entries (the fire path writes each with its alert's outcome). */
export interface DigestStore {
  list(team: string, date: string): Promise<DigestEntry[]>;
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
}

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

/** Write side of the directory: each write carries its event's idempotency record. */
export interface DirectoryWriter {
  /** Ignores (but still records the event) an upsert older than the stored profile. */
  upsertPerson(person: Person, event: EventRecord): Promise<void>;
  addAway(away: AwayPeriod, event: EventRecord): Promise<void>;
  addShift(shift: RotaShift, event: EventRecord): Promise<void>;
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

/** Makes the link an alert is acknowledged by (the signed token in the path). */
export interface AlertLinks {
  link(alertId: string, validUntil: Date): string;
}

/** What urgent out-of-hours alerts need: their store, their links, how long they wait. */
export interface AlertDeps {
  store: AlertStore;
  /** Makes each alert's ack link. @default none (alerts are acknowledged by SMS or the API) */
  links?: AlertLinks | undefined;
  /** How long an alert waits for acknowledgement before the next tier hears of it (ms). */
  ackWithinMs: number;
  /** Two-way SMS is configured: alert SMS say "Reply YES to acknowledge". */
  replyYes: boolean;
}
