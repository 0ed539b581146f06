/** The one place a handler's thrown error becomes an HTTP answer (and a log line). */
import {
  InternalServerError,
  ProvisionedThroughputExceededException,
  RequestLimitExceeded,
  ThrottlingException,
  TransactionInProgressException,
} from '@aws-sdk/client-dynamodb';
import { AppError, ContentionError } from './errors.js';
import { type HttpResult, problemResult, toProblem } from './http.js';
import { logger } from './logger.js';

/** DynamoDB errors that mean "busy, try again" (after the SDK's own retries): 503, not 500. */
function isTransient(error: unknown): boolean {
  return (
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
