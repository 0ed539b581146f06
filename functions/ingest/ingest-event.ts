/**
 * Ingest one webhook event.
 *
 * Input: the parsed JSON body (already signature-checked). Output: the answer to send
 * (`202 {eventId, status:'accepted', caseId, warnings}`), identical for every delivery of the
 * event.
 *
 * 1. Validate the envelope (`schemas/events.ts`); a bad one is a `ValidationError` naming
 *    fields, an instant outside the years the calendar covers an `UnprocessableEventError`.
 * 2. Read the event record — for a case event together with the case, in one round trip. If
 *    the id is recorded: a different body is an `IdempotencyConflictError`; the same body gets
 *    the stored answer (and, for case events, the case's timers are re-synced).
 * 3. Case events: `engine.applyEvent` on the case read, work out what the reminders will lack
 *    (the answer's `warnings`, `event-warnings.ts`) and diff the timer plans before/after;
 *    commit event record (with that answer) + case + deadline projections + audit + the
 *    planned/cancelled reminder lines in ONE transaction; a version conflict reloads and
 *    retries (bounded); losing the event-record race returns the winner's answer.
 * 4. After the commit, call the `Scheduler` with the diff (a redelivery schedules the whole
 *    plan again and appends only the planned lines the trail does not already hold).
 * 5. Directory events: warn of people they name that the directory lacks, then write person
 *    / away period / rota shift with the event record (and its answer).
 */
import * as crypto from 'node:crypto';
import type { CaseEngine } from '#kernel/engine/case-engine.js';
import { UnknownSubjectError } from '#kernel/engine/types.js';
import {
  ContentionError,
  EventAlreadyRecordedError,
  fieldErrors,
  IdempotencyConflictError,
  TimerSyncError,
  UnprocessableEventError,
  ValidationError,
  VersionConflictError,
} from '#kernel/errors.js';
import { canonicalJson } from '#kernel/ids.js';
import type { CaseAggregate } from '#kernel/model.js';
import type {
  CaseStore,
  Clock,
  Directory,
  DirectoryWriter,
  ReminderAudit,
  Scheduler,
} from '#kernel/ports.js';
import type { EventRecord, StoredAnswer, StoredCase } from '#kernel/records.js';
import { backoffDelay, realSleep } from '#kernel/reminders/backoff.js';
import { DEFAULT_REMINDER_PLANS } from '#kernel/reminders/plans.js';
import { diffTimers, type Timer } from '#kernel/timers.js';
import { serializeAggregate } from '#platform/dynamodb/codec.js';
import { reminderTimerAudit, tellScheduler } from '#platform/replace-timers.js';
import {
  type CaseEvent,
  type DirectoryEvent,
  EventEnvelope,
  isOutsideCalendarIssue,
} from '#schemas/events.js';
import type { EventAccepted, EventWarning } from '#schemas/responses.js';
import type { DecodedCases } from './decoded-cases.js';
import { caseEventWarnings, directoryEventWarnings } from './event-warnings.js';

export interface IngestDeps {
  store: CaseStore;
  directory: DirectoryWriter;
  /**
   * Directory reads for the answer's warnings (people an event names that the directory lacks).
   * @default none (no person is checked)
   */
  people?: Pick<Directory, 'getPerson'>;
  engine: CaseEngine;
  scheduler: Scheduler;
  /** Where planned/cancelled reminder lines go (the case's audit trail); absent: not audited. */
  reminderAudit?: ReminderAudit;
  clock: Clock;
  log?: { warn(message: string, ...extra: Record<string, unknown>[]): void };
  /** Attempts before giving up on a contended case. */
  maxAttempts?: number;
  /**
   * The aggregates this container committed, reused when the next event on a case reads the
   * same text. @default none (every read is decoded)
   */
  decoded?: DecodedCases;
  /** Waits between contended attempts. @default a real timer */
  sleep?: (ms: number) => Promise<void>;
  /** Jitter for those waits, in [0, 1). @default Math.random */
  random?: () => number;
}

/** Full jitter over 20 ms doubling per attempt, at most 250 ms: contention clears fast. */
const CONTENTION_BACKOFF = { baseDelayMs: 20, maxDelayMs: 250 };

/** Largest serialised case aggregate accepted (the item limit is 400 KB). */
export const MAX_CASE_BYTES = 300_000;

