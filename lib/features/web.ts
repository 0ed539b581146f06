import { CfnOutput } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { WEB_BUNDLING } from '../bundling.js';
import type { TimescalesConfig } from '../config.js';
import { WebSignIn } from '../constructs/web-sign-in.js';
import { Feature, FeatureFunction, type Shared } from './feature.js';

/**
 * The managers' pages (`/app`), when the deployment configures their sign-in: the web
 * function, reading the table only, and the Cognito user pool people sign in through.
 */
export class Web extends Feature {
  readonly function: FeatureFunction;
  readonly signIn: WebSignIn;

  constructor(
    scope: Construct,
    id: string,
    shared: Shared,
    web: NonNullable<TimescalesConfig['web']>,
  ) {
    super(scope, id);
    const endpoint = shared.api.api.apiEndpoint;
    this.signIn = new WebSignIn(this, 'SignIn', { web, origins: [endpoint, ...web.extraOrigins] });
    this.function = new FeatureFunction(this, 'Web', shared, {
      entry: 'web',
      description:
        'GET /app/…: the managers’ pages (GOV.UK Design System), signed in through Cognito',
      serviceName: 'timescales-web',
      bundling: WEB_BUNDLING,
      table: 'read',
      environment: {
        ...shared.env.table,
        ...shared.env.authority,
        COGNITO_USER_POOL_ID: this.signIn.userPool.userPoolId,
        COGNITO_CLIENT_ID: this.signIn.client.userPoolClientId,
        COGNITO_DOMAIN: this.signIn.domainUrl,
        COGNITO_IDENTITY_PROVIDER: this.signIn.providerName,
        WEB_GROUPS: JSON.stringify(this.signIn.groups),
      },
    });
    shared.api.servePages(this.function.function);

    new CfnOutput(this, 'WebUrl', { value: `${endpoint}/app`, description: 'The managers’ pages' });
    new CfnOutput(this, 'UserPoolId', { value: this.signIn.userPool.userPoolId });
  }
}
