/**
 * The alerts Lambda as Lambda runs it: built on its first invocation from the environment the
 * stack sets, reading the alert-token key from Secrets Manager (mocked) once, at cold start.
 * DynamoDB Local stands in for the table.
 */
import 'aws-sdk-client-mock-vitest/extend';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { alertId } from '#kernel/ids.js';
import { makeAlertTokens } from '#platform/alert-token.js';
import { AUTHORITY, apiEvent, freshTable } from './support.js';

const secrets = mockClient(SecretsManagerClient);
const KEY_ARN = 'arn:aws:secretsmanager:eu-west-2:111122223333:secret:alert-token-AbCdEf';
const KEY = 'lambda-alert-token-key-0123456789abcdef';
const BASE = 'https://ack.example.gov.uk';

const context = { awsRequestId: 'r-1', functionName: 'alerts' } as Context;
let handler: typeof import('#functions/alerts/handler.js')['handler'];

beforeAll(async () => {
  const table = await freshTable(inject('dynamoEndpoint'), 'alerts-lambda');
  const env: Record<string, string> = {
    TABLE_NAME: table.tableName,
    WEBHOOK_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-2:111122223333:secret:webhook-AbCdEf',
    ALERT_TOKEN_KEY_ARN: KEY_ARN,
    AUTHORITY_CONFIG: JSON.stringify({
      ...AUTHORITY,
      links: { ...AUTHORITY.links, ackBaseUrl: BASE },
    }),
    DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
    SCHEDULE_GROUP: 'timescales',
    SCHEDULER_ROLE_ARN: 'arn:aws:iam::111122223333:role/scheduler',
    TIMER_TARGET_ARN: 'arn:aws:lambda:eu-west-2:111122223333:function:reminders',
    SCHEDULER_DLQ_ARN: 'arn:aws:sqs:eu-west-2:111122223333:scheduler-dlq',
    SES_FROM: 'timescales@example.gov.uk',
  };
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  secrets.on(GetSecretValueCommand, { SecretId: KEY_ARN }).resolves({ SecretString: KEY });
  handler = (await import('#functions/alerts/handler.js')).handler;
});

describe('the alerts Lambda', () => {
  it('checks links with the key from Secrets Manager, read once: 410 for an expired link of that key, 404 for another key’s', async () => {
    // Prepare: tokens for an alert whose link expired in 2026, made with the deployment's key
    // and with another.
    const id = alertId({ caseId: 'C-1001', reminderId: 'lado-notification.A-1.p50.x', tier: '1' });
    const expired = new Date('2026-05-24T15:30:00Z');
    const ours = makeAlertTokens({ key: KEY, baseUrl: BASE }).token(id, expired);
    const theirs = makeAlertTokens({ key: `${KEY}-x`, baseUrl: BASE }).token(id, expired);
    const open = (token: string) =>
      handler(apiEvent('GET /a/{token}', `/a/${token}`, { pathParameters: { token } }), context);
    // Act
    const first = await open(ours);
    const second = await open(theirs);
    // Assess
    expect(first.statusCode).toBe(410);
    expect(first.headers?.['content-type']).toBe('text/html; charset=utf-8');
    expect(second.statusCode).toBe(404);
    expect(secrets).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
    expect(secrets).toHaveReceivedCommandWith(GetSecretValueCommand, { SecretId: KEY_ARN });
  });
});
