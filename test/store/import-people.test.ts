/**
 * An import into DynamoDB Local reads the people its rows name with the stretches' batched
 * reads: no GetItem per person, and the answers warn about the directory exactly as the webhook
 * would (a person the directory lacks, a person with no email).
 */
import { describe, expect, inject, it } from 'vitest';
import { importDeps } from '#functions/import/wiring.js';
import { DynamoCasePeople } from '#platform/dynamodb/case-people.js';
import { DynamoDirectory } from '#platform/dynamodb/directory.js';
import { freshTable } from '#test/api/support.js';
import { engine, importLines, NOW } from '#test/import/support.js';
import { noScheduler } from '#test/support/scheduler.js';
import { counted, record } from './directory-cache-support.js';

describe('an import reading the people its rows name', () => {
  it('reads them with the cases in BatchGetItems and warns as the webhook does', async () => {
    // Prepare: P-0001 known with an email, P-0002 known without one, P-0009 unknown
    const table = await freshTable(inject('dynamoEndpoint'), 'importpeople');
    const writer = new DynamoDirectory(table.client, table.tableName);
    for (const [personId, email] of [
      ['P-0001', 'p-0001@example.gov.uk'],
      ['P-0002', ''],
    ] as const)
      await writer.upsertPerson(
        { personId, name: `Professional ${personId}`, email, updatedAt: NOW.toISOString() },
        record('person.upserted'),
      );
    const { client, calls } = counted(inject('dynamoEndpoint'));
    const { deps } = importDeps({
      client,
      tableName: table.tableName,
      engine,
      scheduler: noScheduler,
      clock: { now: () => NOW },
    });
    const lines = [1, 2, 3].map((c) => ({
      id: `opened-${c}`,
      type: 'case.opened',
      caseId: `C-200${c}`,
      occurredAt: '2030-02-01T10:00:00Z',
      data: {
        team: 'north',
        workers: [
          { personId: 'P-0001', role: 'allocated-worker' },
          { personId: c === 3 ? 'P-0009' : 'P-0002', role: 'team-manager' },
        ],
      },
    }));

    // Act
    const { outcomes } = await importLines(lines, deps, { concurrency: 4 });

    // Assess: every row imported; no person read on its own, nor after its case; the warnings name the person
    // with no email on the first two cases and the unknown person on the third
    expect(outcomes.map((o) => o.status)).toEqual(['imported', 'imported', 'imported']);
    expect(calls.get('GetItemCommand') ?? 0).toBe(0);
    // The three cases' reads and their people's in one call (the rows start in one turn)
    expect(calls.get('BatchGetItemCommand')).toBe(1);
    const people = outcomes.map((o) =>
      (o.status === 'refused' ? [] : o.warnings)
        .filter((w) => w.code === 'no-contact' || w.code === 'unknown-person')
        .map((w) => [w.code, w.field]),
    );
    expect(people).toEqual([
      [['no-contact', 'data.workers.1.personId']],
      [['no-contact', 'data.workers.1.personId']],
      [['unknown-person', 'data.workers.1.personId']],
    ]);
  });
});

describe('an import of several rows of one case', () => {
  it('names the case on its people’s pages, as the webhook’s commits do', async () => {
    // Prepare: two rows of one case (one stretch: one transaction of two commits), the second
    // adding a worker
    const table = await freshTable(inject('dynamoEndpoint'), 'importlinks');
    const { deps } = importDeps({
      client: table.client,
      tableName: table.tableName,
      engine,
      scheduler: noScheduler,
      clock: { now: () => NOW },
    });
    const worker = (personId: string, role: string) => ({ personId, role });
    const lines = [
      {
        id: 'links-1',
        type: 'case.opened',
        caseId: 'C-3001',
        occurredAt: '2030-02-01T10:00:00Z',
        data: { team: 'north', workers: [worker('P-0001', 'allocated-worker')] },
      },
      {
        id: 'links-2',
        type: 'case.updated',
        caseId: 'C-3001',
        occurredAt: '2030-02-02T10:00:00Z',
        data: {
          workers: [worker('P-0001', 'allocated-worker'), worker('P-0002', 'team-manager')],
        },
      },
    ];

    // Act
    const { outcomes } = await importLines(lines, deps);

    // Assess: both people are linked to the case, each in the role the case gives them
    expect(outcomes.map((o) => o.status)).toEqual(['imported', 'imported']);
    const people = new DynamoCasePeople(table.client, table.tableName);
    expect(await people.casesOf('P-0001')).toEqual([
      { caseId: 'C-3001', team: 'north', roles: ['allocated-worker'] },
    ]);
    expect(await people.casesOf('P-0002')).toEqual([
      { caseId: 'C-3001', team: 'north', roles: ['team-manager'] },
    ]);
  });
});
