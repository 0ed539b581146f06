/**
 * The errors use cases and adapters throw: plain domain errors that know nothing of HTTP.
 * Each names what went wrong (`name`, set explicitly so it survives minification), keeps what
 * caused it (`cause`) and, when a caller's input is at fault, the fields (`errors`). The edge
 * (`functions/platform/http.ts`) turns them into RFC 9457 problems, by `instanceof`, in one place.
 */
import type * as z from '#schemas/zod.js';

/** One field-level complaint: a dotted path into the request (`data.allegationId`) and what is wrong. */
export interface FieldError {
  field: string;
  message: string;
}

export interface DomainErrorOptions {
  cause?: unknown;
  errors?: FieldError[];
}

export class DomainError extends Error {
  override readonly name: string = 'DomainError';
  readonly errors: FieldError[];

  constructor(message: string, options: DomainErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.errors = options.errors ?? [];
  }
}

/** Input that does not match its schema (an event, a query, a cursor). */
export class ValidationError extends DomainError {
  override readonly name = 'ValidationError';
}

/** No such case (or resource). */
export class NotFoundError extends DomainError {
  override readonly name = 'NotFoundError';
}

/** The signed-in person's roles do not cover what they asked for. */
export class ForbiddenError extends DomainError {
  override readonly name = 'ForbiddenError';
}

/** Same event id, different body: the sender reused an id. */
export class IdempotencyConflictError extends DomainError {
  override readonly name = 'IdempotencyConflictError';
}

/** A well-formed event the case cannot take (e.g. the rule engine refuses it). */
export class UnprocessableEventError extends DomainError {
  override readonly name = 'UnprocessableEventError';
}

/** Optimistic-concurrency retries ran out: the caller may retry (the event was not applied). */
export class ContentionError extends DomainError {
  override readonly name: string = 'ContentionError';
}

/**
 * The store answered "busy, try again" (throttled, a transaction in progress, a 5xx) after
 * the SDK's own retries: nothing was written, so a retry is safe. A kind of contention.
 */
export class StoreBusyError extends ContentionError {
  override readonly name = 'StoreBusyError';
}

/** The scheduler failed after the change was committed: a redelivery re-syncs the timers. */
export class TimerSyncError extends DomainError {
  override readonly name = 'TimerSyncError';
}

/** zod issues as `{field, message}`, the field a dotted path (`data.workers.0.role`); at most 20. */
export function fieldErrors(error: z.core.$ZodError): FieldError[] {
  return error.issues.slice(0, 20).map((issue) => ({
    field: issue.path.map((p) => String(p)).join('.'),
    message: issue.message,
  }));
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

/** A conditional write on a clock's alert state (or a new alert id) lost: read again and retry. */
export class AlertConflictError extends Error {
  constructor(readonly key: string) {
    super(`alert state ${key} changed concurrently`);
    this.name = 'AlertConflictError';
  }
}
