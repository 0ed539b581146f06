/**
 * The stack with GOV.UK Notify as the provider: no SES or End User Messaging resources, the
 * API key and callback token as secrets, Notify's callbacks and the invitations served by a
 * function of their own, and the reminders function reading the key and sending within its
 * share of Notify's rate limit.
 */
import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { NOTIFY_CLIENT } from '#lib/bundling.js';
import type { StatelessStack } from '#lib/stateless-stack.js';
import { routeEntries, routeKey } from '#schemas/routes.js';
import { actionsOf, EXAMPLE_CONFIG, resourcesOf, statementsOf, synthStacks } from './helpers.js';

let stack: StatelessStack;
let template: Template;

const idOf = (scope: { node: { defaultChild?: unknown } }) =>
  (stack as Stack).getLogicalId(scope.node.defaultChild as never);

beforeAll(() => {
  const { sms: _sms, ...config } = EXAMPLE_CONFIG;
  ({ stateless: stack } = synthStacks({
    ...config,
    sms: undefined,
    messaging: { provider: 'notify' },
    notify: {
      emailTemplateId: '00000000-0000-4000-8000-0000000000e1',
      smsTemplateId: '00000000-0000-4000-8000-0000000000a1',
    },
  }));
  template = Template.fromStack(stack);
}, 120_000);

describe('GOV.UK Notify as the provider', () => {
  it('makes no SES or SMS resources and no inbound-SMS function', () => {
    template.resourceCountIs('AWS::SES::ConfigurationSet', 0);
    template.resourceCountIs('AWS::SMSVOICE::ConfigurationSet', 0);
    expect(stack.messaging).toBeUndefined();
    expect(stack.functions.smsInbound).toBeUndefined();
    expect(stack.functions.receipts).toBeUndefined();
  });

  it('the callbacks and invitations are served by the Notify function, without an authoriser', () => {
    const notify = stack.functions.notify!;
    const ours = routeEntries().filter(([, route]) => route.lambda === 'delivery');
    expect(ours.map(([, r]) => routeKey(r)).sort()).toEqual([
      'GET /v1/invitations/{file}',
      'POST /v1/notify/delivery-receipts',
      'POST /v1/notify/received-text-messages',
    ]);
    for (const [, route] of ours) {
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: routeKey(route),
        AuthorizationType: 'NONE',
      });
    }
    const integrations = JSON.stringify(template.findResources('AWS::ApiGatewayV2::Integration'));
    expect(integrations).toContain(idOf(notify.function));
  });

  it('reminders: the key’s secret, both templates and 3,000 ÷ 5 reserved instances = 600 a minute each', () => {
    const variables = template.toJSON().Resources[idOf(stack.fire.function.function)].Properties
      .Environment.Variables as Record<string, unknown>;
    expect(variables).toMatchObject({
      MESSAGING_PROVIDER: 'notify',
      NOTIFY_API_KEY_ARN: { Ref: idOf(stack.notify!.apiKey) },
      NOTIFY_EMAIL_TEMPLATE_ID: '00000000-0000-4000-8000-0000000000e1',
      NOTIFY_SMS_TEMPLATE_ID: '00000000-0000-4000-8000-0000000000a1',
      NOTIFY_RATE_PER_MINUTE: '600',
    });
    expect(variables.SES_CONFIGURATION_SET).toBeUndefined();
    expect(variables.SMS_ORIGINATION_IDENTITY).toBeUndefined();
  });

  it('bundles Notify’s client into the reminders function only, which sends through it', () => {
    const bundled = (name: keyof typeof stack.functions) =>
      !(stack.functions[name]?.bundling.externalModules ?? []).includes(NOTIFY_CLIENT);
    expect(bundled('reminders')).toBe(true);
    // The SDK clients it loads on first use are still left to the runtime.
    expect(stack.functions.reminders?.bundling.externalModules).toEqual(
      expect.arrayContaining(['@aws-sdk/client-sesv2', '@aws-sdk/client-scheduler']),
    );
    const others = (Object.keys(stack.functions) as (keyof typeof stack.functions)[]).filter(
      (name) => name !== 'reminders' && stack.functions[name] !== undefined,
    );
    expect(others.length).toBeGreaterThan(3);
    for (const name of others) expect(bundled(name)).toBe(false);
  });

  it('only the reminders function reads the API key; only the Notify function the callback token', () => {
    const reads = (name: 'reminders' | 'notify', secret: { secretArn: string }) =>
      statementsOf(template, stack, stack.functions[name]!.role).some(
        (s) =>
          actionsOf(s).includes('secretsmanager:GetSecretValue') &&
          JSON.stringify(resourcesOf(s)).includes(
            idOf(secret as unknown as { node: { defaultChild?: unknown } }),
          ),
      );
    const { apiKey, callbackToken } = stack.notify!;
    expect(reads('reminders', apiKey)).toBe(true);
    expect(reads('reminders', callbackToken)).toBe(false);
    expect(reads('notify', callbackToken)).toBe(true);
    expect(reads('notify', apiKey)).toBe(false);
  });

  it('refuses a configuration that mixes the providers’ settings', async () => {
    const { parseConfig } = await import('#lib/config.js');
    expect(() => parseConfig({ ...EXAMPLE_CONFIG, messaging: { provider: 'notify' } })).toThrow(
      /notify.*required|sms.*aws provider/s,
    );
  });
});
