import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { entryPath, WEB_BUNDLING } from '#lib/bundling.js';
import { parseConfig } from '#lib/config.js';
import { TimescalesFunction } from '#lib/constructs/timescales-function.js';
import type { StatelessStack } from '#lib/stateless-stack.js';
import { WEB_ROUTES } from '#schemas/web.js';
import { EXAMPLE_CONFIG, statementsOf, synthStacks, EXAMPLE_WEB as WEB } from './helpers.js';

let stack: StatelessStack;
let template: Template;

beforeAll(() => {
  ({ stateless: stack } = synthStacks({ web: WEB }));
  template = Template.fromStack(stack);
});

const idOf = (scope: { node: { defaultChild?: unknown } }) =>
  (stack as Stack).getLogicalId(scope.node.defaultChild as never);

describe('the managers’ pages in AWS', () => {
  it('are served by a function of their own (beside events, read, reminders, import, alerts, sms-inbound, receipts), reading the table only, told the pool and client', () => {
    template.resourceCountIs('AWS::Lambda::Function', 8);
    const web = stack.functions.web as TimescalesFunction;
    const variables = template.toJSON().Resources[idOf(web.function)].Properties.Environment
      .Variables as Record<string, unknown>;
    expect(variables).toMatchObject({
      COGNITO_USER_POOL_ID: { Ref: idOf(stack.web!.signIn.userPool) },
      COGNITO_CLIENT_ID: { Ref: idOf(stack.web!.signIn.client) },
      COGNITO_DOMAIN: { 'Fn::Join': ['', expect.arrayContaining(['.amazoncognito.com'])] },
      COGNITO_IDENTITY_PROVIDER: 'EntraID',
      WEB_GROUPS: JSON.stringify({
        'team-manager': ['timescales-team-managers'],
        'head-of-service': ['timescales-heads-of-service'],
        edt: ['timescales-edt'],
      }),
    });
    const actions = statementsOf(template, stack, web.role).flatMap((s) =>
      Array.isArray(s.Action) ? s.Action : [s.Action],
    );
    expect(actions).toContain('dynamodb:Query');
    expect(actions).not.toContain('dynamodb:PutItem');
    expect(actions).not.toContain('dynamodb:UpdateItem');
  });

  it('has a route per page with no API Gateway authoriser, and no local sign-in route', () => {
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route'));
    const keys = routes.map((r) => r.Properties.RouteKey as string);
    for (const route of Object.values(WEB_ROUTES)) {
      const key = `${route.method} ${route.path}`;
      if ('localOnly' in route) expect(keys).not.toContain(key);
      else expect(keys).toContain(key);
    }
    for (const r of routes.filter((r) => (r.Properties.RouteKey as string).includes(' /app')))
      expect(r.Properties.AuthorizationType).toBe('NONE');
  });

  it('federates the council’s identity provider through a Cognito pool nobody signs up to', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolIdentityProvider', {
      ProviderName: 'EntraID',
      ProviderType: 'OIDC',
      ProviderDetails: Match.objectLike({
        client_id: 'client-id-from-entra',
        // Only a reference to the secret is in the template.
        client_secret: `{{resolve:secretsmanager:${WEB.identityProvider.clientSecretArn}:SecretString:::}}`,
        oidc_issuer: WEB.identityProvider.issuerUrl,
      }),
      AttributeMapping: { email: 'email', 'custom:groups': 'groups' },
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', {
      Domain: 'example-borough-timescales',
    });
  });

  it('gives the app client the authorization code flow, no secret, the API’s callback and working-day tokens', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      SupportedIdentityProviders: ['EntraID'],
      CallbackURLs: [
        {
          'Fn::Join': ['', [Match.objectLike({}), '/app/auth/callback']],
        },
      ],
      IdTokenValidity: 480,
      TokenValidityUnits: Match.objectLike({ IdToken: 'minutes' }),
    });
    template.resourceCountIs('AWS::Cognito::UserPoolGroup', 3);
  });

  it('a SAML provider (e.g. Entra ID by metadata URL) is configured the same way', () => {
    const { stateless } = synthStacks({
      web: {
        domainPrefix: 'example-borough-saml',
        identityProvider: {
          type: 'saml',
          name: 'EntraSAML',
          metadataUrl:
            'https://login.microsoftonline.com/tenant/federationmetadata/2007-06/federationmetadata.xml',
        },
      },
    });
    Template.fromStack(stateless).hasResourceProperties('AWS::Cognito::UserPoolIdentityProvider', {
      ProviderName: 'EntraSAML',
      ProviderType: 'SAML',
      AttributeMapping: {
        email: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
        'custom:groups': 'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups',
      },
    });
  });

  it('without `web` in the configuration there are no pages and no pool', () => {
    const { stateless } = synthStacks();
    const t = Template.fromStack(stateless);
    t.resourceCountIs('AWS::Lambda::Function', 7);
    t.resourceCountIs('AWS::Cognito::UserPool', 0);
  });

  it('refuses a domain prefix Cognito would refuse, naming the field', () => {
    expect(() =>
      parseConfig({ ...EXAMPLE_CONFIG, web: { ...WEB, domainPrefix: 'my-cognito-pages' } }),
    ).toThrow(/web\.domainPrefix: must not contain "aws", "amazon" or "cognito"/);
  });
});

