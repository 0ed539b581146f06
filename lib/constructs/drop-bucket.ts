import { Aws, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/**
 * The drop bucket's name, `<deployment>-drop-<account>-<region>`: known to both stacks without a
 * cross-stack reference (the import function's policy and rule name it), and to an operator.
 */
export function dropBucketName(deployment: string): string {
  // Bucket names stop at 63 characters: the longest account and region leave 28.
  return `${deployment.slice(0, 28)}-drop-${Aws.ACCOUNT_ID}-${Aws.REGION}`;
}

export interface DropBucketProps {
  /** The deployment id (names the bucket: `dropBucketName`). */
  readonly deployment: string;
  /** Encrypts the dropped files (the table's key). */
  readonly key: kms.IKey;
  /** Days after which a dropped file (and each older version of it) is deleted. */
  readonly expireAfterDays: number;
}

/**
 * Where a council drops files to import (`docs/import.md`): encrypted with our KMS key, public
 * access blocked, TLS only, versioned, every object and old version expiring after the
 * configured days, object-created events sent to EventBridge (the stateless stack's rule runs
 * the import Lambda: no notification custom resource, no cross-stack cycle). Its server access
 * logs go to a second bucket (S3-managed encryption: access logging cannot write with KMS).
 */
export class DropBucket extends Construct {
  readonly bucket: s3.Bucket;
  readonly accessLogs: s3.Bucket;

  constructor(scope: Construct, id: string, props: DropBucketProps) {
    super(scope, id);
    const expiration = Duration.days(props.expireAfterDays);

    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This is the access-log bucket of the drop bucket; logging its own access would loop.',
    });

    this.bucket = new s3.Bucket(this, 'Bucket', {
      bucketName: dropBucketName(props.deployment),
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: props.key,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'drop/',
      lifecycleRules: [
        {
          expiration,
          noncurrentVersionExpiration: expiration,
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Object-created events to EventBridge, set on the bucket itself: `eventBridgeEnabled`
    // would add a notifications custom resource (a Lambda with a managed policy) to do it.
    (this.bucket.node.defaultChild as s3.CfnBucket).addPropertyOverride(
      'NotificationConfiguration.EventBridgeConfiguration.EventBridgeEnabled',
      true,
    );
  }
}
