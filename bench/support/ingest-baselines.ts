/**
 * `bench:ingest`'s end-to-end baselines: what the same DynamoDB Local sustains from the bench's
 * own process with no HTTP and no handler, measured between the load runs so both see the same
 * (shared, noisy) machine. End to end is judged as a share of the store-only figure.
 */
import { BatchGetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { makeDocumentClient } from '#platform/clients.js';
import { closedLoop } from './stats.js';

/** How hard a baseline pushes: as many operations in flight as the load's connections. */
export interface BaselineLoad {
  connections: number;
  seconds: number;
}

/**
 * The baselines, from this process against the same DynamoDB Local: raw PutItem, and the
 * store's own work for one event without HTTP or handler — one consistent BatchGetItem (the
 * event record and the case) and one TransactWriteItems of an event record, the case, its audit item, its reminder lines
 * and two deadline projections (on gsi1), with the adapter's conditions.
 */
export async function storeBaselines(
  endpoint: string,
  tableName: string,
  run: number,
  load: BaselineLoad,
): Promise<{ put: number; perEvent: number }> {
  const client = makeDocumentClient({ endpoint });
  const tag = `${process.pid}-${run}`;
  const put = await closedLoop(load.connections, load.seconds, (n) =>
    client.send(
      new PutCommand({
        TableName: tableName,
        Item: { pk: `BENCH#${tag}#${n}`, sk: 'PUT', n, note: 'baseline' },
      }),
    ),
  );
  const aggregate = 'x'.repeat(4500); // a typical aggregate's JSON size in this mix
  const perEvent = await closedLoop(load.connections, load.seconds, async (n) => {
    const caseKey = { pk: `BENCHCASE#${tag}#${n}`, sk: 'CASE' };
    await client.send(
      new BatchGetCommand({
        RequestItems: {
          [tableName]: {
            Keys: [{ pk: `BENCHEVENT#${tag}#${n}`, sk: 'EVENT' }, caseKey],
            ConsistentRead: true,
          },
        },
      }),
    );
    const condition = { ConditionExpression: 'attribute_not_exists(pk)' };
    await client.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName,
              Item: { pk: `BENCHEVENT#${tag}#${n}`, sk: 'EVENT', bodyHash: 'h'.repeat(64) },
              ...condition,
            },
          },
          {
            Put: {
              TableName: tableName,
              Item: { ...caseKey, version: 1, aggregate },
              ...condition,
            },
          },
          {
            Put: {
              TableName: tableName,
              Item: { pk: caseKey.pk, sk: 'AUDIT#0000000001', entries: [{ kind: 'started' }] },
              ...condition,
            },
          },
          {
            Put: {
              TableName: tableName,
              Item: {
                pk: caseKey.pk,
                sk: 'AUDIT#0000000001#R#2026-12-01T09:00:00.000Z#0001abcdef12',
                entries: [{ kind: 'reminder-planned', detail: { timer: 'r-d1-1-p50' } }],
              },
            },
          },
          ...[1, 2].map((d) => ({
            Put: {
              TableName: tableName,
              Item: {
                pk: caseKey.pk,
                sk: `DEADLINE#d${d}`,
                gsi1pk: 'DEADLINES#open',
                gsi1sk: `2026-12-01T17:00:00.000Z#${caseKey.pk}#d${d}`,
                explain: ['Counted 10 working days.', 'Due at close of business.'],
              },
            },
          })),
        ],
      }),
    );
  });
  client.destroy();
  return { put, perEvent };
}
