/**
 * Fault injection: DynamoDB failing under the webhook. Throttling, 5xx and cancelled
 * transactions must come back as 503 + Retry-After (the sender delivers again) — never a
 * 500, never a partial write — and a redelivery once the store recovers applies the event once.
 */
import 'aws-sdk-client-mock-vitest/extend';
import {
  DynamoDBClient,
  InternalServerError,
  ProvisionedThroughputExceededException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { makeHandler } from '#functions/ingest/handler.js';
import { RecordingScheduler } from '#functions/local/server.js';
import { makeCaseEngine } from '#kernel/engine/bound.js';
import { DynamoCaseStore } from '#platform/dynamodb/case-store.js';
import { DynamoDirectory } from '#platform/dynamodb/directory.js';
import { Problem } from '#schemas/problem.js';
import {
  AUTHORITY,
  bodyOf,
  envelope,
  freshTable,
  postEvent,
  snapshot,
  TEST_SECRET,
} from '#test/api/support.js';

const meta = { $metadata: { httpStatusCode: 400 } };
const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(', ')}]`,
    ...meta,
    CancellationReasons: codes.map((Code) => ({ Code })),
  });
const throughput = () =>
  new ProvisionedThroughputExceededException({ message: 'slow down', ...meta });
const internal = () =>
  new InternalServerError({ message: 'internal', $metadata: { httpStatusCode: 500 } });

const FAULTS: [string, () => Error][] = [
  ['ProvisionedThroughputExceededException', throughput],
  ['InternalServerError (5xx)', internal],
  [
    'TransactionCanceledException [None, ThrottlingError]',
    () => cancelled('None', 'ThrottlingError'),
  ],
  [
    'TransactionCanceledException [None, ProvisionedThroughputExceeded]',
    () => cancelled('None', 'ProvisionedThroughputExceeded', 'None'),
  ],
  [
    'TransactionCanceledException [None, TransactionConflict]',
    () => cancelled('None', 'TransactionConflict'),
  ],
];

describe('DynamoDB faults, mocked (aws-sdk-client-mock)', () => {
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  const dynamo = mockClient(client);
  afterEach(() => dynamo.reset());

  const handler = (maxAttempts = 3) =>
    makeHandler({
      webhookSecret: TEST_SECRET,
      store: new DynamoCaseStore(client, 'mocked'),
      directory: new DynamoDirectory(client, 'mocked'),
      engine: makeCaseEngine(AUTHORITY),
      scheduler: new RecordingScheduler(),
      clock: { now: () => new Date('2026-03-02T12:00:00Z') },
      maxAttempts,
    });

  describe('a directory write whose stamp is in contention (every directory write bumps it)', () => {
    const away = (id: string) =>
      JSON.stringify({
        id,
        type: 'person.away',
        occurredAt: '2026-03-02T11:00:00Z',
        data: {
          personId: 'P-0001',
          from: '2026-06-02T08:00:00Z',
          to: '2026-06-03T08:00:00Z',
          delegateId: 'P-0002',
        },
      });
    const conflict = () => cancelled('None', 'None', 'TransactionConflict');

    it('is retried, and the event accepted once the stamp is free', async () => {
      // Prepare
      dynamo.on(GetCommand).resolves({});
      dynamo.on(TransactWriteCommand).rejectsOnce(conflict()).resolves({});
      // Act
      const result = await handler()(postEvent(away('DC-MOCK-1')));
      // Assess
      expect(result.statusCode).toBe(202);
      expect(dynamo).toHaveReceivedCommandTimes(TransactWriteCommand, 2);
      const items = dynamo.commandCalls(TransactWriteCommand)[1]?.args[0].input.TransactItems;
      expect(items?.[2]?.Update?.UpdateExpression).toBe('ADD generation :one');
    });

    it('still in contention after the attempts: 503 with Retry-After, never a 500', async () => {
      // Prepare
      dynamo.on(GetCommand).resolves({});
      dynamo.on(TransactWriteCommand).rejects(conflict());
      // Act
      const result = await handler()(postEvent(away('DC-MOCK-2')));
      // Assess
      expect(result.statusCode).toBe(503);
      expect(result.headers['retry-after']).toBe('1');
      expect(bodyOf(result)).toMatchObject({ status: 503 });
    });
  });

  it.each(FAULTS)(
    'a commit failing with %s answers 503 + Retry-After, one write attempted per try',
    async (_, fault) => {
      // Prepare: nothing recorded, the transaction always fails.
      dynamo.on(BatchGetCommand).resolves({});
      dynamo.on(TransactWriteCommand).rejects(fault());
      // Act
      const result = await handler()(postEvent(JSON.stringify(envelope.caseOpened('dx-1'))));
      // Assess
      expect(result.statusCode).toBe(503);
      expect(result.headers['retry-after']).toBe('1');
      expect(result.headers['content-type']).toBe('application/problem+json');
      expect(Problem.parse(bodyOf(result))).toMatchObject({ status: 503 });
      // Every write went through the one transaction: no piecemeal Put/Update/BatchWrite.
      expect(dynamo).not.toHaveReceivedCommand(PutCommand);
      expect(dynamo).not.toHaveReceivedCommand(UpdateCommand);
      expect(dynamo).not.toHaveReceivedCommand(BatchWriteCommand);
    },
  );

  it.each(FAULTS.slice(0, 2))(
    'a read failing with %s answers 503 + Retry-After',
    async (_, fault) => {
      // Prepare
      dynamo.on(BatchGetCommand).rejects(fault());
      // Act
      const result = await handler()(postEvent(JSON.stringify(envelope.concern('dx-2'))));
      // Assess
      expect(result.statusCode).toBe(503);
      expect(result.headers['retry-after']).toBe('1');
      expect(dynamo).not.toHaveReceivedCommand(TransactWriteCommand);
    },
  );

  it('a directory write failing with throttling answers 503, not 500', async () => {
    // Prepare
    dynamo.on(GetCommand).resolves({});
    dynamo.on(TransactWriteCommand).rejects(cancelled('None', 'ThrottlingError'));
    dynamo.on(PutCommand).rejects(throughput());
    dynamo.on(UpdateCommand).rejects(throughput());
    const body = {
      id: 'dx-3',
      type: 'person.upserted',
      occurredAt: '2026-03-02T10:00:00Z',
      data: { personId: 'P-0001', name: 'Manager One', email: 'manager.one@example.gov.uk' },
    };
    // Act
    const result = await handler()(postEvent(JSON.stringify(body)));
    // Assess
    expect(result.statusCode).toBe(503);
    expect(result.headers['retry-after']).toBe('1');
  });

  it('a version conflict on every try gives up after the bounded retries with 503', async () => {
    // Prepare: the case exists at version 1 and someone always wins the race.
    const engine = makeCaseEngine(AUTHORITY);
    const opened = engine.applyEvent(
      undefined,
      envelope.caseOpened('dx-open') as never,
      new Date('2026-03-02T12:00:00Z'),
    );
    // The event is not recorded; the case is at version 1.
    dynamo.on(BatchGetCommand).resolves({
      Responses: {
        mocked: [
          {
            pk: 'CASE#C-1001',
            sk: 'CASE',
            caseId: 'C-1001',
            version: 1,
            aggregate: JSON.stringify(opened.aggregate),
            updatedAt: '2026-03-02T12:00:00.000Z',
          },
        ],
      },
    });
    dynamo.on(TransactWriteCommand).rejects(cancelled('None', 'ConditionalCheckFailed', 'None'));
    // Act
    const result = await handler(4)(postEvent(JSON.stringify(envelope.concern('dx-4'))));
    // Assess
    expect(result.statusCode).toBe(503);
    expect(bodyOf(result)).toMatchObject({ type: 'https://timescales.dev/problems/contention' });
    expect(dynamo).toHaveReceivedCommandTimes(TransactWriteCommand, 4);
  });
});

describe('DynamoDB faults on DynamoDB Local (injected before the request is sent)', () => {
  let table: Awaited<ReturnType<typeof freshTable>>;
  beforeAll(async () => {
    table = await freshTable(inject('dynamoEndpoint'), 'faults-dynamo');
  });

  it('a throttled transaction leaves the table untouched; the redelivery applies the event once', async () => {
    // Prepare: the next 3 TransactWriteItems calls fail before reaching DynamoDB (SDK retries off).
    const base = new DynamoDBClient({ endpoint: inject('dynamoEndpoint'), maxAttempts: 1 });
    let failures = 3;
    base.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'TransactWriteItemsCommand' && failures > 0) {
          failures--;
          throw cancelled('None', 'ThrottlingError', 'None');
        }
        return next(args);
      },
      { step: 'initialize', name: 'injectFault' },
    );
    const client = DynamoDBDocumentClient.from(base, {
      marshallOptions: { removeUndefinedValues: true },
    });
    const events = makeHandler({
      webhookSecret: TEST_SECRET,
      store: new DynamoCaseStore(client, table.tableName),
      directory: new DynamoDirectory(client, table.tableName),
      engine: makeCaseEngine(AUTHORITY),
      scheduler: new RecordingScheduler(),
      clock: { now: () => new Date('2026-03-02T12:00:00Z') },
    });
    const body = JSON.stringify(envelope.caseOpened('dl-1', 'C-3001'));
    const before = await snapshot(table.client, table.tableName);
    // Act
    const answers: number[] = [];
    for (let i = 0; i < 5; i++) {
      const result = await events(postEvent(body));
      answers.push(result.statusCode);
      if (result.statusCode === 503) {
        expect(result.headers['retry-after']).toBeDefined();
        expect(await snapshot(table.client, table.tableName)).toBe(before);
      }
      if (result.statusCode === 202) break;
    }
    // Assess
    expect(answers).toEqual([503, 503, 503, 202]);
    const redelivered = await events(postEvent(body));
    expect(redelivered.statusCode).toBe(202);
    const stored = await new DynamoCaseStore(table.client, table.tableName).loadCase('C-3001');
    expect(stored?.version).toBe(1);
  });
});
