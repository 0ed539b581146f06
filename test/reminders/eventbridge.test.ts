import 'aws-sdk-client-mock-vitest/extend';
import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
  ThrottlingException,
} from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import type { Timer } from '#kernel/timers.js';
import {
  atExpression,
  EventBridgeScheduler,
  SchedulingError,
} from '#platform/scheduler/eventbridge.js';
import { at } from '#test/support/reminders.js';

const scheduler = mockClient(SchedulerClient);
afterEach(() => scheduler.reset());

const options = {
  groupName: 'timescales-timers',
  targetArn: 'arn:aws:lambda:eu-west-2:111122223333:function:timer',
  roleArn: 'arn:aws:iam::111122223333:role/scheduler',
  deadLetterArn: 'arn:aws:sqs:eu-west-2:111122223333:timers-dlq',
  now: () => at('2026-05-22T12:00:00Z'),
  backoff: { sleep: async () => {}, random: () => 0.5 },
};
const timer = (name: string, fireAt = '2026-05-23T03:30:00.250Z'): Timer => ({
  name,
  fireAt: at(fireAt),
  payload: {
    caseId: 'C-1001',
    deadlineId: 'lado-notification.A-1',
    kind: 'reminder',
    version: 2,
    step: 'p50',
  },
});
const throttled = () =>
  new ThrottlingException({
    message: 'Rate exceeded',
    Message: 'Rate exceeded',
    $metadata: { httpStatusCode: 429 },
  });

describe('EventBridge Scheduler adapter', () => {
  it('creates a one-time UTC schedule with exact inputs', async () => {
    // Prepare
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:x' });
    const adapter = new EventBridgeScheduler(new SchedulerClient({}), options);
    // Act
    await adapter.schedule([timer('r.C-1001.0123456789abcdef.v2.p50')]);
    // Assess: seconds round up, so it never fires early.
    expect(scheduler).toHaveReceivedCommandTimes(CreateScheduleCommand, 1);
    expect(scheduler).toHaveReceivedCommandWith(CreateScheduleCommand, {
      Name: 'r.C-1001.0123456789abcdef.v2.p50',
      GroupName: 'timescales-timers',
      ScheduleExpression: 'at(2026-05-23T03:30:01)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      State: 'ENABLED',
      Target: {
        Arn: options.targetArn,
        RoleArn: options.roleArn,
        Input:
          '{"caseId":"C-1001","deadlineId":"lado-notification.A-1","kind":"reminder","version":2,"step":"p50"}',
        RetryPolicy: { MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 185 },
        DeadLetterConfig: { Arn: options.deadLetterArn },
      },
    });
  });

  it('schedules a time already passed a minute ahead, so it fires at once', async () => {
    // Prepare
    scheduler.on(CreateScheduleCommand).resolves({});
    const adapter = new EventBridgeScheduler(new SchedulerClient({}), options);
    // Act
    await adapter.schedule([timer('late', '2026-05-20T09:00:00Z')]);
    // Assess
    expect(scheduler).toHaveReceivedCommandWith(CreateScheduleCommand, {
      ScheduleExpression: 'at(2026-05-22T12:01:00)',
    });
  });

  it('treats ConflictException on create and ResourceNotFoundException on delete as success', async () => {
    // Prepare
    scheduler
      .on(CreateScheduleCommand)
      .rejects(new ConflictException({ message: 'exists', Message: 'exists', $metadata: {} }))
      .on(DeleteScheduleCommand)
      .rejects(new ResourceNotFoundException({ message: 'gone', Message: 'gone', $metadata: {} }));
    const adapter = new EventBridgeScheduler(new SchedulerClient({}), options);
    // Act
    await adapter.schedule([timer('a')]);
    await adapter.cancel(['a']);
    // Assess
    expect(scheduler).toHaveReceivedCommandTimes(CreateScheduleCommand, 1);
    expect(scheduler).toHaveReceivedCommandWith(DeleteScheduleCommand, {
      Name: 'a',
      GroupName: 'timescales-timers',
    });
  });

  it('backs off and retries a throttled call', async () => {
    // Prepare
    const delays: number[] = [];
    scheduler
      .on(CreateScheduleCommand)
      .rejectsOnce(throttled())
      .rejectsOnce(throttled())
      .resolves({});
    const adapter = new EventBridgeScheduler(new SchedulerClient({}), {
      ...options,
      backoff: { sleep: async (ms) => void delays.push(ms), random: () => 0.5, baseDelayMs: 200 },
    });
    // Act
    await adapter.schedule([timer('a')]);
    // Assess: full jitter at 0.5 of 200 ms, then of 400 ms.
    expect(scheduler).toHaveReceivedCommandTimes(CreateScheduleCommand, 3);
    expect(delays).toEqual([100, 200]);
  });

  it('fails loudly, naming the timers, when throttling never stops', async () => {
    // Prepare
    scheduler.on(CreateScheduleCommand).rejects(throttled());
    const adapter = new EventBridgeScheduler(new SchedulerClient({}), {
      ...options,
      backoff: { ...options.backoff, attempts: 3 },
    });
    // Act
    const error = await adapter.schedule([timer('a')]).catch((e: unknown) => e);
    // Assess
    expect(error).toBeInstanceOf(SchedulingError);
    expect((error as SchedulingError).failedNames).toEqual(['a']);
    expect(scheduler).toHaveReceivedCommandTimes(CreateScheduleCommand, 3);
  });

  it('deletes a large case’s schedules with bounded concurrency', async () => {
    // Prepare
    let inFlight = 0;
    let peak = 0;
    scheduler.on(DeleteScheduleCommand).callsFake(async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((done) => setTimeout(done, 2));
      inFlight--;
      return {};
    });
    const adapter = new EventBridgeScheduler(new SchedulerClient({}), {
      ...options,
      concurrency: 4,
    });
    const names = Array.from({ length: 40 }, (_, i) => `t${i}`);
    // Act
    await adapter.cancel(names);
    // Assess
    expect(scheduler).toHaveReceivedCommandTimes(DeleteScheduleCommand, 40);
    expect(peak).toBe(4);
  });

  it('writes at() expressions in UTC without milliseconds', () => {
    expect(atExpression(at('2026-03-29T01:00:00.000Z'))).toBe('at(2026-03-29T01:00:00)');
  });
});
