import 'aws-sdk-client-mock-vitest/extend';
import {
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
} from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBridgeCanceller } from '#platform/scheduler/eventbridge.js';
import { makeEventBridgeCanceller } from '#platform/scheduler/index.js';

const scheduler = mockClient(SchedulerClient);
afterEach(() => scheduler.reset());

describe('EventBridge Scheduler, cancelling only', () => {
  it('deletes each schedule in the group; one already gone counts as cancelled', async () => {
    // Prepare
    scheduler
      .on(DeleteScheduleCommand, { Name: 'e.C-1001.gone' })
      .rejects(new ResourceNotFoundException({ message: 'gone', Message: 'gone', $metadata: {} }));
    scheduler.on(DeleteScheduleCommand, { Name: 'e.C-1001.t2' }).resolves({});
    const canceller = new EventBridgeCanceller(new SchedulerClient({}), {
      groupName: 'timescales-timers',
    });
    // Act
    await canceller.cancel(['e.C-1001.t2', 'e.C-1001.gone']);
    // Assess
    expect(scheduler).toHaveReceivedCommandTimes(DeleteScheduleCommand, 2);
    expect(scheduler).toHaveReceivedCommandWith(DeleteScheduleCommand, {
      Name: 'e.C-1001.t2',
      GroupName: 'timescales-timers',
    });
    expect(scheduler).not.toHaveReceivedCommand(CreateScheduleCommand);
  });

  it('has no way to create a schedule', () => {
    const canceller = makeEventBridgeCanceller({ scheduleGroup: 'timescales-timers' });
    expect('schedule' in canceller).toBe(false);
  });

  it('fails the cold start without the schedule group, naming SCHEDULE_GROUP', () => {
    expect(() => makeEventBridgeCanceller({ scheduleGroup: undefined })).toThrow(
      /cancelling timers needs SCHEDULE_GROUP/,
    );
  });
});
