/**
 * Hostile query strings through the local HTTP server (the real handlers behind node:http):
 * GET /v1/deadlines and GET /v1/reminders/unrouted with impossible dates, forged cursors and
 * unknown parameters. Only 4xx problem+json refusals or a read's 200, never a 5xx, and the
 * table byte for byte as it was.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DeadlineList, UnroutedList } from '#schemas/responses.js';
import {
  CASE_TO_READ,
  expectJsonHeaders,
  expectProblem,
  hostileSuite,
  pct,
  raw,
} from './support.js';

const hostile = hostileSuite('hostile-queries', CASE_TO_READ, { unchanged: true });

const NASTY_INSTANTS = [
  '2026-02-30T10:00:00Z',
  '2026-02-29T10:00:00Z',
  '2026-04-31T10:00:00Z',
  '2026-03-29T01:30:00', // the skipped local hour, without an offset
  '2026-03-29T01:30:00Europe/London',
  '2026-13-01T00:00:00Z',
  '2026-01-01T24:00:00Z',
  '2026-01-01T23:60:00Z',
  '2026-06-30T23:59:60Z',
  '0000-01-01T00:00:00Z',
  '0001-01-01T00:00:00Z',
  '9999-12-31T23:59:59.999Z',
  '+275760-09-13T00:00:00Z',
  '-000001-01-01T00:00:00Z',
  '2026-03-02T10:00:00+25:00',
  '2026-03-02',
  '1772445600',
  '',
];

/** A cursor made by an attacker: the right shape, any key values. */
const forgedCursor = fc
  .record({
    pk: fc.oneof(fc.constant(''), fc.string(), fc.constant('CASE#C-1001')),
    sk: fc.oneof(fc.constant(''), fc.string(), fc.constant('DEADLINE#x')),
    gsi1pk: fc.constantFrom('DEADLINES#open', 'DEADLINES#met', 'DEADLINES#open ', ''),
    gsi1sk: fc.oneof(
      fc.constant(''),
      fc.string(),
      fc.constant('2026-03-03T11:00:00.000Z#C-1001#x'),
    ),
  })
  .map((key) => Buffer.from(JSON.stringify(key)).toString('base64url'));

const queryValue = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(...NASTY_INSTANTS),
  fc.constantFrom('open', 'met', 'breached', 'cancelled', 'OPEN', 'open,met', 'north-assessment'),
  fc.constantFrom(
    '-1',
    '0',
    '1',
    '500',
    '501',
    '1e2',
    '1.5',
    'NaN',
    'Infinity',
    '0x10',
    ' 5',
    '99999999999999999999',
  ),
  forgedCursor,
  fc.string({ maxLength: 3000 }),
);

const queryKey = fc.constantFrom(
  'status',
  'dueBefore',
  'team',
  'limit',
  'cursor',
  'Status',
  'x',
  '__proto__',
  'constructor',
  'status[]',
  '',
);

const query = fc
  .array(fc.tuple(queryKey, queryValue), { maxLength: 5 })
  .map((pairs) => pairs.map(([k, v]) => `${pct(k)}=${pct(v)}`).join('&'));

