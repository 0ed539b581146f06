/** The POST /v1/events handler over a DynamoDB Local table, as its tests build it. */

import { makeHandler } from '#functions/ingest/handler.js';
import { RecordingScheduler } from '#functions/local/server.js';
import { makeCaseEngine } from '#kernel/engine/bound.js';
import type { CaseEngine } from '#kernel/engine/case-engine.js';
import type { Scheduler } from '#kernel/ports.js';
import { DynamoCaseStore } from '#platform/dynamodb/case-store.js';
import { DynamoDirectory } from '#platform/dynamodb/directory.js';
import { AUTHORITY, type freshTable, TEST_SECRET } from './support.js';

const NOW = new Date('2026-03-02T12:30:00Z');
const engine = makeCaseEngine(AUTHORITY);

type Table = Awaited<ReturnType<typeof freshTable>>;

/**
 * The handler over `table` (or over `options.client` on the same table), with its ports; its
 * clock stands at `options.now`, and with `options.people` the directory also answers the 202's
 * warnings about people an event names, as the deployed wiring has it.
 */
export function eventsHandlerOn(
  table: Table,
  options: {
    scheduler?: Scheduler;
    engine?: CaseEngine;
    client?: Table['client'];
    now?: Date;
    people?: boolean;
  } = {},
) {
  const client = options.client ?? table.client;
  const store = new DynamoCaseStore(client, table.tableName);
  const directory = new DynamoDirectory(client, table.tableName);
  const scheduler = options.scheduler ?? new RecordingScheduler();
  const now = options.now ?? NOW;
  const handler = makeHandler({
    webhookSecret: TEST_SECRET,
    store,
    directory,
    ...(options.people ? { people: directory } : {}),
    engine: options.engine ?? engine,
    scheduler,
    clock: { now: () => now },
  });
  return { handler, store, directory, scheduler };
}
