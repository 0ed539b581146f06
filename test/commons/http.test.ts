/**
 * The one mapping from errors to RFC 9457 problems (docs/api.md, "Every error is
 * application/problem+json"): use-case and adapter errors are plain, and only the edge knows
 * their status, slug and title.
 */
import { describe, expect, it } from 'vitest';
import {
  ContentionError,
  IdempotencyConflictError,
  NotFoundError,
  StoreBusyError,
  TimerSyncError,
  UnprocessableEventError,
  ValidationError,
} from '#kernel/errors.js';
import {
  MalformedJsonError,
  MethodNotAllowedError,
  PayloadTooLargeError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
} from '#platform/errors.js';
import { toProblem } from '#platform/http.js';
import { logger } from '#platform/logger.js';
import { errorResult } from '#platform/respond.js';

const BASE = 'https://timescales.dev/problems/';

// errorResult logs each answer; keep the test output readable.
logger.setLogLevel('SILENT');

describe('toProblem', () => {
  it.each([
    [new ValidationError('bad'), 400, 'validation'],
    [new MalformedJsonError('bad'), 400, 'malformed-json'],
    [new UnauthorizedError('bad'), 401, 'unauthorized'],
    [new NotFoundError('bad'), 404, 'not-found'],
    [new MethodNotAllowedError('bad', ['GET']), 405, 'method-not-allowed'],
    [new IdempotencyConflictError('bad'), 409, 'idempotency-conflict'],
    [new PayloadTooLargeError('bad'), 413, 'payload-too-large'],
    [new UnsupportedMediaTypeError('bad'), 415, 'unsupported-media-type'],
    [new UnprocessableEventError('bad'), 422, 'event-not-applicable'],
    [new ContentionError('bad'), 503, 'contention'],
    [new StoreBusyError('bad'), 503, 'contention'],
    [new TimerSyncError('bad'), 503, 'timer-sync-failed'],
  ] as const)('%s is %i %s', (error, status, slug) => {
    // Act
    const problem = toProblem(error, '/v1/events');
    // Assess
    expect(problem).toMatchObject({ type: `${BASE}${slug}`, status, detail: 'bad' });
    expect(problem.instance).toBe('/v1/events');
  });

  it('names the fields a validation error carries', () => {
    // Prepare
    const error = new ValidationError('the event does not match its schema', {
      errors: [{ field: 'data.allegationId', message: 'required' }],
    });
    // Act
    const problem = toProblem(error, '/v1/events');
    // Assess
    expect(problem).toEqual({
      type: `${BASE}validation`,
      title: 'The request is not valid',
      status: 400,
      detail: 'the event does not match its schema',
      instance: '/v1/events',
      errors: [{ field: 'data.allegationId', message: 'required' }],
    });
  });

  it('answers anything else 500 without echoing its message', () => {
    // Act
    const problem = toProblem(new Error('C-1001 lado.one@example.gov.uk'));
    // Assess
    expect(problem).toMatchObject({ type: `${BASE}internal`, status: 500 });
    expect(JSON.stringify(problem)).not.toContain('example.gov.uk');
  });
});

describe('errorResult', () => {
  it('asks the sender to retry after a second when the store is busy', () => {
    // Act
    const result = errorResult(new StoreBusyError('the store is busy; retry later'), '/v1/events');
    // Assess
    expect(result.statusCode).toBe(503);
    expect(result.headers).toEqual({
      'content-type': 'application/problem+json',
      'retry-after': '1',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
  });

  it('sets no Retry-After on a refusal', () => {
    // Act
    const result = errorResult(new NotFoundError('no case C-1001'), '/v1/cases/C-1001');
    // Assess
    expect(result.statusCode).toBe(404);
    expect(result.headers['retry-after']).toBeUndefined();
  });

  it('names the methods a path does take in Allow on a 405', () => {
    // Act
    const result = errorResult(
      new MethodNotAllowedError('DELETE is not allowed on /app/sign-in', ['GET', 'POST']),
      '/app/sign-in',
    );
    // Assess
    expect(result.statusCode).toBe(405);
    expect(result.headers.allow).toBe('GET, POST');
  });
});
