/**
 * The one Lambda wrapper every entry uses (middy): the invocation's deadline is noted
 * (`invocation.ts`), each log line carries the invocation's context (request id, cold start),
 * the invocation's counters are flushed as one EMF line when it ends, returned or thrown, and
 * an HTTP handler's thrown error becomes its answer in `onError` — an RFC 9457 problem by
 * default (`errorResult`), a page for the managers' pages.
 *
 * Local mode and the tests call the same wrapped handlers (middy defaults a missing context
 * to `{}`), so what a caller gets back is the same everywhere.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { HttpResult } from './http.js';
import { startInvocation } from './invocation.js';
import { lazy } from './lazy.js';
import { logger } from './logger.js';
import { errorResult } from './respond.js';

/** A wrapped handler: the Lambda runtime passes a context; local mode and tests need not. */
export type LambdaHandler<E, R> = (event: E, context?: Partial<Context>) => Promise<R>;

export interface LambdaOptions<E, R> {
  /** The invocation's counters, flushed when it ends. @default none */
  metrics?: Metrics | undefined;
  /** A thrown error as the answer; without it the error is rethrown (the invoker retries). */
  onError?: ((error: unknown, event: E) => R) | undefined;
}

export function lambda<E, R>(
  handler: (event: E, context: Context) => Promise<R>,
  options: LambdaOptions<E, R> = {},
): LambdaHandler<E, R> {
  const wrapped = middy<E, R>(handler)
    .use({
      before: (request) => startInvocation(request.context),
      after: () => startInvocation(undefined),
      onError: () => startInvocation(undefined),
    })
    .use(injectLambdaContext(logger));
  if (options.metrics !== undefined) wrapped.use(logMetrics(options.metrics));
  const { onError } = options;
  if (onError !== undefined) {
    wrapped.use({
      onError: (request) => {
        request.response = onError(request.error, request.event);
      },
    });
  }
  return wrapped as unknown as LambdaHandler<E, R>;
}

/** An API Gateway (HTTP API) handler: a thrown error is its RFC 9457 problem, never a crash. */
export function httpLambda(
  handler: (event: APIGatewayProxyEventV2, context: Context) => Promise<HttpResult>,
  onError: (error: unknown, event: APIGatewayProxyEventV2) => HttpResult = (error, event) =>
    errorResult(error, event.rawPath),
): LambdaHandler<APIGatewayProxyEventV2, HttpResult> {
  return lambda(handler, { onError });
}

/**
 * A Lambda's exported handler, its dependencies built on the first invocation from the
 * environment (`lazy`: a failed start, say Secrets Manager unreachable, is retried by the next).
 */
export function entry<E, R>(build: () => Promise<LambdaHandler<E, R>> | LambdaHandler<E, R>) {
  const made = lazy(async () => build());
  return async (event: E, context?: Partial<Context>): Promise<R> => (await made())(event, context);
}
