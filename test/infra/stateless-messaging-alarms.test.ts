/** The stateless stack: messaging, the webhook secret, alarms and the import function. */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { METRICS, type MetricName } from '#kernel/metrics.js';
import type { StatelessStack } from '#lib/stateless-stack.js';
import { actionsOf, type Statement, statementsOf, synthStacks } from './helpers.js';
import { FUNCTIONS, idOf, statelessStack } from './stateless-support.js';

let stack: StatelessStack;
let template: Template;

beforeAll(() => {
  ({ stack, template } = statelessStack());
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
