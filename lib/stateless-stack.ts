import { type CfnElement, CfnOutput, Names, Stack, type StackProps } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct, Node } from 'constructs';
import type { TimescalesConfig } from './config.js';
import { Alarms } from './constructs/alarms.js';
import { alertTokenKey } from './constructs/alert-token-key.js';
import { TimescalesApi } from './constructs/api.js';
import { Messaging } from './constructs/messaging.js';
import { NotifySecrets } from './constructs/notify-secrets.js';
import { deadLetterQueue } from './constructs/secure-queue.js';
import { TimerScheduler } from './constructs/timer-scheduler.js';
import { Alerts } from './features/alerts.js';
import { Delivery } from './features/delivery.js';
import {
  environmentParts,
  Feature,
  type FeatureFunction,
  type SharedPieces,
} from './features/feature.js';
import { Fire } from './features/fire.js';
import { Import } from './features/import.js';
import { Ingest } from './features/ingest.js';
import { Read } from './features/read.js';
import { Web } from './features/web.js';

export interface StatelessStackProps extends StackProps {
  readonly config: TimescalesConfig;
  /** From the stateful stack. */
  readonly table: dynamodb.ITableV2;
  /** From the stateful stack: encrypts the table and the SNS topics. */
  readonly key: kms.IKey;
}

type FunctionName = 'events' | 'read' | 'reminders' | 'import' | 'alerts';

/**
 * Everything that can be replaced without losing data: the shared pieces (the API, the
 * scheduler plumbing, messaging, the alert-token key, the alarm topic) and one construct per
 * feature (`lib/features/`), each with its functions, their environment and permissions, its
 * routes and its alarms.
 */
export class StatelessStack extends Stack {
  readonly api: TimescalesApi;
  readonly timers: TimerScheduler;
  /** SES and End User Messaging SMS, with `messaging.provider` "aws". */
  readonly messaging?: Messaging;
  /** GOV.UK Notify's API key and callback token, with `messaging.provider` "notify". */
  readonly notify?: NotifySecrets;
  readonly alarms: Alarms;
  /** Signs ack links (HMAC-SHA256): read by the reminders (minting) and alerts (checking) functions. */
  readonly alertTokenKey: secretsmanager.Secret;
  readonly asyncFailures: sqs.Queue;
  readonly ingest: Ingest;
  readonly read: Read;
  readonly fire: Fire;
  readonly alerts: Alerts;
  readonly delivery: Delivery;
  readonly import: Import;
  /** The managers' pages, when the configuration has `web`. */
  readonly web?: Web;
  /** Every function, by the name of its entry (`lib/bundling.ts`). */
  readonly functions: Record<FunctionName, FeatureFunction> & {
    web?: FeatureFunction;
    smsInbound?: FeatureFunction;
    receipts?: FeatureFunction;
    notify?: FeatureFunction;
  };

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { config, table, key } = props;

    this.alarms = new Alarms(this, 'Alarms', { email: config.alarmEmail, key });
    this.asyncFailures = deadLetterQueue(
      this,
      'AsyncFailureDlq',
      'Lambda asynchronous invocations that failed after retries',
    );
    this.alarms.onQueue(
      'AsyncFailureDlqDepth',
      this.asyncFailures,
      'A timer invocation failed after Lambda retries: a deadline may not advance or a reminder may not be sent.',
    );
    this.alertTokenKey = alertTokenKey(this, 'AlertTokenKey');
    this.timers = new TimerScheduler(this, 'Timers');
    const { email, sms } = config;
    if (config.messaging.provider === 'notify') this.notify = new NotifySecrets(this, 'Notify');
    else if (email !== undefined && sms !== undefined)
      this.messaging = new Messaging(this, 'Messaging', {
        fromAddress: email.from,
        manageIdentity: email.manageIdentity,
        key,
        ...(sms.originationIdentityArn === undefined
          ? {}
          : { originationIdentityArn: sms.originationIdentityArn }),
        ...(sms.senderId === undefined ? {} : { senderId: sms.senderId }),
      });
    this.api = new TimescalesApi(this, 'Api', {
      rateLimit: config.api.rateLimit,
      burstLimit: config.api.burstLimit,
      logRetention: config.logRetentionDays as logs.RetentionDays,
      alarms: this.alarms,
    });

    const pieces: SharedPieces = {
      config,
      table,
      key,
      api: this.api,
      timers: this.timers,
      messaging: this.messaging,
      notify: this.notify,
      alarms: this.alarms,
      asyncFailures: this.asyncFailures,
      alertTokenKey: this.alertTokenKey,
    };
    const shared = { ...pieces, env: environmentParts(pieces) };
    this.ingest = new Ingest(this, 'Ingest', shared);
    this.read = new Read(this, 'Read', shared);
    this.fire = new Fire(this, 'Fire', shared);
    this.alerts = new Alerts(this, 'Alerts', shared);
    this.delivery = new Delivery(this, 'Delivery', shared, this.fire.function);
    this.import = new Import(this, 'Import', shared);
    if (config.web !== undefined) this.web = new Web(this, 'Web', shared, config.web);
    this.functions = {
      events: this.ingest.function,
      read: this.read.function,
      reminders: this.fire.function,
      import: this.import.function,
      alerts: this.alerts.function,
      ...(this.alerts.smsInbound === undefined ? {} : { smsInbound: this.alerts.smsInbound }),
      [this.delivery.function.entry]: this.delivery.function,
      ...(this.web === undefined ? {} : { web: this.web.function }),
    };

    new CfnOutput(this, 'ApiUrl', {
      value: this.api.api.apiEndpoint,
      description: 'Base URL of the API',
    });
    new CfnOutput(this, 'AlertTokenKeyArn', {
      value: this.alertTokenKey.secretArn,
      description: 'Signs ack links (rotate by hand: it invalidates the links in flight)',
    });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarms.topic.topicArn });
    new CfnOutput(this, 'ScheduleGroupName', { value: this.timers.group.scheduleGroupName });
  }

  /**
   * A logical id is a resource's identity in CloudFormation: a new one replaces it (a new
   * webhook secret, user pool or schedule group, a clash for the fixed-name functions, the
   * retained log groups orphaned). Each feature groups resources first deployed at the stack's
   * root, so its own level is left out of the path the id is made from.
   */
  protected override allocateLogicalId(element: CfnElement): string {
    const scopes = element.node.scopes;
    const path = scopes.slice(scopes.indexOf(this)).filter((scope) => !(scope instanceof Feature));
    // `nodeUniqueId` skips the first scope (here the stack), as the default naming does.
    return Names.nodeUniqueId({ scopes: path } as Pick<Node, 'scopes'> as Node);
  }
}
