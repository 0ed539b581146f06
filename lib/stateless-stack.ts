import {
  ArnFormat,
  Aws,
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as eventbridge from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { TABLE_KEYS } from '#platform/dynamodb/table.js';
import { entryPath, WEB_BUNDLING } from './bundling.js';
import { authorityConfig, type TimescalesConfig } from './config.js';
import { Alarms, FIVE_MINUTES } from './constructs/alarms.js';
import { TimescalesApi } from './constructs/api.js';
import { dropBucketName } from './constructs/drop-bucket.js';
import { Messaging } from './constructs/messaging.js';
import { deadLetterQueue } from './constructs/secure-queue.js';
import { TimerScheduler } from './constructs/timer-scheduler.js';
import { METRICS_NAMESPACE, TimescalesFunction } from './constructs/timescales-function.js';
import { WebSignIn } from './constructs/web-sign-in.js';

export interface StatelessStackProps extends StackProps {
  readonly config: TimescalesConfig;
  /** From the stateful stack. */
  readonly table: dynamodb.ITableV2;
  /** From the stateful stack: encrypts the table and the SNS topics. */
  readonly key: kms.IKey;
}

const READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'];
const WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
];

const XRAY_REASON =
  'X-Ray PutTraceSegments/PutTelemetryRecords have no resource-level permissions (AWS requires Resource "*"); added by Lambda active tracing.';

/**
 * Everything that can be replaced without losing data: the API, the Lambdas, the scheduler
 * plumbing, messaging (with the inbound-SMS topic), the webhook secret, the alert-token key
 * and the alarms.
 */
export class StatelessStack extends Stack {
  readonly api: TimescalesApi;
  readonly functions: Record<
    'events' | 'read' | 'reminders' | 'import' | 'alerts' | 'smsInbound',
    TimescalesFunction
  > &
    Partial<Record<'web', TimescalesFunction>>;
  readonly importRule: eventbridge.Rule;
  /** The managers' pages' sign-in, when the configuration has `web`. */
  readonly signIn?: WebSignIn;
  readonly timers: TimerScheduler;
  readonly messaging: Messaging;
  readonly alarms: Alarms;
  readonly webhookSecret: secretsmanager.Secret;
  /** Signs ack links (HMAC-SHA256): read by the reminders (minting) and alerts (checking) functions. */
  readonly alertTokenKey: secretsmanager.Secret;
  readonly asyncFailures: ReturnType<typeof deadLetterQueue>;
  /** Inbound SMS the function could not take (after SNS's retries). */
  readonly inboundSmsDlq: ReturnType<typeof deadLetterQueue>;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { config, table, key } = props;
    // The stateful stack's drop bucket, by its name (no cross-stack reference).
    const dropBucket = dropBucketName(config.deployment);
    const logRetention = config.logRetentionDays as logs.RetentionDays;

    this.webhookSecret = new secretsmanager.Secret(this, 'WebhookSecret', {
      description:
        'Standard Webhooks signing secret: 32 base64 characters; the sender uses it as whsec_<value>',
      // 32 characters of [A-Za-z0-9] are valid base64 (24 bytes, ~190 bits of entropy).
      generateSecretString: { passwordLength: 32, excludePunctuation: true, includeSpace: false },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.webhookSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The webhook signing secret is shared with the back-office sender: a rotation Lambda would break signatures until the sender is updated. It is rotated by hand, with overlap, per docs/operations.md (the webhook secret).',
    });

    this.alertTokenKey = new secretsmanager.Secret(this, 'AlertTokenKey', {
      description:
        'Signs the ack links of out-of-hours alerts (HMAC-SHA256 over alert id and expiry); 48 characters',
      generateSecretString: { passwordLength: 48, excludePunctuation: true, includeSpace: false },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.alertTokenKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotating the alert-token key invalidates every ack link in flight (each lives until 24 hours after its clock is due); it is rotated by hand in a quiet daytime window, per docs/operations.md. SMS replies and the API acknowledge alerts without the key.',
    });

