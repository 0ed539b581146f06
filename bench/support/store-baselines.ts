/**
 * What the same DynamoDB Local sustains from a bench's own process with no HTTP and no handler,
 * measured between a bench's load runs so both see the same (shared, noisy) machine:
 * `bench:ingest`'s end-to-end baselines and `bench:import`'s store rate, both over one
 * store-only event (`storeOnlyEvent`).
 */
import {
  BatchGetCommand,
  PutCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
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
    await client.send(
      new TransactWriteCommand({
        TransactItems: storeOnlyEvent(tableName, tag, n, {
          conditionalCase: true,
          reminderLine: true,
        }),
      }),
    );
  });
  client.destroy();
  return { put, perEvent };
}

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** A typical aggregate's JSON size in the benches' mix. */
const AGGREGATE = 'x'.repeat(4500);

/**
 * One event's writes as the store makes them, as one transaction's items: the event record
 * (conditional), the case (`conditionalCase`: on its absence, as the adapter writes a new case),
 * its audit item (conditional), its reminder lines (`reminderLine`) and two deadline
 * projections on gsi1.
 */
export function storeOnlyEvent(
  tableName: string,
  tag: string,
  n: number,
  options: { conditionalCase: boolean; reminderLine: boolean },
): TransactItem[] {
  const condition = { ConditionExpression: 'attribute_not_exists(pk)' };
  const pk = `BENCHCASE#${tag}#${n}`;
  const put = (Item: Record<string, unknown>, conditional = false): TransactItem => ({
    Put: { TableName: tableName, Item, ...(conditional ? condition : {}) },
  });
  return [
    put({ pk: `BENCHEVENT#${tag}#${n}`, sk: 'EVENT', bodyHash: 'h'.repeat(64) }, true),
    put({ pk, sk: 'CASE', version: 1, aggregate: AGGREGATE }, options.conditionalCase),
    put({ pk, sk: 'AUDIT#0000000001', entries: [{ kind: 'started' }] }, true),
    ...(options.reminderLine
      ? [
          put({
            pk,
            sk: 'AUDIT#0000000001#R#2026-12-01T09:00:00.000Z#0001abcdef12',
            entries: [{ kind: 'reminder-planned', detail: { timer: 'r-d1-1-p50' } }],
          }),
        ]
      : []),
    ...[1, 2].map((d) =>
      put({
        pk,
        sk: `DEADLINE#d${d}`,
        gsi1pk: 'DEADLINES#open',
        gsi1sk: `2030-12-01T17:00:00.000Z#${pk}#d${d}`,
        explain: ['Counted 10 working days.', 'Due at close of business.'],
      }),
    ),
  ];
}
