import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { makeHandler as makeReadHandler } from '#functions/read/handler.js';
import { DynamoUnroutedStore } from '#functions/read/unrouted-store.js';
import { makeCaseEngine } from '#kernel/engine/bound.js';
import { fallbackPerson } from '#kernel/reminders/routing.js';
import { signWebhook } from '#platform/webhook.js';
import { EventEnvelope, WorkerRole } from '#schemas/events.js';
import { Problem } from '#schemas/problem.js';
import { expectJsonHeaders } from '#test/hostile/support.js';
import { eventsHandlerOn } from './events-support.js';
import {
  AUTHORITY,
  apiEvent,
  envelope,
  freshTable,
  postEvent,
  snapshot,
  TEST_SECRET,
} from './support.js';

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

/** Bodies that are not UTF-8: any bytes, or a real envelope with stray bytes put in. */
const notUtf8 = fc
  .oneof(
    fc.uint8Array({ minLength: 1, maxLength: 200 }).map((a) => Buffer.from(a)),
    fc
      .tuple(
        fc.nat({ max: 200 }),
        fc.uint8Array({ minLength: 1, maxLength: 4 }).map((a) => a.map((b) => b | 0x80)),
      )
      .map(([cut, stray]) => {
        const text = Buffer.from(JSON.stringify(envelope.concern('fz-bytes')));
        const at = Math.min(cut, text.length);
        return Buffer.concat([text.subarray(0, at), Buffer.from(stray), text.subarray(at)]);
      }),
  )
  .filter((bytes) => !isUtf8(bytes));

describe('POST /v1/events: fuzzed bodies', () => {
  it('answers 1,000 invalid bodies with 4xx problems and never changes the store', async () => {
    // Prepare
    const { handler } = eventsHandlerOn(table, { now: new Date('2026-03-02T12:00:00Z') });
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
        expectJsonHeaders(result);
        expect(Problem.safeParse(JSON.parse(result.body)).success).toBe(true);
      }),
      { numRuns: 1000 },
    );
    // Assess
    expect(await snapshot(table.client, table.tableName)).toBe(before);
  });

  it('answers 300 signed bodies that are not UTF-8 with a 400 problem naming the body', async () => {
    // Prepare
    const { handler } = eventsHandlerOn(table, { now: new Date('2026-03-02T12:00:00Z') });
    const before = await snapshot(table.client, table.tableName);
    // Act
    await fc.assert(
      fc.asyncProperty(notUtf8, async (bytes) => {
        const result = await handler(
          apiEvent('POST /v1/events', '/v1/events', {
            body: bytes.toString('base64'),
            isBase64Encoded: true,
            headers: { 'content-type': 'application/json', ...signWebhook(TEST_SECRET, bytes) },
          }),
        );
        // Assess
        expect(result.statusCode).toBe(400);
        expectJsonHeaders(result);
        const problem = Problem.parse(JSON.parse(result.body));
        expect(problem.detail).toBe('the body is not valid UTF-8');
        expect(problem.errors?.map((e) => e.field)).toEqual(['']);
      }),
      { numRuns: 300 },
    );
    // Assess
    expect(await snapshot(table.client, table.tableName)).toBe(before);
  });
});

/** Ids from small pools, so fuzzed events meet each other's cases, people and clocks. */
const PEOPLE = ['P-0001', 'P-0002', 'P-0003', 'P-0004'];
const ROLES = WorkerRole.options;
/** Instants across (and just past) the calendar's years, its edges most of all. */
const instant = fc
  .oneof(
    fc
      .date({ min: new Date('2011-06-01T00:00:00Z'), max: new Date('2101-06-01T00:00:00Z') })
      .filter((d) => !Number.isNaN(d.getTime())),
    fc
      .constantFrom(
        '2011-12-31T23:59:59Z',
        '2012-01-01T00:00:00Z',
        '2012-01-02T09:00:00Z',
        '2100-06-01T12:00:00Z',
        '2100-12-31T16:00:00Z',
        '2100-12-31T23:59:59Z',
        '2101-01-01T00:00:00Z',
      )
      .map((s) => new Date(s)),
  )
  .map((d) => d.toISOString());
