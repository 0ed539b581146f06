/**
 * `npm start`'s DynamoDB Local keeps two databases (`sharedDb: false`): the service's table and
 * the scheduler stand-in's timers, chosen by the key a client signs with. A data directory
 * from a run with one shared database is taken over: its file becomes the service's, and
 * its timers move to the scheduler's database, pending ones pending and parked ones parked.
 * `timescales … --endpoint` sets its timers where `npm start`'s driver reads them.
 */

import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { schedulerFor, target } from '#bin/operations.js';
import { openSchedulerStore, startDynamoDbLocal } from '#functions/local/standins.js';
import type { Timer } from '#kernel/timers.js';
import { dynamoClientConfig, makeDocumentClient } from '#platform/clients.js';
import { createTable } from '#platform/dynamodb/create-table.js';
import * as keys from '#platform/dynamodb/keys.js';
import { DynamoTimerStore } from '#platform/dynamodb/timer-store.js';

const TABLE = 'timescales-local';
const timer = (name: string, fireAt: string): Timer => ({
  name,
  fireAt: new Date(fireAt),
  payload: { caseId: 'C-1001', deadlineId: 'D-1', kind: 'due', version: 1 },
});

describe("npm start's two databases", () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'timescales-two-databases-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('takes over a shared data directory: its table stays, its timers move, pending and parked', async () => {
    // Prepare: a data directory written by a run with one shared database, holding a pending
    // timer and one parked as dead after its third failure.
    const shared = await startDynamoDbLocal({ dataDir });
    try {
      await createTable(new DynamoDBClient(dynamoClientConfig(shared.endpoint)), TABLE);
      const old = new DynamoTimerStore(makeDocumentClient({ endpoint: shared.endpoint }), TABLE);
      await old.put([
        timer('pending', '2030-05-24T15:30:00Z'),
        timer('parked', '2030-05-20T08:00:00Z'),
      ]);
      await old.recordFailure('parked', 3, new Date('2030-05-20T09:00:00Z'), true);
    } finally {
      await shared.stop();
    }
    expect(readdirSync(dataDir)).toEqual(['shared-local-instance.db']);

    // Act: started as npm start starts it, its scheduler store opened twice (two starts).
    const local = await startDynamoDbLocal({ dataDir, sharedDb: false });
    try {
      const { store: scheduler, moved } = await openSchedulerStore(local.endpoint, TABLE);
      const { moved: again } = await openSchedulerStore(local.endpoint, TABLE);
      const app = new DynamoTimerStore(makeDocumentClient({ endpoint: local.endpoint }), TABLE);

      // Assess: the shared file is the service's now; both timers are in the scheduler's
      // database as they were, none left in the service's; a second start moves nothing.
      expect(readdirSync(dataDir).sort()).toEqual(['local_eu-west-2.db', 'scheduler_eu-west-2.db']);
      expect(moved).toBe(2);
      expect(again).toBe(0);
      expect((await scheduler.all()).map((t) => [t.name, t.fireAt.toISOString()])).toEqual([
        ['pending', '2030-05-24T15:30:00.000Z'],
      ]);
      const parked = await scheduler.all(keys.deadTimerPartition);
      expect(parked.map((t) => [t.name, t.attempts, t.dueAt.toISOString()])).toEqual([
        ['parked', 3, '2030-05-20T09:00:00.000Z'],
      ]);
      expect(await app.all()).toEqual([]);
      expect(await app.all(keys.deadTimerPartition)).toEqual([]);
    } finally {
      await local.stop();
    }
  });

  it('keeps the databases apart, and the CLI sets timers in the scheduler’s', async () => {
    // Prepare: the table in both databases, as npm start creates it, and one in the service's
    // alone.
    const local = await startDynamoDbLocal({ dataDir: join(dataDir, 'fresh'), sharedDb: false });
    try {
      const raw = (database: 'app' | 'scheduler') =>
        new DynamoDBClient(dynamoClientConfig(local.endpoint, database));
      await createTable(raw('app'), TABLE);
      await createTable(raw('app'), 'service-only');
      await openSchedulerStore(local.endpoint, TABLE);

      // Act: what `timescales import --endpoint` does with a case's timer.
      const options = { endpoint: local.endpoint, env: {} };
      await schedulerFor(target(options), options).schedule([
        timer('from-the-cli', '2030-05-24T15:30:00Z'),
      ]);

      // Assess: each database sees its own tables; the timer is in the scheduler's only.
      const tables = async (database: 'app' | 'scheduler') =>
        (await raw(database).send(new ListTablesCommand({}))).TableNames;
      expect(await tables('app')).toEqual(['service-only', TABLE]);
      expect(await tables('scheduler')).toEqual([TABLE]);
      const store = (database: 'app' | 'scheduler') =>
        new DynamoTimerStore(makeDocumentClient({ endpoint: local.endpoint, database }), TABLE);
      expect((await store('scheduler').all()).map((t) => t.name)).toEqual(['from-the-cli']);
      expect(await store('app').all()).toEqual([]);
    } finally {
      await local.stop();
    }
  });
});
