import type { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { METRICS, type MetricName } from '#kernel/metrics.js';
import type { StatelessStack } from '#lib/stateless-stack.js';
import { routeEntries, routeKey } from '#schemas/routes.js';
import { actionsOf, resourcesOf, type Statement, statementsOf, synthStacks } from './helpers.js';

let stack: StatelessStack;
let template: Template;

/** The logical id of a construct's default CloudFormation resource. */
function idOf(scope: { node: { defaultChild?: unknown } }): string {
  return (stack as Stack).getLogicalId(scope.node.defaultChild as never);
}

beforeAll(() => {
  ({ stateless: stack } = synthStacks());
  template = Template.fromStack(stack);
});

const FUNCTIONS = ['events', 'read', 'reminders', 'alerts', 'smsInbound', 'receipts'] as const;
/** Each function's Powertools service name. */
const SERVICE: Record<(typeof FUNCTIONS)[number] | 'import', string> = {
  import: 'timescales-import',
  events: 'timescales-events',
  read: 'timescales-read',
  reminders: 'timescales-reminders',
  alerts: 'timescales-alerts',
  smsInbound: 'timescales-sms-inbound',
  receipts: 'timescales-receipts',
};

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
function statementsWith(name: (typeof FUNCTIONS)[number], prefix: string): Statement[] {
  return statementsOf(template, stack, stack.functions[name]!.role).filter((s) =>
    actionsOf(s).some((a) => a.startsWith(prefix)),
  );
}

describe('least-privilege IAM', () => {
  const groupArn = () => ({
    'Fn::Join': [
      '',
      [
        'arn:',
        { Ref: 'AWS::Partition' },
        ':scheduler:',
        { Ref: 'AWS::Region' },
        ':',
        { Ref: 'AWS::AccountId' },
        `:schedule/${stack.timers.group.scheduleGroupName}/*`,
      ],
    ],
  });

  it.each(['events', 'reminders'] as const)(
    '%s: scheduler actions only on schedules of the group',
    (name) => {
      const [statement, ...rest] = statementsWith(name, 'scheduler:');
      expect(rest).toHaveLength(0);
      // What the EventBridge adapter calls, nothing more (no Get/Update/List).
      expect(actionsOf(statement!).sort()).toEqual([
        'scheduler:CreateSchedule',
        'scheduler:DeleteSchedule',
      ]);
      expect(statement!.Resource).toEqual(groupArn());
    },
  );

  it.each(['events', 'reminders'] as const)(
    '%s: iam:PassRole only on the scheduler role, only to Scheduler',
    (name) => {
      const [statement, ...rest] = statementsWith(name, 'iam:');
      expect(rest).toHaveLength(0);
      expect(actionsOf(statement!)).toEqual(['iam:PassRole']);
      expect(statement!.Resource).toEqual({ 'Fn::GetAtt': [idOf(stack.timers.role), 'Arn'] });
      expect(statement!.Condition).toEqual({
        StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' },
      });
    },
  );

  it('read: reads the table and nothing else (no writes, schedules, secret or sending)', () => {
    const actions = statementsOf(template, stack, stack.functions.read.role).flatMap(actionsOf);
    expect(actions.filter((a) => a.startsWith('dynamodb:')).sort()).toEqual([
      'dynamodb:BatchGetItem',
      'dynamodb:GetItem',
      'dynamodb:Query',
    ]);
    expect(actions.some((a) => /^(scheduler|iam|ses|sms-voice|secretsmanager):/.test(a))).toBe(
      false,
    );
  });

  it('table access names the table and its two indexes, no index wildcard', () => {
    for (const name of FUNCTIONS) {
      const [statement] = statementsWith(name, 'dynamodb:');
      const resources = JSON.stringify(resourcesOf(statement!));
      expect(resources).toContain('/index/gsi1');
      expect(resources).toContain('/index/gsi2');
      expect(resources).not.toContain('*');
    }
  });

  it('the table key is usable only through DynamoDB', () => {
    for (const name of FUNCTIONS) {
      const [statement] = statementsWith(name, 'kms:');
      expect(statement!.Condition).toEqual({
        StringEquals: {
          'kms:ViaService': {
            'Fn::Join': ['', ['dynamodb.', { Ref: 'AWS::Region' }, '.amazonaws.com']],
          },
        },
      });
    }
  });

  it.each(['events', 'reminders'] as const)(
    '%s: reads and writes the table (the transaction writes and the claims need each action)',
    (name) => {
      const [statement, ...rest] = statementsWith(name, 'dynamodb:');
      expect(rest).toHaveLength(0);
      expect(actionsOf(statement!)).toEqual(
        expect.arrayContaining([
          'dynamodb:GetItem',
          'dynamodb:Query',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:DeleteItem',
          'dynamodb:BatchWriteItem',
          'dynamodb:ConditionCheckItem',
        ]),
      );
      expect(resourcesOf(statement!)[0]).toEqual(
        expect.objectContaining({ 'Fn::ImportValue': expect.anything() }),
      );
      const [kms] = statementsWith(name, 'kms:');
      expect(actionsOf(kms!).sort()).toEqual([
        'kms:Decrypt',
        'kms:DescribeKey',
        'kms:Encrypt',
        'kms:GenerateDataKey',
      ]);
      expect(JSON.stringify(resourcesOf(kms!))).not.toContain('*');
    },
  );

  it('events: reads exactly the webhook secret, nothing else in Secrets Manager', () => {
    const [statement, ...rest] = statementsWith('events', 'secretsmanager:');
    expect(rest).toHaveLength(0);
    expect(actionsOf(statement!).sort()).toEqual([
      'secretsmanager:DescribeSecret',
      'secretsmanager:GetSecretValue',
    ]);
    expect(statement!.Resource).toEqual({ Ref: idOf(stack.ingest.webhookSecret) });
  });

  it('events: sends no email or SMS', () => {
    expect(statementsWith('events', 'ses:')).toHaveLength(0);
    expect(statementsWith('events', 'sms-voice:')).toHaveLength(0);
  });

  it('only the events function reads the webhook secret', () => {
    for (const name of FUNCTIONS) {
      const reads = statementsWith(name, 'secretsmanager:').some(
        (s) =>
          JSON.stringify(s.Resource) === JSON.stringify({ Ref: idOf(stack.ingest.webhookSecret) }),
      );
      expect(reads, name).toBe(name === 'events');
    }
  });

  it('reminders: SES send only from our identity through our configuration set', () => {
    const [statement, ...rest] = statementsWith('reminders', 'ses:');
    expect(rest).toHaveLength(0);
    // SES v2 SendEmail (simple and raw MIME content alike) is authorised by ses:SendEmail.
    expect(actionsOf(statement!)).toEqual(['ses:SendEmail']);
    const resources = resourcesOf(statement!);
    expect(resources).toHaveLength(3);
    const text = JSON.stringify(resources);
    expect(text).toContain(':identity/example.gov.uk"');
    expect(text).toContain(':identity/timescales@example.gov.uk"');
    expect(text).toContain(':configuration-set/');
    expect(text).toContain(idOf(stack.messaging!.configurationSet));
    expect(text).not.toContain('*');
  });

  it('reminders: sms-voice:SendTextMessage on the origination identity, configuration set and opt-out list only', () => {
    const [statement] = statementsWith('reminders', 'sms-voice:');
    expect(actionsOf(statement!)).toEqual(['sms-voice:SendTextMessage']);
    const resources = resourcesOf(statement!);
    expect(resources).toHaveLength(3);
    expect(resources).toContainEqual({
      'Fn::GetAtt': [stack.getLogicalId(stack.messaging!.smsConfigurationSet), 'Arn'],
    });
    expect(JSON.stringify(resources)).toContain(':opt-out-list/Default');
    expect(JSON.stringify(resources)).not.toContain('*');
  });

  it('no role uses an AWS managed policy', () => {
    for (const role of Object.values(template.findResources('AWS::IAM::Role'))) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });

  it('the only "*" resources are X-Ray, the schedule group and the drop bucket’s objects', () => {
    for (const policy of Object.values(template.findResources('AWS::IAM::Policy'))) {
      for (const statement of policy.Properties.PolicyDocument.Statement as Statement[]) {
        const resources = JSON.stringify(resourcesOf(statement));
        if (!resources.includes('*')) continue;
        const actions = actionsOf(statement);
        const xray = actions.every((a) => a.startsWith('xray:')) && statement.Resource === '*';
        const schedules =
          actions.every((a) => a.startsWith('scheduler:')) && resources.includes(':schedule/');
        const drops = actions.every((a) => a.startsWith('s3:')) && resources.includes('-drop-');
        expect(xray || schedules || drops, JSON.stringify(statement)).toBe(true);
      }
    }
  });

  it('with a configured origination identity ARN, no sender ID is created and IAM names that ARN', () => {
    const arn = 'arn:aws:sms-voice:eu-west-2:111122223333:pool/pool-0123456789abcdef';
    const { stateless } = synthStacks({ sms: { originationIdentityArn: arn } });
    const t = Template.fromStack(stateless);
    t.resourceCountIs('AWS::SMSVOICE::SenderId', 0);
    expect(JSON.stringify(t.findResources('AWS::IAM::Policy'))).toContain(arn);
  });
});

describe('HTTP API', () => {
  it('the webhook route has no API Gateway authoriser (the handler checks the signature)', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'POST /v1/events',
      AuthorizationType: 'NONE',
    });
  });

  // The callbacks and invitations are GOV.UK Notify's: served only with that provider.
  const routes = routeEntries()
    .filter(([, route]) => route.lambda !== 'delivery')
    .map(([operationId, route]) => ({
      operationId,
      route,
      key: routeKey(route),
    }));

  it('serves the route table: one API Gateway route per entry, no other', () => {
    // Prepare
    const declared = routes.map((r) => r.key).sort();
    // Act
    const deployed = Object.values(template.findResources('AWS::ApiGatewayV2::Route'))
      .map((r) => r.Properties.RouteKey as string)
      .sort();
    // Assess
    expect(deployed).toEqual(declared);
    template.resourceCountIs('AWS::ApiGatewayV2::Route', routes.length);
  });

  it.each(routes.filter((r) => r.route.auth === 'iam'))('$key requires IAM (SigV4)', ({ key }) => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: key,
      AuthorizationType: 'AWS_IAM',
    });
  });

  it.each(routes)('$key is served by the $route.lambda function', ({ key, route }) => {
    const found = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).find(
      (r) => r.Properties.RouteKey === key,
    );
    const target = JSON.stringify(found?.Properties.Target);
    const integrationId = /"Ref":"([^"]+)"/.exec(target)?.[1];
    const integration = template.findResources('AWS::ApiGatewayV2::Integration')[integrationId!];
    const fn = stack.functions[route.lambda === 'delivery' ? 'notify' : route.lambda]!.function;
    expect(integration?.Properties.IntegrationUri).toEqual({ 'Fn::GetAtt': [idOf(fn), 'Arn'] });
    // API Gateway may invoke that function for this route.
    const permissions = Object.values(template.findResources('AWS::Lambda::Permission'));
    expect(
      permissions.some(
        (p) =>
          JSON.stringify(p.Properties.FunctionName).includes(idOf(fn)) &&
          JSON.stringify(p.Properties.SourceArn).endsWith(`/*/*${route.path}"]]}`),
      ),
    ).toBe(true);
  });

  it('the stage is throttled and writes JSON access logs', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingBurstLimit: 100, ThrottlingRateLimit: 50 },
      AccessLogSettings: {
        DestinationArn: { 'Fn::GetAtt': [idOf(stack.api.accessLogs), 'Arn'] },
        Format: Match.stringLikeRegexp('"requestId":"\\$context.requestId"'),
      },
    });
    const stage = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'))[0]!;
    expect(() => JSON.parse(stage.Properties.AccessLogSettings.Format)).not.toThrow();
  });
});

