/**
 * The reminders' directory cache (`CachedDirectory`) on DynamoDB Local: exact invalidation by
 * the directory stamp every directory write bumps, read with the case in one BatchGetItem.
 */
import 'aws-sdk-client-mock-vitest/extend';
import fc from 'fast-check';
import { describe, expect, inject, it } from 'vitest';
import { CachedDirectory } from '#functions/fire/directory-cache.js';
import { DynamoCaseStore } from '#platform/dynamodb/case-store.js';
import { DynamoDirectory } from '#platform/dynamodb/directory.js';
import { counted, record, setUp } from './directory-cache-support.js';

describe('CachedDirectory on DynamoDB Local: exact invalidation', () => {
  it('a fire after a person.away write routes to the delegate, though the first fire cached the person as not away', async () => {
    // Prepare: the first fire reads the case, then finds P-0001 not away (and caches that).
    const { writer, cache, readCase } = await setUp();
    const at = new Date('2026-06-02T10:00:00Z');
    await readCase();
    const before = await cache.awayAt('P-0001', at);
    // Act: P-0001 goes away with P-0002 standing in; the next fire reads its case, then routes.
    await writer.addAway(
      {
        personId: 'P-0001',
        from: '2026-06-02T08:00:00Z',
        to: '2026-06-03T17:00:00Z',
        delegateId: 'P-0002',
      },
      record('person.away'),
    );
    await readCase('C-1002');
    const after = await cache.awayAt('P-0001', at);
    // Assess
    expect(before).toBeUndefined();
    expect(after, 'the fire after the away write must see the delegate').toBe('P-0002');
  });

  it('a fire after a rota swap routes to the EDT manager who swapped in', async () => {
    // Prepare: P-0005 on call overnight; a first fire at 03:00 caches the rota window.
    const { writer, cache, readCase } = await setUp();
    await writer.addShift(
      { personId: 'P-0005', from: '2026-06-01T16:00:00Z', to: '2026-06-02T08:00:00Z' },
      record('rota.shift'),
    );
    await readCase();
    const before = await cache.onCallAt(new Date('2026-06-02T03:00:00Z'));
    // Act: P-0006 swaps in from 03:15; a fire at 03:30 (inside the cached window) follows.
    await writer.addShift(
      { personId: 'P-0006', from: '2026-06-02T03:15:00Z', to: '2026-06-02T08:00:00Z' },
      record('rota.shift'),
    );
    await readCase('C-1002');
    const after = await cache.onCallAt(new Date('2026-06-02T03:30:00Z'));
    // Assess
    expect(before).toBe('P-0005');
    expect(after, 'the fire after the rota swap must see the swap').toBe('P-0006');
  });

  it('keeps serving from the cache while the directory is unchanged (no read per fire)', async () => {
    // Prepare
    const endpoint = inject('dynamoEndpoint');
    const { table, writer, person } = await setUp();
    await person('P-0005', '+447700900005');
    await writer.addShift(
      { personId: 'P-0005', from: '2026-06-01T16:00:00Z', to: '2026-06-02T08:00:00Z' },
      record('rota.shift'),
    );
    const { client, calls } = counted(endpoint);
    const store = new DynamoCaseStore(client, table.tableName);
    const cache = new CachedDirectory(
      new DynamoDirectory(client, table.tableName, { consistentReads: true }),
    );
    // Act: 20 fires a minute apart, each reading its case then the EDT manager on call.
    const onCall: (string | undefined)[] = [];
    for (let i = 0; i < 20; i++) {
      const { directoryGeneration } = await store.loadCaseWithDirectoryStamp(`C-${1001 + i}`);
      cache.observe(directoryGeneration);
      const id = await cache.onCallAt(new Date(Date.parse('2026-06-02T03:00:00Z') + i * 60_000));
      onCall.push((await cache.getPerson(id ?? ''))?.phone);
    }
    // Assess: one rota Query and one profile GetItem in all; the case reads only otherwise.
    expect(new Set(onCall)).toEqual(new Set(['+447700900005']));
    expect(Object.fromEntries(calls)).toEqual({
      BatchGetItemCommand: 20,
      QueryCommand: 1,
      GetItemCommand: 1,
    });
  });

  it('200 concurrent getPerson calls on a cold cache make one GetItem', async () => {
    // Prepare
    const { table, person } = await setUp();
    await person('P-0004', '+447700900004');
    const { client, calls } = counted(inject('dynamoEndpoint'));
    const cache = new CachedDirectory(
      new DynamoDirectory(client, table.tableName, { consistentReads: true }),
    );
    cache.observe(1);
    // Act
    const found = await Promise.all(Array.from({ length: 200 }, () => cache.getPerson('P-0004')));
    // Assess
    expect(new Set(found.map((p) => p?.phone))).toEqual(new Set(['+447700900004']));
    expect(Object.fromEntries(calls)).toEqual({ GetItemCommand: 1 });
  });

  it('a failed read is not cached: the next call reads again', async () => {
    // Prepare: a source whose first profile read fails.
    let reads = 0;
    const cache = new CachedDirectory({
      getPerson: async (personId) => {
        if (++reads === 1) throw new Error('throttled');
        return {
          personId,
          name: 'Worker One',
          email: 'worker.one@example.gov.uk',
          updatedAt: '2026-01-01T00:00:00.000Z',
        };
      },
      awayPeriods: async () => [],
      shiftsStarting: async () => [],
      generation: async () => 0,
    });
    // Act
    const first = await cache.getPerson('P-0001').catch((e: Error) => e.message);
    const second = await cache.getPerson('P-0001');
    const third = await cache.getPerson('P-0001');
    // Assess
    expect(first).toBe('throttled');
    expect(second?.email).toBe('worker.one@example.gov.uk');
    expect(third).toBe(second);
    expect(reads).toBe(2);
  });

  it('a read in flight when the generation moves is not kept, and a lower generation changes nothing', async () => {
    // Prepare: a source whose profile read is held until released.
    let release: () => void = () => {};
    let reads = 0;
    const cache = new CachedDirectory({
      getPerson: async (personId) => {
        reads++;
        if (reads === 1) await new Promise<void>((resolve) => (release = resolve));
        return {
          personId,
          name: 'Reader',
          email: `read.${reads}@example.gov.uk`,
          updatedAt: '2026-01-01T00:00:00.000Z',
        };
      },
      awayPeriods: async () => [],
      shiftsStarting: async () => [],
      generation: async () => 0,
    });
    cache.observe(3);
    // Act: a read starts under generation 3; generation 4 arrives while it is in flight.
    const inFlight = cache.getPerson('P-0001');
    cache.observe(4);
    release();
    const first = await inFlight;
    const next = await cache.getPerson('P-0001');
    cache.observe(2);
    cache.observe(4);
    const afterStale = await cache.getPerson('P-0001');
    // Assess
    expect(first?.email).toBe('read.1@example.gov.uk');
    expect(next?.email).toBe('read.2@example.gov.uk');
    expect(afterStale).toBe(next);
    expect(cache.observed).toBe(4);
  });

  it('sync reads the stamp alone and brings the cache up to date', async () => {
    // Prepare
    const { writer, cache, person } = await setUp();
    await person('P-0001');
    await cache.sync();
    const before = await cache.getPerson('P-0001');
    await writer.upsertPerson(
      {
        personId: 'P-0001',
        name: 'Professional P-0001',
        email: 'p-0001.new@example.gov.uk',
        updatedAt: '2026-06-01T13:00:00.000Z',
      },
      record('person.upserted'),
    );
    // Act
    await cache.sync();
    const after = await cache.getPerson('P-0001');
    // Assess
    expect(before?.email).toBe('p-0001@example.gov.uk');
    expect(after?.email).toBe('p-0001.new@example.gov.uk');
    expect(cache.observed).toBe(2);
  });
});

