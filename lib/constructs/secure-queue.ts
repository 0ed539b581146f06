import { Duration, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/**
 * A dead-letter queue: SQS-managed server-side encryption, TLS-only access, 14 days'
 * retention (the longest SQS allows, to give an operator time to look). SSE-SQS rather than
 * our KMS key keeps the producers (EventBridge Scheduler, Lambda, SNS) free of key grants;
 * messages carry ids only.
 */
export function deadLetterQueue(scope: Construct, id: string, purpose: string): sqs.Queue {
  const queue = new sqs.Queue(scope, id, {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  const reason = `This queue is itself the dead-letter queue (${purpose}); a DLQ of a DLQ would only move the same messages again. An alarm watches its depth.`;
  Validations.of(queue).acknowledge({ id: 'AwsSolutions-SQS3', reason });
  Validations.of(queue).acknowledge({ id: 'Serverless-SQSRedrivePolicy', reason });
  return queue;
}