export async function ingestEvent(body: unknown, deps: IngestDeps): Promise<StoredAnswer> {
  const parsed = EventEnvelope.safeParse(body);
  if (!parsed.success) {
    // Well-formed, but at an instant the calendar cannot reckon with: unprocessable, not malformed.
    if (parsed.error.issues.every(isOutsideCalendarIssue)) {
      throw new UnprocessableEventError('the event has an instant outside the calendar’s years', {
        errors: fieldErrors(parsed.error),
      });
    }
    throw new ValidationError('the event does not match its schema', {
      errors: fieldErrors(parsed.error),
    });
  }
  const event = parsed.data;
  const bodyHash = hashOf(body);
  const maxAttempts = deps.maxAttempts ?? 12;

  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    try {
      if (!isCaseEvent(event)) {
        const recorded = await deps.store.getEventRecord(event.id);
        if (recorded !== undefined) return await replay(recorded, bodyHash, event, deps);
        return await applyDirectoryEvent(event, bodyHash, deps);
      }
      const { recorded, stored } = await deps.store.loadEventAndCase(event.id, event.caseId);
      if (recorded !== undefined) return await replay(recorded, bodyHash, event, deps, stored);
      return await applyCaseEvent(event, stored, bodyHash, deps);
    } catch (error) {
      if (!(error instanceof VersionConflictError || error instanceof EventAlreadyRecordedError))
        throw error;
      deps.log?.warn('event write contended; retrying', {
        eventId: event.id,
        attempt,
        reason: error.name,
      });
      const delay = backoffDelay(
        { ...CONTENTION_BACKOFF, random: deps.random ?? Math.random },
        attempt,
      );
      await (deps.sleep ?? realSleep)(delay);
    }
  }
  throw new ContentionError(`event ${event.id} could not be applied after ${maxAttempts} attempts`);
}

function isCaseEvent(event: EventEnvelope): event is CaseEvent {
  return typeof event.caseId === 'string';
}

function accepted(event: EventEnvelope, warnings: EventWarning[]): StoredAnswer {
  const body: EventAccepted = {
    eventId: event.id,
    status: 'accepted',
    caseId: event.caseId ?? null,
    warnings,
  };
  return { statusCode: 202, body };
}

function record(
  event: EventEnvelope,
  bodyHash: string,
  answer: StoredAnswer,
  now: Date,
): EventRecord {
  return {
    eventId: event.id,
    type: event.type,
    caseId: event.caseId ?? null,
    bodyHash,
    answer,
    receivedAt: now.toISOString(),
  };
}

async function replay(
  recorded: EventRecord,
  bodyHash: string,
  event: EventEnvelope,
  deps: IngestDeps,
  /** The case as read with the record (same id: the bodies match), if it was. */
  readWith?: StoredCase,
): Promise<StoredAnswer> {
  if (recorded.bodyHash !== bodyHash) {
    throw new IdempotencyConflictError(
      `event id ${event.id} was first received with a different body`,
      {
        errors: [{ field: 'id', message: 'already used for a different event' }],
      },
    );
  }
  if (recorded.caseId !== null) {
    // A redelivery may follow a commit whose timer sync failed: schedule the whole plan again.
    const stored = readWith ?? (await deps.store.loadCase(recorded.caseId));
    if (stored !== undefined) await resyncTimers(stored, deps);
  }
  return recorded.answer;
}

async function applyCaseEvent(
  event: CaseEvent,
  stored: StoredCase | undefined,
  bodyHash: string,
  deps: IngestDeps,
): Promise<StoredAnswer> {
  const now = deps.clock.now();
  const before =
    stored === undefined ? undefined : (deps.decoded?.aggregateOf(stored) ?? stored.aggregate);
  let result: ReturnType<CaseEngine['applyEvent']>;
  try {
    result = deps.engine.applyEvent(before, event, now);
  } catch (error) {
    // The engine refuses events the case cannot take (e.g. an unknown enquiry): a 4xx naming
    // the field when the engine knows it.
    const message = error instanceof Error ? error.message : 'refused by the rule engine';
    const field = error instanceof UnknownSubjectError ? error.field : undefined;
    throw new UnprocessableEventError(message, {
      cause: error,
      ...(field === undefined ? {} : { errors: [{ field, message }] }),
    });
  }
  // DynamoDB items stop at 400 KB: a case grown that large by a sender is refused, not a 500.
  // Serialised once: the size check and the commit share the text.
  const afterJson = serializeAggregate(result.aggregate);
  // A UTF-16 code unit is at most 3 bytes of UTF-8: most cases need no byte count.
  if (afterJson.length * 3 > MAX_CASE_BYTES && Buffer.byteLength(afterJson) > MAX_CASE_BYTES) {
    throw new UnprocessableEventError(
      `case ${event.caseId} would exceed the size one case may have`,
      {
        errors: [{ field: 'caseId', message: 'case too large' }],
      },
    );
  }
  const warnings = await caseEventWarnings(event, result.aggregate, {
    people: deps.people,
    plans: deps.engine.plans ?? DEFAULT_REMINDER_PLANS,
    rules: deps.engine.rules,
  });
  const answer = accepted(event, warnings);
  // The timer plan is decided before the commit: its audit lines go in the same transaction.
  const plan = timerPlan(
    before === undefined ? undefined : { aggregate: before, serialized: stored?.serialized },
    { aggregate: result.aggregate, serialized: afterJson },
    now,
    deps.engine,
  );
  await deps.store.commitCase({
    caseId: event.caseId,
    expectedVersion: stored?.version ?? 0,
    before,
    after: result.aggregate,
    afterJson,
    audit: result.audit,
    reminderLines:
      deps.reminderAudit === undefined
        ? undefined
        : reminderTimerAudit(plan.schedule, plan.cancel, now),
    event: record(event, bodyHash, answer, now),
    now,
  });
  deps.decoded?.committed(event.caseId, afterJson, result.aggregate);
  await syncTimers(plan, deps.scheduler);
  return answer;
}

