/** The one place a handler's thrown error becomes an HTTP answer (and a log line). */
import { errorAnswer, type HttpResult, problemKind } from './http.js';
import { logger } from './logger.js';

export function errorResult(error: unknown, instance: string | undefined): HttpResult {
  const answer = errorAnswer(error, instance);
  if (problemKind(error) !== undefined) {
    // The error class and status only: messages may carry request content.
    const fields = {
      status: answer.statusCode,
      error: (error as Error).name,
      cause: ((error as Error).cause as Error | undefined)?.name,
    };
    if (answer.statusCode >= 500) logger.warn('request failed', fields);
    else logger.info('request rejected', fields);
  } else {
    logger.error('unhandled error', { error: error instanceof Error ? error : String(error) });
  }
  return answer;
}
