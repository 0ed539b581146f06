import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/**
 * GOV.UK Notify's two secrets, with `messaging.provider` "notify": the service's API key
 * (made with a placeholder: the operator puts the live key from Notify's API integration page)
 * and the bearer token Notify's callbacks carry (generated: the operator pastes it into
 * Notify's callback settings). Both retained: a redeploy must not change either.
 */
export class NotifySecrets extends Construct {
  /** Read by the reminders function (it sends through Notify). */
  readonly apiKey: secretsmanager.Secret;
  /** Read by the callbacks' function (it checks each callback's bearer token). */
  readonly callbackToken: secretsmanager.Secret;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.apiKey = new secretsmanager.Secret(this, 'ApiKey', {
      description:
        'GOV.UK Notify API key (a live key of the authority’s Notify service): put it here after the first deploy',
      generateSecretString: { passwordLength: 32, excludePunctuation: true, includeSpace: false },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.callbackToken = new secretsmanager.Secret(this, 'CallbackToken', {
      description:
        'Bearer token of GOV.UK Notify’s callbacks (delivery receipts, received text messages): paste it into Notify’s callback settings',
      generateSecretString: { passwordLength: 48, excludePunctuation: true, includeSpace: false },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const secret of [this.apiKey, this.callbackToken])
      Validations.of(secret).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason:
          'Shared with GOV.UK Notify: the API key is issued by Notify and the callback token entered there, so both are rotated by hand with Notify (docs/operations.md).',
      });
  }
}
