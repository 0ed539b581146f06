/**
 * "The table is busy" is decided in the DynamoDB adapter layer: transient SDK errors (after the
 * SDK's own retries) become the domain's `StoreBusyError`; everything an adapter decides
 * itself (a condition failed, a transaction conflict) reaches it unchanged.
 */
import 'aws-sdk-client-mock-vitest/extend';
import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  InternalServerError,
  ProvisionedThroughputExceededException,
  RequestLimitExceeded,
  ThrottlingException,
  TransactionCanceledException,
  TransactionInProgressException,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreBusyError } from '#kernel/errors.js';
import { busyAware, storeError } from '#platform/dynamodb/busy.js';
import { queryAll } from '#platform/dynamodb/query.js';

const meta = { $metadata: { httpStatusCode: 400 } };
const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    ...meta,
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

describe('storeError', () => {
  it.each([
    [
      'ProvisionedThroughputExceededException',
      new ProvisionedThroughputExceededException({ message: 'x', ...meta }),
    ],
    ['RequestLimitExceeded', new RequestLimitExceeded({ message: 'x', ...meta })],
    ['ThrottlingException', new ThrottlingException({ message: 'x', ...meta })],
    [
      'TransactionInProgressException',
      new TransactionInProgressException({ message: 'x', ...meta }),
    ],
    [
      'InternalServerError',
      new InternalServerError({ message: 'x', $metadata: { httpStatusCode: 500 } }),
    ],
    ['a transaction cancelled as throttled', cancelled('None', 'ThrottlingError')],
    ['a transaction cancelled over throughput', cancelled('ProvisionedThroughputExceeded', 'None')],
    ['a transaction cancelled over the request limit', cancelled('None', 'RequestLimitExceeded')],
  ])('%s is the store being busy, the SDK error kept as its cause', (_, error) => {
    // Act
    const mapped = storeError(error);
    // Assess
    expect(mapped).toBeInstanceOf(StoreBusyError);
    expect((mapped as StoreBusyError).cause).toBe(error);
  });

  it.each([
    ['a failed condition', new ConditionalCheckFailedException({ message: 'x', ...meta })],
    ['a transaction whose condition failed', cancelled('ConditionalCheckFailed', 'None')],
    // The case store retries these as version conflicts; a throttled item beside one does not change that.
    ['a transaction conflict', cancelled('None', 'TransactionConflict')],
    ['a conflict beside a throttled item', cancelled('ThrottlingError', 'TransactionConflict')],
    [
      'a failed condition beside a throttled item',
      cancelled('ConditionalCheckFailed', 'ThrottlingError'),
    ],
    ['anything else', new Error('ValidationException')],
  ])('%s is left for the adapter to decide', (_, error) => {
    expect(storeError(error)).toBe(error);
  });
});

describe('busyAware', () => {
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  const dynamo = mockClient(client);
  afterEach(() => dynamo.reset());

  it('rethrows a throttled call as StoreBusyError, through the client mocked underneath', async () => {
    // Prepare
    dynamo.on(GetCommand).rejects(new ThrottlingException({ message: 'slow down', ...meta }));
    // Act
    const error = await busyAware(client)
      .send(new GetCommand({ TableName: 't', Key: { pk: 'CASE#C-1001', sk: 'CASE' } }))
      .catch((e: unknown) => e);
    // Assess
    expect(error).toBeInstanceOf(StoreBusyError);
    expect(dynamo).toHaveReceivedCommandTimes(GetCommand, 1);
  });

  it('passes answers through, and is still a document client the SDK paginator accepts', async () => {
    // Prepare: two pages.
    dynamo
      .on(QueryCommand)
      .resolvesOnce({ Items: [{ n: 1 }], LastEvaluatedKey: { pk: 'a', sk: '1' } })
      .resolves({ Items: [{ n: 2 }] });
    const aware = busyAware(client);
    // Act
    const items = await queryAll(aware, { TableName: 't', KeyConditionExpression: 'pk = :p' });
    // Assess
    expect(aware).toBeInstanceOf(DynamoDBDocumentClient);
    expect(busyAware(aware)).toBe(aware);
    expect(items).toEqual([{ n: 1 }, { n: 2 }]);
    expect(dynamo.commandCalls(QueryCommand)[1]?.args[0].input.ExclusiveStartKey).toEqual({
      pk: 'a',
      sk: '1',
    });
  });
});
