/**
 * The timer Lambda: EventBridge Scheduler (or the local driver) invokes it with a timer
 * payload. Thin: parse the payload, run `fireTimer`, map "retry later" to a thrown error so
 * the scheduler's retry policy runs it again (then its dead-letter queue). Outcome counters
 * (`Sent`, `SendFailed`, `Unroutable`, `TimerDead`) go out as CloudWatch EMF metrics in the
 * `Timescales` namespace, flushed at the end of every invocation by `logMetrics`.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { lazy } from '#commons/lazy.js';
import { logger } from '#commons/logger.js';
import { makeMetrics, powertoolsMetrics } from '#commons/metrics.js';
import type { TimerPayload } from '#domain/timers.js';
import { awsFireDeps } from '#functions/wiring/reminders.js';
import * as z from '#schemas/zod.js';
import {
  type FireOutcome,
  type FireTimerDeps,
  fireTimer,
  RetryLaterError,
} from '#use-cases/fire-timer.js';

/** What the schedule's input holds: ids and a version only. */
export const TimerPayloadSchema = z.object({
  caseId: z.string().check(z.minLength(1), z.maxLength(200)),
  deadlineId: z.string().check(z.minLength(1), z.maxLength(200)),
  kind: z.string().check(z.minLength(1), z.maxLength(20)),
  version: z.number().check(z.int(), z.nonnegative()),
  step: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
});

export type TimerHandler = (event: unknown) => Promise<FireOutcome>;

/** A timer payload no retry can make valid (its issues name fields and codes, never values). */
export class InvalidTimerPayloadError extends Error {
  override readonly name = 'InvalidTimerPayloadError';
  constructor(readonly issues: string[]) {
    super(`invalid timer payload: ${issues.join('; ')}`);
  }
}

export function makeHandler(deps: FireTimerDeps): TimerHandler {
  return async (event) => {
    const parsed = TimerPayloadSchema.safeParse(event);
    if (!parsed.success) {
      // No retry can make this timer valid: count it dead, and throw so the payload is kept
      // in the async-failure queue for an operator.
      deps.metrics?.count('TimerDead');
      const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.code}`);
      deps.log?.error('timer payload invalid', { metric: 'TimerDead', issues });
      throw new InvalidTimerPayloadError(issues);
    }
    const payload = parsed.data;
    // An unknown kind is accepted here and ignored by the use case (logged as `unknown-kind`).
    const outcome = await fireTimer(payload as TimerPayload, deps);
    if ('retryLater' in outcome && outcome.retryLater) {
      throw new RetryLaterError(`a send of ${payload.caseId}/${payload.deadlineId} is in flight`);
    }
    return outcome;
  };
}

/**
 * The Lambda around a timer handler: logs carry the invocation's context (request id, cold
 * start), and its metrics are flushed as one EMF line when it ends, returned or thrown
 * (nothing counted: nothing written).
 */
export function withPowertools(
  handler: TimerHandler,
  metrics: Metrics,
): (event: unknown, context?: Context) => Promise<FireOutcome> {
  // middy defaults a missing context to `{}` (the local driver and tests pass none).
  return middy(handler).use(injectLambdaContext(logger)).use(logMetrics(metrics)) as (
    event: unknown,
    context?: Context,
  ) => Promise<FireOutcome>;
}

const metrics = makeMetrics();

/** Built on the first invocation (a failed start, say Secrets Manager unreachable, is retried by the next). */
const production = lazy(async () => makeHandler(await awsFireDeps(powertoolsMetrics(metrics))));

export const handler = withPowertools(async (event) => (await production())(event), metrics);
