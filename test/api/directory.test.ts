/**
 * The directory, readable: `GET /v1/people`, `/v1/people/{personId}` and `/v1/rota` through
 * the read handler and the real DynamoDB adapter (DynamoDB Local), the directory written by
 * webhook events as a back-office sender would.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { makeHandler as makeReadHandler, type ReadHandler } from '#functions/read/handler.js';
import { readDeps } from '#functions/read/wiring.js';
import { makeCaseEngine } from '#kernel/engine/bound.js';
import { eventsHandlerOn } from './events-support.js';
import { AUTHORITY, apiEvent, bodyOf, freshTable, postEvent } from './support.js';

let read: ReadHandler;
let counter = 0;

const person = (personId: string, team?: string) => ({
  type: 'person.upserted',
  occurredAt: '2026-03-01T09:00:00Z',
  data: {
    personId,
    name: `Worker ${personId}`,
    email: `${personId.toLowerCase()}@example.gov.uk`,
    ...(team === undefined ? {} : { team }),
  },
});

beforeAll(async () => {
  const table = await freshTable(inject('dynamoEndpoint'), 'directory-read');
  const engine = makeCaseEngine(AUTHORITY);
  const { handler: events } = eventsHandlerOn(table, {
    engine,
    now: new Date('2026-03-01T12:00:00Z'),
  });
  // Three people (two in north), P-0001 away twice with two delegates, and four rota shifts.
  for (const e of [
    person('P-0003', 'north'),
    person('P-0001', 'north'),
    { ...person('P-0002'), data: { ...person('P-0002').data, phone: '+447700900002' } },
    {
      type: 'person.away',
      occurredAt: '2026-03-01T09:00:00Z',
      data: {
        personId: 'P-0001',
        from: '2026-03-09T00:00:00Z',
        to: '2026-03-14T00:00:00Z',
        delegateId: 'P-0003',
      },
    },
    {
      type: 'person.away',
      occurredAt: '2026-03-01T09:00:00Z',
      data: {
        personId: 'P-0001',
        from: '2026-04-06T00:00:00+01:00',
        to: '2026-04-10T00:00:00+01:00',
        delegateId: 'P-0002',
      },
    },
    ...[
      ['P-0002', '2026-03-05T17:00:00Z', '2026-03-06T09:00:00Z'],
      ['P-0003', '2026-03-06T17:00:00Z', '2026-03-09T09:00:00Z'],
      ['P-0002', '2026-03-09T17:00:00Z', '2026-03-10T09:00:00Z'],
      ['P-0003', '2026-03-10T17:00:00Z', '2026-03-11T09:00:00Z'],
    ].map(([personId, from, to]) => ({
      type: 'rota.shift',
      occurredAt: '2026-03-01T09:00:00Z',
      data: { personId, from, to },
    })),
  ]) {
    const result = await events(postEvent(JSON.stringify({ id: `dir-${counter++}`, ...e })));
    expect(result.statusCode).toBe(202);
  }
  read = makeReadHandler(readDeps({ client: table.client, tableName: table.tableName, engine }));
});

const list = (route: string, query: Record<string, string>) =>
  read(
    apiEvent(`GET ${route}`, route, {
      queryStringParameters: query,
      rawQueryString: new URLSearchParams(query).toString(),
    }),
  );

describe('GET /v1/people', () => {
  it('lists everyone by person id, a page at a time', async () => {
    // Act
    const first = bodyOf(await list('/v1/people', { limit: '2' }));
    const second = bodyOf(
      await list('/v1/people', { limit: '2', cursor: first.nextCursor as string }),
    );

    // Assess
    expect((first.people as { personId: string }[]).map((p) => p.personId)).toEqual([
      'P-0001',
      'P-0002',
    ]);
    expect(first.people).toContainEqual({
      personId: 'P-0002',
      name: 'Worker P-0002',
      email: 'p-0002@example.gov.uk',
      phone: '+447700900002',
      updatedAt: '2026-03-01T09:00:00.000Z',
    });
    expect(second).toEqual({
      people: [expect.objectContaining({ personId: 'P-0003', team: 'north' })],
    });
  });

  it('lists one team', async () => {
    const north = bodyOf(await list('/v1/people', { team: 'north' }));
    expect((north.people as { personId: string }[]).map((p) => p.personId)).toEqual([
      'P-0001',
      'P-0003',
    ]);
    expect(north.nextCursor).toBeUndefined();
  });

  it('refuses a cursor it did not hand out, and unknown parameters (400)', async () => {
    const forged = await list('/v1/people', { cursor: Buffer.from('["x"]').toString('base64url') });
    const unknown = await list('/v1/people', { colour: 'red' });
    expect(forged.statusCode).toBe(400);
    expect(bodyOf(forged).errors).toEqual([{ field: 'cursor', message: 'invalid cursor' }]);
    expect(unknown.statusCode).toBe(400);
  });
});

describe('GET /v1/people/{personId}', () => {
  const get = (personId: string) =>
    read(
      apiEvent('GET /v1/people/{personId}', `/v1/people/${personId}`, {
        pathParameters: { personId },
      }),
    );

  it('answers the person with their away periods (UTC) and the delegates those name', async () => {
    const found = await get('P-0001');
    expect(found.statusCode).toBe(200);
    expect(bodyOf(found)).toEqual({
      person: expect.objectContaining({ personId: 'P-0001', team: 'north' }),
      away: [
        { from: '2026-03-09T00:00:00.000Z', to: '2026-03-14T00:00:00.000Z', delegateId: 'P-0003' },
        // Given in BST: midnight on 6 April is 23:00 UTC the day before.
        { from: '2026-04-05T23:00:00.000Z', to: '2026-04-09T23:00:00.000Z', delegateId: 'P-0002' },
      ],
      delegates: ['P-0003', 'P-0002'],
    });
  });

  it('answers 404 for a person the directory does not hold', async () => {
    const missing = await get('P-9999');
    expect(missing.statusCode).toBe(404);
    expect(bodyOf(missing).errors).toEqual([{ field: 'personId', message: 'unknown person' }]);
  });
});

describe('GET /v1/rota', () => {
  it('lists the shifts overlapping the window, one that began before it included', async () => {
    // The window 08:00 6 March to 17:00 9 March: the shift of the 5th ended at 09:00 on the
    // 6th (overlaps), the weekend one overlaps, the one starting at 17:00 on the 9th does not.
    const page = bodyOf(
      await list('/v1/rota', { from: '2026-03-06T08:00:00Z', to: '2026-03-09T17:00:00Z' }),
    );
    expect(page).toEqual({
      shifts: [
        { personId: 'P-0002', from: '2026-03-05T17:00:00.000Z', to: '2026-03-06T09:00:00.000Z' },
        { personId: 'P-0003', from: '2026-03-06T17:00:00.000Z', to: '2026-03-09T09:00:00.000Z' },
      ],
    });
  });

  it('pages through a longer window', async () => {
    const window = { from: '2026-03-01T00:00:00Z', to: '2026-03-31T00:00:00Z', limit: '3' };
    const first = bodyOf(await list('/v1/rota', window));
    const second = bodyOf(
      await list('/v1/rota', { ...window, cursor: first.nextCursor as string }),
    );
    expect((first.shifts as unknown[]).length).toBe(3);
    expect(second).toEqual({
      shifts: [
        { personId: 'P-0003', from: '2026-03-10T17:00:00.000Z', to: '2026-03-11T09:00:00.000Z' },
      ],
    });
  });

  it('refuses a window that ends before it starts or is longer than 92 days (400, naming "to")', async () => {
    const backwards = await list('/v1/rota', {
      from: '2026-03-09T00:00:00Z',
      to: '2026-03-01T00:00:00Z',
    });
    const long = await list('/v1/rota', {
      from: '2026-01-01T00:00:00Z',
      to: '2026-06-01T00:00:00Z',
    });
    const missing = await list('/v1/rota', { from: '2026-01-01T00:00:00Z' });
    for (const answer of [backwards, long, missing]) expect(answer.statusCode).toBe(400);
    expect(bodyOf(backwards).errors).toEqual([
      { field: 'to', message: '"from" must be before "to"' },
    ]);
    expect(bodyOf(long).errors).toEqual([
      { field: 'to', message: 'the window may be at most 92 days' },
    ]);
  });
});
