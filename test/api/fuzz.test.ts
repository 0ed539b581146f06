import fc from 'fast-check';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoCaseStore } from '#adapters/dynamodb/case-store.js';
import { DynamoDirectory } from '#adapters/dynamodb/directory.js';
import { makeHandler } from '#functions/events/handler.js';
import { RecordingScheduler } from '#local/server.js';
import { EventEnvelope } from '#schemas/events.js';
import { Problem } from '#schemas/problem.js';
import { makeCaseEngine } from '#use-cases/bind-engine.js';
import { AUTHORITY, envelope, freshTable, postEvent, snapshot, TEST_SECRET } from './support.js';

let table: Awaited<ReturnType<typeof freshTable>>;

beforeAll(async () => {
  table = await freshTable(inject('dynamoEndpoint'), 'fuzz');
});

const TYPES = EventEnvelope.def.options.map((o) => o.shape.type.def.values[0]);

/** Near-misses of real envelopes: a known type with one field broken or an extra one added. */
const nearMiss = fc
  .record(
    {
      type: fc.constantFrom(...TYPES),
      id: fc.oneof(fc.string(), fc.constant(''), fc.integer(), fc.constant('x'.repeat(65))),
      occurredAt: fc.oneof(
        fc.string(),
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 19)),
        fc.constant('2026-02-30T10:00:00Z'),
      ),
      caseId: fc.oneof(fc.constant('C-1001'), fc.string(), fc.constant(null), fc.integer()),
      data: fc.oneof(
        fc.object(),
        fc.dictionary(
          fc.constantFrom(
            'team',
            'allegationId',
            'disagreementId',
            'kind',
            'reviewEveryWeeks',
            'personId',
            'from',
            'to',
            'delegateId',
            'email',
            'name',
            'workers',
          ),
          fc.jsonValue(),
        ),
      ),
    },
    { requiredKeys: [] },
  )
  .chain((e) => fc.oneof(fc.constant(e), fc.constant({ ...e, extra: true })));

const bodies = fc
  .oneof(
    fc.jsonValue().map((v) => JSON.stringify(v)),
    nearMiss.map((v) => JSON.stringify(v)),
    fc.string({ unit: 'binary' }),
    fc.constantFrom(
      '',
      'null',
      '[]',
      '{',
      '{"id":1}',
      '\u0000',
      `${'{"a":'.repeat(40)}1${'}'.repeat(40)}`,
    ),
    fc
      .tuple(fc.nat({ max: 200 }), fc.string())
      .map(([cut, s]) => JSON.stringify(envelope.concern('fz')).slice(0, cut) + s),
  )
  .filter((text) => {
    try {
      return !EventEnvelope.safeParse(JSON.parse(text)).success;
    } catch {
      return true;
    }
  });

describe('POST /v1/events: fuzzed bodies', () => {
  it('answers 1,000 invalid bodies with 4xx problems and never changes the store', async () => {
    // Prepare
    const handler = makeHandler({
      webhookSecret: TEST_SECRET,
      store: new DynamoCaseStore(table.client, table.tableName),
      directory: new DynamoDirectory(table.client, table.tableName),
      engine: makeCaseEngine(AUTHORITY),
      scheduler: new RecordingScheduler(),
      clock: { now: () => new Date('2026-03-02T12:00:00Z') },
    });
    const before = await snapshot(table.client, table.tableName);
    // Act
    await fc.assert(
      fc.asyncProperty(bodies, fc.boolean(), async (body, base64) => {
        const request = postEvent(body);
        const result = await handler(
          base64
            ? { ...request, body: Buffer.from(body).toString('base64'), isBase64Encoded: true }
            : request,
        );
        // Assess
        expect(result.statusCode).toBeGreaterThanOrEqual(400);
        expect(result.statusCode).toBeLessThan(500);
        expect(result.headers['content-type']).toBe('application/problem+json');
        expect(Problem.safeParse(JSON.parse(result.body)).success).toBe(true);
      }),
      { numRuns: 1000 },
    );
    // Assess
    expect(await snapshot(table.client, table.tableName)).toBe(before);
  });
});
