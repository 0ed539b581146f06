/**
 * Typed errors. Every error a caller can cause is an `AppError` subclass carrying its HTTP
 * status; `toProblem` (in `http.ts`) maps them to RFC 9457 problem details in one place.
 */

/** One field-level complaint: a dotted path into the request (`data.allegationId`) and what is wrong. */
export interface FieldError {
  field: string;
  message: string;
}

export abstract class AppError extends Error {
  abstract readonly status: number;
  /** A short, stable slug; the problem `type` is `https://timescales.dev/problems/<slug>`. */
  abstract readonly slug: string;
  abstract readonly title: string;
  readonly errors: FieldError[];

  constructor(message: string, options: { cause?: unknown; errors?: FieldError[] } = {}) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.errors = options.errors ?? [];
  }
}

export class ValidationError extends AppError {
  readonly status = 400;
  readonly slug = 'validation';
  readonly title = 'The request is not valid';
}

export class MalformedJsonError extends AppError {
  readonly status = 400;
  readonly slug = 'malformed-json';
  readonly title = 'The body is not valid JSON';
}

export class UnauthorizedError extends AppError {
  readonly status = 401;
  readonly slug = 'unauthorized';
  readonly title = 'The webhook signature is missing, wrong or stale';
}

export class NotFoundError extends AppError {
  readonly status = 404;
  readonly slug = 'not-found';
  readonly title = 'Not found';
}

export class MethodNotAllowedError extends AppError {
  readonly status = 405;
  readonly slug = 'method-not-allowed';
  readonly title = 'Method not allowed';
}

/** Same event id, different body: the sender reused an id. */
export class IdempotencyConflictError extends AppError {
  readonly status = 409;
  readonly slug = 'idempotency-conflict';
  readonly title = 'This event id was already used with a different body';
}

export class PayloadTooLargeError extends AppError {
  readonly status = 413;
  readonly slug = 'payload-too-large';
  readonly title = 'The body is too large';
}

export class UnsupportedMediaTypeError extends AppError {
  readonly status = 415;
  readonly slug = 'unsupported-media-type';
  readonly title = 'The body must be application/json';
}

/** A well-formed event the case cannot take (e.g. the rule engine refuses it). */
export class UnprocessableEventError extends AppError {
  readonly status = 422;
  readonly slug = 'event-not-applicable';
  readonly title = 'The event cannot be applied to this case';
}

/** Optimistic-concurrency retries ran out: the caller may retry (the event was not applied). */
export class ContentionError extends AppError {
  readonly status = 503;
  readonly slug = 'contention';
  readonly title = 'The case is busy; retry later';
}
