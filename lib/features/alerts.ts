import { CfnOutput } from 'aws-cdk-lib';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { WEB_BUNDLING } from '../bundling.js';
import { deadLetterQueue } from '../constructs/secure-queue.js';
import { Feature, FeatureFunction, type Shared } from './feature.js';

/**
 * Acknowledging out-of-hours alerts: the alerts function (the ack link `GET`/`POST /a/{token}`,
 * checked with the alert-token key, and `POST /v1/alerts/{alertId}/ack`) and the inbound-SMS
 * function (a YES reply to an alert SMS, through the inbound-SMS topic). Acknowledging cancels
 * the clock's escalation timers, so both may delete schedules; neither creates one or sends.
 */
export class Alerts extends Feature {
  readonly function: FeatureFunction;
  /** With the `aws` provider (GOV.UK Notify's received texts come by its callback instead). */
  readonly smsInbound?: FeatureFunction;
  /** Inbound SMS the function could not take (after SNS's retries). */
  readonly inboundSmsDlq?: sqs.Queue;

  constructor(scope: Construct, id: string, shared: Shared) {
    super(scope, id);
    const { env, timers, messaging } = shared;
    this.function = new FeatureFunction(this, 'Alerts', shared, {
      entry: 'alerts',
      description:
        'GET/POST /a/{token} (the ack link) and POST /v1/alerts/{alertId}/ack: acknowledges out-of-hours alerts',
      serviceName: 'timescales-alerts',
      // The link's pages are rendered with the managers' pages' templates.
      bundling: WEB_BUNDLING,
      table: 'readwrite',
      environment: { ...env.table, ...env.authority, ...env.scheduleGroup, ...env.alertToken },
    });
    shared.alertTokenKey.grantRead(this.function.role);
    timers.grantCancelSchedules(this.function.role);
    shared.api.serve('alerts', this.function.function);

    if (messaging === undefined) return;
    const smsInbound = new FeatureFunction(this, 'SmsInbound', shared, {
      entry: 'smsInbound',
      description: 'Replies to alert SMS (two-way SMS via SNS): YES acknowledges the alert',
      serviceName: 'timescales-sms-inbound',
      table: 'readwrite',
      environment: { ...env.table, ...env.authority, ...env.scheduleGroup },
    });
    timers.grantCancelSchedules(smsInbound.role);
    const inboundSmsDlq = deadLetterQueue(
      this,
      'InboundSmsDlq',
      'inbound SMS the function could not take after SNS retries',
    );
    messaging.inboundTopic.addSubscription(
      new subscriptions.LambdaSubscription(smsInbound.function, {
        deadLetterQueue: inboundSmsDlq,
      }),
    );
    shared.alarms.onQueue(
      'InboundSmsDlqDepth',
      inboundSmsDlq,
      'A reply to an alert SMS could not be processed after retries: an acknowledgement by SMS may have been lost.',
    );

    new CfnOutput(this, 'InboundSmsTopicArn', {
      value: messaging.inboundTopic.topicArn,
      description:
        'Set as the two-way channel of the SMS phone number (replies to alerts), then set sms.twoWay',
    });
    this.smsInbound = smsInbound;
    this.inboundSmsDlq = inboundSmsDlq;
  }
}
