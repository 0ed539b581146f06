/**
 * HTTP edges shared by the handlers: JSON and problem responses in API Gateway HTTP API (v2)
 * shape, and the one place errors become status codes.
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import {
  ContentionError,
  ForbiddenError,
  IdempotencyConflictError,
  NotFoundError,
  TimerSyncError,
  UnprocessableEventError,
  ValidationError,
} from '#kernel/errors.js';
import type { Problem } from '#schemas/problem.js';
import {
  MalformedJsonError,
  MethodNotAllowedError,
  PayloadTooLargeError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
} from './errors.js';

export type HttpResult = APIGatewayProxyStructuredResultV2 & {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
};

export const PROBLEM_BASE = 'https://timescales.dev/problems/';

/**
 * On every JSON answer, success or problem: no browser or proxy keeps a copy (the people API
 * returns emails and phones, the case routes a child's deadlines), and no browser reads the
 * body as anything but its declared type.
 */
export const JSON_HEADERS: Readonly<Record<string, string>> = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

/** A JSON answer from text already serialised (the events route's canonical JSON). */
export function jsonText(
  statusCode: number,
  text: string,
  headers: Record<string, string> = {},
  contentType = 'application/json',
): HttpResult {
  return {
    statusCode,
    headers: { 'content-type': contentType, ...headers, ...JSON_HEADERS },
    body: text,
  };
}

export function json(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): HttpResult {
  return jsonText(statusCode, JSON.stringify(body), headers);
}

/** How one kind of error reads as a problem; `slug` makes the type `<PROBLEM_BASE><slug>`. */
export interface ProblemKind {
  status: number;
  slug: string;
  title: string;
}

type ErrorClass = abstract new (...args: never[]) => Error;

/** Every error a caller can cause, matched by `instanceof` in this order (subclasses first). */
const PROBLEM_KINDS: readonly (readonly [ErrorClass, ProblemKind])[] = [
  [ValidationError, { status: 400, slug: 'validation', title: 'The request is not valid' }],
  [
    MalformedJsonError,
    { status: 400, slug: 'malformed-json', title: 'The body is not valid JSON' },
  ],
  [
    UnauthorizedError,
    {
      status: 401,
      slug: 'unauthorized',
      title: 'The webhook signature is missing, wrong or stale',
    },
  ],
  [ForbiddenError, { status: 403, slug: 'forbidden', title: 'Not yours to see' }],
  [NotFoundError, { status: 404, slug: 'not-found', title: 'Not found' }],
  [MethodNotAllowedError, { status: 405, slug: 'method-not-allowed', title: 'Method not allowed' }],
  [
    IdempotencyConflictError,
    {
      status: 409,
      slug: 'idempotency-conflict',
      title: 'This event id was already used with a different body',
    },
  ],
  [
    PayloadTooLargeError,
    { status: 413, slug: 'payload-too-large', title: 'The body is too large' },
  ],
  [
    UnsupportedMediaTypeError,
    {
      status: 415,
      slug: 'unsupported-media-type',
      title: 'The body must be application/json',
    },
  ],
  [
    UnprocessableEventError,
    {
      status: 422,
      slug: 'event-not-applicable',
      title: 'The event cannot be applied to this case',
    },
  ],
  // Also `StoreBusyError`, the store's "busy, try again": the same answer to the caller.
  [ContentionError, { status: 503, slug: 'contention', title: 'The case is busy; retry later' }],
  [
    TimerSyncError,
    {
      status: 503,
      slug: 'timer-sync-failed',
      title: 'The event was recorded but its timers could not be set; deliver it again',
    },
  ],
];

/** The problem kind of a caller-caused error; undefined for anything else (an internal error). */
export function problemKind(error: unknown): ProblemKind | undefined {
  return PROBLEM_KINDS.find(([kind]) => error instanceof kind)?.[1];
}

/** Maps any thrown value to a problem: known errors by `instanceof`, everything else to 500. */
export function toProblem(error: unknown, instance?: string): Problem {
  const kind = problemKind(error);
  if (kind !== undefined) {
    const errors = (error as { errors?: Problem['errors'] }).errors ?? [];
    return {
      type: `${PROBLEM_BASE}${kind.slug}`,
      title: kind.title,
      status: kind.status,
      detail: (error as Error).message,
      ...(instance === undefined ? {} : { instance }),
      ...(errors.length > 0 ? { errors } : {}),
    };
  }
  // Never echo an internal error's message: it may carry data from the request or the store.
  return {
    type: `${PROBLEM_BASE}internal`,
    title: 'Internal error',
    status: 500,
    detail: 'An unexpected error occurred; it has been logged.',
    ...(instance === undefined ? {} : { instance }),
  };
}

export function problemResult(problem: Problem, headers: Record<string, string> = {}): HttpResult {
  return jsonText(problem.status, JSON.stringify(problem), headers, 'application/problem+json');
}

/**
 * A thrown error as its problem answer, with the headers its status calls for: `Allow` on a
 * 405 (RFC 9110, section 15.5.6), `Retry-After` on a 503.
 */
export function errorAnswer(error: unknown, instance?: string): HttpResult {
  const problem = toProblem(error, instance);
  const headers: Record<string, string> = {};
  if (error instanceof MethodNotAllowedError) headers.allow = error.allow.join(', ');
  if (problem.status === 503) headers['retry-after'] = '1';
  return problemResult(problem, headers);
}

/** Header lookup that ignores case (API Gateway lower-cases them; local callers may not). */
export function header(
  headers: Record<string, string | undefined> | undefined,
  name: string,
): string | undefined {
  if (headers === undefined) return undefined;
  const wanted = name.toLowerCase();
  // As API Gateway gives them: no search.
  const exact = headers[wanted];
  if (exact !== undefined) return exact;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}