describe('CachedDirectory answers as the uncached DynamoDirectory does (property, DynamoDB Local)', () => {
  const BASE = Date.parse('2026-06-01T00:00:00Z');
  const HOUR = 3_600_000;
  const PEOPLE = ['P-0001', 'P-0002', 'P-0003'];
  const EDT = ['P-0005', 'P-0006', 'P-0007'];
  // Whole hours, so starts, ends and the instants asked about often coincide (the boundaries).
  const hour = fc.integer({ min: -24 * 40, max: 24 * 40 });
  const iso = (h: number) => new Date(BASE + h * HOUR).toISOString();
  const op = fc.oneof(
    fc.record({
      kind: fc.constant('away' as const),
      personId: fc.constantFrom(...PEOPLE),
      from: hour,
      hours: fc.integer({ min: 1, max: 24 * 10 }),
      delegateId: fc.constantFrom(...PEOPLE, 'P-0004'),
    }),
    fc.record({
      kind: fc.constant('shift' as const),
      personId: fc.constantFrom(...EDT),
      from: hour,
      // Up to 40 days: longer than MAX_SHIFT_DAYS, so the look-back limit is exercised.
      hours: fc.integer({ min: 1, max: 24 * 40 }),
    }),
    fc.record({
      kind: fc.constant('person' as const),
      personId: fc.constantFrom(...PEOPLE, ...EDT),
      version: fc.integer({ min: 1, max: 5 }),
    }),
    fc.record({ kind: fc.constant('stale' as const), back: fc.integer({ min: 1, max: 3 }) }),
    fc.record({
      kind: fc.constant('fire' as const),
      // Several instants per fire, some close together (served from the cached rota window).
      at: fc.array(fc.tuple(hour, fc.integer({ min: 0, max: 59 })), {
        minLength: 1,
        maxLength: 4,
      }),
    }),
  );

  it('after every write it reads with a case, for random directories, generations and instants', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 14 }), async (ops) => {
        const { writer, cache, readCase } = await setUp();
        for (const o of ops) {
          if (o.kind === 'away') {
            const ok = o.delegateId !== o.personId;
            if (ok)
              await writer.addAway(
                {
                  personId: o.personId,
                  from: iso(o.from),
                  to: iso(o.from + o.hours),
                  delegateId: o.delegateId,
                },
                record('person.away'),
              );
          } else if (o.kind === 'shift') {
            await writer.addShift(
              { personId: o.personId, from: iso(o.from), to: iso(o.from + o.hours) },
              record('rota.shift'),
            );
          } else if (o.kind === 'person') {
            await writer.upsertPerson(
              {
                personId: o.personId,
                name: `Professional ${o.personId}`,
                email: `${o.personId.toLowerCase()}.v${o.version}@example.gov.uk`,
                updatedAt: new Date(BASE + o.version * HOUR).toISOString(),
              },
              record('person.upserted'),
            );
          } else if (o.kind === 'stale') {
            // A concurrent fire that read its case earlier: an older generation.
            cache.observe(cache.observed - o.back);
          } else {
            await readCase();
            for (const [h, minute] of o.at) {
              const at = new Date(BASE + h * HOUR + minute * 60_000);
              const cached = {
                onCall: await cache.onCallAt(at),
                away: await Promise.all(PEOPLE.map((p) => cache.awayAt(p, at))),
                people: await Promise.all([...PEOPLE, ...EDT].map((p) => cache.getPerson(p))),
              };
              const uncached = {
                onCall: await writer.onCallAt(at),
                away: await Promise.all(PEOPLE.map((p) => writer.awayAt(p, at))),
                people: await Promise.all([...PEOPLE, ...EDT].map((p) => writer.getPerson(p))),
              };
              expect(cached, at.toISOString()).toEqual(uncached);
            }
          }
        }
      }),
      { numRuns: 30 },
    );
  }, 120_000);
});
