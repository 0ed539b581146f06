/**
 * Hostile input on POST /v1/events through the local HTTP server, correctly signed so it
 * reaches validation: every field of every event type replaced by unicode edge cases (lone
 * surrogates, RTL overrides, NUL), impossible and far-off instants. Invalid → 4xx problem naming the field and no change to the
 * table; valid but extreme → accepted or refused, never a 5xx. (Wrong content types, oversize
 * and deeply nested bodies are in events-transport.test.ts.)
 * (test/api/fuzz.test.ts covers random and near-miss bodies through the handler.)
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventEnvelope } from '#schemas/events.js';
import { envelope } from '#test/api/support.js';
import { CASE_TO_MEET, expectProblem, hostileSuite } from './support.js';

const hostile = hostileSuite('hostile-events', CASE_TO_MEET);
/** Signed over the bytes sent, as a sender signs them. */
const { post } = hostile;

/** Numbers the ids of the events the tests make up. */
let n = 0;

const TEMPLATES: Record<string, unknown>[] = [
  envelope.caseOpened('t-open', 'C-1101'),
  { ...envelope.caseOpened('t-upd', 'C-1001'), type: 'case.updated', data: { riskLevel: 'high' } },
  envelope.closed('t-close', 'C-1102'),
  envelope.concern('t-concern', 'C-1001'),
  { ...envelope.concern('t-notified', 'C-1001'), type: 'lado.notified' },
  envelope.disagreement('t-dis', 'C-1001'),
  { ...envelope.disagreement('t-res', 'C-1001'), type: 'disagreement.resolved' },
  { ...envelope.closed('t-sup', 'C-1001'), type: 'supervision.held', data: { kind: 'joint' } },
  {
    ...envelope.closed('t-cow', 'C-1001'),
    type: 'coworking.started',
    data: { reviewEveryWeeks: 4 },
  },
  {
    ...envelope.closed('t-bb', 'C-1001'),
    type: 'building-bridges.started',
    data: { personId: 'P-0006' },
  },
  {
    id: 't-person',
    type: 'person.upserted',
    occurredAt: '2026-03-01T09:00:00Z',
    data: {
      personId: 'P-0002',
      name: 'Manager One',
      email: 'manager.one@example.gov.uk',
      phone: '+447700900123',
      team: 'north',
      managerId: 'P-0003',
    },
  },
  {
    id: 't-away',
    type: 'person.away',
    occurredAt: '2026-03-01T09:00:00Z',
    data: {
      personId: 'P-0002',
      from: '2026-03-02T09:00:00Z',
      to: '2026-03-06T17:00:00Z',
      delegateId: 'P-0007',
    },
  },
  {
    id: 't-shift',
    type: 'rota.shift',
    occurredAt: '2026-03-01T09:00:00Z',
    data: { personId: 'P-0005', from: '2026-03-02T17:00:00Z', to: '2026-03-03T09:00:00Z' },
  },
];

/** Every leaf path of a template: `["data","allegationId"]`. */
function leaves(value: unknown, prefix: string[] = []): string[][] {
  if (value !== null && typeof value === 'object' && !Array.isArray(value))
    return Object.entries(value).flatMap(([k, v]) => leaves(v, [...prefix, k]));
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, [...prefix, String(i)]));
  return [prefix];
}

function withValue(template: unknown, path: string[], value: unknown): unknown {
  const copy = structuredClone(template) as Record<string, unknown>;
  let cursor: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) cursor = cursor[key] as Record<string, unknown>;
  cursor[path.at(-1) as string] = value;
  return copy;
}

const UNICODE_EDGES = [
  '\ud800', // lone high surrogate
  '\udfff', // lone low surrogate
  'C-1001\ud800',
  '\u202eC-1001', // right-to-left override
  '\u200f\u05d0\u05d1', // RLM + Hebrew
  'C-1001\u0000',
  '\u0000',
  '\ufeffC-1001', // BOM
  'C\u200b-1001', // zero-width space
  'Ｃ-１００１', // full-width look-alike
  '👩‍👩‍👧‍👦',
  'e\u0301',
  ' ',
  '',
  'x'.repeat(10_000),
  'manager.one@example.gov.uk\u0000',
  '+447700900123\u202e',
  '../../etc/passwd',
  `$\{jndi:ldap://x}`, // a log4shell probe
  '<script>alert(1)</script>',
];

const INSTANT_EDGES = [
  '2026-02-30T10:00:00Z',
  '2026-02-29T10:00:00Z',
  '2025-02-29T10:00:00Z',
  '2026-04-31T10:00:00Z',
  '2026-03-29T01:30:00', // the skipped local hour, no offset
  '2026-10-25T01:30:00', // the repeated local hour, no offset
  '2026-03-29T01:30:00 Europe/London',
  '2026-01-01T24:00:00Z',
  '2026-06-30T23:59:60Z',
  '2026-13-01T00:00:00Z',
  '+275760-09-13T00:00:00Z',
  '-000001-01-01T00:00:00Z',
  '2026-03-02T10:00:00+24:00',
  '2026-03-02',
  '1772445600',
];