describe('messaging', () => {
  it('SES configuration set: TLS required, suppression on, bounces and complaints to the feedback topic', () => {
    template.hasResourceProperties('AWS::SES::ConfigurationSet', {
      DeliveryOptions: { TlsPolicy: 'REQUIRE' },
      SuppressionOptions: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
    });
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      EventDestination: {
        Enabled: true,
        MatchingEventTypes: Match.arrayWith(['bounce', 'complaint']),
        SnsDestination: { TopicARN: { Ref: idOf(stack.messaging!.feedbackTopic) } },
      },
    });
  });

  it('SES domain identity for the From address, with DKIM, using the configuration set', () => {
    template.hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: 'example.gov.uk',
      ConfigurationSetAttributes: {
        ConfigurationSetName: { Ref: idOf(stack.messaging!.configurationSet) },
      },
    });
  });

  it('the SES identity can be left to the account', () => {
    const { stateless } = synthStacks({
      email: { from: 'timescales@example.gov.uk', manageIdentity: false },
    });
    Template.fromStack(stateless).resourceCountIs('AWS::SES::EmailIdentity', 0);
  });

  it('SMS: UK sender ID from configuration, configuration set reporting failures to the feedback topic', () => {
    template.hasResourceProperties('AWS::SMSVOICE::SenderId', {
      SenderId: 'EXAMPLEBC',
      IsoCountryCode: 'GB',
    });
    template.hasResourceProperties('AWS::SMSVOICE::ConfigurationSet', {
      DefaultSenderId: 'EXAMPLEBC',
      EventDestinations: [
        Match.objectLike({
          MatchingEventTypes: Match.arrayWith(['TEXT_BLOCKED', 'TEXT_UNREACHABLE']),
          SnsDestination: { TopicArn: { Ref: idOf(stack.messaging!.feedbackTopic) } },
        }),
        // Every final event, delivered or not, for the delivery feature.
        Match.objectLike({
          MatchingEventTypes: Match.arrayWith(['TEXT_DELIVERED', 'TEXT_BLOCKED']),
          SnsDestination: { TopicArn: { Ref: idOf(stack.messaging!.deliveryEvents) } },
        }),
      ],
    });
  });

  it('every topic (feedback, delivery events, inbound SMS, alarms) is encrypted with the key and accepts TLS only', () => {
    const topics = template.findResources('AWS::SNS::Topic');
    expect(Object.keys(topics)).toHaveLength(4);
    for (const topic of Object.values(topics)) {
      expect(JSON.stringify(topic.Properties.KmsMasterKeyId)).toContain('DataKey');
    }
    for (const policy of Object.values(template.findResources('AWS::SNS::TopicPolicy'))) {
      expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
    }
  });
});

