/**
 * The infrastructure of out-of-hours alerts: the public ack link (no IAM, its own tighter
 * throttle), the integration's IAM-authorised ack route, the alert-token key (a second secret,
 * read only by the functions that mint and check links), the inbound-SMS topic and its
 * function, and the alarms on escalations (to tier 2, to the fallback contact, to nobody, lost)
 * and lost SMS replies.
 */
import type { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { StatelessStack } from '#lib/stateless-stack.js';
import { actionsOf, type Statement, statementsOf, synthStacks } from './helpers.js';

let stack: StatelessStack;
let template: Template;

function idOf(scope: { node: { defaultChild?: unknown } }): string {
  return (stack as Stack).getLogicalId(scope.node.defaultChild as never);
}

function statementsWith(
  name: Exclude<keyof StatelessStack['functions'], 'web'>,
  prefix: string,
): Statement[] {
  return statementsOf(template, stack, stack.functions[name]!.role).filter((s) =>
    actionsOf(s).some((a) => a.startsWith(prefix)),
  );
}

beforeAll(() => {
  ({ stateless: stack } = synthStacks());
  template = Template.fromStack(stack);
});

describe('the ack routes', () => {
  it.each(['GET /a/{token}', 'POST /a/{token}'])(
    '%s has no API Gateway authoriser: the token in its path is checked by the alerts function',
    (routeKey) => {
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: routeKey,
        AuthorizationType: 'NONE',
      });
    },
  );

  it('POST /v1/alerts/{alertId}/ack and GET /v1/alerts require IAM (SigV4)', () => {
    for (const routeKey of ['POST /v1/alerts/{alertId}/ack', 'GET /v1/alerts']) {
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: routeKey,
        AuthorizationType: 'AWS_IAM',
      });
    }
  });

  it('the public ack link is throttled at the stage tighter than the API: 5 a second, bursts of 10', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      RouteSettings: {
        'GET /a/{token}': { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 },
        'POST /a/{token}': { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 },
      },
    });
  });
});

describe('the alert-token key', () => {
  it('is a second generated secret (48 characters, no punctuation), retained', () => {
    template.resourceCountIs('AWS::SecretsManager::Secret', 2);
    const resource = template.toJSON().Resources[idOf(stack.alertTokenKey)];
    expect(resource.Properties.GenerateSecretString).toEqual({
      PasswordLength: 48,
      ExcludePunctuation: true,
      IncludeSpace: false,
    });
    expect(resource.DeletionPolicy).toBe('Retain');
  });

  it('is read by the reminders function (which mints links) and the alerts function (which checks them), no other', () => {
    const key = JSON.stringify({ Ref: idOf(stack.alertTokenKey) });
    for (const name of ['events', 'read', 'reminders', 'alerts', 'smsInbound'] as const) {
      const reads = statementsWith(name, 'secretsmanager:').filter(
        (s) => JSON.stringify(s.Resource) === key,
      );
      expect(reads.length, name).toBe(name === 'reminders' || name === 'alerts' ? 1 : 0);
      for (const statement of reads)
        expect(actionsOf(statement).sort()).toEqual([
          'secretsmanager:DescribeSecret',
          'secretsmanager:GetSecretValue',
        ]);
    }
  });
});

describe('acknowledging', () => {
  it.each(['alerts', 'smsInbound'] as const)(
    '%s: may delete schedules of the timer group (cancel escalations), never create one, send or pass a role',
    (name) => {
      const [statement, ...rest] = statementsWith(name, 'scheduler:');
      expect(rest).toHaveLength(0);
      expect(actionsOf(statement!)).toEqual(['scheduler:DeleteSchedule']);
      expect(JSON.stringify(statement!.Resource)).toContain(
        `:schedule/${stack.timers.group.scheduleGroupName}/*`,
      );
      expect(statementsWith(name, 'iam:')).toHaveLength(0);
      expect(statementsWith(name, 'ses:')).toHaveLength(0);
      expect(statementsWith(name, 'sms-voice:')).toHaveLength(0);
    },
  );

  it('the alerts function serves the ack link and the integration route', () => {
    const alerts = idOf(stack.functions.alerts.function);
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Integration'))
      .filter((i) => JSON.stringify(i.Properties.IntegrationUri).includes(alerts))
      .map((i) => i.Properties.IntegrationType);
    expect(routes).toEqual(['AWS_PROXY']);
  });
});

