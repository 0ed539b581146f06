import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRICS, METRICS_NAMESPACE, type MetricName } from '#kernel/metrics.js';
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

export const FIVE_MINUTES = Duration.minutes(5);

/**
 * The alarm topic (encrypted, TLS-only) and the alarms wired to it. Each feature adds its own
 * (its function's errors and throttles, its queues, its metrics); they all live here, beside
 * the topic they notify.
 */
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

  /**
   * The first count of one of our metrics (`functions/kernel/metrics.ts`: its name is the
   * alarm's, its meaning the alarm's description), summed by Metrics Insights across every
   * dimension set the functions emit: Powertools adds `service`, and a dimension added later
   * does not silence the alarm.
   */
  onMetric(name: MetricName): cloudwatch.Alarm {
    return this.add(name, {
      metric: new cloudwatch.MathExpression({
        expression: `SELECT SUM(${name}) FROM ${METRICS_NAMESPACE}`,
        period: FIVE_MINUTES,
        label: name,
        usingMetrics: {},
      }),
      description: `${METRICS_NAMESPACE}/${name}: ${METRICS[name]}.`,
    });
  }

  /** A function's errors and throttles, as `<Id>Errors` and `<Id>Throttles`. */
  onFunction(id: string, fn: lambda.IFunction): void {
    const name = id[0]!.toLowerCase() + id.slice(1);
    this.add(`${id}Errors`, {
      metric: fn.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }),
      description: `The ${name} function threw errors.`,
    });
    this.add(`${id}Throttles`, {
      metric: fn.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum' }),
      description: `The ${name} function was throttled (reserved concurrency or account limit reached).`,
    });
  }

  /** Any message in a dead-letter queue. */
  onQueue(id: string, queue: sqs.IQueue, description: string): cloudwatch.Alarm {
    return this.add(id, {
      metric: queue.metricApproximateNumberOfMessagesVisible({
        period: FIVE_MINUTES,
        statistic: 'Maximum',
      }),
      description,
    });
  }
}
