/**
 * The `Scheduler` port on EventBridge Scheduler: one one-time `at()` schedule per timer, in
 * UTC, deleted after it fires. Deterministic names make both calls idempotent: a create that
 * meets an existing schedule (ConflictException) and a delete that finds none
 * (ResourceNotFoundException) are successes. Creates and deletes run with bounded concurrency
 * and back off on throttling, so closing a large case stays inside the API rate limits.
 */
import type { SchedulerClient } from '@aws-sdk/client-scheduler';
import { type Backoff, mapSettled, realSleep, withRetry } from '#kernel/reminders/backoff.js';
import type { Timer } from '#kernel/timers.js';
import { type ClientSource, lazyClient } from '../lazy.js';

/** Deleting schedules: the group they are in. */
export interface EventBridgeCancellerOptions {
  groupName: string;
  /** Creates/deletes in flight at once. @default 5 */
  concurrency?: number;
  /** Retry of throttled or failed API calls. @default 6 attempts, 200 ms base, 10 s cap */
  backoff?: Partial<Backoff>;
}

export interface EventBridgeSchedulerOptions extends EventBridgeCancellerOptions {
  /** The timer Lambda (`functions/fire/handler.ts`). */
  targetArn: string;
  /** The role EventBridge Scheduler assumes to invoke it. */
  roleArn: string;
  /** SQS queue for invocations that exhaust their retries. */
  deadLetterArn: string;
  /** Reads the wall clock: a time already passed is scheduled shortly ahead instead. */
  now?: () => Date;
  /** The target's retry policy. @default 24 h, 185 attempts (the service maximum) */
  retryPolicy?: { maximumEventAgeInSeconds: number; maximumRetryAttempts: number };
}

/** A timer whose time has passed fires this long after it is scheduled. */
export const PAST_TIMER_LEAD_MS = 60_000;

const RETRYABLE = new Set([
  'ThrottlingException',
  'TooManyRequestsException',
  'InternalServerException',
  'ServiceQuotaExceededException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
]);

function isRetryable(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  const status = e?.$metadata?.httpStatusCode;
  return RETRYABLE.has(e?.name ?? '') || (typeof status === 'number' && status >= 500);
}

function isNamed(error: unknown, name: string): boolean {
  return (error as { name?: string } | undefined)?.name === name;
}

/** Timers that could not be created or deleted after every retry. */
export class SchedulingError extends Error {
  constructor(
    message: string,
    readonly failedNames: string[],
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
    this.name = 'SchedulingError';
  }
}

/** `at(yyyy-mm-ddThh:mm:ss)` in UTC, seconds rounded up. */
export function atExpression(at: Date): string {
  const seconds = Math.ceil(at.getTime() / 1000) * 1000;
  return `at(${new Date(seconds).toISOString().slice(0, 19)})`;
}

/**
 * Deletes timers' schedules: all a function that only cancels timers needs (acknowledging an
 * alert cancels its escalation timers and creates none), so it is given no target, role or queue.
 */
export class EventBridgeCanceller {
  protected readonly backoff: Backoff;
  protected readonly client: () => Promise<SchedulerClient>;

  /** `client` may be a factory: the Scheduler package is then loaded on the first call. */
  constructor(
    client: ClientSource<SchedulerClient>,
    protected readonly options: EventBridgeCancellerOptions,
  ) {
    this.client = lazyClient(client);
    this.backoff = {
      attempts: 6,
      baseDelayMs: 200,
      maxDelayMs: 10_000,
      sleep: realSleep,
      random: Math.random,
      ...options.backoff,
    };
  }

  async cancel(names: string[]): Promise<void> {
    const results = await mapSettled(names, this.options.concurrency ?? 5, (name) =>
      withRetry(() => this.delete(name), isRetryable, this.backoff),
    );
    this.raiseFailures('delete', names, results);
  }

  protected async delete(name: string): Promise<void> {
    const [client, { DeleteScheduleCommand }] = await Promise.all([
      this.client(),
      import('@aws-sdk/client-scheduler'),
    ]);
    try {
      await client.send(
        new DeleteScheduleCommand({ Name: name, GroupName: this.options.groupName }),
      );
    } catch (error) {
      // Already fired (ActionAfterCompletion DELETE) or never created.
      if (isNamed(error, 'ResourceNotFoundException')) return;
      throw error;
    }
  }

  protected raiseFailures(
    what: string,
    names: string[],
    results: PromiseSettledResult<void>[],
  ): void {
    const failed = names.filter((_, i) => results[i]?.status === 'rejected');
    if (failed.length === 0) return;
    const first = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    throw new SchedulingError(`could not ${what} ${failed.length} schedule(s)`, failed, {
      cause: first.reason,
    });
  }
}

/** Creates and deletes timers' schedules: each invokes the timer Lambda as the scheduler's role. */
export class EventBridgeScheduler extends EventBridgeCanceller {
  /** `client` may be a factory: the Scheduler package is then loaded on the first call. */
  constructor(
    client: ClientSource<SchedulerClient>,
    protected override readonly options: EventBridgeSchedulerOptions,
  ) {
    super(client, options);
  }

  async schedule(timers: Timer[]): Promise<void> {
    const now = (this.options.now ?? (() => new Date()))();
    const results = await mapSettled(timers, this.options.concurrency ?? 5, (timer) =>
      withRetry(() => this.create(timer, now), isRetryable, this.backoff),
    );
    this.raiseFailures(
      'create',
      timers.map((t) => t.name),
      results,
    );
  }

  private async create(timer: Timer, now: Date): Promise<void> {
    const earliest = now.getTime() + PAST_TIMER_LEAD_MS;
    const fireAt = timer.fireAt.getTime() < earliest ? new Date(earliest) : timer.fireAt;
    const policy = this.options.retryPolicy ?? {
      maximumEventAgeInSeconds: 86_400,
      maximumRetryAttempts: 185,
    };
    const [client, { CreateScheduleCommand }] = await Promise.all([
      this.client(),
      import('@aws-sdk/client-scheduler'),
    ]);
    try {
      await client.send(
        new CreateScheduleCommand({
          Name: timer.name,
          GroupName: this.options.groupName,
          ScheduleExpression: atExpression(fireAt),
          ScheduleExpressionTimezone: 'UTC',
          FlexibleTimeWindow: { Mode: 'OFF' },
          ActionAfterCompletion: 'DELETE',
          State: 'ENABLED',
          Target: {
            Arn: this.options.targetArn,
            RoleArn: this.options.roleArn,
            Input: JSON.stringify(payloadOf(timer)),
            RetryPolicy: {
              MaximumEventAgeInSeconds: policy.maximumEventAgeInSeconds,
              MaximumRetryAttempts: policy.maximumRetryAttempts,
            },
            DeadLetterConfig: { Arn: this.options.deadLetterArn },
          },
        }),
      );
    } catch (error) {
      // Same name, same timer: it was scheduled before (names carry the deadline version).
      if (isNamed(error, 'ConflictException')) return;
      throw error;
    }
  }
}

/** The schedule's input: ids and the version only, in a fixed key order. */
export function payloadOf(timer: Timer): Timer['payload'] {
  const { caseId, deadlineId, kind, version, step } = timer.payload;
  return step === undefined
    ? { caseId, deadlineId, kind, version }
    : { caseId, deadlineId, kind, version, step };
}