const hostileValue = fc.oneof(
  fc.constantFrom<unknown>(...UNICODE_EDGES, ...INSTANT_EDGES),
  fc.constantFrom<unknown>(null, true, 0, -1, 1e308, [], {}, ['C-1001'], { $ne: null }),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

describe('POST /v1/events: a hostile value in any field, signed', () => {
  it('refuses 150 invalid events with a 4xx problem naming the field, and changes nothing', async () => {
    // Prepare
    const before = await hostile.snapshot();
    const broken = fc
      .constantFrom(...TEMPLATES)
      .chain((t) => fc.tuple(fc.constant(t), fc.constantFrom(...leaves(t)), hostileValue))
      .map(([t, path, value]) => ({ event: withValue(t, path, value), field: path.join('.') }))
      .filter(({ event }) => !EventEnvelope.safeParse(event).success);
    // Act
    await fc.assert(
      fc.asyncProperty(broken, async ({ event, field }) => {
        const response = await post(JSON.stringify(event));
        // Assess
        const problem = expectProblem(response, 'POST');
        expect(response.status).toBe(400);
        const fields = problem?.errors?.map((e) => e.field) ?? [];
        // The broken field, or (for a refinement across fields) its sibling in `data`.
        expect(
          fields.some((f) => f === field || (f.startsWith('data.') && field.startsWith('data.'))),
          `${field} not in ${JSON.stringify(fields)}`,
        ).toBe(true);
      }),
      { numRuns: 150 },
    );
    // Assess
    expect(await hostile.snapshot()).toBe(before);
  });

  it.each(INSTANT_EDGES)('refuses occurredAt %s with 400 naming occurredAt', async (instant) => {
    // Prepare
    const before = await hostile.snapshot();
    // Act
    const response = await post(
      JSON.stringify({ ...envelope.concern('t-instant', 'C-1001'), occurredAt: instant }),
    );
    // Assess
    expect(response.status).toBe(400);
    expect(expectProblem(response, 'POST')?.errors?.map((e) => e.field)).toContain('occurredAt');
    expect(await hostile.snapshot()).toBe(before);
  });
});

describe('POST /v1/events: valid but extreme', () => {
  const FAR = [
    '0001-01-01T00:00:00Z',
    '1900-01-01T00:00:00Z',
    '1970-01-01T00:00:00Z',
    '2099-12-31T23:59:59Z',
    '2200-06-01T12:00:00+14:00',
    '9999-12-31T23:59:59.999Z',
    '2026-03-29T01:30:00+00:00', // 02:30 BST: the skipped hour, but with an offset it is real
    '2026-10-25T01:30:00+01:00',
  ];

  it.each(FAR)('takes or refuses (4xx) every event type at %s, never a 5xx', async (instant) => {
    for (const template of TEMPLATES) {
      // Prepare: every instant in the event moved to the extreme (to one hour later).
      const later = new Date(Date.parse(instant) + 3_600_000);
      const event = JSON.parse(
        JSON.stringify(template)
          .replace(/"occurredAt":"[^"]+"/, `"occurredAt":"${instant}"`)
          .replace(/"from":"[^"]+"/, `"from":"${instant}"`)
          .replace(
            /"to":"[^"]+"/,
            `"to":"${Number.isNaN(later.getTime()) ? instant : later.toISOString()}"`,
          ),
      ) as Record<string, unknown>;
      event.id = `far-${instant}-${String(template.type)}`
        .replace(/[^A-Za-z0-9._:-]/g, '_')
        .slice(0, 64);
      // Act
      const response = await post(JSON.stringify(event));
      // Assess
      expect(response.status, `${String(template.type)} ${instant}: ${response.body}`).toBeLessThan(
        500,
      );
      if (response.status !== 202) expectProblem(response, 'POST');
    }
  });

  it('takes hostile unicode where a free-text field allows it (a person’s name), never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.constantFrom(...UNICODE_EDGES.filter((s) => s.length > 0 && s.length <= 200)),
          fc.string({ unit: 'binary', minLength: 1, maxLength: 200 }),
        ),
        async (name) => {
          // Act
          const response = await post(
            JSON.stringify({
              id: `uni-${++n}`,
              type: 'person.upserted',
              occurredAt: '2026-03-01T09:00:00Z',
              data: { personId: `P-9${n}`, name, email: 'manager.one@example.gov.uk' },
            }),
          );
          // Assess
          expect(response.status, response.body).toBeLessThan(500);
          if (response.status !== 202) expectProblem(response, 'POST');
        },
      ),
      { numRuns: 60 },
    );
  });
});
