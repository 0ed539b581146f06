/** The stateless stack: least-privilege IAM and the HTTP API. */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { StatelessStack } from '#lib/stateless-stack.js';
import { routeEntries, routeKey } from '#schemas/routes.js';
import { actionsOf, resourcesOf, type Statement, statementsOf, synthStacks } from './helpers.js';
import { FUNCTIONS, idOf, statelessStack, statementsWith } from './stateless-support.js';

let stack: StatelessStack;
let template: Template;

beforeAll(() => {
  ({ stack, template } = statelessStack());
});

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