describe('webhook secret', () => {
  it('is generated: 32 characters of the base64 alphabet, retained', () => {
    template.hasResource('AWS::SecretsManager::Secret', {
      Properties: Match.objectLike({
        GenerateSecretString: { PasswordLength: 32, ExcludePunctuation: true, IncludeSpace: false },
      }),
      DeletionPolicy: 'Retain',
    });
  });
});

describe('alarms', () => {
  const alarmsBy = () =>
    Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(
      (a) => a.Properties as Record<string, unknown>,
    );

  it('exactly the expected set, every one to the alarm topic (alarm and OK)', () => {
    const alarms = alarmsBy();
    // 4 queue depths (scheduler, async failures, inbound SMS, delivery events), errors and
    // throttles of 7 functions, SendFailed, TimerDead, DeliveryFeedback, Api5xx, 2 import
    // refusals, escalations (to tier 2, to the fallback contact, to nobody, and lost), and
    // messages not delivered (to a person, to the duty inbox).
    expect(alarms).toHaveLength(30);
    const topic = { Ref: idOf(stack.alarms.topic) };
    for (const alarm of alarms) {
      expect(alarm.AlarmActions).toEqual([topic]);
      expect(alarm.OKActions).toEqual([topic]);
      expect(alarm.TreatMissingData).toBe('notBreaching');
      expect(alarm.AlarmDescription).toBeTruthy();
    }
  });

  it.each([
    ['scheduler DLQ', () => stack.timers.deadLetterQueue],
    ['async-failure DLQ', () => stack.asyncFailures],
  ])('%s depth', (_label, queue) => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [idOf(queue()), 'QueueName'] } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it.each(
    FUNCTIONS.flatMap((name) => [
      [name, 'Errors'],
      [name, 'Throttles'],
    ]),
  )('%s %s', (name, metric) => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: metric,
      Dimensions: [
        { Name: 'FunctionName', Value: { Ref: idOf(stack.functions[name as 'read'].function) } },
      ],
      Statistic: 'Sum',
      Threshold: 1,
    });
  });

  it('our metrics alarmed are these ten, each described by its meaning in the one list', () => {
    // Prepare: the alarms that query a metric of ours (Metrics Insights)
    const byMetric = Object.values(template.findResources('AWS::CloudWatch::Alarm'))
      .map((a) => a.Properties as { Metrics?: { Expression?: string }[]; AlarmDescription: string })
      .flatMap((p) => {
        const match = /^SELECT SUM\((\w+)\) FROM Timescales$/.exec(
          p.Metrics?.[0]?.Expression ?? '',
        );
        return match === null ? [] : [[match[1]!, p.AlarmDescription] as const];
      });
    // Assess
    expect(byMetric.map(([name]) => name).sort()).toEqual(
      [
        'SendFailed',
        'TimerDead',
        'AlertEscalated',
        'AlertEscalatedToFallback',
        'AlertReachedNobody',
        'AlertEscalationLost',
        'ImportRowsRefused',
        'ImportFileUnusable',
        'Undelivered',
        'DutyInboxUndelivered',
      ].sort(),
    );
    for (const [name, description] of byMetric) {
      expect(description).toBe(`Timescales/${name}: ${METRICS[name as MetricName]}.`);
    }
  });

  it('failed sends: Timescales/SendFailed across all its dimensions', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: [
        Match.objectLike({ Expression: 'SELECT SUM(SendFailed) FROM Timescales', Period: 300 }),
      ],
      Threshold: 1,
    });
  });

  it('dead timers: Timescales/TimerDead across all its dimensions', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: [
        Match.objectLike({ Expression: 'SELECT SUM(TimerDead) FROM Timescales', Period: 300 }),
      ],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it.each(['ImportRowsRefused', 'ImportFileUnusable'])(
    'refused imports: Timescales/%s raises an alarm at the first one',
    (metric) => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Metrics: [
          Match.objectLike({ Expression: `SELECT SUM(${metric}) FROM Timescales`, Period: 300 }),
        ],
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    },
  );

  it('the namespace the alarms query is the one the functions that publish metrics emit to', () => {
    for (const name of ['reminders', 'import'] as const) {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: {
          Variables: Match.objectLike({
            POWERTOOLS_METRICS_NAMESPACE: 'Timescales',
            POWERTOOLS_SERVICE_NAME: `timescales-${name}`,
          }),
        },
      });
    }
  });

  it('API 5xx', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/ApiGateway',
      MetricName: '5xx',
      Dimensions: [{ Name: 'ApiId', Value: { Ref: idOf(stack.api.api) } }],
      Threshold: 5,
    });
  });

  it('email/SMS delivery feedback', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SNS',
      MetricName: 'NumberOfMessagesPublished',
      Dimensions: [
        {
          Name: 'TopicName',
          Value: { 'Fn::GetAtt': [idOf(stack.messaging!.feedbackTopic), 'TopicName'] },
        },
      ],
    });
  });

  it('the alarm email is subscribed, with a DLQ for undeliverable notifications', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'it-operations@example.gov.uk',
      TopicArn: { Ref: idOf(stack.alarms.topic) },
      RedrivePolicy: { deadLetterTargetArn: Match.anyValue() },
    });
  });
});

