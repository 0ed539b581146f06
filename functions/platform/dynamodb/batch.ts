/**
 * DynamoDB's batch calls (BatchGetItem, BatchWriteItem) may leave part of a request
 * unprocessed under load; the caller must ask again for exactly that part, backing off.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  type BatchWriteCommandInput,
  type DynamoDBDocumentClient,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';

/** One put or delete of a BatchWriteItem. */
export type WriteRequest = NonNullable<BatchWriteCommandInput['RequestItems']>[string][number];

/** How the retries wait: injectable, so a test of the give-up takes no real time. */
export interface BatchRetry {
  /** @default node:timers/promises setTimeout */
  sleep?: (ms: number) => Promise<unknown>;
  /** A number in [0, 1) for the jitter. @default Math.random */
  random?: () => number;
}

/** DynamoDB's limit on requests in one BatchWriteItem. */
export const BATCH_WRITE_LIMIT = 25;

/** Tries after the first before giving up. */
const MAX_RETRIES = 8;

/**
 * Sends `first`, then whatever each answer leaves unprocessed, until nothing is left.
 * `send` makes one call and returns its unprocessed part. Backoff: full jitter, 25 ms doubling
 * (at most 1 s).
 */
export async function untilProcessed<T>(
  first: readonly T[],
  send: (pending: T[]) => Promise<readonly T[] | undefined>,
  what: string,
  retry: BatchRetry = {},
): Promise<void> {
  const wait = retry.sleep ?? sleep;
  const random = retry.random ?? Math.random;
  let pending = [...first];
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt > MAX_RETRIES) throw new Error(`${what}: unprocessed after ${MAX_RETRIES} retries`);
    if (attempt > 0) await wait(random() * Math.min(1_000, 25 * 2 ** attempt));
    pending = [...((await send(pending)) ?? [])];
  }
}

/**
 * Writes every request (puts and deletes, none conditional) in BatchWriteItems of 25, each
 * until nothing is left unprocessed; `what` names the writes in the error if that never happens.
 */
export async function batchWriteAll(
  client: DynamoDBDocumentClient,
  tableName: string,
  requests: readonly WriteRequest[],
  what: string,
  retry: BatchRetry = {},
): Promise<void> {
  for (const chunk of chunked(requests, BATCH_WRITE_LIMIT)) {
    await untilProcessed(
      chunk,
      async (pending) =>
        (await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } })))
          .UnprocessedItems?.[tableName],
      what,
      retry,
    );
  }
}

/** DynamoDB's limit on actions in one TransactWriteItems. */
export const TRANSACT_WRITE_LIMIT = 100;

/**
 * Writes the same unconditional puts and deletes as `batchWriteAll`, up to 100 to a
 * TransactWriteItems (none may name one key twice). On a DynamoDB Local keeping its tables on
 * disk each item of a BatchWriteItem is a commit of its own and a transaction one commit in
 * all. A transaction cancelled by another writer on one of its items is written again as
 * batches: every request is an unconditional put or delete, so the outcome is the same.
 */
export async function transactWriteAll(
  client: DynamoDBDocumentClient,
  tableName: string,
  requests: readonly WriteRequest[],
  what: string,
): Promise<void> {
  for (const chunk of chunked(requests, TRANSACT_WRITE_LIMIT)) {
    const actions = chunk.map((r) =>
      r.PutRequest !== undefined
        ? { Put: { TableName: tableName, Item: r.PutRequest.Item } }
        : { Delete: { TableName: tableName, Key: r.DeleteRequest?.Key } },
    );
    try {
      await client.send(new TransactWriteCommand({ TransactItems: actions }));
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      await batchWriteAll(client, tableName, chunk, what);
    }
  }
}

/** DynamoDB's limit on keys in one BatchGetItem. */
const BATCH_GET_LIMIT = 100;

/**
 * Strongly consistent BatchGetItems of `wanted` (100 keys a call, side by side, each until
 * nothing is left unprocessed): the items in the order asked, undefined where there is none.
 */
export async function batchGetAll(
  client: DynamoDBDocumentClient,
  tableName: string,
  wanted: readonly { pk: string; sk: string }[],
  what: string,
): Promise<(Record<string, unknown> | undefined)[]> {
  const id = (k: { pk: unknown; sk: unknown }) => `${k.pk}\u0000${k.sk}`;
  const unique = [...new Map(wanted.map((k) => [id(k), k])).values()];
  const found = new Map<string, Record<string, unknown>>();
  await Promise.all(
    chunked(unique, BATCH_GET_LIMIT).map((chunk) =>
      untilProcessed(
        chunk as readonly Record<string, unknown>[],
        async (Keys) => {
          const out = await client.send(
            new BatchGetCommand({ RequestItems: { [tableName]: { Keys, ConsistentRead: true } } }),
          );
          for (const item of out.Responses?.[tableName] ?? [])
            found.set(id(item as { pk: unknown; sk: unknown }), item);
          return out.UnprocessedKeys?.[tableName]?.Keys;
        },
        what,
      ),
    ),
  );
  return wanted.map((k) => found.get(id(k)));
}

/** `items` in consecutive slices of at most `size`, in order. */
function chunked<T>(items: readonly T[], size: number): T[][] {
  const slices: T[][] = [];
  for (let i = 0; i < items.length; i += size) slices.push(items.slice(i, i + size));
  return slices;
}