describe('the web function’s bundle', () => {
  it('carries the compiled templates and the stylesheet beside index.mjs, Nunjucks’ runtime only, under 550 KB', () => {
    // Prepare: the web function alone, bundled for real (esbuild and the copy hook)
    const app = new App();
    const bundleStack = new Stack(app, 'WebBundle');
    new TimescalesFunction(bundleStack, 'Web', {
      entry: entryPath('web'),
      description: 'bundling test',
      serviceName: 'timescales-web',
      onFailure: new sqs.Queue(bundleStack, 'Dlq'),
      bundling: WEB_BUNDLING,
    });
    // Act
    const assembly = app.synth();
    // Assess
    const [asset] = readdirSync(assembly.directory).filter((n) => n.startsWith('asset.'));
    const dir = join(assembly.directory, asset as string);
    const code = readFileSync(join(dir, 'index.mjs'), 'utf8');
    // Nunjucks' runtime is bundled: no import of node_modules' Nunjucks, which a Lambda lacks.
    expect(code).not.toMatch(/(from\s*|import\()"nunjucks[/"]/);
    // Nunjucks' parser (one of its error messages) is not in the bundle: templates come compiled.
    expect(code).not.toContain('expected block end');
    for (const file of [
      'web/templates.cjs',
      'web/govuk-frontend/dist/govuk/govuk-frontend.min.css',
    ])
      expect(existsSync(join(dir, file)), file).toBe(true);
    const compiled = readFileSync(join(dir, 'web/templates.cjs'), 'utf8');
    for (const name of ['layout.njk', 'home.njk', 'ack.njk', 'govuk/template.njk'])
      expect(compiled, name).toContain(JSON.stringify(name));
    expect(compiled).toContain('"govuk/components/table/macro.njk"');
    // No fonts or images: GOV.UK's are not for a council's service.
    expect(existsSync(join(dir, 'web/govuk-frontend/dist/govuk/assets'))).toBe(false);
    const size = (path: string): number =>
      statSync(path).isDirectory()
        ? readdirSync(path).reduce((sum, n) => sum + size(join(path, n)), 0)
        : statSync(path).size;
    // The pages bundle the bound engine (rules, plans, calendar): ~525 KB once every rule carried
    // its source and the looked-after, proceedings and Wales clocks came; the whole of Nunjucks
    // would add far more than the margin.
    expect(code.length).toBeLessThan(550 * 1024);
    expect(size(join(dir, 'web'))).toBeLessThan(600 * 1024);
  }, 120_000);
});
