import { CfnOutput, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { Feature, FeatureFunction, type Shared } from './feature.js';

/**
 * The webhook (`POST /v1/events`): the events function and the signing secret it checks each
 * request with. It reads and writes the table and creates and deletes timers; it sends nothing.
 */
export class Ingest extends Feature {
  readonly function: FeatureFunction;
  readonly webhookSecret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, shared: Shared) {
    super(scope, id);
    const { config, env } = shared;
    this.webhookSecret = new secretsmanager.Secret(this, 'WebhookSecret', {
      description:
        'Standard Webhooks signing secret: 32 base64 characters; the sender uses it as whsec_<value>',
      // 32 characters of [A-Za-z0-9] are valid base64 (24 bytes, ~190 bits of entropy).
      generateSecretString: { passwordLength: 32, excludePunctuation: true, includeSpace: false },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.webhookSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The webhook signing secret is shared with the back-office sender: a rotation Lambda would break signatures until the sender is updated. It is rotated by hand, with overlap, per docs/operations.md (the webhook secret).',
    });

    this.function = new FeatureFunction(this, 'Events', shared, {
      entry: 'events',
      description:
        'POST /v1/events: verifies the webhook signature, applies the event, plans timers',
      serviceName: 'timescales-events',
      timeout: Duration.seconds(15),
      ...(config.concurrency.events === null
        ? {}
        : { reservedConcurrentExecutions: config.concurrency.events }),
      table: 'readwrite',
      environment: {
        ...env.table,
        ...env.authority,
        ...env.scheduler,
        WEBHOOK_SECRET_ARN: this.webhookSecret.secretArn,
      },
    });
    this.webhookSecret.grantRead(this.function.role);
    shared.timers.grantManageSchedules(this.function.role);
    shared.api.serve('events', this.function.function);

    new CfnOutput(this, 'WebhookSecretArn', {
      value: this.webhookSecret.secretArn,
      description: 'Signing secret to share with the back-office sender (as whsec_<value>)',
    });
  }
}
