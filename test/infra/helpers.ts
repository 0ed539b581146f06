import { App } from 'aws-cdk-lib';
import { addTimescales, type TimescalesStacks } from '#lib/app.js';
import { parseConfig, type TimescalesConfigInput } from '#lib/config.js';

/** A valid configuration with obviously fake values. */
export const EXAMPLE_CONFIG: TimescalesConfigInput = {
  deployment: 'example-borough',
  authority: 'Example Borough Council',
  division: 'england-and-wales',
  preset: 'southampton',
  officeHours: { '1': { open: '09:00', close: '17:00' } },
  email: { from: 'timescales@example.gov.uk' },
  alarmEmail: 'it-operations@example.gov.uk',
  sms: { senderId: 'EXAMPLEBC' },
  links: {
    caseUrlTemplate: 'https://cases.example.gov.uk/cases/{caseId}',
    ackBaseUrl: 'https://ack.example.gov.uk',
  },
  fallbackContact: { email: 'duty.inbox@example.gov.uk' },
};

/** The managers' pages, signing in through a fake Entra ID tenant by OIDC. */
export const EXAMPLE_WEB = {
  domainPrefix: 'example-borough-timescales',
  identityProvider: {
    type: 'oidc' as const,
    name: 'EntraID',
    issuerUrl: 'https://login.microsoftonline.com/00000000-0000-0000-0000-00000000aaaa/v2.0',
    clientId: 'client-id-from-entra',
    clientSecretArn:
      'arn:aws:secretsmanager:eu-west-2:111122223333:secret:timescales/entra-client-secret',
  },
};

/**
 * An app whose stacks skip asset bundling (`aws:cdk:bundling-stacks: []`): the real
 * `NodejsFunction`s are synthesized, esbuild is not run. `bench/bundles.ts` and `cdk synth`
 * exercise the bundling itself.
 */
export function testApp(): App {
  return new App({ context: { 'aws:cdk:bundling-stacks': [] } });
}

export function synthStacks(
  overrides: Partial<TimescalesConfigInput> = {},
): TimescalesStacks & { app: App } {
  const app = testApp();
  const stacks = addTimescales(app, parseConfig({ ...EXAMPLE_CONFIG, ...overrides }));
  return { app, ...stacks };
}

import type { Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import type * as iam from 'aws-cdk-lib/aws-iam';

export interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

/** Every statement of the inline policies attached to `role` in the synthesized template. */
export function statementsOf(template: Template, stack: Stack, role: iam.IRole): Statement[] {
  const roleId = stack.getLogicalId((role as iam.Role).node.defaultChild as never);
  const policies = template.findResources('AWS::IAM::Policy');
  return Object.values(policies)
    .filter((p) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
}

export const actionsOf = (s: Statement): string[] =>
  Array.isArray(s.Action) ? s.Action : [s.Action];
export const resourcesOf = (s: Statement): unknown[] =>
  Array.isArray(s.Resource) ? s.Resource : [s.Resource];