const person = fc.constantFrom(...PEOPLE);
const workers = fc.array(fc.record({ personId: person, role: fc.constantFrom(...ROLES) }), {
  maxLength: 6,
});
const facts = fc.record(
  {
    team: fc.constantFrom('north', 'south'),
    riskLevel: fc.constantFrom('standard', 'high'),
    jointWithMentalHealth: fc.boolean(),
    jointSupervisionEveryMonths: fc.integer({ min: 1, max: 6 }),
    workers,
  },
  { requiredKeys: ['team'] },
);
const span = fc.tuple(instant, fc.integer({ min: 1, max: 30 * 24 })).map(([from, hours]) => ({
  from,
  to: new Date(Date.parse(from) + hours * 3_600_000).toISOString(),
}));
/** Valid envelopes of every type (the schema may still refuse an instant out of range). */
const validEvent = (caseIds: readonly string[]) => {
  const caseId = fc.constantFrom(...caseIds);
  const onCase = <T>(type: string, data: fc.Arbitrary<T>) =>
    fc.record({ type: fc.constant(type), occurredAt: instant, caseId, data });
  const allegation = fc.record({ allegationId: fc.constantFrom('A-1', 'A-2') });
  const disagreement = fc.record({ disagreementId: fc.constantFrom('D-1', 'D-2') });
  return fc.oneof(
    { arbitrary: onCase('case.opened', facts), weight: 3 },
    onCase('case.updated', facts),
    onCase('case.closed', fc.constant({})),
    { arbitrary: onCase('lado.concern-raised', allegation), weight: 3 },
    onCase('lado.notified', allegation),
    onCase('lado.responded', allegation),
    { arbitrary: onCase('disagreement.raised', disagreement), weight: 2 },
    onCase('disagreement.resolved', disagreement),
    onCase(
      'supervision.held',
      fc.record({ kind: fc.constantFrom('joint', 'building-bridges', 'co-working') }),
    ),
    onCase('coworking.started', fc.record({ reviewEveryWeeks: fc.integer({ min: 1, max: 52 }) })),
    onCase('coworking.ended', fc.constant({})),
    onCase('building-bridges.started', fc.record({ personId: person })),
    onCase('building-bridges.ended', fc.constant({})),
    fc.record({
      type: fc.constant('person.upserted'),
      occurredAt: instant,
      data: fc.record(
        {
          personId: person,
          name: fc.constant('Test Professional'),
          email: fc.constantFrom('worker.one@example.gov.uk', 'manager.one@example.gov.uk'),
          phone: fc.constant('+447700900123'),
          team: fc.constantFrom('north', 'south'),
          managerId: person,
        },
        { requiredKeys: ['personId', 'name', 'email'] },
      ),
    }),
    fc.record({
      type: fc.constant('person.away'),
      occurredAt: instant,
      data: fc
        .tuple(person, person, span)
        .filter(([a, b]) => a !== b)
        .map(([personId, delegateId, s]) => ({ personId, delegateId, ...s })),
    }),
    fc.record({
      type: fc.constant('rota.shift'),
      occurredAt: instant,
      data: fc.tuple(person, span).map(([personId, s]) => ({ personId, ...s })),
    }),
  );
};

describe('fuzzed valid events, then every read', () => {
  it('never answers ≥ 500: events are taken or refused (4xx), and every read of every case answers', async () => {
    // Prepare: the events and read handlers as local mode wires them (directory, fallback).
    const fresh = await freshTable(inject('dynamoEndpoint'), 'fuzz-reads');
    const engine = makeCaseEngine(AUTHORITY);
    const {
      handler: events,
      store,
      directory,
    } = eventsHandlerOn(fresh, { engine, now: new Date('2026-03-02T12:00:00Z'), people: true });
    const read = makeReadHandler({
      store,
      reminders: {
        calendar: engine.calendar,
        directory,
        fallback: fallbackPerson(AUTHORITY.fallbackContact as { email: string }),
      },
      unrouted: new DynamoUnroutedStore(fresh.client, fresh.tableName),
    });
    const statuses = new Map<number, number>();
    const count = (status: number) => statuses.set(status, (statuses.get(status) ?? 0) + 1);
    let run = 0;
    let id = 0;
    // Act
    await fc.assert(
      fc.asyncProperty(
        fc.integer().chain(() => {
          run++;
          const caseIds = [1, 2, 3].map((i) => `C-F${run}-${i}`);
          return fc.tuple(
            fc.constant(caseIds),
            fc.array(validEvent(caseIds), { minLength: 40, maxLength: 40 }),
          );
        }),
        async ([caseIds, batch]) => {
          for (const event of batch) {
            const body = JSON.stringify({ id: `fz-${++id}`, ...event });
            const answer = await events(postEvent(body));
            count(answer.statusCode);
            expect(answer.statusCode, body).toBeLessThan(500);
            expectJsonHeaders(answer);
          }
          const paths: [string, string, Record<string, string>?][] = caseIds.flatMap((caseId) =>
            ['', '/deadlines', '/audit', '/reminders'].map(
              (tail): [string, string, Record<string, string>] => [
                `GET /v1/cases/{caseId}${tail}`,
                `/v1/cases/${caseId}${tail}`,
                { caseId },
              ],
            ),
          );
          for (const status of ['open', 'met', 'breached', 'cancelled'])
            paths.push(['GET /v1/deadlines', `/v1/deadlines?status=${status}`]);
          paths.push(['GET /v1/reminders/unrouted', '/v1/reminders/unrouted']);
          for (const [routeKey, path, pathParameters] of paths) {
            const query = Object.fromEntries(new URL(path, 'http://x').searchParams);
            const result = await read(
              apiEvent(routeKey, path, {
                ...(pathParameters === undefined ? {} : { pathParameters }),
                queryStringParameters: query,
              }),
            );
            // Assess
            expect(result.statusCode, `${path}: ${result.body}`).toBeLessThan(500);
            expect([200, 404]).toContain(result.statusCode);
            expectJsonHeaders(result);
          }
        },
      ),
      { numRuns: 8 },
    );
    // Assess: the fuzz reached both outcomes (accepted, and refused for the calendar's years).
    expect(statuses.get(202) ?? 0).toBeGreaterThan(100);
    expect(statuses.get(422) ?? 0).toBeGreaterThan(0);
  }, 180_000); // ~20 s alone on DynamoDB Local; a loaded 2-core machine takes several times that
});
