/** The one place a handler's thrown error becomes an HTTP answer (and a log line). */
import { type HttpResult, problemKind, problemResult, toProblem } from './http.js';
import { logger } from './logger.js';

export function errorResult(error: unknown, instance: string | undefined): HttpResult {
  const problem = toProblem(error, instance);
  if (problemKind(error) !== undefined) {
    // The error class and status only: messages may carry request content.
    const fields = {
      status: problem.status,
      error: (error as Error).name,
      cause: ((error as Error).cause as Error | undefined)?.name,
    };
    if (problem.status >= 500) logger.warn('request failed', fields);
    else logger.info('request rejected', fields);
  } else {
    logger.error('unhandled error', { error: error instanceof Error ? error : String(error) });
  }
  const retry: Record<string, string> = problem.status === 503 ? { 'retry-after': '1' } : {};
  return problemResult(problem, retry);
}