describe('the import function and the drop bucket’s rule', () => {
  const dropName = {
    'Fn::Join': [
      '',
      ['example-borough-drop-', { Ref: 'AWS::AccountId' }, '-', { Ref: 'AWS::Region' }],
    ],
  };

  it('has a fixed name (it invokes itself), 15 minutes and 1 GB', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'Timescales-example-borough-App-import',
      Timeout: 900,
      MemorySize: 1024,
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
    });
  });

  it('runs on every object created in the drop bucket, with retries and a dead-letter queue', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.s3'],
        'detail-type': ['Object Created'],
        detail: { bucket: { name: [dropName] } },
      },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [idOf(stack.functions.import.function), 'Arn'] },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [idOf(stack.asyncFailures), 'Arn'] } },
          RetryPolicy: { MaximumRetryAttempts: 4, MaximumEventAgeInSeconds: 7200 },
        }),
      ],
    });
  });

  it('may read the drops, write reports beside them, use the key through S3 and invoke itself only', () => {
    const statements = statementsOf(template, stack, stack.functions.import.role);
    const bySid = (sid: string) => statements.find((st) => st.Sid === sid);
    expect(actionsOf(bySid('ReadDropsWriteReports') as Statement)).toEqual([
      's3:GetObject',
      's3:GetObjectVersion',
      's3:PutObject',
    ]);
    expect(JSON.stringify(bySid('ReadDropsWriteReports')?.Resource)).toContain(
      ':s3:::example-borough-drop-',
    );
    expect(bySid('UseDropKeyViaS3')?.Condition).toEqual({
      StringEquals: {
        'kms:ViaService': { 'Fn::Join': ['', ['s3.', { Ref: 'AWS::Region' }, '.amazonaws.com']] },
      },
    });
    expect(actionsOf(bySid('HandOnToItself') as Statement)).toEqual(['lambda:InvokeFunction']);
    expect(JSON.stringify(bySid('HandOnToItself')?.Resource)).toContain(
      ':function:Timescales-example-borough-App-import',
    );
    expect(statements.some((st) => actionsOf(st).includes('s3:DeleteObject'))).toBe(false);
  });
});