async function applyDirectoryEvent(
  event: DirectoryEvent,
  bodyHash: string,
  deps: IngestDeps,
): Promise<StoredAnswer> {
  const now = deps.clock.now();
  const answer = accepted(event, await directoryEventWarnings(event, deps));
  const eventRecord = record(event, bodyHash, answer, now);
  switch (event.type) {
    case 'person.upserted':
      await deps.directory.upsertPerson(
        { ...event.data, updatedAt: new Date(event.occurredAt).toISOString() },
        eventRecord,
      );
      break;
    case 'person.away':
      await deps.directory.addAway(event.data, eventRecord);
      break;
    case 'rota.shift':
      await deps.directory.addShift(event.data, eventRecord);
      break;
  }
  return answer;
}

/** An aggregate with its exact JSON text when known (lets the engine reuse a plan). */
interface Planned {
  aggregate: CaseAggregate;
  serialized?: string | undefined;
}

/**
 * The timers to cancel (those the new plan dropped) and to schedule (those it added: names
 * carry the deadline version, so a moved deadline is a new name), with the new plan whole.
 */
function timerPlan(
  before: Planned | undefined,
  after: Planned,
  now: Date,
  engine: CaseEngine,
): { cancel: Timer[]; schedule: Timer[]; next: Timer[] } {
  try {
    const old =
      before === undefined ? [] : engine.planTimers(before.aggregate, now, before.serialized);
    const next = engine.planTimers(after.aggregate, now, after.serialized);
    return { ...diffTimers(old, next), next };
  } catch (error) {
    throw new TimerSyncError('timers could not be planned', { cause: error });
  }
}

/** The scheduler told of a plan's change; its failure is the use case's `TimerSyncError`. */
async function syncTimers(
  diff: { cancel: readonly Timer[]; schedule: Timer[] },
  scheduler: Scheduler,
): Promise<void> {
  try {
    await tellScheduler(diff, scheduler);
  } catch (error) {
    throw new TimerSyncError('timers could not be synchronised', { cause: error });
  }
}

/**
 * A redelivery may follow a commit whose scheduler call failed: schedules the case's whole plan
 * again (scheduling is idempotent by name) and audits only the planned timers the case's trail
 * does not already name, so a redelivery never duplicates a line.
 */
async function resyncTimers(stored: StoredCase, deps: IngestDeps): Promise<void> {
  const now = deps.clock.now();
  const { next } = timerPlan(undefined, stored, now, deps.engine);
  await syncTimers({ cancel: [], schedule: next }, deps.scheduler);
  if (deps.reminderAudit === undefined) return;
  try {
    const audited = new Set(
      (await deps.store.listAudit(stored.caseId))
        .filter((e) => e.kind === 'reminder-planned')
        .map((e) => (e.detail as { timer?: unknown } | undefined)?.timer),
    );
    const lines = reminderTimerAudit(
      next.filter((t) => !audited.has(t.name)),
      [],
      now,
    );
    if (lines.length > 0) await deps.reminderAudit.append(lines, stored.version);
  } catch (error) {
    throw new TimerSyncError('timers could not be synchronised', { cause: error });
  }
}

/** sha256 of the canonical JSON (sorted keys): whitespace or key order does not make a new body. */
export function hashOf(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}

/** One-shot hashing where Node has it (20.12 on): no Hash object per event. */
const sha256Hex: (text: string) => string =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text, 'hex')
    : (text) => crypto.createHash('sha256').update(text).digest('hex');
