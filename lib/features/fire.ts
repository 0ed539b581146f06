import { Duration } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { NOTIFY_BUNDLING } from '../bundling.js';
import { FIVE_MINUTES } from '../constructs/alarms.js';
import { Feature, FeatureFunction, type Shared } from './feature.js';

/**
 * Timers firing (reminders, digests, escalations): the function EventBridge Scheduler invokes.
 * It advances clocks, schedules follow-up timers, sends email and SMS (through SES and End
 * User Messaging, or GOV.UK Notify), follows up a person not told (the delivery feature
 * invokes it), and mints ack links with the alert-token key.
 */
export class Fire extends Feature {
  readonly function: FeatureFunction;

  constructor(scope: Construct, id: string, shared: Shared) {
    super(scope, id);
    const { config, env, timers, messaging, notify, alarms } = shared;
    this.function = new FeatureFunction(this, 'Reminders', shared, {
      entry: 'reminders',
      description:
        'Invoked by EventBridge Scheduler: advances clocks, sends reminders by email/SMS',
      serviceName: 'timescales-reminders',
      functionName: timers.targetName,
      timeout: Duration.seconds(60),
      ...(config.concurrency.reminders === null
        ? {}
        : { reservedConcurrentExecutions: config.concurrency.reminders }),
      table: 'readwrite',
      publishesMetrics: true,
      // Only a stack that sends through Notify carries its client.
      ...(notify === undefined ? {} : { bundling: NOTIFY_BUNDLING }),
      environment: {
        ...env.table,
        ...env.authority,
        ...env.scheduler,
        ...env.email,
        ...env.sms,
        ...env.alertToken,
        ...env.messaging,
        ...env.notify,
      },
    });
    const role = this.function.role;
    timers.grantManageSchedules(role);
    messaging?.grantSendEmail(role);
    messaging?.grantSendText(role);
    notify?.apiKey.grantRead(role);
    shared.alertTokenKey.grantRead(role);

    alarms.onQueue(
      'SchedulerDlqDepth',
      timers.deadLetterQueue,
      'EventBridge Scheduler could not deliver a timer to the reminder function: a deadline may not advance or a reminder may not be sent.',
    );
    alarms.onMetric('SendFailed');
    alarms.onMetric('TimerDead');
    // Every escalation reaches an alarm: to tier 2, to the fallback contact, to nobody (none
    // configured), or lost (its timer found no case, deadline or alert to escalate).
    alarms.onMetric('AlertEscalated');
    alarms.onMetric('AlertEscalatedToFallback');
    alarms.onMetric('AlertReachedNobody');
    alarms.onMetric('AlertEscalationLost');
    if (messaging !== undefined)
      alarms.add('DeliveryFeedback', {
        metric: messaging.feedbackTopic.metricNumberOfMessagesPublished({
          period: FIVE_MINUTES,
          statistic: 'Sum',
        }),
        description:
          'An email bounced, was complained about or rejected, or an SMS was not delivered.',
      });
  }
}
