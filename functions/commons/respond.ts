/** The one place a handler's thrown error becomes an HTTP answer (and a log line). */
import {
  InternalServerError,
  ProvisionedThroughputExceededException,
  RequestLimitExceeded,
  ThrottlingException,
  TransactionCanceledException,
  TransactionInProgressException,
} from '@aws-sdk/client-dynamodb';
import { AppError, ContentionError } from './errors.js';
import { type HttpResult, problemResult, toProblem } from './http.js';
import { logger } from './logger.js';

/** Reasons a transaction is cancelled that mean "busy", not "refused". */
const BUSY_CANCELLATIONS = new Set([
  'ThrottlingError',
  'ProvisionedThroughputExceeded',
  'RequestLimitExceeded',
  'TransactionConflict',
]);

/** DynamoDB errors that mean "busy, try again" (after the SDK's own retries): 503, not 500. */
function isTransient(error: unknown): boolean {
  return (
    // The SDK does not retry a cancelled transaction; one throttled item cancels them all.
    (error instanceof TransactionCanceledException &&
      (error.CancellationReasons ?? []).some((r) => BUSY_CANCELLATIONS.has(r.Code ?? ''))) ||
    error instanceof ProvisionedThroughputExceededException ||
    error instanceof RequestLimitExceeded ||
    error instanceof ThrottlingException ||
    error instanceof TransactionInProgressException ||
    error instanceof InternalServerError
  );
}

export function errorResult(error: unknown, instance: string | undefined): HttpResult {
  const mapped = isTransient(error)
    ? new ContentionError('the store is busy; retry later', { cause: error })
    : error;
  const problem = toProblem(mapped, instance);
  if (mapped instanceof AppError) {
    // The error class and status only: messages may carry request content.
    const fields = {
      status: problem.status,
      error: mapped.name,
      cause: (mapped.cause as Error | undefined)?.name,
    };
    if (problem.status >= 500) logger.warn('request failed', fields);
    else logger.info('request rejected', fields);
  } else {
    logger.error('unhandled error', { error: error instanceof Error ? error : String(error) });
  }
  const retry: Record<string, string> = problem.status === 503 ? { 'retry-after': '1' } : {};
  return problemResult(problem, retry);
}
