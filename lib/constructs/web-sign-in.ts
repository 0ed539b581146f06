import { Duration, SecretValue, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { DEFAULT_GROUPS, type GroupMapping } from '#kernel/access.js';
import type { TimescalesConfig } from '#lib/config.js';

export interface WebSignInProps {
  readonly web: NonNullable<TimescalesConfig['web']>;
  /** The origins the pages are served from (the API's URL, and any custom domain). */
  readonly origins: readonly string[];
}

/**
 * Sign-in for the managers' pages: a Cognito user pool that holds no passwords of its own —
 * every person signs in at the council's identity provider (OIDC or SAML, e.g. Entra ID),
 * federated through the pool's hosted domain — and an app client for the web Lambda
 * (authorization code with PKCE, no client secret, ID tokens valid for a working day).
 * The provider's groups arrive as `custom:groups`; Cognito groups of the same names as the
 * roles' defaults are created too, for a council that assigns roles in Cognito instead.
 */
export class WebSignIn extends Construct {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;
  readonly domain: cognito.UserPoolDomain;
  readonly providerName: string;
  readonly groups: GroupMapping;

  constructor(scope: Construct, id: string, props: WebSignInProps) {
    super(scope, id);
    const { web } = props;
    this.groups = web.groups ?? DEFAULT_GROUPS;

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      // Nobody signs up: people come from the council's identity provider.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      // Federated users have no password here; these apply to any local user an admin adds.
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
      },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.NONE,
      customAttributes: {
        groups: new cognito.StringAttribute({ mutable: true, maxLen: 2048 }),
      },
      featurePlan: cognito.FeaturePlan.ESSENTIALS,
    });
    const federatedOnly =
      'Threat protection (advanced security, the Plus plan) scores sign-ins made with a password in this pool; every person signs in at the council’s identity provider, which applies its own risk and MFA policies, so the Plus plan would cost per user and protect nothing here.';
    Validations.of(this.userPool).acknowledge(
      { id: 'AwsSolutions-COG3', reason: federatedOnly },
      { id: 'AwsSolutions-COG8', reason: federatedOnly },
    );

    this.domain = this.userPool.addDomain('Domain', {
      cognitoDomain: { domainPrefix: web.domainPrefix },
    });

    const idp = web.identityProvider;
    this.providerName = idp.name;
    const provider =
      idp.type === 'oidc'
        ? new cognito.UserPoolIdentityProviderOidc(this, 'Oidc', {
            userPool: this.userPool,
            name: idp.name,
            clientId: idp.clientId,
            // A dynamic reference: CloudFormation reads the secret at deploy time; the template
            // holds only its ARN.
            clientSecret: SecretValue.secretsManager(idp.clientSecretArn).unsafeUnwrap(),
            issuerUrl: idp.issuerUrl,
            scopes: ['openid', 'email', 'profile'],
            attributeRequestMethod: cognito.OidcAttributeRequestMethod.GET,
            attributeMapping: {
              email: cognito.ProviderAttribute.other('email'),
              custom: { 'custom:groups': cognito.ProviderAttribute.other(idp.groupsClaim) },
            },
          })
        : new cognito.UserPoolIdentityProviderSaml(this, 'Saml', {
            userPool: this.userPool,
            name: idp.name,
            metadata: cognito.UserPoolIdentityProviderSamlMetadata.url(idp.metadataUrl),
            attributeMapping: {
              email: cognito.ProviderAttribute.other(idp.emailAttribute),
              custom: { 'custom:groups': cognito.ProviderAttribute.other(idp.groupsAttribute) },
            },
          });

    this.client = this.userPool.addClient('WebClient', {
      generateSecret: false,
      authFlows: {},
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: props.origins.map((o) => `${o}/app/auth/callback`),
        logoutUrls: props.origins.map((o) => `${o}/app/sign-in`),
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.custom(idp.name)],
      idTokenValidity: Duration.hours(8),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(8),
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
    });
    this.client.node.addDependency(provider);

    for (const [role, names] of Object.entries(this.groups)) {
      for (const name of names) {
        // Only names Cognito accepts as group names (a provider's group ids are GUIDs: fine).
        if (!/^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,128}$/u.test(name)) continue;
        new cognito.CfnUserPoolGroup(this, `Group${role}${name}`.replace(/[^A-Za-z0-9]/g, ''), {
          userPoolId: this.userPool.userPoolId,
          groupName: name,
          description: `Timescales role: ${role}`,
        });
      }
    }
  }

  /** The pool's sign-in origin, e.g. `https://example.auth.eu-west-2.amazoncognito.com`. */
  get domainUrl(): string {
    return this.domain.baseUrl();
  }
}
