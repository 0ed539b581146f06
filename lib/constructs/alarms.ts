import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { deadLetterQueue } from './secure-queue.js';

export interface AlarmsProps {
  /** Subscribed to the topic (confirm from the inbox). */
  readonly email: string;
  /** Encrypts the topic; its policy must let CloudWatch use it. */
  readonly key: kms.IKey;
}

export interface AlarmOptions {
  readonly metric: cloudwatch.IMetric;
  /** One sentence for the operator: what it means. The alarms runbook in docs/operations.md says what to do. */
  readonly description: string;
  /** @default 1 */
  readonly threshold?: number;
}

/** The alarm topic (encrypted, TLS-only) and a helper that wires every alarm to it. */
export class Alarms extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'Timescales alarms',
      masterKey: props.key,
      enforceSSL: true,
    });
    const undelivered = deadLetterQueue(this, 'SubscriptionDlq', 'undeliverable alarm emails');
    this.topic.addSubscription(
      new subscriptions.EmailSubscription(props.email, { deadLetterQueue: undelivered }),
    );
  }

  /** An alarm at `threshold` or more in one 5-minute period; missing data is not a breach. */
  add(id: string, options: AlarmOptions): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, id, {
      metric: options.metric,
      alarmDescription: options.description,
      threshold: options.threshold ?? 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new actions.SnsAction(this.topic));
    alarm.addOkAction(new actions.SnsAction(this.topic));
    this.alarms.push(alarm);
    return alarm;
  }
}

export const FIVE_MINUTES = Duration.minutes(5);
