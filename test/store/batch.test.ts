/**
 * The batch-write helper every adapter writes many items through: chunks of 25 (DynamoDB's
 * limit), and what a call leaves unprocessed asked for again — never dropped.
 */
import 'aws-sdk-client-mock-vitest/extend';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { batchWriteAll, type WriteRequest } from '#adapters/dynamodb/batch.js';

const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const dynamo = mockClient(client);
afterEach(() => dynamo.reset());

const puts = (n: number): WriteRequest[] =>
  Array.from({ length: n }, (_, i) => ({ PutRequest: { Item: { pk: `T#${i}`, sk: 'X' } } }));
const written = () =>
  dynamo
    .commandCalls(BatchWriteCommand)
    .map((c) => (c.args[0].input.RequestItems?.t ?? []).map((r) => r.PutRequest?.Item?.pk));

describe('batchWriteAll', () => {
  it('writes 60 requests as batches of 25, 25 and 10, in order', async () => {
    dynamo.on(BatchWriteCommand).resolves({});
    await batchWriteAll(client, 't', puts(60), 'test items');
    expect(written().map((batch) => batch.length)).toEqual([25, 25, 10]);
    expect(written().flat()).toEqual(puts(60).map((r) => r.PutRequest?.Item?.pk));
  });

  it('asks again for exactly what a call left unprocessed', async () => {
    const [first, second] = puts(2);
    dynamo
      .on(BatchWriteCommand)
      .resolvesOnce({ UnprocessedItems: { t: [second as WriteRequest] } })
      .resolves({});
    await batchWriteAll(client, 't', [first as WriteRequest, second as WriteRequest], 'test items');
    expect(written()).toEqual([['T#0', 'T#1'], ['T#1']]);
  });

  it('gives up after its retries with an error naming the writes, never silently', async () => {
    const [only] = puts(1);
    dynamo.on(BatchWriteCommand).resolves({ UnprocessedItems: { t: [only as WriteRequest] } });
    await expect(batchWriteAll(client, 't', [only as WriteRequest], 'test items')).rejects.toThrow(
      'test items: unprocessed after 8 retries',
    );
    expect(dynamo).toHaveReceivedCommandTimes(BatchWriteCommand, 9);
  });
});
