import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { TABLE_KEYS } from '#platform/dynamodb/table.js';
import { DropBucket } from './constructs/drop-bucket.js';

export interface StatefulStackProps extends StackProps {
  /** The deployment id from the configuration, used in the key alias. */
  readonly deployment: string;
  /** Days a file dropped for import is kept (`dropBucket.expireAfterDays`). */
  readonly dropExpireAfterDays: number;
}

/**
 * What must outlive any redeploy: the table, the key that encrypts it (and the topics and
 * queues of the stateless stack) and the drop bucket of files to import. Both are retained on stack deletion; the table also has
 * deletion protection and point-in-time recovery. Logical ids here must never change — a
 * test pins them.
 */
export class StatefulStack extends Stack {
  readonly key: kms.Key;
  readonly table: dynamodb.TableV2;
  readonly drop: DropBucket;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);

    this.key = new kms.Key(this, 'DataKey', {
      description: `Timescales (${props.deployment}): table, topics and queues`,
      alias: `alias/timescales/${props.deployment}`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Services that publish to our encrypted SNS topics need the key; only for this account.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowServicesToPublishToEncryptedTopics',
        principals: [
          new iam.ServicePrincipal('cloudwatch.amazonaws.com'),
          new iam.ServicePrincipal('ses.amazonaws.com'),
          new iam.ServicePrincipal('sms-voice.amazonaws.com'),
        ],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );

    const string = dynamodb.AttributeType.STRING;
    this.table = new dynamodb.TableV2(this, 'Table', {
      partitionKey: { name: TABLE_KEYS.partitionKey, type: string },
      sortKey: { name: TABLE_KEYS.sortKey, type: string },
      billing: dynamodb.Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      timeToLiveAttribute: TABLE_KEYS.ttlAttribute,
      globalSecondaryIndexes: [TABLE_KEYS.gsi1, TABLE_KEYS.gsi2].map((gsi) => ({
        indexName: gsi.name,
        partitionKey: { name: gsi.partitionKey, type: string },
        sortKey: { name: gsi.sortKey, type: string },
        projectionType: dynamodb.ProjectionType.ALL,
      })),
    });
    // `TableEncryptionV2.customerManagedKey` must know the replica's region at synth time, and
    // these stacks are environment-agnostic; the same CloudFormation is written by hand: KMS
    // encryption on the table, our key on its one replica (the stack's region).
    const cfnTable = this.table.node.defaultChild as dynamodb.CfnGlobalTable;
    cfnTable.addPropertyOverride('SSESpecification', { SSEEnabled: true, SSEType: 'KMS' });
    cfnTable.addPropertyOverride('Replicas.0.SSESpecification', {
      KMSMasterKeyId: this.key.keyArn,
    });

    this.drop = new DropBucket(this, 'Drop', {
      deployment: props.deployment,
      key: this.key,
      expireAfterDays: props.dropExpireAfterDays,
    });
  }
}