    this.asyncFailures = deadLetterQueue(
      this,
      'AsyncFailureDlq',
      'Lambda asynchronous invocations that failed after retries',
    );
    this.timers = new TimerScheduler(this, 'Timers');
    this.messaging = new Messaging(this, 'Messaging', {
      fromAddress: config.email.from,
      manageIdentity: config.email.manageIdentity,
      key,
      ...(config.sms.originationIdentityArn === undefined
        ? {}
        : { originationIdentityArn: config.sms.originationIdentityArn }),
      ...(config.sms.senderId === undefined ? {} : { senderId: config.sms.senderId }),
    });

    // The reminder function schedules its own follow-up timers, so it needs its own ARN in its
    // environment; a GetAtt on itself would be circular, so this one function has a fixed name.
    const remindersName = `${this.stackName}-reminders`.slice(0, 64);
    const remindersArn = this.formatArn({
      service: 'lambda',
      resource: 'function',
      resourceName: remindersName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });

    const environment: Record<string, string> = {
      TABLE_NAME: table.tableName,
      WEBHOOK_SECRET_ARN: this.webhookSecret.secretArn,
      ALERT_TOKEN_KEY_ARN: this.alertTokenKey.secretArn,
      SMS_TWO_WAY: String(config.sms.twoWay),
      AUTHORITY_CONFIG: authorityConfig(config),
      SCHEDULE_GROUP: this.timers.group.scheduleGroupName,
      SCHEDULER_ROLE_ARN: this.timers.role.roleArn,
      TIMER_TARGET_ARN: remindersArn,
      SCHEDULER_DLQ_ARN: this.timers.deadLetterQueue.queueArn,
      SES_FROM: config.email.from,
      SES_CONFIGURATION_SET: this.messaging.configurationSet.configurationSetName,
      SMS_ORIGINATION_IDENTITY: this.messaging.originationIdentity,
      SMS_CONFIGURATION_SET: this.messaging.smsConfigurationSet.ref,
    };
    const common = { onFailure: this.asyncFailures, environment, logRetention };

    const events = new TimescalesFunction(this, 'Events', {
      ...common,
      entry: entryPath('events'),
      description:
        'POST /v1/events: verifies the webhook signature, applies the event, plans timers',
      serviceName: 'timescales-events',
      timeout: Duration.seconds(15),
      ...(config.concurrency.events === null
        ? {}
        : { reservedConcurrentExecutions: config.concurrency.events }),
    });
    const read = new TimescalesFunction(this, 'Read', {
      ...common,
      entry: entryPath('read'),
      description: 'GET /v1/cases/…, /v1/deadlines: read models for case systems and reports',
      serviceName: 'timescales-read',
    });
    const reminders = new TimescalesFunction(this, 'Reminders', {
      ...common,
      entry: entryPath('reminders'),
      description:
        'Invoked by EventBridge Scheduler: advances clocks, sends reminders by email/SMS',
      serviceName: 'timescales-reminders',
      functionName: remindersName,
      timeout: Duration.seconds(60),
      ...(config.concurrency.reminders === null
        ? {}
        : { reservedConcurrentExecutions: config.concurrency.reminders }),
    });
    // The managers' pages, when the deployment configures their sign-in.
    const web =
      config.web === undefined
        ? undefined
        : new TimescalesFunction(this, 'Web', {
            ...common,
            entry: entryPath('web'),
            description:
              'GET /app/…: the managers’ pages (GOV.UK Design System), signed in through Cognito',
            serviceName: 'timescales-web',
            bundling: WEB_BUNDLING,
          });
    if (web !== undefined) grantTable(web.role, table, key, 'read');
    // The import function hands a long file on to a fresh invocation of itself: like the
    // reminder function, it has a fixed name so that its own ARN is known to its policy.
    const importName = `${this.stackName}-import`.slice(0, 64);
    const importFn = new TimescalesFunction(this, 'Import', {
      ...common,
      entry: entryPath('import'),
      description:
        'Object created in the drop bucket: imports its events or rows, writes <key>.report.json',
      serviceName: 'timescales-import',
      functionName: importName,
      timeout: Duration.minutes(15),
      memorySize: 1024,
    });
    const alerts = new TimescalesFunction(this, 'Alerts', {
      ...common,
      entry: entryPath('alerts'),
      description:
        'GET/POST /a/{token} (the ack link) and POST /v1/alerts/{alertId}/ack: acknowledges out-of-hours alerts',
      serviceName: 'timescales-alerts',
      // The link's pages are rendered with the managers' pages' templates.
      bundling: WEB_BUNDLING,
    });
    const smsInbound = new TimescalesFunction(this, 'SmsInbound', {
      ...common,
      entry: entryPath('smsInbound'),
      description: 'Replies to alert SMS (two-way SMS via SNS): YES acknowledges the alert',
      serviceName: 'timescales-sms-inbound',
    });
    this.functions = {
      events,
      read,
      reminders,
      import: importFn,
      alerts,
      smsInbound,
      ...(web === undefined ? {} : { web }),
    };

