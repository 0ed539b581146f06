/** POST /v1/events: directory events, and store faults injected through a mocked client. */
import {
  ProvisionedThroughputExceededException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { makeDocumentClient } from '#platform/clients.js';
import { eventsHandlerOn } from './events-support.js';
import { bodyOf, envelope, freshTable, postEvent } from './support.js';

let table: Awaited<ReturnType<typeof freshTable>>;

beforeAll(async () => {
  table = await freshTable(inject('dynamoEndpoint'), 'events');
});

const setup = (options: Parameters<typeof eventsHandlerOn>[1] = {}) =>
  eventsHandlerOn(table, options);

describe('POST /v1/events: directory events', () => {
  it('stores people, away periods and the EDT rota for the Directory port', async () => {
    // Prepare
    const { handler, directory } = setup();
    const events = [
      {
        id: 'dir-1',
        type: 'person.upserted',
        occurredAt: '2026-03-01T09:00:00Z',
        data: {
          personId: 'P-0001',
          name: 'Manager One',
          email: 'manager.one@example.gov.uk',
          team: 'north-assessment',
        },
      },
      {
        id: 'dir-2',
        type: 'person.away',
        occurredAt: '2026-03-01T09:00:00Z',
        data: {
          personId: 'P-0001',
          from: '2026-03-02T00:00:00Z',
          to: '2026-03-06T00:00:00Z',
          delegateId: 'P-0009',
        },
      },
      {
        id: 'dir-3',
        type: 'rota.shift',
        occurredAt: '2026-03-01T09:00:00Z',
        data: { personId: 'P-0005', from: '2026-03-02T17:00:00Z', to: '2026-03-03T09:00:00Z' },
      },
      {
        id: 'dir-4',
        type: 'person.upserted',
        occurredAt: '2026-02-01T09:00:00Z',
        caseId: null,
        data: { personId: 'P-0001', name: 'Manager Older', email: 'old@example.gov.uk' },
      },
    ];
    // Act
    const results = [];
    for (const event of events) results.push(await handler(postEvent(JSON.stringify(event))));
    const redelivered = await handler(postEvent(JSON.stringify(events[0])));
    // Assess
    expect(results.map((r) => r.statusCode)).toEqual([202, 202, 202, 202]);
    expect(bodyOf(results[0] ?? {})).toEqual({
      eventId: 'dir-1',
      status: 'accepted',
      caseId: null,
      warnings: [],
    });
    expect(redelivered).toEqual(results[0]);
    expect(await directory.getPerson('P-0001')).toMatchObject({
      name: 'Manager One',
      team: 'north-assessment',
    });
    expect(await directory.getPerson('P-0404')).toBeUndefined();
    expect(await directory.awayAt('P-0001', new Date('2026-03-03T10:00:00Z'))).toBe('P-0009');
    expect(await directory.awayAt('P-0001', new Date('2026-03-06T00:00:00Z'))).toBeUndefined();
    expect(await directory.onCallAt(new Date('2026-03-02T22:00:00Z'))).toBe('P-0005');
    expect(await directory.onCallAt(new Date('2026-03-03T09:00:00Z'))).toBeUndefined();
  });
});

describe('POST /v1/events: store faults (mocked)', () => {
  it('retries after a version race reported by TransactionCanceledException', async () => {
    // Prepare
    const real = makeDocumentClient({ endpoint: inject('dynamoEndpoint') });
    const faulty = makeDocumentClient({ endpoint: inject('dynamoEndpoint') });
    const mock = mockClient(faulty);
    mock.on(GetCommand).callsFake((input) => real.send(new GetCommand(input)));
    mock.on(BatchGetCommand).callsFake((input) => real.send(new BatchGetCommand(input)));
    mock.on(QueryCommand).callsFake((input) => real.send(new QueryCommand(input)));
    mock
      .on(TransactWriteCommand)
      .rejectsOnce(
        new TransactionCanceledException({
          message: 'Transaction cancelled',
          $metadata: {},
          CancellationReasons: [{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }],
        }),
      )
      .callsFake((input) => real.send(new TransactWriteCommand(input)));
    const { handler } = setup({ client: faulty });
    // Act
    const result = await handler(
      postEvent(JSON.stringify(envelope.caseOpened('race-1', 'C-4001'))),
    );
    // Assess
    expect(result.statusCode).toBe(202);
    expect(mock.commandCalls(TransactWriteCommand)).toHaveLength(2);
    mock.restore();
  });

  it('answers 503 with Retry-After when DynamoDB throttles', async () => {
    // Prepare
    const faulty = makeDocumentClient({ endpoint: inject('dynamoEndpoint') });
    const mock = mockClient(faulty);
    mock
      .on(BatchGetCommand)
      .rejects(new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} }));
    const { handler } = setup({ client: faulty });
    // Act
    const result = await handler(
      postEvent(JSON.stringify(envelope.caseOpened('throttle-1', 'C-4002'))),
    );
    // Assess
    expect(result.statusCode).toBe(503);
    expect(result.headers['retry-after']).toBe('1');
    expect(bodyOf(result)).toMatchObject({ status: 503 });
    mock.restore();
  });
});
