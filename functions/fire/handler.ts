/**
 * The timer Lambda: EventBridge Scheduler (or the local driver) invokes it with a timer
 * payload. Thin: parse the payload, run `fireTimer`, map "retry later" to a thrown error so
 * the scheduler's retry policy runs it again (then its dead-letter queue). Outcome counters
 * (`Sent`, `SendFailed`, `Unroutable`, `TimerDead`) go out as CloudWatch EMF metrics in the
 * `Timescales` namespace, flushed at the end of every invocation by `logMetrics`.
 */
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { TimerPayload } from '#kernel/timers.js';
import { entry, type LambdaHandler, lambda } from '#platform/lambda.js';
import { makeMetrics, powertoolsMetrics } from '#platform/metrics.js';
import * as z from '#schemas/zod.js';
import { type FireOutcome, type FireTimerDeps, fireTimer, RetryLaterError } from './fire-timer.js';
import { fireUndelivered } from './fire-undelivered.js';
import { awsFireDeps } from './wiring.js';

/** What the schedule's input holds: ids and a version only. */
export const TimerPayloadSchema = z.object({
  caseId: z.string().check(z.minLength(1), z.maxLength(200)),
  deadlineId: z.string().check(z.minLength(1), z.maxLength(200)),
  kind: z.string().check(z.minLength(1), z.maxLength(20)),
  version: z.number().check(z.int(), z.nonnegative()),
  step: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
});

/** A follow-up of a send not delivered (the delivery feature invokes it with this). */
const UndeliveredPayloadSchema = z.strictObject({
  kind: z.literal('undelivered'),
  caseId: z.string().check(z.minLength(1), z.maxLength(200)),
  reminderId: z.string().check(z.minLength(1), z.maxLength(300)),
  personId: z.string().check(z.minLength(1), z.maxLength(200)),
});

export type TimerHandler = LambdaHandler<unknown, FireOutcome>;

/** A timer payload no retry can make valid (its issues name fields and codes, never values). */
export class InvalidTimerPayloadError extends Error {
  override readonly name = 'InvalidTimerPayloadError';
  constructor(readonly issues: string[]) {
    super(`invalid timer payload: ${issues.join('; ')}`);
  }
}

/** `metrics`: the invocation's Powertools counters, flushed when it ends. @default none */
export function makeHandler(deps: FireTimerDeps, metrics?: Metrics): TimerHandler {
  return lambda(
    async (event: unknown) => {
      if ((event as { kind?: unknown } | null)?.kind === 'undelivered')
        return await followUp(event, deps);
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
    },
    { metrics },
  );
}

/** A person not told: their other channel, the fallback contact, an alert's escalation. */
async function followUp(event: unknown, deps: FireTimerDeps): Promise<FireOutcome> {
  const parsed = UndeliveredPayloadSchema.safeParse(event);
  if (!parsed.success || deps.undelivered === undefined) {
    deps.metrics?.count('TimerDead');
    const issues = parsed.success
      ? ['undelivered: not wired']
      : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.code}`);
    deps.log?.error('timer payload invalid', { metric: 'TimerDead', issues });
    throw new InvalidTimerPayloadError(issues);
  }
  await deps.refreshCalendar?.();
  const outcome = await fireUndelivered(parsed.data, deps.undelivered);
  if ('retryLater' in outcome && outcome.retryLater)
    throw new RetryLaterError(`a follow-up send of ${parsed.data.caseId} is in flight`);
  return outcome;
}

const metrics = makeMetrics();

/** The Lambda: built on the first invocation (reads the alert-token key from Secrets Manager). */
export const handler = entry(async () =>
  makeHandler(await awsFireDeps(powertoolsMetrics(metrics)), metrics),
);