describe('GET /v1/deadlines: fuzzed query strings', () => {
  it('answers 200 fuzzed queries with a deadline list or a 400 problem naming the parameter', async () => {
    await fc.assert(
      fc.asyncProperty(query, async (q) => {
        // Act
        const response = await raw(hostile.server, 'GET', `/v1/deadlines?${q}`);
        // Assess
        expect(response.status, q).toBeLessThan(500);
        if (response.status === 200) {
          expectJsonHeaders(response);
          expect(DeadlineList.safeParse(JSON.parse(response.body)).success).toBe(true);
          return;
        }
        expect(response.status).toBe(400);
        const problem = expectProblem(response);
        expect(problem?.errors?.length ?? 0).toBeGreaterThan(0);
      }),
      { numRuns: 200 },
    );
  });

  it.each(NASTY_INSTANTS.filter((t) => !/^(0000|0001|9999)-/.test(t)))(
    'refuses dueBefore=%s with 400 naming dueBefore',
    async (instant) => {
      // Act
      const response = await raw(hostile.server, 'GET', `/v1/deadlines?dueBefore=${pct(instant)}`);
      // Assess
      expect(response.status).toBe(400);
      expect(expectProblem(response)?.errors?.map((e) => e.field)).toContain('dueBefore');
    },
  );

  it('refuses a forged cursor, and a real cursor replayed on another status, with 400 naming cursor', async () => {
    // Prepare
    const page = JSON.parse((await raw(hostile.server, 'GET', '/v1/deadlines?limit=1')).body) as {
      nextCursor?: string;
    };
    expect(page.nextCursor).toBeDefined();
    const forged = [
      Buffer.from(
        JSON.stringify({ pk: '', sk: '', gsi1pk: 'DEADLINES#open', gsi1sk: '' }),
      ).toString('base64url'),
      Buffer.from(
        JSON.stringify({ pk: 'x', sk: 'y', gsi1pk: 'DEADLINES#open', gsi1sk: '' }),
      ).toString('base64url'),
      'bm90IGpzb24',
    ];
    // Act
    const answers = await Promise.all([
      ...forged.map((c) => raw(hostile.server, 'GET', `/v1/deadlines?cursor=${pct(c)}`)),
      raw(hostile.server, 'GET', `/v1/deadlines?status=met&cursor=${pct(page.nextCursor ?? '')}`),
      // A real cursor, replayed with a dueBefore its position lies beyond.
      raw(
        hostile.server,
        'GET',
        `/v1/deadlines?dueBefore=2000-01-01T00:00:00Z&cursor=${pct(page.nextCursor ?? '')}`,
      ),
    ]);
    // Assess
    for (const response of answers) {
      expect(response.status, response.body).toBe(400);
      expect(expectProblem(response)?.errors?.map((e) => e.field)).toContain('cursor');
    }
  });
});

describe('GET /v1/deadlines: fuzzed cursors', () => {
  it('answers 120 forged cursors with a list or a 400 naming cursor, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        forgedCursor,
        fc.option(
          fc.constantFrom('2000-01-01T00:00:00Z', '2026-03-03T00:00:00Z', '9999-01-01T00:00:00Z'),
        ),
        async (cursor, dueBefore) => {
          // Act
          const response = await raw(
            hostile.server,
            'GET',
            `/v1/deadlines?cursor=${pct(cursor)}${dueBefore === null ? '' : `&dueBefore=${pct(dueBefore)}`}`,
          );
          // Assess
          expect(response.status, cursor).toBeLessThan(500);
          if (response.status !== 200)
            expect(expectProblem(response)?.errors?.map((e) => e.field)).toContain('cursor');
        },
      ),
      { numRuns: 120 },
    );
  });
});

describe('GET /v1/reminders/unrouted: fuzzed query strings and cursors', () => {
  const unroutedKey = fc.constantFrom('since', 'team', 'limit', 'cursor', 'Since', 'x', '');
  const unroutedCursor = fc
    .record({
      pk: fc.oneof(fc.constant(''), fc.string(), fc.constantFrom('UNROUTED#north', 'UNROUTED#')),
      sk: fc.oneof(fc.constant(''), fc.string(), fc.constant('2026-05-28T01:00:00.000Z#C-1#x')),
      gsi1pk: fc.constantFrom('UNROUTED', 'UNROUTED ', ''),
      gsi1sk: fc.oneof(fc.constant(''), fc.string()),
    })
    .chain((key) =>
      fc.constantFrom(key, { pk: key.pk, sk: key.sk }, { ...key, extra: 1 }, [key.pk]),
    )
    .map((key) => Buffer.from(JSON.stringify(key)).toString('base64url'));
  const unroutedQuery = fc
    .array(fc.tuple(unroutedKey, fc.oneof(queryValue, unroutedCursor)), { maxLength: 4 })
    .map((pairs) => pairs.map(([k, v]) => `${pct(k)}=${pct(v)}`).join('&'));

  it('answers 200 fuzzed queries with an unrouted list or a 400 problem, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(unroutedQuery, async (q) => {
        // Act
        const response = await raw(hostile.server, 'GET', `/v1/reminders/unrouted?${q}`);
        // Assess
        expect(response.status, q).toBeLessThan(500);
        if (response.status === 200) {
          expect(UnroutedList.safeParse(JSON.parse(response.body)).success).toBe(true);
          return;
        }
        expect(response.status).toBe(400);
        expect(expectProblem(response)?.errors?.length ?? 0).toBeGreaterThan(0);
      }),
      { numRuns: 200 },
    );
  });
});
