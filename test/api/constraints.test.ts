/**
 * The rules the server holds events and queries to beyond each field's type — instants in the
 * calendar's years, `from` before `to`, the rota's 92-day window, a `case.updated` that
 * changes something, an initial conference's enquiry, nobody delegating to themselves — are
 * stated in `schemas/openapi.json` (JSON Schema where it can say them, `x-` extensions where
 * it cannot), and the server refuses each breach naming the field. A small reader of just
 * those statements agrees with the server on fuzzed values either side of every edge.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { EventsHandler } from '#functions/ingest/handler.js';
import { EventEnvelope, yearsPattern } from '#schemas/events.js';
import { renderOpenApi } from '#schemas/openapi.js';
import { RotaQuery } from '#schemas/responses.js';
import { eventsHandlerOn } from './events-support.js';
import { bodyOf, freshTable, postEvent, snapshot } from './support.js';

type Schema = Record<string, unknown> & {
  properties?: Record<string, Schema>;
  oneOf?: Schema[];
  allOf?: { pattern: string }[];
  'x-instant-range'?: { minimum: string; exclusiveMaximum: string };
  'x-cross-field'?: CrossFieldDoc[];
};
interface CrossFieldDoc {
  field: string;
  rule: 'after' | 'not-equal' | 'at-most-days-after';
  other: string;
  days?: number;
  message: string;
}

const document = JSON.parse(renderOpenApi()) as {
  components: { schemas: { EventEnvelope: Schema } };
  paths: Record<string, Record<string, { parameters: { name: string; schema: Schema }[] }>>;
};
const eventSchema = (type: string) =>
  document.components.schemas.EventEnvelope.oneOf?.find(
    (o) => (o.properties?.type as { const?: string } | undefined)?.const === type,
  ) as Schema;
const dataOf = (type: string) => eventSchema(type).properties?.data as Schema;
const rotaTo = document.paths['/v1/rota']?.get?.parameters.find((p) => p.name === 'to')
  ?.schema as Schema;

/** What the document says of an instant: its written-year pattern and its range. */
function documentTakesInstant(schema: Schema, value: string): boolean {
  const range = schema['x-instant-range'];
  const at = Date.parse(value);
  return (
    (schema.allOf ?? []).every(({ pattern }) => new RegExp(pattern).test(value)) &&
    range !== undefined &&
    at >= Date.parse(range.minimum) &&
    at < Date.parse(range.exclusiveMaximum)
  );
}

/** What the document's `x-cross-field` rules say of an object. */
function documentTakesAcross(rules: CrossFieldDoc[], value: Record<string, string>): boolean {
  return rules.every((r) => {
    const [field, other] = [value[r.field] as string, value[r.other] as string];
    if (r.rule === 'not-equal') return field !== other;
    if (r.rule === 'after') return Date.parse(field) > Date.parse(other);
    return Date.parse(field) - Date.parse(other) <= (r.days as number) * 86_400_000;
  });
}

describe('schemas/openapi.json states each rule', () => {
  it('occurredAt, and every instant of an event: the calendar’s years', () => {
    for (const schema of [
      eventSchema('lado.concern-raised').properties?.occurredAt,
      dataOf('person.away').properties?.from,
      dataOf('rota.shift').properties?.to,
    ]) {
      expect(schema?.allOf).toEqual([
        { pattern: '^(?:201[2-9]|202\\d|203\\d|204\\d|205\\d|206\\d|207\\d|208\\d|209\\d|2100)-' },
      ]);
      expect(schema?.['x-instant-range']).toEqual({
        minimum: '2012-01-01T00:00:00Z',
        exclusiveMaximum: '2101-01-01T00:00:00Z',
      });
      expect(schema?.description).toContain('from 2012-01-01 to 2100-12-31');
    }
  });

  it('case.updated: at least one field', () => {
    expect(dataOf('case.updated').minProperties).toBe(1);
  });

  it('conference.held: an initial one names its enquiryId', () => {
    expect(dataOf('conference.held').if).toEqual({
      properties: { kind: { const: 'initial' } },
      required: ['kind'],
    });
    expect(dataOf('conference.held').then).toEqual({ required: ['enquiryId'] });
    expect(dataOf('conference.held').required).toEqual(['kind']);
  });

  it('person.away: from before to, and another person as delegate', () => {
    expect(dataOf('person.away')['x-cross-field']).toEqual([
      { field: 'to', rule: 'after', other: 'from', message: '"from" must be before "to"' },
      {
        field: 'delegateId',
        rule: 'not-equal',
        other: 'personId',
        message: 'a person cannot delegate to themselves',
      },
    ]);
  });

  it('rota.shift: from before to; GET /v1/rota: a window of at most 92 days', () => {
    expect(dataOf('rota.shift')['x-cross-field']?.map((r) => r.rule)).toEqual(['after']);
    expect(rotaTo['x-cross-field']).toEqual([
      { field: 'to', rule: 'after', other: 'from', message: '"from" must be before "to"' },
      {
        field: 'to',
        rule: 'at-most-days-after',
        other: 'from',
        days: 92,
        message: 'the window may be at most 92 days',
      },
    ]);
  });

  it.each([
    [2012, 2100, ['2012', '2019', '2020', '2099', '2100'], ['2011', '2101', '2200', '1012']],
    [2015, 2015, ['2015'], ['2014', '2016']],
    [1998, 2003, ['1998', '1999', '2000', '2003'], ['1997', '2004']],
  ])('a years pattern from %i to %i takes exactly those years', (first, last, take, refuse) => {
    const pattern = new RegExp(yearsPattern(first, last));
    for (const year of take) expect(pattern.test(`${year}-06-01T00:00:00Z`), year).toBe(true);
    for (const year of refuse) expect(pattern.test(`${year}-06-01T00:00:00Z`), year).toBe(false);
  });
});