describe('inbound SMS', () => {
  it('arrive on an encrypted topic only End User Messaging SMS of this account may publish to', () => {
    const topic = idOf(stack.messaging!.inboundTopic);
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: Match.anyValue(),
      DisplayName: 'Timescales inbound SMS (replies to alerts)',
    });
    const policy = Object.values(template.findResources('AWS::SNS::TopicPolicy')).find((p) =>
      JSON.stringify(p.Properties.Topics).includes(topic),
    );
    const statements = policy?.Properties.PolicyDocument.Statement as Statement[];
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Action: 'sns:Publish',
        Principal: { Service: 'sms-voice.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      }),
    );
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
  });

  it('go to the inbound-SMS function, with a dead-letter queue for what it cannot take', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      TopicArn: { Ref: idOf(stack.messaging!.inboundTopic) },
      Endpoint: { 'Fn::GetAtt': [idOf(stack.functions.smsInbound!.function), 'Arn'] },
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [idOf(stack.alerts.inboundSmsDlq!), 'Arn'] },
      },
    });
  });

  it('the topic is an output, to set as the phone number’s two-way channel; the key’s ARN too', () => {
    template.hasOutput('InboundSmsTopicArn', {
      Value: { Ref: idOf(stack.messaging!.inboundTopic) },
    });
    template.hasOutput('AlertTokenKeyArn', { Value: { Ref: idOf(stack.alertTokenKey) } });
  });

  it('SMS say "Reply YES" only when two-way SMS is configured; only the sender is told', () => {
    const twoWay = (config: Parameters<typeof synthStacks>[0]) => {
      const { stateless } = synthStacks(config);
      const functions = Template.fromStack(stateless).findResources('AWS::Lambda::Function');
      return Object.values(functions)
        .map((f) => f.Properties.Environment.Variables.SMS_TWO_WAY)
        .filter((value) => value !== undefined);
    };
    expect(twoWay({})).toEqual(['false']);
    const phone = 'arn:aws:sms-voice:eu-west-2:111122223333:phone-number/phone-0123456789abcdef';
    expect(twoWay({ sms: { originationIdentityArn: phone, twoWay: true } })).toEqual(['true']);
  });
});

describe('alarms', () => {
  it('on any escalation to the fallback contact: Timescales/AlertEscalatedToFallback', () => {
    const alarm = Object.values(template.findResources('AWS::CloudWatch::Alarm')).find((a) =>
      JSON.stringify(a.Properties).includes('AlertEscalatedToFallback'),
    );
    expect(alarm?.Properties).toMatchObject({
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [{ Ref: idOf(stack.alarms.topic) }],
    });
  });

  it.each([
    ['any escalation to the senior manager on call (tier 2)', 'AlertEscalated'],
    ['an escalation that reached nobody (no fallback contact configured)', 'AlertReachedNobody'],
    ['an escalation timer with nothing to escalate', 'AlertEscalationLost'],
  ])('on %s: Timescales/%s, at the first one', (_label, metric) => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).filter((a) =>
      (a.Properties.Metrics ?? []).some(
        (m: { Expression?: string }) => m.Expression === `SELECT SUM(${metric}) FROM Timescales`,
      ),
    );
    expect(alarms).toHaveLength(1);
    expect(alarms[0]?.Properties).toMatchObject({
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [{ Ref: idOf(stack.alarms.topic) }],
      AlarmDescription: expect.stringContaining(`Timescales/${metric}`),
    });
  });

  it('on a reply to an alert SMS the function could not take (the inbound-SMS DLQ)', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [
        {
          Name: 'QueueName',
          Value: { 'Fn::GetAtt': [idOf(stack.alerts.inboundSmsDlq!), 'QueueName'] },
        },
      ],
      Threshold: 1,
    });
  });
});
