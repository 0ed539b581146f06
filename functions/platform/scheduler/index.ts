/** The production `Scheduler`: EventBridge Scheduler configured from the Lambda environment. */
import type { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { Config } from '../config.js';
import { lazyClient } from '../lazy.js';
import { EventBridgeCanceller, EventBridgeScheduler } from './eventbridge.js';

export * from './eventbridge.js';

/**
 * One client per process, its package imported on the first create or delete: a cold start
 * (or an event that changes no timer) does not load the Scheduler SDK.
 */
const schedulerClient = lazyClient<SchedulerClient>(
  async () => new (await import('@aws-sdk/client-scheduler')).SchedulerClient({}),
);

/** Fails fast (at cold start) when a scheduler variable is missing. */
export function makeEventBridgeScheduler(cfg: Pick<Config, 'scheduler'>): EventBridgeScheduler {
  const { group, roleArn, targetArn, dlqArn } = cfg.scheduler;
  const missing = Object.entries({
    SCHEDULE_GROUP: group,
    SCHEDULER_ROLE_ARN: roleArn,
    TIMER_TARGET_ARN: targetArn,
    SCHEDULER_DLQ_ARN: dlqArn,
  })
    .filter(([, value]) => value === undefined)
    .map(([name]) => name);
  if (missing.length > 0) {
    throw new Error(`Invalid configuration: the scheduler needs ${missing.join(', ')}`);
  }
  return new EventBridgeScheduler(schedulerClient, {
    groupName: group as string,
    roleArn: roleArn as string,
    targetArn: targetArn as string,
    deadLetterArn: dlqArn as string,
  });
}

/** For a function that only cancels timers: fails fast (at cold start) without the group. */
export function makeEventBridgeCanceller(
  cfg: Pick<Config, 'scheduleGroup'>,
): Pick<EventBridgeCanceller, 'cancel'> {
  if (cfg.scheduleGroup === undefined) {
    throw new Error('Invalid configuration: cancelling timers needs SCHEDULE_GROUP');
  }
  return new EventBridgeCanceller(schedulerClient, { groupName: cfg.scheduleGroup });
}