    grantTable(events.role, table, key, 'readwrite');
    grantTable(read.role, table, key, 'read');
    grantTable(reminders.role, table, key, 'readwrite');
    this.webhookSecret.grantRead(events.role);
    this.timers.grantManageSchedules(events.role);
    this.timers.grantManageSchedules(reminders.role);
    this.timers.allowInvoke(remindersArn);
    this.messaging.grantSendEmail(reminders.role);
    this.messaging.grantSendText(reminders.role);
    grantTable(importFn.role, table, key, 'readwrite');
    this.timers.grantManageSchedules(importFn.role);
    this.grantDropBucket(importFn.role, dropBucket, key, importName);
    this.importRule = new eventbridge.Rule(this, 'ImportOnDrop', {
      description: 'A file dropped in the drop bucket runs the import function',
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: { bucket: { name: [dropBucket] } },
      },
      targets: [
        new targets.LambdaFunction(importFn.function, {
          deadLetterQueue: this.asyncFailures,
          retryAttempts: 4,
          maxEventAge: Duration.hours(2),
        }),
      ],
    });
    // Alerts: the reminders function mints ack links, the alerts function checks them; an
    // acknowledgement (link, API or SMS reply) cancels the clock's escalation timers.
    this.alertTokenKey.grantRead(reminders.role);
    this.alertTokenKey.grantRead(alerts.role);
    grantTable(alerts.role, table, key, 'readwrite');
    grantTable(smsInbound.role, table, key, 'readwrite');
    this.timers.grantCancelSchedules(alerts.role);
    this.timers.grantCancelSchedules(smsInbound.role);
    this.inboundSmsDlq = deadLetterQueue(
      this,
      'InboundSmsDlq',
      'inbound SMS the function could not take after SNS retries',
    );
    this.messaging.inboundTopic.addSubscription(
      new subscriptions.LambdaSubscription(smsInbound.function, {
        deadLetterQueue: this.inboundSmsDlq,
      }),
    );

    for (const fn of Object.values(this.functions)) {
      Validations.of(fn.role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: XRAY_REASON,
      });
    }

    this.api = new TimescalesApi(this, 'Api', {
      eventsFunction: events.function,
      readFunction: read.function,
      ...(web === undefined ? {} : { webFunction: web.function }),
      alertsFunction: alerts.function,
      rateLimit: config.api.rateLimit,
      burstLimit: config.api.burstLimit,
      logRetention,
    });

    if (web !== undefined && config.web !== undefined) {
      this.signIn = new WebSignIn(this, 'SignIn', {
        web: config.web,
        origins: [this.api.api.apiEndpoint, ...config.web.extraOrigins],
      });
      web.function.addEnvironment('COGNITO_USER_POOL_ID', this.signIn.userPool.userPoolId);
      web.function.addEnvironment('COGNITO_CLIENT_ID', this.signIn.client.userPoolClientId);
      web.function.addEnvironment('COGNITO_DOMAIN', this.signIn.domainUrl);
      web.function.addEnvironment('COGNITO_IDENTITY_PROVIDER', this.signIn.providerName);
      web.function.addEnvironment('WEB_GROUPS', JSON.stringify(this.signIn.groups));
      new CfnOutput(this, 'WebUrl', {
        value: `${this.api.api.apiEndpoint}/app`,
        description: 'The managers’ pages',
      });
      new CfnOutput(this, 'UserPoolId', { value: this.signIn.userPool.userPoolId });
    }

    this.alarms = new Alarms(this, 'Alarms', { email: config.alarmEmail, key });
    this.addAlarms();

    new CfnOutput(this, 'ApiUrl', {
      value: this.api.api.apiEndpoint,
      description: 'Base URL of the API',
    });
    new CfnOutput(this, 'WebhookSecretArn', {
      value: this.webhookSecret.secretArn,
      description: 'Signing secret to share with the back-office sender (as whsec_<value>)',
    });
    new CfnOutput(this, 'AlertTokenKeyArn', {
      value: this.alertTokenKey.secretArn,
      description: 'Signs ack links (rotate by hand: it invalidates the links in flight)',
    });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarms.topic.topicArn });
    new CfnOutput(this, 'InboundSmsTopicArn', {
      value: this.messaging.inboundTopic.topicArn,
      description:
        'Set as the two-way channel of the SMS phone number (replies to alerts), then set sms.twoWay',
    });
    new CfnOutput(this, 'ScheduleGroupName', { value: this.timers.group.scheduleGroupName });
  }

  /**
   * The import function reads the dropped objects (any version), writes the reports beside
   * them, uses the key through S3 only, and may invoke itself to carry a long file on.
   */
  private grantDropBucket(role: iam.IRole, bucket: string, key: kms.IKey, name: string) {
    const objects = `arn:${Aws.PARTITION}:s3:::${bucket}/*`;
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadDropsWriteReports',
        actions: ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject'],
        resources: [objects],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'UseDropKeyViaS3',
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: [key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `s3.${this.region}.amazonaws.com` } },
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'HandOnToItself',
        actions: ['lambda:InvokeFunction'],
        resources: [
          this.formatArn({
            service: 'lambda',
            resource: 'function',
            resourceName: name,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        ],
      }),
    );
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::${bucket.replace(Aws.ACCOUNT_ID, '<AWS::AccountId>').replace(Aws.REGION, '<AWS::Region>')}/*]`,
      reason:
        'The import function reads any object a council drops (keys are theirs to choose) and writes its report beside it, in this one bucket only.',
    });
  }

  private addAlarms(): void {
    const alarms = this.alarms;
    const period = FIVE_MINUTES;
    alarms.add('SchedulerDlqDepth', {
      metric: this.timers.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period,
        statistic: 'Maximum',
      }),
      description:
        'EventBridge Scheduler could not deliver a timer to the reminder function: a deadline may not advance or a reminder may not be sent.',
    });
    alarms.add('AsyncFailureDlqDepth', {
      metric: this.asyncFailures.metricApproximateNumberOfMessagesVisible({
        period,
        statistic: 'Maximum',
      }),
      description:
        'A timer invocation failed after Lambda retries: a deadline may not advance or a reminder may not be sent.',
    });
    for (const [name, fn] of Object.entries(this.functions)) {
      const title = name[0]!.toUpperCase() + name.slice(1);
      alarms.add(`${title}Errors`, {
        metric: fn.function.metricErrors({ period, statistic: 'Sum' }),
        description: `The ${name} function threw errors.`,
      });
      alarms.add(`${title}Throttles`, {
        metric: fn.function.metricThrottles({ period, statistic: 'Sum' }),
        description: `The ${name} function was throttled (reserved concurrency or account limit reached).`,
      });
    }
    // Metrics Insights across every dimension set the functions emit (Powertools adds
    // `service`; a dimension may be added without touching these). The reminders handler publishes them as EMF (functions/fire/handler.ts).
    const insights = (metricName: string, label: string) =>
      new cloudwatch.MathExpression({
        expression: `SELECT SUM(${metricName}) FROM ${METRICS_NAMESPACE}`,
        period,
        label,
        usingMetrics: {},
      });
    alarms.add('SendFailed', {
      metric: insights('SendFailed', 'Failed email/SMS sends'),
      description:
        'An email or SMS reminder could not be handed to SES / End User Messaging (metric Timescales/SendFailed).',
    });
    alarms.add('TimerDead', {
      metric: insights('TimerDead', 'Timers that can never be processed'),
      description:
        'The reminders function received a timer it can never process (metric Timescales/TimerDead); the payload is in the async-failure queue.',
    });
    alarms.add('AlertEscalatedToFallback', {
      metric: insights('AlertEscalatedToFallback', 'Alerts escalated to the fallback contact'),
      description:
        'An urgent out-of-hours alert was acknowledged by neither the EDT manager nor the senior manager on call (or nobody was on call at tier 2) and went to the fallback contact (metric Timescales/AlertEscalatedToFallback).',
    });
    // Every escalation reaches an alarm: to tier 2, to nobody (no fallback contact), or lost
    // (its timer found no case, deadline or alert to escalate).
    alarms.add('AlertEscalated', {
      metric: insights('AlertEscalated', 'Alerts escalated to the senior manager on call'),
      description:
        'An urgent out-of-hours alert was not acknowledged by the EDT manager in time and went to the senior manager on call (metric Timescales/AlertEscalated).',
    });
    alarms.add('AlertReachedNobody', {
      metric: insights('AlertReachedNobody', 'Alert escalations that reached nobody'),
      description:
        'An unacknowledged urgent alert was escalated to the fallback contact and none is configured: nobody beyond the EDT manager was told (metric Timescales/AlertReachedNobody).',
    });
    alarms.add('AlertEscalationLost', {
      metric: insights('AlertEscalationLost', 'Alert escalations with nothing to escalate'),
      description:
        'An escalation timer fired and found no case, deadline or alert to escalate, so sent nothing (metric Timescales/AlertEscalationLost).',
    });
    alarms.add('InboundSmsDlqDepth', {
      metric: this.inboundSmsDlq.metricApproximateNumberOfMessagesVisible({
        period,
        statistic: 'Maximum',
      }),
      description:
        'A reply to an alert SMS could not be processed after retries: an acknowledgement by SMS may have been lost.',
    });
    // Rows or files refused in the drop bucket: no clock starts for them until the file is
    // fixed and dropped again, so somebody must hear of it beyond `<key>.report.json`.
    alarms.add('ImportRowsRefused', {
      metric: insights('ImportRowsRefused', 'Dropped rows refused'),
      description:
        'A file dropped in the import bucket had rows refused (metric Timescales/ImportRowsRefused): their clocks do not start until the rows are fixed; <key>.report.json lists each with its line and problem.',
    });
    alarms.add('ImportFileUnusable', {
      metric: insights('ImportFileUnusable', 'Dropped files refused'),
      description:
        'A file dropped in the import bucket was refused whole (metric Timescales/ImportFileUnusable): no header Timescales knows, or empty; <key>.report.json says why.',
    });
    alarms.add('DeliveryFeedback', {
      metric: this.messaging.feedbackTopic.metricNumberOfMessagesPublished({
        period,
        statistic: 'Sum',
      }),
      description:
        'An email bounced, was complained about or rejected, or an SMS was not delivered.',
    });
    alarms.add('Api5xx', {
      metric: this.api.api.metricServerError({ period, statistic: 'Sum' }),
      description:
        'The API returned 5xx responses (errors or contention) five or more times in five minutes.',
      threshold: 5,
    });
  }
}

/** Item access on the table and its two indexes (named, no wildcard), and the table key via DynamoDB only. */
function grantTable(
  role: iam.IRole,
  table: dynamodb.ITableV2,
  key: kms.IKey,
  access: 'read' | 'readwrite',
): void {
  const stack = Stack.of(role);
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: access === 'read' ? 'ReadTable' : 'ReadWriteTable',
      actions: access === 'read' ? READ_ACTIONS : [...READ_ACTIONS, ...WRITE_ACTIONS],
      resources: [
        table.tableArn,
        `${table.tableArn}/index/${TABLE_KEYS.gsi1.name}`,
        `${table.tableArn}/index/${TABLE_KEYS.gsi2.name}`,
      ],
    }),
  );
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'UseTableKeyViaDynamoDB',
      actions: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
      resources: [key.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${stack.region}.amazonaws.com` } },
    }),
  );
}
