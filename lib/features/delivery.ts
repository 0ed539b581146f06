import { CfnOutput } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { deadLetterQueue } from '../constructs/secure-queue.js';
import { Feature, FeatureFunction, type Shared } from './feature.js';

/**
 * Delivery receipts, which close the loop: whether each email and text reached its person.
 *
 * - With the `aws` provider, the `Receipts` function reads the SES configuration set's events
 *   and End User Messaging SMS events (the delivery-events topic).
 * - With GOV.UK Notify, the `NotifyCallbacks` function takes Notify's callbacks — delivery
 *   receipts and received text messages (`POST /v1/notify/…`, checked by the callback token) —
 *   and serves the calendar invitations its emails link to (`GET /v1/invitations/{file}`).
 *
 * Either records each receipt beside its send and, for a person not told, invokes the
 * reminders function (`fire`) at once to follow it up.
 */
export class Delivery extends Feature {
  readonly function: FeatureFunction;

  constructor(scope: Construct, id: string, shared: Shared, fire: FeatureFunction) {
    super(scope, id);
    const { env, messaging, notify, alarms } = shared;
    const followUp = { FOLLOW_UP_FUNCTION_ARN: fire.function.functionArn };
    if (notify !== undefined) {
      this.function = new FeatureFunction(this, 'NotifyCallbacks', shared, {
        entry: 'notify',
        description:
          'GOV.UK Notify callbacks (delivery receipts, received texts) and the invitations its emails link to',
        serviceName: 'timescales-notify-callbacks',
        table: 'readwrite',
        publishesMetrics: true,
        environment: {
          ...env.table,
          ...env.authority,
          ...env.scheduleGroup,
          ...env.notifyCallback,
          ...followUp,
        },
      });
      notify.callbackToken.grantRead(this.function.role);
      // A received YES acknowledges an alert: its escalation timers are cancelled.
      shared.timers.grantCancelSchedules(this.function.role);
      shared.api.serve('delivery', this.function.function);
      new CfnOutput(this, 'NotifyCallbackUrls', {
        value: `${shared.api.api.apiEndpoint}/v1/notify/delivery-receipts and ${shared.api.api.apiEndpoint}/v1/notify/received-text-messages`,
        description:
          'Enter in GOV.UK Notify’s callback settings, with the token in NotifyCallbackTokenArn',
      });
      new CfnOutput(this, 'NotifyApiKeyArn', {
        value: notify.apiKey.secretArn,
        description: 'Put the Notify service’s live API key here',
      });
      new CfnOutput(this, 'NotifyCallbackTokenArn', {
        value: notify.callbackToken.secretArn,
        description: 'The bearer token to enter in Notify’s callback settings',
      });
    } else if (messaging !== undefined) {
      this.function = new FeatureFunction(this, 'Receipts', shared, {
        entry: 'receipts',
        description: 'SES and SMS delivery events: records whether each message reached its person',
        serviceName: 'timescales-receipts',
        table: 'readwrite',
        publishesMetrics: true,
        environment: { ...env.table, ...followUp },
      });
      const dlq = deadLetterQueue(
        this,
        'DeliveryEventsDlq',
        'delivery events the receipts function could not take after SNS retries',
      );
      messaging.deliveryEvents.addSubscription(
        new subscriptions.LambdaSubscription(this.function.function, { deadLetterQueue: dlq }),
      );
      alarms.onQueue(
        'DeliveryEventsDlqDepth',
        dlq,
        'A delivery event could not be recorded after retries: a message that did not reach its person may not have been followed up.',
      );
    } else {
      throw new Error('the delivery feature needs a provider: messaging or notify');
    }
    // The function itself, not its versions (`grantInvoke` would add `:*`): the follow-up
    // invokes the unqualified name.
    this.function.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: [fire.function.functionArn],
      }),
    );
    alarms.onMetric('Undelivered');
    alarms.onMetric('DutyInboxUndelivered');
  }
}
