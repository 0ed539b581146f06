/**
 * The ports the use cases depend on. Adapters implement them (`functions/adapters/*`); tests
 * pass in-memory fakes. Nothing here imports the AWS SDK.
 */
import type { AuditEntry, CaseAggregate } from '#domain/model.js';
import type { Timer } from '#domain/timers.js';

export type { Timer };

/** Sets timers at their fire times; both calls are idempotent (timer names are deterministic). */
export interface Scheduler {
  schedule(timers: Timer[]): Promise<void>;
  cancel(names: string[]): Promise<void>;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

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

export interface DeadlineQueryInput {
  status: 'open' | 'met' | 'breached' | 'cancelled';
  dueBefore?: Date | undefined;
  team?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** A deadline as projected for reading (one item per deadline, indexed by status and due time). */
export interface DeadlineRecord {
  id: string;
  caseId: string;
  rule: string;
  status: 'open' | 'met' | 'breached' | 'cancelled';
  dueAt: string;
  startedAt?: string;
  closedAt?: string;
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
  listAudit(caseId: string): Promise<AuditRecord[]>;
}

export interface Person {
  personId: string;
  name: string;
  email: string;
  phone?: string;
  team?: string;
  managerId?: string;
  updatedAt: string;
}

export interface AwayPeriod {
  personId: string;
  from: string;
  to: string;
  delegateId: string;
}

export interface RotaShift {
  personId: string;
  from: string;
  to: string;
}

/** Read side of the directory, for routing reminders. */
export interface Directory {
  getPerson(personId: string): Promise<Person | undefined>;
  /** The second point of contact when `personId` is away at `at`, else undefined. */
  awayAt(personId: string, at: Date): Promise<string | undefined>;
  /** The EDT manager on the rota at `at`, else undefined. */
  onCallAt(at: Date): Promise<string | undefined>;
}

/** Write side of the directory: each write carries its event's idempotency record. */
export interface DirectoryWriter {
  /** Ignores (but still records the event) an upsert older than the stored profile. */
  upsertPerson(person: Person, event: EventRecord): Promise<void>;
  addAway(away: AwayPeriod, event: EventRecord): Promise<void>;
  addShift(shift: RotaShift, event: EventRecord): Promise<void>;
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