let table: Awaited<ReturnType<typeof freshTable>>;
let handler: EventsHandler;

beforeAll(async () => {
  table = await freshTable(inject('dynamoEndpoint'), 'constraints');
  ({ handler } = eventsHandlerOn(table, { now: new Date('2026-03-02T12:00:00Z') }));
});

const onCase = (type: string, data: unknown, occurredAt = '2026-03-02T10:00:00Z') => ({
  id: `c-${type}`,
  type,
  occurredAt,
  caseId: 'C-7001',
  data,
});
const away = (data: Record<string, string>) => ({
  id: 'c-away',
  type: 'person.away',
  occurredAt: '2026-03-01T09:00:00Z',
  data: {
    personId: 'P-0001',
    from: '2026-03-02T09:00:00Z',
    to: '2026-03-06T17:00:00Z',
    delegateId: 'P-0002',
    ...data,
  },
});
const shift = (data: Record<string, string>) => ({
  id: 'c-shift',
  type: 'rota.shift',
  occurredAt: '2026-03-01T09:00:00Z',
  data: { personId: 'P-0005', from: '2026-03-02T17:00:00Z', to: '2026-03-03T09:00:00Z', ...data },
});

describe('the server refuses each breach, naming the field', () => {
  it.each([
    ['a case.updated that changes nothing', 400, 'data', onCase('case.updated', {})],
    [
      'an initial conference without its enquiry',
      400,
      'data.enquiryId',
      onCase('conference.held', { kind: 'initial' }),
    ],
    ['a person delegating to themselves', 400, 'data.delegateId', away({ delegateId: 'P-0001' })],
    ['an away period ending as it starts', 400, 'data.to', away({ to: '2026-03-02T09:00:00Z' })],
    ['a shift ending before it starts', 400, 'data.to', shift({ to: '2026-03-02T16:59:59Z' })],
    // 00:30 on 1 January 2012 in the UK, but written as 23:30 the day before, an hour west.
    [
      'occurredAt written in 2011',
      422,
      'occurredAt',
      onCase('case.closed', {}, '2011-12-31T23:30:00-01:00'),
    ],
    // Written in 2012, but 23:30 on 31 December 2011 in the UK.
    [
      'occurredAt on a UK date in 2011',
      422,
      'occurredAt',
      onCase('case.closed', {}, '2012-01-01T00:30:00+01:00'),
    ],
    [
      'a shift ending in 2101',
      422,
      'data.to',
      shift({ from: '2100-12-31T17:00:00Z', to: '2101-01-01T09:00:00Z' }),
    ],
  ])('%s: %i naming %s, nothing stored', async (_name, status, field, event) => {
    // Prepare
    const before = await snapshot(table.client, table.tableName);
    // Act
    const answer = await handler(postEvent(JSON.stringify(event)));
    // Assess
    expect(answer.statusCode, answer.body).toBe(status);
    expect(bodyOf<{ errors: { field: string }[] }>(answer).errors.map((e) => e.field)).toEqual([
      field,
    ]);
    expect(await snapshot(table.client, table.tableName)).toBe(before);
  });

  it.each([
    [
      'an initial conference with its enquiry',
      onCase('conference.held', { kind: 'initial', enquiryId: 'E-1' }),
    ],
    ['a review conference without one', onCase('conference.held', { kind: 'review' })],
    ['a case.updated changing one fact', onCase('case.updated', { riskLevel: 'high' })],
    ['occurredAt at the first instant', onCase('case.closed', {}, '2012-01-01T00:00:00Z')],
    ['occurredAt at the last', onCase('case.closed', {}, '2100-12-31T23:59:59.999Z')],
  ])('takes %s', (_name, event) => {
    expect(EventEnvelope.safeParse(event).success).toBe(true);
  });
});

