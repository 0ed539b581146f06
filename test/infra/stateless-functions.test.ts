/** The stateless stack: its Lambda functions, log groups, queues and schedules. */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { NOTIFY_CLIENT } from '#lib/bundling.js';
import type { StatelessStack } from '#lib/stateless-stack.js';
import { actionsOf, statementsOf, synthStacks } from './helpers.js';
import { FUNCTIONS, idOf, SERVICE, statelessStack } from './stateless-support.js';

let stack: StatelessStack;
let template: Template;

beforeAll(() => {
  ({ stack, template } = statelessStack());
});

describe('Lambda functions', () => {
  it('are exactly the seven entry points (the pages, with `web` configured, are an eighth)', () => {
    template.resourceCountIs('AWS::Lambda::Function', 7);
  });

  it.each(FUNCTIONS)(
    '%s: Node.js 22 on arm64, traced, explicit memory and timeout, JSON logs',
    (name) => {
      const fn = stack.functions[name]!;
      template.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName:
          name === 'reminders' ? 'Timescales-example-borough-App-reminders' : Match.absent(),
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
        MemorySize: 512,
        Timeout: Match.anyValue(),
        LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: idOf(fn.logGroup) } },
        Role: { 'Fn::GetAtt': [idOf(fn.role), 'Arn'] },
      });
    },
  );

  /** Every function's own: Powertools reads the first two, the Node.js runtime the third. */
  const RUNTIME = ['LOG_LEVEL', 'NODE_OPTIONS', 'POWERTOOLS_SERVICE_NAME'];
  const SCHEDULER = [
    'SCHEDULER_DLQ_ARN',
    'SCHEDULER_ROLE_ARN',
    'SCHEDULE_GROUP',
    'TIMER_TARGET_ARN',
  ];
  /** What each function's wiring reads (docs/architecture.md, "Lambda environment"). */
  const READS: Record<(typeof FUNCTIONS)[number] | 'import', string[]> = {
    events: ['TABLE_NAME', 'AUTHORITY_CONFIG', ...SCHEDULER, 'WEBHOOK_SECRET_ARN'],
    read: ['TABLE_NAME', 'AUTHORITY_CONFIG'],
    reminders: [
      'TABLE_NAME',
      'AUTHORITY_CONFIG',
      ...SCHEDULER,
      'SES_FROM',
      'SES_CONFIGURATION_SET',
      'SMS_ORIGINATION_IDENTITY',
      'SMS_CONFIGURATION_SET',
      'SMS_TWO_WAY',
      'ALERT_TOKEN_KEY_ARN',
      'MESSAGING_PROVIDER',
      'POWERTOOLS_METRICS_NAMESPACE',
    ],
    alerts: ['TABLE_NAME', 'AUTHORITY_CONFIG', 'SCHEDULE_GROUP', 'ALERT_TOKEN_KEY_ARN'],
    smsInbound: ['TABLE_NAME', 'AUTHORITY_CONFIG', 'SCHEDULE_GROUP'],
    receipts: ['TABLE_NAME', 'FOLLOW_UP_FUNCTION_ARN', 'POWERTOOLS_METRICS_NAMESPACE'],
    import: ['TABLE_NAME', 'AUTHORITY_CONFIG', ...SCHEDULER, 'POWERTOOLS_METRICS_NAMESPACE'],
  };
  const variablesOf = (name: keyof typeof READS) =>
    template.toJSON().Resources[idOf(stack.functions[name]!.function)].Properties.Environment
      .Variables as Record<string, unknown>;

  it.each(Object.keys(READS) as (keyof typeof READS)[])(
    '%s: its environment is what its wiring reads, no other variable',
    (name) => {
      expect(Object.keys(variablesOf(name)).sort()).toEqual([...READS[name], ...RUNTIME].sort());
    },
  );

  it.each(Object.keys(READS) as (keyof typeof READS)[])('%s: each variable’s value', (name) => {
    // Prepare: every value any function may have; each function has its own subset
    const values: Record<string, unknown> = {
      POWERTOOLS_SERVICE_NAME: SERVICE[name],
      POWERTOOLS_METRICS_NAMESPACE: 'Timescales',
      LOG_LEVEL: 'INFO',
      NODE_OPTIONS: '--enable-source-maps',
      SES_FROM: 'timescales@example.gov.uk',
      SCHEDULE_GROUP: stack.timers.group.scheduleGroupName,
      SCHEDULER_ROLE_ARN: { 'Fn::GetAtt': [idOf(stack.timers.role), 'Arn'] },
      SCHEDULER_DLQ_ARN: { 'Fn::GetAtt': [idOf(stack.timers.deadLetterQueue), 'Arn'] },
      WEBHOOK_SECRET_ARN: { Ref: idOf(stack.ingest.webhookSecret) },
      ALERT_TOKEN_KEY_ARN: { Ref: idOf(stack.alertTokenKey) },
      SMS_TWO_WAY: 'false',
      MESSAGING_PROVIDER: 'aws',
      FOLLOW_UP_FUNCTION_ARN: { 'Fn::GetAtt': [idOf(stack.fire.function.function), 'Arn'] },
    };
    // Act
    const variables = variablesOf(name);
    // Assess
    for (const [variable, value] of Object.entries(variables)) {
      if (variable in values) expect(value, variable).toEqual(values[variable]);
    }
    // The receipts function reads no authority settings.
    if ('AUTHORITY_CONFIG' in variables) {
      expect(JSON.parse(variables.AUTHORITY_CONFIG as string)).toMatchObject({
        authority: 'Example Borough Council',
        division: 'england-and-wales',
        preset: 'southampton',
        links: {
          caseUrlTemplate: 'https://cases.example.gov.uk/cases/{caseId}',
          ackBaseUrl: 'https://ack.example.gov.uk',
        },
        ackWithinMinutes: 30,
      });
    }
    if ('TIMER_TARGET_ARN' in variables) {
      expect(JSON.stringify(variables.TIMER_TARGET_ARN)).toContain(
        ':function:Timescales-example-borough-App-reminders',
      );
    }
  });

  it.each(FUNCTIONS)(
    '%s: failed async invocations go to the SQS on-failure destination',
    (name) => {
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: idOf(stack.functions[name]!.function) },
        MaximumRetryAttempts: 2,
        DestinationConfig: {
          OnFailure: { Destination: { 'Fn::GetAtt': [idOf(stack.asyncFailures), 'Arn'] } },
        },
      });
    },
  );

  it('reserves concurrency where a burst could hurt: the webhook and the senders', () => {
    const reserved = (name: (typeof FUNCTIONS)[number]) =>
      template.toJSON().Resources[idOf(stack.functions[name]!.function)].Properties
        .ReservedConcurrentExecutions;
    expect(reserved('events')).toBe(20);
    expect(reserved('reminders')).toBe(5);
    expect(reserved('read')).toBeUndefined();
    expect(reserved('alerts')).toBeUndefined();
    expect(reserved('smsInbound')).toBeUndefined();
    expect(reserved('receipts')).toBeUndefined();
  });

  it('bundles GOV.UK Notify’s client into no function when the stack sends through SES and SMS', () => {
    // Left external: an import none of their code reaches (the reminders' Notify sender is unused).
    for (const name of Object.keys(stack.functions) as (keyof typeof stack.functions)[])
      expect(stack.functions[name]?.bundling.externalModules).toContain(NOTIFY_CLIENT);
  });

  it('lets a new account with a small concurrency quota leave functions unreserved', () => {
    const { stateless } = synthStacks({ concurrency: { events: null, reminders: null } });
    const functions = Template.fromStack(stateless).findResources('AWS::Lambda::Function');
    for (const fn of Object.values(functions)) {
      expect(fn.Properties.ReservedConcurrentExecutions).toBeUndefined();
    }
  });
});

