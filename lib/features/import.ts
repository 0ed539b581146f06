import { ArnFormat, Aws, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as eventbridge from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { dropBucketName } from '../constructs/drop-bucket.js';
import { Feature, FeatureFunction, type Shared } from './feature.js';

/**
 * Files dropped in the drop bucket (the stateful stack's, known here by its name: no
 * cross-stack reference): a rule runs the import function on each, which applies its events
 * or rows through the webhook's use case and writes `<key>.report.json` beside it.
 */
export class Import extends Feature {
  readonly function: FeatureFunction;
  readonly rule: eventbridge.Rule;

  constructor(scope: Construct, id: string, shared: Shared) {
    super(scope, id);
    const { env } = shared;
    const bucket = dropBucketName(shared.config.deployment);
    // A long file is handed on to a fresh invocation of the function itself: a fixed name
    // makes its own ARN known to its policy.
    const name = `${Stack.of(this).stackName}-import`.slice(0, 64);
    this.function = new FeatureFunction(this, 'Import', shared, {
      entry: 'import',
      description:
        'Object created in the drop bucket: imports its events or rows, writes <key>.report.json',
      serviceName: 'timescales-import',
      functionName: name,
      timeout: Duration.minutes(15),
      memorySize: 1024,
      table: 'readwrite',
      publishesMetrics: true,
      environment: { ...env.table, ...env.authority, ...env.scheduler },
    });
    shared.timers.grantManageSchedules(this.function.role);
    this.grantDropBucket(this.function.role, bucket, shared, name);

    this.rule = new eventbridge.Rule(this, 'ImportOnDrop', {
      description: 'A file dropped in the drop bucket runs the import function',
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: { bucket: { name: [bucket] } },
      },
      targets: [
        new targets.LambdaFunction(this.function.function, {
          deadLetterQueue: shared.asyncFailures,
          retryAttempts: 4,
          maxEventAge: Duration.hours(2),
        }),
      ],
    });
    // Rows or files refused: no clock starts for them until the file is fixed and dropped
    // again, so somebody must hear of it beyond `<key>.report.json`.
    shared.alarms.onMetric('ImportRowsRefused');
    shared.alarms.onMetric('ImportFileUnusable');
  }

  /**
   * The function reads the dropped objects (any version), writes the reports beside them,
   * uses the key through S3 only, and may invoke itself to carry a long file on.
   */
  private grantDropBucket(role: iam.IRole, bucket: string, shared: Shared, name: string): void {
    const stack = Stack.of(this);
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadDropsWriteReports',
        actions: ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject'],
        resources: [`arn:${Aws.PARTITION}:s3:::${bucket}/*`],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'UseDropKeyViaS3',
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: [shared.key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `s3.${stack.region}.amazonaws.com` } },
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'HandOnToItself',
        actions: ['lambda:InvokeFunction'],
        resources: [
          stack.formatArn({
            service: 'lambda',
            resource: 'function',
            resourceName: name,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        ],
      }),
    );
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::${bucket.replace(Aws.ACCOUNT_ID, '<AWS::AccountId>').replace(Aws.REGION, '<AWS::Region>')}/*]`,
      reason:
        'The import function reads any object a council drops (keys are theirs to choose) and writes its report beside it, in this one bucket only.',
    });
  }
}