/** Instants near the calendar's edges, with offsets that move them across midnight. */
const edgeInstant = fc
  .tuple(
    fc.constantFrom(
      '2011-12-31',
      '2012-01-01',
      '2012-01-02',
      '2100-12-30',
      '2100-12-31',
      '2101-01-01',
    ),
    fc.integer({ min: 0, max: 23 }),
    fc.integer({ min: 0, max: 59 }),
    fc.constantFrom('Z', '+00:00', '+01:00', '+05:30', '+14:00', '-01:00', '-12:00'),
  )
  .map(
    ([day, h, m, offset]) =>
      `${day}T${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:00${offset}`,
  );
const instant = fc.oneof(
  edgeInstant,
  fc
    .date({ min: new Date('2011-06-01T00:00:00Z'), max: new Date('2101-06-01T00:00:00Z') })
    .filter((d) => !Number.isNaN(d.getTime()))
    .map((d) => d.toISOString()),
);

describe('the document and the server agree', () => {
  it('on occurredAt, either side of the calendar’s edges', () => {
    const schema = eventSchema('case.closed').properties?.occurredAt as Schema;
    fc.assert(
      fc.property(instant, (occurredAt) => {
        const server = EventEnvelope.safeParse(onCase('case.closed', {}, occurredAt)).success;
        expect(server, occurredAt).toBe(documentTakesInstant(schema, occurredAt));
      }),
      { numRuns: 1000 },
    );
  });

  it('on an away period’s from, to and delegate', () => {
    const rules = dataOf('person.away')['x-cross-field'] as CrossFieldDoc[];
    const sample = fc.record({
      from: fc.constantFrom('2026-03-02T09:00:00Z', '2026-03-02T10:00:00+01:00'),
      to: fc.constantFrom('2026-03-02T09:00:00Z', '2026-03-02T09:00:01Z', '2026-03-01T09:00:00Z'),
      delegateId: fc.constantFrom('P-0001', 'P-0002'),
    });
    fc.assert(
      fc.property(sample, (data) => {
        const server = EventEnvelope.safeParse(away(data)).success;
        expect(server).toBe(documentTakesAcross(rules, { personId: 'P-0001', ...data }));
      }),
    );
  });

  it('on the rota’s window', () => {
    const rules = rotaTo['x-cross-field'] as CrossFieldDoc[];
    const window = fc
      .tuple(
        fc.date({ min: new Date('2026-01-01'), max: new Date('2027-01-01') }),
        fc.integer({ min: -3, max: 95 * 24 }),
      )
      .filter(([from]) => !Number.isNaN(from.getTime()))
      .map(([from, hours]) => ({
        from: from.toISOString(),
        to: new Date(from.getTime() + hours * 3_600_000).toISOString(),
      }));
    fc.assert(
      fc.property(window, (query) => {
        expect(RotaQuery.safeParse(query).success).toBe(documentTakesAcross(rules, query));
      }),
      { numRuns: 500 },
    );
  });

  it('on what a case.updated and a conference.held need', () => {
    const updated = dataOf('case.updated');
    const conference = dataOf('conference.held') as Schema & {
      if: { properties: { kind: { const: string } } };
      then: { required: string[] };
    };
    const facts = fc.record(
      {
        team: fc.constant('north'),
        riskLevel: fc.constant('high'),
        jointWithMentalHealth: fc.boolean(),
      },
      { requiredKeys: [] },
    );
    const held = fc.record(
      { kind: fc.constantFrom('initial', 'review'), enquiryId: fc.constant('E-1') },
      { requiredKeys: ['kind'] },
    );
    fc.assert(
      fc.property(facts, held, (f, h) => {
        expect(EventEnvelope.safeParse(onCase('case.updated', f)).success).toBe(
          Object.keys(f).length >= (updated.minProperties as number),
        );
        const needs =
          h.kind === conference.if.properties.kind.const ? conference.then.required : [];
        expect(EventEnvelope.safeParse(onCase('conference.held', h)).success).toBe(
          needs.every((name) => name in h),
        );
      }),
    );
  });
});
