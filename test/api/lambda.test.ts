/**
 * The three Lambda entry points as Lambda runs them: built from the environment through
 * `functions/<feature>/wiring.ts` on the first invocation, wrapped by the Powertools middleware (every log
 * line carries the invocation's request id and cold start; the timer Lambda's metrics flushed
 * as EMF). DynamoDB Local stands in for the table; Secrets Manager is mocked.
 */
import 'aws-sdk-client-mock-vitest/extend';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { AUTHORITY, apiEvent, bodyOf, freshTable, TEST_SECRET } from './support.js';

// Before any module makes the shared logger: an on-demand Lambda (Powertools reports a cold
// start only then), logging to the real Console on process.stdout as in Lambda.
vi.hoisted(() => {
  vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
  vi.stubEnv('POWERTOOLS_DEV', '');
});

const secrets = mockClient(SecretsManagerClient);
const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-2:111122223333:secret:webhook-AbCdEf';

/** A Lambda context as the runtime passes it (ids fake). */
const context = (awsRequestId: string, functionName: string): Context => ({
  awsRequestId,
  functionName,
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:eu-west-2:111122223333:function:${functionName}`,
  memoryLimitInMB: '256',
  logGroupName: `/aws/lambda/${functionName}`,
  logStreamName: '2026/03/02/[$LATEST]abc',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 10_000,
  done: () => {},
  fail: () => {},
  succeed: () => {},
});

/** Every JSON line written to stdout or stderr while a test runs (logs and EMF documents). */
let lines: Record<string, unknown>[];
const NOTIFY_TOKEN = 'k3y-for-the-callbacks-0123456789abcdef';

type Handlers = {
  events: typeof import('#functions/ingest/handler.js')['handler'];
  read: typeof import('#functions/read/handler.js')['handler'];
  reminders: typeof import('#functions/fire/handler.js')['handler'];
  notify: typeof import('#functions/delivery/notify-handler.js')['handler'];
};
let handlers: Handlers;

beforeAll(async () => {
  const table = await freshTable(inject('dynamoEndpoint'), 'lambda-entry');
  // What the stateless stack sets (lib/stateless-stack.ts), pointed at the stand-in.
  const env: Record<string, string> = {
    TABLE_NAME: table.tableName,
    WEBHOOK_SECRET_ARN: SECRET_ARN,
    AUTHORITY_CONFIG: JSON.stringify(AUTHORITY),
    DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
    SCHEDULE_GROUP: 'timescales',
    SCHEDULER_ROLE_ARN: 'arn:aws:iam::111122223333:role/scheduler',
    TIMER_TARGET_ARN: 'arn:aws:lambda:eu-west-2:111122223333:function:reminders',
    SCHEDULER_DLQ_ARN: 'arn:aws:sqs:eu-west-2:111122223333:scheduler-dlq',
    SES_FROM: 'timescales@example.gov.uk',
    NOTIFY_CALLBACK_TOKEN: NOTIFY_TOKEN,
    FOLLOW_UP_FUNCTION_ARN: 'arn:aws:lambda:eu-west-2:111122223333:function:reminders',
  };
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  handlers = {
    events: (await import('#functions/ingest/handler.js')).handler,
    read: (await import('#functions/read/handler.js')).handler,
    reminders: (await import('#functions/fire/handler.js')).handler,
    notify: (await import('#functions/delivery/notify-handler.js')).handler,
  };
  // support.ts silences the shared logger; these tests read its lines.
  (await import('#platform/logger.js')).logger.setLogLevel('INFO');
  lines = [];
  const capture = (chunk: string | Uint8Array) => {
    for (const line of chunk.toString().split('\n')) {
      if (line.startsWith('{')) lines.push(JSON.parse(line) as Record<string, unknown>);
    }
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  vi.spyOn(process.stderr, 'write').mockImplementation(capture);
});

afterEach(() => {
  lines.length = 0;
  secrets.reset();
});

afterAll(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe('the read Lambda', () => {
  it('answers from the environment, its log lines carrying the request id and cold start', async () => {
    // Act
    const first = await handlers.read(
      apiEvent('GET /v1/cases/{caseId}', '/v1/cases/C-9901', {
        pathParameters: { caseId: 'C-9901' },
      }),
      context('req-read-1', 'timescales-read'),
    );
    const second = await handlers.read(
      apiEvent('GET /v1/cases/{caseId}', '/v1/cases/C-9902', {
        pathParameters: { caseId: 'C-9902' },
      }),
      context('req-read-2', 'timescales-read'),
    );
    // Assess: an unknown case is a 404 problem, logged as a rejection of that invocation.
    expect(first.statusCode).toBe(404);
    expect(bodyOf(second)).toMatchObject({ status: 404, instance: '/v1/cases/C-9902' });
    const rejected = lines.filter((l) => l.message === 'request rejected');
    expect(rejected.map((l) => l.function_request_id)).toEqual(['req-read-1', 'req-read-2']);
    expect(rejected.map((l) => l.cold_start)).toEqual([true, false]);
    expect(rejected[0]).toMatchObject({ function_name: 'timescales-read', status: 404 });
  });
});

describe('the events Lambda', () => {
  it('reads its secret once a start succeeds; a start that failed is retried by the next invocation', async () => {
    // Prepare: Secrets Manager fails the first start.
    secrets
      .on(GetSecretValueCommand)
      .rejectsOnce(new Error('connect ETIMEDOUT'))
      .resolves({ SecretString: `${TEST_SECRET}\n` });
    const unsigned = () =>
      apiEvent('POST /v1/events', '/v1/events', {
        body: '{}',
        headers: { 'content-type': 'application/json' },
      });
    // Act
    const failed = await handlers
      .events(unsigned(), context('req-events-1', 'timescales-events'))
      .catch((error: unknown) => error);
    const answered = await handlers.events(
      unsigned(),
      context('req-events-2', 'timescales-events'),
    );
    const again = await handlers.events(unsigned(), context('req-events-3', 'timescales-events'));
    // Assess
    expect(failed).toBeInstanceOf(Error);
    expect(answered.statusCode).toBe(401);
    expect(again.statusCode).toBe(401);
    expect(secrets).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
    expect(secrets).toHaveReceivedCommandWith(GetSecretValueCommand, { SecretId: SECRET_ARN });
    const rejected = lines.filter((l) => l.message === 'request rejected');
    expect(rejected.map((l) => l.function_request_id)).toEqual(['req-events-2', 'req-events-3']);
  });
});

describe('the timer Lambda', () => {
  it('counts a payload no retry can fix as TimerDead, flushed as EMF, and throws', async () => {
    // Act
    const outcome = await handlers
      .reminders({ caseId: '' }, context('req-timer-1', 'timescales-reminders'))
      .catch((error: unknown) => error);
    // Assess
    expect((outcome as Error).name).toBe('InvalidTimerPayloadError');
    const logged = lines.find((l) => l.message === 'timer payload invalid');
    expect(logged).toMatchObject({ function_request_id: 'req-timer-1', metric: 'TimerDead' });
    const emf = lines.filter((l) => '_aws' in l);
    expect(emf).toHaveLength(1);
    expect(emf[0]).toMatchObject({ TimerDead: 1 });
  });
});

describe('the Notify callbacks Lambda', () => {
  it('counts a receipt for no send of ours as ReceiptUnknown, flushed as EMF, and answers 202', async () => {
    // Act: Notify reports on a reference this service never sent
    const answer = await handlers.notify(
      apiEvent('POST /v1/notify/delivery-receipts', '/v1/notify/delivery-receipts', {
        body: JSON.stringify({
          id: '740e5834-3a29-46b4-9a6f-16142fde533a',
          reference: 'not-a-send-of-ours',
          to: '07700900002',
          status: 'permanent-failure',
          created_at: '2026-06-06T03:30:00.000Z',
          notification_type: 'sms',
        }),
        headers: { authorization: `Bearer ${NOTIFY_TOKEN}`, 'content-type': 'application/json' },
      }),
      context('req-notify-1', 'timescales-notify'),
    );
    // Assess: the count reaches CloudWatch (the Undelivered alarms read this function's EMF)
    expect(answer.statusCode).toBe(202);
    const emf = lines.filter((l) => '_aws' in l);
    expect(emf).toHaveLength(1);
    expect(emf[0]).toMatchObject({ ReceiptUnknown: 1 });
  });
});
