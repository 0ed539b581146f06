import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';

/**
 * The key that signs the ack links of out-of-hours alerts (HMAC-SHA256 over alert id and
 * expiry): generated, retained, read by the function that mints links and the one that
 * checks them.
 */
export function alertTokenKey(scope: Construct, id: string): secretsmanager.Secret {
  const key = new secretsmanager.Secret(scope, id, {
    description:
      'Signs the ack links of out-of-hours alerts (HMAC-SHA256 over alert id and expiry); 48 characters',
    generateSecretString: { passwordLength: 48, excludePunctuation: true, includeSpace: false },
    removalPolicy: RemovalPolicy.RETAIN,
  });
  Validations.of(key).acknowledge({
    id: 'AwsSolutions-SMG4',
    reason:
      'Rotating the alert-token key invalidates every ack link in flight (each lives until 24 hours after its clock is due); it is rotated by hand in a quiet daytime window, per docs/operations.md. SMS replies and the API acknowledge alerts without the key.',
  });
  return key;
}
