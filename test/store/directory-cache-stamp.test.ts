/**
 * The directory stamp on DynamoDB Local: read with the case in one BatchGetItem, and bumped by
 * every directory write, concurrent ones included.
 */
import { describe, expect, it } from 'vitest';
import { ingestEvent } from '#functions/ingest/ingest-event.js';
import { RecordingScheduler } from '#functions/local/server.js';
import { makeCaseEngine } from '#kernel/engine/bound.js';
import { AUTHORITY } from '#test/api/support.js';
import { NOW, record, setUp } from './directory-cache-support.js';

describe('DynamoCaseStore.loadCaseWithDirectoryStamp', () => {
  it('reads generation 0 before any directory write, and one more per write that changes the directory', async () => {
    // Prepare
    const { writer, store, person } = await setUp();
    const generations: number[] = [];
    const read = async () =>
      generations.push((await store.loadCaseWithDirectoryStamp('C-1001')).directoryGeneration);
    // Act
    await read();
    await person('P-0001');
    await read();
    await writer.addAway(
      {
        personId: 'P-0001',
        from: '2026-06-02T08:00:00Z',
        to: '2026-06-03T08:00:00Z',
        delegateId: 'P-0002',
      },
      record('person.away'),
    );
    await writer.addShift(
      { personId: 'P-0005', from: '2026-06-01T16:00:00Z', to: '2026-06-02T08:00:00Z' },
      record('rota.shift'),
    );
    await read();
    // An upsert older than the stored profile changes nothing: the stamp stays.
    await writer.upsertPerson(
      {
        personId: 'P-0001',
        name: 'Professional P-0001',
        email: 'older@example.gov.uk',
        updatedAt: '2026-05-01T00:00:00.000Z',
      },
      record('person.upserted'),
    );
    await read();
    const { stored } = await store.loadCaseWithDirectoryStamp('C-1001');
    // Assess
    expect(generations).toEqual([0, 1, 3, 3]);
    expect(stored).toBeUndefined();
  });
});

describe('concurrent directory writes and the stamp', () => {
  it('concurrent directory events through ingest all land (or are answered retryable), none lost', async () => {
    // Prepare
    const { table, store, writer } = await setUp();
    const deps = {
      store,
      directory: writer,
      engine: makeCaseEngine(AUTHORITY),
      scheduler: new RecordingScheduler(),
      clock: { now: () => new Date(NOW) },
    };
    const ids = Array.from({ length: 12 }, (_, i) => `P-${String(101 + i).padStart(4, '0')}`);
    // Act: twelve away periods delivered at once, each bumping the one stamp item.
    const answers = await Promise.allSettled(
      ids.map((personId, i) =>
        ingestEvent(
          {
            id: `DC-CONCURRENT-${table.tableName}-${i}`,
            type: 'person.away',
            occurredAt: NOW,
            data: {
              personId,
              from: '2026-06-02T08:00:00Z',
              to: '2026-06-03T08:00:00Z',
              delegateId: 'P-0002',
            },
          },
          deps,
        ),
      ),
    );
    // Assess: every event accepted, or refused as retryable (503); every accepted one stored
    // and counted in the stamp.
    const landed = ids.filter((_, i) => answers[i]?.status === 'fulfilled');
    for (const a of answers) {
      if (a.status === 'fulfilled') expect(a.value.statusCode).toBe(202);
      else expect((a.reason as { status?: number }).status).toBe(503);
    }
    const at = new Date('2026-06-02T12:00:00Z');
    const delegates = await Promise.all(landed.map((id) => writer.awayAt(id, at)));
    expect(delegates.every((d) => d === 'P-0002')).toBe(true);
    expect((await store.loadCaseWithDirectoryStamp('C-1001')).directoryGeneration).toBe(
      landed.length,
    );
    expect(landed.length).toBeGreaterThan(0);
  });
});
