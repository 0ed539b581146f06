/** Set-up shared by the directory cache tests on DynamoDB Local. */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { CachedDirectory } from '#functions/fire/directory-cache.js';
import type { EventRecord } from '#kernel/records.js';
import { makeDocumentClient } from '#platform/clients.js';
import { DynamoCaseStore } from '#platform/dynamodb/case-store.js';
import { DynamoDirectory } from '#platform/dynamodb/directory.js';
import { freshTable } from '#test/api/support.js';

export const NOW = '2026-06-01T12:00:00.000Z';
let eventNo = 0;
export const record = (type: string): EventRecord => {
  const eventId = `DC-${process.pid}-${++eventNo}`;
  return {
    eventId,
    type,
    caseId: null,
    bodyHash: 'h',
    answer: { statusCode: 202, body: { eventId, status: 'accepted', caseId: null } },
    receivedAt: NOW,
  };
};

/** A table, its writer, the fire path's case store and a cold cache over consistent reads. */
export async function setUp() {
  const table = await freshTable(inject('dynamoEndpoint'), 'dircache');
  const writer = new DynamoDirectory(table.client, table.tableName);
  const store = new DynamoCaseStore(table.client, table.tableName);
  const cache = new CachedDirectory(
    new DynamoDirectory(table.client, table.tableName, { consistentReads: true }),
  );
  /** What a fire does before routing: read the case with the stamp, observe the stamp. */
  const readCase = async (caseId = 'C-1001') => {
    const { directoryGeneration } = await store.loadCaseWithDirectoryStamp(caseId);
    cache.observe(directoryGeneration);
  };
  const person = (personId: string, phone?: string) =>
    writer.upsertPerson(
      {
        personId,
        name: `Professional ${personId}`,
        email: `${personId.toLowerCase()}@example.gov.uk`,
        ...(phone === undefined ? {} : { phone }),
        updatedAt: NOW,
      },
      record('person.upserted'),
    );
  return { table, writer, store, cache, readCase, person };
}

/** Counts the DynamoDB calls a client makes, by command (as bench/fire.ts's `instrument`). */
export function counted(endpoint: string): {
  client: DynamoDBDocumentClient;
  calls: Map<string, number>;
} {
  const client = makeDocumentClient({ endpoint });
  const calls = new Map<string, number>();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = String((context as { commandName?: string }).commandName);
      calls.set(name, (calls.get(name) ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize', name: 'countCalls' },
  );
  return { client, calls };
}
