/**
 * The batch-write helper every adapter writes many items through: chunks of 25 (DynamoDB's
 * limit), and what a call leaves unprocessed asked for again — never dropped. Its waits are
 * injected: no test here sleeps. And its transactional twin (the scheduler stand-in's writes
 * on disk): chunks of 100, a cancelled transaction written again as batches.
 */
import 'aws-sdk-client-mock-vitest/extend';
import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type BatchRetry,
  batchWriteAll,
  transactWriteAll,
  type WriteRequest,
} from '#platform/dynamodb/batch.js';

const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const dynamo = mockClient(client);
afterEach(() => dynamo.reset());

const puts = (n: number): WriteRequest[] =>
  Array.from({ length: n }, (_, i) => ({ PutRequest: { Item: { pk: `T#${i}`, sk: 'X' } } }));
/** Records each wait instead of sleeping; the jitter draws its largest value. */
function recordingRetry(): BatchRetry & { waits: number[] } {
  const waits: number[] = [];
  return { waits, sleep: async (ms) => waits.push(ms), random: () => 1 };
}
const written = () =>
  dynamo
    .commandCalls(BatchWriteCommand)
    .map((c) => (c.args[0].input.RequestItems?.t ?? []).map((r) => r.PutRequest?.Item?.pk));

describe('batchWriteAll', () => {
  it('writes 60 requests as batches of 25, 25 and 10, in order', async () => {
    dynamo.on(BatchWriteCommand).resolves({});
    await batchWriteAll(client, 't', puts(60), 'test items', recordingRetry());
    expect(written().map((batch) => batch.length)).toEqual([25, 25, 10]);
    expect(written().flat()).toEqual(puts(60).map((r) => r.PutRequest?.Item?.pk));
  });

  it('asks again for exactly what a call left unprocessed', async () => {
    const [first, second] = puts(2);
    dynamo
      .on(BatchWriteCommand)
      .resolvesOnce({ UnprocessedItems: { t: [second as WriteRequest] } })
      .resolves({});
    const retry = recordingRetry();
    await batchWriteAll(
      client,
      't',
      [first as WriteRequest, second as WriteRequest],
      'test items',
      retry,
    );
    expect(written()).toEqual([['T#0', 'T#1'], ['T#1']]);
    // One wait before asking again: up to 25 ms × 2.
    expect(retry.waits).toEqual([50]);
  });

  it('gives up after its retries with an error naming the writes, never silently', async () => {
    const [only] = puts(1);
    dynamo.on(BatchWriteCommand).resolves({ UnprocessedItems: { t: [only as WriteRequest] } });
    const retry = recordingRetry();
    await expect(
      batchWriteAll(client, 't', [only as WriteRequest], 'test items', retry),
    ).rejects.toThrow('test items: unprocessed after 8 retries');
    expect(dynamo).toHaveReceivedCommandTimes(BatchWriteCommand, 9);
    // Full jitter up to 25 ms doubling per retry, capped at 1 s: 8 waits before giving up.
    expect(retry.waits).toEqual([50, 100, 200, 400, 800, 1000, 1000, 1000]);
  });

  it("draws each wait from the jitter: a wait is the draw times the retry's ceiling", async () => {
    // Prepare: two calls leave the item unprocessed, the third writes it.
    const [only] = puts(1);
    dynamo
      .on(BatchWriteCommand)
      .resolvesOnce({ UnprocessedItems: { t: [only as WriteRequest] } })
      .resolvesOnce({ UnprocessedItems: { t: [only as WriteRequest] } })
      .resolves({});
    const waits: number[] = [];
    // Act
    await batchWriteAll(client, 't', [only as WriteRequest], 'test items', {
      sleep: async (ms) => waits.push(ms),
      random: () => 0.25,
    });
    // Assess: a quarter of 50 ms, then of 100 ms.
    expect(waits).toEqual([12.5, 25]);
  });
});

describe('transactWriteAll', () => {
  const deletes = (n: number): WriteRequest[] =>
    Array.from({ length: n }, (_, i) => ({ DeleteRequest: { Key: { pk: `D#${i}`, sk: 'X' } } }));
  const actions = () =>
    dynamo.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.TransactItems ?? []);

  it('writes 230 puts and deletes as transactions of 100, 100 and 30, each as asked', async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    const requests = [...puts(200), ...deletes(30)];
    await transactWriteAll(client, 't', requests, 'test items');
    expect(actions().map((a) => a.length)).toEqual([100, 100, 30]);
    const [first, , last] = actions();
    expect(first?.[0]).toEqual({ Put: { TableName: 't', Item: { pk: 'T#0', sk: 'X' } } });
    expect(last?.[29]).toEqual({ Delete: { TableName: 't', Key: { pk: 'D#29', sk: 'X' } } });
    expect(dynamo).not.toHaveReceivedCommand(BatchWriteCommand);
  });

  it('writes a cancelled transaction again as batches: every request lands', async () => {
    dynamo
      .on(TransactWriteCommand)
      .rejectsOnce(
        new TransactionCanceledException({
          message: 'Transaction cancelled',
          $metadata: {},
          CancellationReasons: [{ Code: 'TransactionConflict' }],
        }),
      )
      .resolves({});
    dynamo.on(BatchWriteCommand).resolves({});
    await transactWriteAll(client, 't', puts(130), 'test items');
    // The first 100 as batches of 25, then the last 30 in one transaction.
    expect(written().map((batch) => batch.length)).toEqual([25, 25, 25, 25]);
    expect(written().flat()).toEqual(puts(100).map((r) => r.PutRequest?.Item?.pk));
    expect(actions().map((a) => a.length)).toEqual([100, 30]);
  });

  it('lets any other failure through: nothing is reported written that was not', async () => {
    dynamo.on(TransactWriteCommand).rejects(new Error('store unavailable'));
    await expect(transactWriteAll(client, 't', puts(3), 'test items')).rejects.toThrow(
      'store unavailable',
    );
    expect(dynamo).not.toHaveReceivedCommand(BatchWriteCommand);
  });
});
