import {
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandInput,
  DynamoDBDocumentClient,
  GetCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { makeCaseEngine } from '#kernel/engine/bound.js';
import { EventAlreadyRecordedError, VersionConflictError } from '#kernel/errors.js';
import type { EventRecord } from '#kernel/records.js';
import { DynamoCaseStore } from '#platform/dynamodb/case-store.js';
import { createTable } from '#platform/dynamodb/create-table.js';
import * as keys from '#platform/dynamodb/keys.js';
import type { CaseEvent } from '#schemas/events.js';
import { AUTHORITY, envelope, freshTable, snapshot } from '#test/api/support.js';
import { MemoryCaseStore } from '#test/support/memory-store.js';

const engine = makeCaseEngine(AUTHORITY);
const NOW = new Date('2026-03-02T12:30:00Z');
let table: Awaited<ReturnType<typeof freshTable>>;
let store: DynamoCaseStore;

beforeAll(async () => {
  table = await freshTable(inject('dynamoEndpoint'), 'store');
  store = new DynamoCaseStore(table.client, table.tableName);
});

const record = (eventId: string, caseId: string): EventRecord => ({
  eventId,
  type: 'case.opened',
  caseId,
  bodyHash: 'h',
  answer: { statusCode: 202, body: { eventId, status: 'accepted', caseId } },
  receivedAt: NOW.toISOString(),
});

async function openCase(caseId: string) {
  const opened = engine.applyEvent(
    undefined,
    envelope.caseOpened(`${caseId}-open`, caseId) as CaseEvent,
    NOW,
  );
  await store.commitCase({
    caseId,
    expectedVersion: 0,
    before: undefined,
    after: opened.aggregate,
    audit: opened.audit,
    event: record(`${caseId}-open`, caseId),
    now: NOW,
  });
  return opened.aggregate;
}

describe('createTable', () => {
  it('creates the table with both GSIs (projection ALL) and TTL, and is idempotent', async () => {
    // Prepare
    const client = new DynamoDBClient({ endpoint: inject('dynamoEndpoint') });
    const name = `create-${Date.now()}`;
    // Act
    const created = await createTable(client, name);
    const again = await createTable(client, name);
    const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
    const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: name }));
    // Assess
    expect([created, again]).toEqual([true, false]);
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    expect(
      Table?.GlobalSecondaryIndexes?.map((i) => [i.IndexName, i.Projection?.ProjectionType]).sort(),
    ).toEqual([
      ['gsi1', 'ALL'],
      ['gsi2', 'ALL'],
    ]);
    expect(ttl.TimeToLiveDescription?.AttributeName).toBe('expiresAt');
  });
});

