/**
 * Hostile input on every route, through the local HTTP server (the real handlers behind
 * node:http): fuzzed methods and paths (encoded, unicode, traversal-like segments), query
 * strings for GET /v1/deadlines (impossible dates, forged cursors, unknown parameters) and
 * headers. Only 4xx problem+json refusals (or a read's 200), never a 5xx, and the table
 * byte for byte as it was.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalServer } from '#functions/local/server.js';
import { signWebhook } from '#platform/webhook.js';
import { AuditList, CaseView, DeadlineList, UnroutedList } from '#schemas/responses.js';
import { routeEntries } from '#schemas/routes.js';
import { webRouteEntries } from '#schemas/web.js';
import { envelope, snapshot, TEST_SECRET } from '#test/api/support.js';
import { expectJsonHeaders, expectProblem, hostileServer, raw } from './support.js';

let server: LocalServer;
let table: Awaited<ReturnType<typeof hostileServer>>['table'];
let before: string;

beforeAll(async () => {
  ({ server, table } = await hostileServer('hostile-routes'));
  // Something to read: a case with deadlines, so reads have real data to trip over.
  for (const event of [
    envelope.caseOpened('hr-1', 'C-1001'),
    envelope.concern('hr-2', 'C-1001'),
    envelope.disagreement('hr-3', 'C-1001'),
  ]) {
    const body = JSON.stringify(event);
    const answer = await raw(
      server,
      'POST',
      '/v1/events',
      { 'content-type': 'application/json', ...signWebhook(TEST_SECRET, body) },
      body,
    );
    expect(answer.status).toBe(202);
  }
  before = await snapshot(table.client, table.tableName);
});

afterAll(async () => {
  expect(await snapshot(table.client, table.tableName)).toBe(before);
  await server.close();
});

/** Percent-encodes every byte outside the unreserved set (lone surrogates become U+FFFD). */
const pct = (text: string) =>
  [...Buffer.from(text, 'utf8')]
    .map((b) =>
      /[A-Za-z0-9\-._~]/.test(String.fromCharCode(b))
        ? String.fromCharCode(b)
        : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');

const HOSTILE_SEGMENTS = [
  '..',
  '.',
  '%2e%2e',
  '%2E%2E%2F%2E%2E%2Fetc%2Fpasswd',
  '..%2F..%2Fv1%2Fevents',
  '..%5C..%5C',
  '%00',
  'C-1001%00',
  'C-1001%0D%0AX-Injected:%201',
  '%ED%A0%80', // a lone surrogate as (invalid) UTF-8
  '%E2%80%AE1001-C', // right-to-left override
  '%D8%A7%D9%84%D8%B9', // Arabic
  '%C0%AE%C0%AE', // overlong UTF-8 dots
  '%EF%BB%BFC-1001', // BOM
  '%',
  '%zz',
  '%25',
  'CASE%23C-1001',
  'C-1001%23x',
  'C-1001;v=1',
  '*',
  '~',
  'C-1001%20',
  'a'.repeat(70),
  'a'.repeat(5000),
  '__proto__',
  'constructor',
];

const segment = fc.oneof(
  fc.constantFrom(...HOSTILE_SEGMENTS),
  fc.string({ unit: 'binary', maxLength: 30 }).map(pct),
  fc.string({ unit: 'grapheme', maxLength: 20 }).map(pct),
);

const path = fc.oneof(
  segment.map((s) => `/v1/cases/${s}`),
  segment.map((s) => `/v1/cases/${s}/deadlines`),
  segment.map((s) => `/v1/cases/${s}/audit`),
  fc.tuple(segment, segment).map(([a, b]) => `/v1/cases/${a}/${b}`),
  segment.map((s) => `/v1/${s}`),
  segment.map((s) => `/${s}`),
  segment.map((s) => `/v1/deadlines/${s}`),
  segment.map((s) => `/v1/events/${s}`),
  fc.constantFrom(
    '/',
    '//v1/deadlines',
    '/v1//cases/C-1001',
    '/v1/cases/C-1001/../../events',
    '/v1/cases/C-1001/%2e%2e/%2e%2e/events',
    '/V1/DEADLINES',
    '/v1/cases/',
    '/v1/cases',
    '/v1/events/',
  ),
);

const method = fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD');

/** A value for each path parameter of the route tables. */
const SAMPLE: Record<string, string> = {
  caseId: 'C-1001',
  personId: 'P-0001',
  alertId: 'AAAAAAAA',
  token: 'not-a-token',
  file: 'app.css',
};

describe('every route: fuzzed methods and paths', () => {
  it('answers 200 fuzzed requests with a problem, or a well-formed read, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(method, path, async (m, p) => {
        // Act
        const response = await raw(
          server,
          m,
          p,
          { 'content-type': 'application/json' },
          m === 'GET' || m === 'HEAD' ? undefined : '{}',
        );
        // Assess
        expect(response.status, `${m} ${p}`).toBeLessThan(500);
        if (response.status === 200) {
          expect(m).toBe('GET');
          expectJsonHeaders(response);
          const data = JSON.parse(response.body) as unknown;
          expect(
            CaseView.safeParse(data).success ||
              DeadlineList.safeParse(data).success ||
              AuditList.safeParse(data).success,
          ).toBe(true);
          return;
        }
        expectProblem(response, m);
      }),
      { numRuns: 200 },
    );
  });

  it('answers every method a path does not take 405, naming in Allow the ones it does', async () => {
    // Prepare: each path of the API and the pages, its parameters filled in, with the methods
    // it takes; and every method node:http parses (CONNECT aside: it opens a tunnel).
    const taken = new Map<string, Set<string>>();
    for (const [, route] of [...routeEntries(), ...webRouteEntries()]) {
      const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => SAMPLE[name] ?? 'x');
      taken.set(path, (taken.get(path) ?? new Set()).add(route.method));
    }
    const methods = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'TRACE'];
    methods.push('PROPFIND', 'MKCOL', 'COPY', 'MOVE', 'LOCK', 'UNLOCK', 'SEARCH', 'PURGE');
    let refused = 0;
    for (const [path, allowed] of taken) {
      for (const method of methods.filter((m) => !allowed.has(m))) {
        // Act
        const response = await raw(server, method, path, {}, method === 'HEAD' ? undefined : '');
        // Assess
        expect(response.status, `${method} ${path}`).toBe(405);
        expect(response.headers.allow, `${method} ${path}`).toBe([...allowed].sort().join(', '));
        expectProblem(response, method);
        refused++;
      }
    }
    // Every path of the API and the pages, each refusing most methods.
    expect(taken.size).toBeGreaterThanOrEqual(22);
    expect(refused).toBeGreaterThan(300);
  });

  it('never reads through a traversal or an encoded separator into another record', async () => {
    // Prepare: paths that would name C-1001 if decoded twice or normalised.
    const paths = [
      '/v1/cases/C-1001%2Fdeadlines',
      '/v1/cases/x%2F..%2FC-1001',
      '/v1/cases/C-1001%2F..%2F..%2Fevents',
      '/v1/cases/%2543-1001',
    ];
    for (const p of paths) {
      // Act
      const response = await raw(server, 'GET', p);
      // Assess: refused, and no case data in the answer.
      const problem = expectProblem(response);
      expect(response.body).not.toContain('north-assessment');
      expect(problem?.status === 400 || problem?.status === 404).toBe(true);
    }
  });
});

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
        const response = await raw(server, 'GET', `/v1/deadlines?${q}`);
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
      const response = await raw(server, 'GET', `/v1/deadlines?dueBefore=${pct(instant)}`);
      // Assess
      expect(response.status).toBe(400);
      expect(expectProblem(response)?.errors?.map((e) => e.field)).toContain('dueBefore');
    },
  );

  it('refuses a forged cursor, and a real cursor replayed on another status, with 400 naming cursor', async () => {
    // Prepare
    const page = JSON.parse((await raw(server, 'GET', '/v1/deadlines?limit=1')).body) as {
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
      ...forged.map((c) => raw(server, 'GET', `/v1/deadlines?cursor=${pct(c)}`)),
      raw(server, 'GET', `/v1/deadlines?status=met&cursor=${pct(page.nextCursor ?? '')}`),
      // A real cursor, replayed with a dueBefore its position lies beyond.
      raw(
        server,
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
            server,
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

describe('reads: hostile headers', () => {
  it('answers reads with odd headers normally, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(
          fc.constantFrom(
            'accept',
            'content-type',
            'x-forwarded-for',
            'authorization',
            'cookie',
            'x-amz-date',
            'accept-encoding',
            'if-none-match',
            'range',
          ),
          fc
            .string({ unit: 'grapheme-ascii', maxLength: 200 })
            .map((s) => s.replace(/[\r\n]/g, '')),
        ),
        fc.constantFrom(
          '/v1/cases/C-1001',
          '/v1/cases/C-1001/deadlines',
          '/v1/cases/C-1001/audit',
          '/v1/deadlines',
        ),
        async (headers, p) => {
          // Act
          const response = await raw(server, 'GET', p, headers);
          // Assess
          expect(response.status).toBe(200);
        },
      ),
      { numRuns: 60 },
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
        const response = await raw(server, 'GET', `/v1/reminders/unrouted?${q}`);
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