describe('log groups', () => {
  it('every log group has the configured retention and is retained', () => {
    const groups = template.findResources('AWS::Logs::LogGroup');
    expect(Object.keys(groups)).toHaveLength(8); // seven functions + API access logs
    for (const group of Object.values(groups)) {
      expect(group.Properties.RetentionInDays).toBe(365);
      expect(group.DeletionPolicy).toBe('Retain');
    }
  });

  it('retention follows the configuration', () => {
    const { stateless } = synthStacks({ logRetentionDays: 90 });
    Template.fromStack(stateless).allResourcesProperties('AWS::Logs::LogGroup', {
      RetentionInDays: 90,
    });
  });

  it('no function relies on an implicit /aws/lambda log group', () => {
    const functions = template.findResources('AWS::Lambda::Function');
    for (const fn of Object.values(functions)) {
      expect(fn.Properties.LoggingConfig.LogGroup).toBeDefined();
    }
  });
});

describe('queues', () => {
  it('every queue is encrypted, TLS-only and keeps messages 14 days', () => {
    // Scheduler DLQ, async-failure DLQ, alarm-email DLQ, inbound-SMS DLQ, delivery-events DLQ.
    template.resourceCountIs('AWS::SQS::Queue', 5);
    template.allResourcesProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 1_209_600,
    });
    const policies = Object.values(template.findResources('AWS::SQS::QueuePolicy'));
    expect(policies).toHaveLength(5);
    for (const policy of policies) {
      expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
    }
  });
});

describe('EventBridge Scheduler', () => {
  it('has a schedule group', () => {
    template.hasResourceProperties('AWS::Scheduler::ScheduleGroup', {
      Name: stack.timers.group.scheduleGroupName,
    });
  });

  it('execution role: trusted by Scheduler for this account only', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: 'sts:AssumeRole',
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          },
        ],
      },
    });
  });

  it('execution role: may invoke only the reminder function and write only to the DLQ', () => {
    const statements = statementsOf(template, stack, stack.timers.role);
    expect(statements).toHaveLength(2);
    const invoke = statements.find((s) => actionsOf(s).includes('lambda:InvokeFunction'))!;
    expect(actionsOf(invoke)).toEqual(['lambda:InvokeFunction']);
    expect(JSON.stringify(invoke.Resource)).toContain(
      ':function:Timescales-example-borough-App-reminders"',
    );
    expect(JSON.stringify(invoke.Resource)).not.toContain('*');
    const dlq = statements.find((s) => actionsOf(s).includes('sqs:SendMessage'))!;
    expect(dlq.Resource).toEqual({ 'Fn::GetAtt': [idOf(stack.timers.deadLetterQueue), 'Arn'] });
  });
});

/** Statements of a function's role that mention `prefix:` actions. */