describe('DynamoCaseStore', () => {
  it('commits a case with its deadlines, audit and event record, and loads it back with Dates', async () => {
    // Act
    const aggregate = await openCase('C-6001');
    const loaded = await store.loadCase('C-6001');
    const event = await store.getEventRecord('C-6001-open');
    const item = await table.client.send(
      new GetCommand({ TableName: table.tableName, Key: keys.event('C-6001-open') }),
    );
    // Assess
    expect(loaded?.version).toBe(1);
    expect(loaded?.aggregate).toEqual(aggregate);
    expect(loaded?.aggregate.openedAt).toBeInstanceOf(Date);
    expect(event?.answer.statusCode).toBe(202);
    expect(item.Item?.expiresAt).toBeGreaterThan(NOW.getTime() / 1000 + 80 * 86_400);
    expect((await store.listDeadlines('C-6001')).length).toBe(aggregate.deadlines.length);
    expect((await store.listAudit('C-6001')).map((a) => a.kind)).toContain('case-opened');
  });

  it.each([
    ['DynamoDB', () => store],
    ['in memory', () => new MemoryCaseStore()],
  ] as const)(
    'commits the reminder lines with the case, after its audit (%s)',
    async (_name, make) => {
      // Prepare: a case opened at version 1, then a change at version 2 with one planned line.
      const target = make();
      const opened = engine.applyEvent(
        undefined,
        envelope.caseOpened('R-open', 'C-6009') as CaseEvent,
        NOW,
      );
      const line = (kind: 'reminder-planned' | 'reminder-cancelled', timer: string) => ({
        caseId: 'C-6009',
        at: NOW,
        kind,
        deadlineId: 'd1',
        detail: { timer },
      });
      // Act
      await target.commitCase({
        caseId: 'C-6009',
        expectedVersion: 0,
        before: undefined,
        after: opened.aggregate,
        audit: opened.audit,
        reminderLines: [line('reminder-planned', 't-a')],
        now: NOW,
      });
      await target.commitCase({
        caseId: 'C-6009',
        expectedVersion: 1,
        before: opened.aggregate,
        after: opened.aggregate,
        audit: [{ caseId: 'C-6009', at: NOW, kind: 'recomputed', detail: {} }],
        reminderLines: [line('reminder-cancelled', 't-a'), line('reminder-planned', 't-b')],
        now: NOW,
      });
      // Assess: version 1's audit, its line, version 2's audit, its two lines.
      const trail = (await target.listAudit('C-6009')).map((a) =>
        a.kind.startsWith('reminder')
          ? `${a.kind} ${(a.detail as { timer: string }).timer}`
          : a.kind,
      );
      const first = opened.audit.map((a) => a.kind);
      expect(trail).toEqual([
        ...first,
        'reminder-planned t-a',
        'recomputed',
        'reminder-cancelled t-a',
        'reminder-planned t-b',
      ]);
    },
  );

  it('reads an event record and its case together, whichever of them exists', async () => {
    // Prepare
    const aggregate = await openCase('C-6005');
    // Act
    const both = await store.loadEventAndCase('C-6005-open', 'C-6005');
    const caseOnly = await store.loadEventAndCase('C-6005-next', 'C-6005');
    const neither = await store.loadEventAndCase('C-6006-open', 'C-6006');
    // Assess
    expect(both.recorded).toEqual(await store.getEventRecord('C-6005-open'));
    expect(both.stored).toEqual(await store.loadCase('C-6005'));
    expect(both.stored?.aggregate).toEqual(aggregate);
    expect(caseOnly).toEqual({ stored: await store.loadCase('C-6005') });
    expect(neither).toEqual({});
  });

  it('asks again for keys DynamoDB left unprocessed', async () => {
    // Prepare: the first BatchGetItem answers the event record and leaves the case unprocessed.
    await openCase('C-6007');
    const real = table.client;
    const faulty = DynamoDBDocumentClient.from(
      new DynamoDBClient({ endpoint: inject('dynamoEndpoint') }),
    );
    const mock = mockClient(faulty);
    mock
      .on(BatchGetCommand)
      .callsFakeOnce(async (input: BatchGetCommandInput) => {
        const out = await real.send(new BatchGetCommand(input));
        const items = out.Responses?.[table.tableName] ?? [];
        return {
          Responses: { [table.tableName]: items.filter((i) => i.sk === 'EVENT') },
          UnprocessedKeys: {
            [table.tableName]: { Keys: [keys.case('C-6007')], ConsistentRead: true },
          },
        };
      })
      .callsFake((input: BatchGetCommandInput) => real.send(new BatchGetCommand(input)));
    const waits: number[] = [];
    const batchRetry = { sleep: async (ms: number) => waits.push(ms), random: () => 0.5 };
    // Act
    const read = await new DynamoCaseStore(faulty, table.tableName, {
      batchRetry,
    }).loadEventAndCase('C-6007-open', 'C-6007');
    // Assess
    expect(waits).toEqual([25]); // one backoff, half of 50 ms; injected, not slept
    expect(mock.commandCalls(BatchGetCommand)).toHaveLength(2);
    expect(mock.commandCalls(BatchGetCommand)[1]?.args[0].input.RequestItems).toEqual({
      [table.tableName]: { Keys: [keys.case('C-6007')], ConsistentRead: true },
    });
    expect(read.recorded?.eventId).toBe('C-6007-open');
    expect(read.stored?.version).toBe(1);
    mock.restore();
  });

  it('refuses a stale version and a taken event id, changing nothing', async () => {
    // Prepare
    const aggregate = await openCase('C-6002');
    const next = engine.applyEvent(
      aggregate,
      envelope.concern('C-6002-c', 'C-6002') as CaseEvent,
      NOW,
    );
    const before = await snapshot(table.client, table.tableName);
    const commit = {
      caseId: 'C-6002',
      before: aggregate,
      after: next.aggregate,
      audit: next.audit,
      now: NOW,
    };
    // Act
    // Each refusal is caught as it happens: a second pending rejection would go unhandled.
    const stale = await store
      .commitCase({ ...commit, expectedVersion: 0, event: record('C-6002-c', 'C-6002') })
      .catch((error: unknown) => error);
    const taken = await store
      .commitCase({ ...commit, expectedVersion: 1, event: record('C-6002-open', 'C-6002') })
      .catch((error: unknown) => error);
    // Assess
    expect(stale).toBeInstanceOf(VersionConflictError);
    expect(taken).toBeInstanceOf(EventAlreadyRecordedError);
    expect(await snapshot(table.client, table.tableName)).toBe(before);
  });

  it('moves a deadline between status partitions and keeps one projection per deadline', async () => {
    // Prepare
    const aggregate = await openCase('C-6003');
    const raised = engine.applyEvent(
      aggregate,
      envelope.concern('C-6003-c', 'C-6003') as CaseEvent,
      NOW,
    );
    await store.commitCase({
      caseId: 'C-6003',
      expectedVersion: 1,
      before: aggregate,
      after: raised.aggregate,
      audit: raised.audit,
      now: NOW,
    });
    const closed = engine.applyEvent(
      raised.aggregate,
      envelope.closed('C-6003-x', 'C-6003') as CaseEvent,
      NOW,
    );
    // Act
    await store.commitCase({
      caseId: 'C-6003',
      expectedVersion: 2,
      before: raised.aggregate,
      after: closed.aggregate,
      audit: closed.audit,
      now: NOW,
    });
    const open = await store.queryDeadlines({ status: 'open', limit: 500 });
    const cancelled = await store.queryDeadlines({ status: 'cancelled', limit: 500 });
    // Assess
    expect(open.deadlines.filter((d) => d.caseId === 'C-6003')).toEqual([]);
    expect(cancelled.deadlines.filter((d) => d.caseId === 'C-6003').length).toBe(
      raised.aggregate.deadlines.length,
    );
    expect((await store.listDeadlines('C-6003')).length).toBe(raised.aggregate.deadlines.length);
  });

  it('commits a change touching more deadlines than one transaction holds', async () => {
    // Prepare
    let aggregate = await openCase('C-6004');
    let version = 1;
    const raised = Array.from({ length: 120 }, (_, i) => ({
      ...envelope.disagreement(`C-6004-d${i}`, 'C-6004'),
      data: { disagreementId: `D-${i}` },
    }));
    let next = aggregate;
    for (const event of raised) next = engine.applyEvent(next, event as CaseEvent, NOW).aggregate;
    // Act
    await store.commitCase({
      caseId: 'C-6004',
      expectedVersion: version,
      before: aggregate,
      after: next,
      audit: [],
      now: NOW,
    });
    aggregate = next;
    version++;
    const closed = engine.applyEvent(
      aggregate,
      envelope.closed('C-6004-x', 'C-6004') as CaseEvent,
      NOW,
    );
    await store.commitCase({
      caseId: 'C-6004',
      expectedVersion: version,
      before: aggregate,
      after: closed.aggregate,
      audit: closed.audit,
      now: NOW,
    });
    // Assess
    const deadlines = await store.listDeadlines('C-6004');
    expect(deadlines.filter((d) => d.rule === 'disagreement')).toHaveLength(120);
    expect(deadlines.every((d) => d.status !== 'open')).toBe(true);
    expect((await store.loadCase('C-6004'))?.version).toBe(3);
  });
});
