import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { TABLE_KEYS } from '#platform/dynamodb/table.js';
import { synthStacks } from './helpers.js';

let template: Template;

beforeAll(() => {
  const { stateful } = synthStacks();
  template = Template.fromStack(stateful);
});

describe('stateful stack: the table', () => {
  it('is one on-demand table with the keys of functions/platform/dynamodb/table.ts', () => {
    template.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
      ],
    });
  });

  it('has exactly the GSIs gsi1 and gsi2 with their keys', () => {
    const gsis = [TABLE_KEYS.gsi1, TABLE_KEYS.gsi2].map((gsi) => ({
      IndexName: gsi.name,
      KeySchema: [
        { AttributeName: gsi.partitionKey, KeyType: 'HASH' },
        { AttributeName: gsi.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    }));
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', { GlobalSecondaryIndexes: gsis });
  });

  it('expires items on the TTL attribute expiresAt', () => {
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });

  it('has point-in-time recovery and deletion protection', () => {
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      Replicas: [
        Match.objectLike({
          DeletionProtectionEnabled: true,
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        }),
      ],
    });
  });

  it('is encrypted with the customer-managed key', () => {
    const keyId = Object.keys(template.findResources('AWS::KMS::Key'))[0]!;
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      Replicas: [
        Match.objectLike({
          Region: { Ref: 'AWS::Region' },
          SSESpecification: { KMSMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } },
        }),
      ],
    });
  });

  it('is retained when the stack is deleted or the resource replaced', () => {
    template.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });
});

describe('stateful stack: the key', () => {
  it('rotates yearly and is retained', () => {
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResource('AWS::KMS::Key', {
      Properties: Match.objectLike({ EnableKeyRotation: true }),
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::KMS::Alias', {
      AliasName: 'alias/timescales/example-borough',
    });
  });

  it('lets CloudWatch, SES and SMS use it for encrypted topics, only from this account', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'AllowServicesToPublishToEncryptedTopics',
            Principal: {
              Service: ['cloudwatch.amazonaws.com', 'ses.amazonaws.com', 'sms-voice.amazonaws.com'],
            },
            Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          }),
        ]),
      },
    });
  });
});

describe('stateful stack: the drop bucket', () => {
  const drop = () => {
    const buckets = template.findResources('AWS::S3::Bucket', {
      Properties: { VersioningConfiguration: { Status: 'Enabled' } },
    });
    expect(Object.keys(buckets)).toHaveLength(1);
    return Object.values(buckets)[0]?.Properties as Record<string, unknown>;
  };

  it('is named for the deployment, account and region, encrypted with the key, and retained', () => {
    template.hasResource('AWS::S3::Bucket', {
      Properties: Match.objectLike({
        BucketName: {
          'Fn::Join': [
            '',
            ['example-borough-drop-', { Ref: 'AWS::AccountId' }, '-', { Ref: 'AWS::Region' }],
          ],
        },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            {
              BucketKeyEnabled: true,
              ServerSideEncryptionByDefault: {
                SSEAlgorithm: 'aws:kms',
                KMSMasterKeyID: { 'Fn::GetAtt': ['DataKey17AFBB84', 'Arn'] },
              },
            },
          ],
        },
      }),
      DeletionPolicy: 'Retain',
    });
  });

  it('blocks public access, is versioned, sends object-created events to EventBridge and logs access', () => {
    const props = drop();
    expect(props.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(props.NotificationConfiguration).toEqual({
      EventBridgeConfiguration: { EventBridgeEnabled: true },
    });
    expect(props.LoggingConfiguration).toMatchObject({ LogFilePrefix: 'drop/' });
  });

  it('refuses any request without TLS', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('expires every object and old version after 30 days by default, or as configured', () => {
    const rule = (days: number) => ({
      ExpirationInDays: days,
      NoncurrentVersionExpiration: { NoncurrentDays: days },
      AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
      Status: 'Enabled',
    });
    expect(drop().LifecycleConfiguration).toEqual({ Rules: [rule(30)] });
    const { stateful } = synthStacks({ dropBucket: { expireAfterDays: 7 } });
    Template.fromStack(stateful).hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: [rule(7)] },
    });
  });
});

describe('stateful logical ids are pinned', () => {
  // Changing one of these replaces the resource: a new, empty table or a new key.
  it('table and key keep their logical ids', () => {
    expect(Object.keys(template.findResources('AWS::DynamoDB::GlobalTable'))).toEqual([
      'TableCD117FA1',
    ]);
    expect(Object.keys(template.findResources('AWS::KMS::Key'))).toEqual(['DataKey17AFBB84']);
  });
});
