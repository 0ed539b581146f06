/**
 * What each feature's construct is made of: the shared pieces it is given (`Shared`), the
 * parts of the functions' configuration as this stack sets them (`EnvironmentParts`: the
 * stack's side of `functions/platform/config.ts`), and `FeatureFunction`, a feature's Lambda
 * with its table access and its errors and throttles alarms.
 */
import { Stack, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { NOTIFY_RATE_PER_MINUTE } from '#platform/config.js';
import { TABLE_KEYS } from '#platform/dynamodb/table.js';
import { type EntryName, entryPath } from '../bundling.js';
import { authorityConfig, type TimescalesConfig } from '../config.js';
import type { Alarms } from '../constructs/alarms.js';
import type { TimescalesApi } from '../constructs/api.js';
import type { Messaging } from '../constructs/messaging.js';
import type { NotifySecrets } from '../constructs/notify-secrets.js';
import type { TimerScheduler } from '../constructs/timer-scheduler.js';
import {
  TimescalesFunction,
  type TimescalesFunctionProps,
} from '../constructs/timescales-function.js';

/** The pieces several features use, made once by the stack. */
export interface SharedPieces {
  readonly config: TimescalesConfig;
  /** From the stateful stack. */
  readonly table: dynamodb.ITableV2;
  /** From the stateful stack: encrypts the table and the topics. */
  readonly key: kms.IKey;
  readonly api: TimescalesApi;
  readonly timers: TimerScheduler;
  /** Email and SMS through AWS (`messaging.provider` "aws"). */
  readonly messaging?: Messaging | undefined;
  /** GOV.UK Notify's API key and callback token (`messaging.provider` "notify"). */
  readonly notify?: NotifySecrets | undefined;
  readonly alarms: Alarms;
  /** Where asynchronous invocations that still fail after retries go. */
  readonly asyncFailures: sqs.IQueue;
  /** Signs ack links: the fire feature mints them, the alerts feature checks them. */
  readonly alertTokenKey: secretsmanager.ISecret;
}

export interface Shared extends SharedPieces {
  readonly env: EnvironmentParts;
}

/**
 * Each part of the functions' configuration (`functions/platform/config.ts`: `tableVars`,
 * `authorityVars`, …) with its variables' values in this stack. A function is given the parts
 * its wiring reads and no other; `test/infra/app-stack.test.ts` checks every variable set
 * against the function's bundle.
 */
export function environmentParts(shared: SharedPieces) {
  const { config, timers, messaging, notify } = shared;
  return {
    table: { TABLE_NAME: shared.table.tableName },
    authority: { AUTHORITY_CONFIG: authorityConfig(config) },
    scheduler: {
      SCHEDULE_GROUP: timers.group.scheduleGroupName,
      SCHEDULER_ROLE_ARN: timers.role.roleArn,
      TIMER_TARGET_ARN: timers.targetArn,
      SCHEDULER_DLQ_ARN: timers.deadLetterQueue.queueArn,
    },
    scheduleGroup: { SCHEDULE_GROUP: timers.group.scheduleGroupName },
    /** With Notify, the From address only organises invitations (when the file gives one). */
    email: {
      ...(config.email === undefined ? {} : { SES_FROM: config.email.from }),
      ...(messaging === undefined
        ? {}
        : { SES_CONFIGURATION_SET: messaging.configurationSet.configurationSetName }),
    },
    sms: {
      ...(messaging === undefined
        ? {}
        : {
            SMS_ORIGINATION_IDENTITY: messaging.originationIdentity,
            SMS_CONFIGURATION_SET: messaging.smsConfigurationSet.ref,
          }),
      SMS_TWO_WAY: String(config.sms?.twoWay ?? config.notify?.twoWay ?? false),
    },
    alertToken: { ALERT_TOKEN_KEY_ARN: shared.alertTokenKey.secretArn },
    messaging: { MESSAGING_PROVIDER: config.messaging.provider },
    /**
     * Sending through GOV.UK Notify: the key's secret, the templates, this function's share of
     * Notify's 3,000 requests a minute (its reserved concurrency's), where invitations are served.
     */
    notify: (notify === undefined || config.notify === undefined
      ? {}
      : {
          NOTIFY_API_KEY_ARN: notify.apiKey.secretArn,
          NOTIFY_EMAIL_TEMPLATE_ID: config.notify.emailTemplateId,
          NOTIFY_SMS_TEMPLATE_ID: config.notify.smsTemplateId,
          NOTIFY_RATE_PER_MINUTE: String(
            Math.floor(NOTIFY_RATE_PER_MINUTE / (config.concurrency.reminders ?? 1)),
          ),
          INVITATION_BASE_URL: shared.api.api.apiEndpoint,
        }) as Record<string, string>,
    notifyCallback: (notify === undefined
      ? {}
      : { NOTIFY_CALLBACK_TOKEN_ARN: notify.callbackToken.secretArn }) as Record<string, string>,
  };
}

export type EnvironmentParts = ReturnType<typeof environmentParts>;

/**
 * One feature's resources: its functions with their environment and permissions, and what
 * else it alone uses. Its routes and alarms are added to the API and the alarm topic's
 * construct. The stack leaves this level out of logical ids (`StatelessStack`).
 */
export class Feature extends Construct {}

export interface FeatureFunctionProps
  extends Omit<TimescalesFunctionProps, 'entry' | 'onFailure' | 'logRetention' | 'environment'> {
  /** Its entry point (`lib/bundling.ts`). */
  readonly entry: EntryName;
  /** Exactly the variables its wiring reads: the parts of `Shared.env` it names, and its own. */
  readonly environment: Record<string, string>;
  /** Item access on the table and its indexes. */
  readonly table: 'read' | 'readwrite';
}

const XRAY_REASON =
  'X-Ray PutTraceSegments/PutTelemetryRecords have no resource-level permissions (AWS requires Resource "*"); added by Lambda active tracing.';

/** A feature's Lambda: our one shape, its table access, and alarms on its errors and throttles. */
export class FeatureFunction extends TimescalesFunction {
  readonly entry: EntryName;

  constructor(scope: Construct, id: string, shared: Shared, props: FeatureFunctionProps) {
    const { entry, table, ...rest } = props;
    super(scope, id, {
      ...rest,
      entry: entryPath(entry),
      onFailure: shared.asyncFailures,
      logRetention: shared.config.logRetentionDays as logs.RetentionDays,
    });
    this.entry = entry;
    grantTable(this.role, shared.table, shared.key, table);
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: XRAY_REASON,
    });
    shared.alarms.onFunction(id, this.function);
  }
}

const READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'];
const WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
];

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
