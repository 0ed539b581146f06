/**
 * Hostile input on every route, through the local HTTP server (the real handlers behind
 * node:http): fuzzed methods and paths (encoded, unicode, traversal-like segments) and headers
 * (query strings are in routes-queries.test.ts). Only 4xx problem+json refusals (or a read's
 * 200), never a 5xx, and the table byte for byte as it was.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AuditList, CaseView, DeadlineList } from '#schemas/responses.js';
import { routeEntries } from '#schemas/routes.js';
import { webRouteEntries } from '#schemas/web.js';
import {
  CASE_TO_READ,
  expectJsonHeaders,
  expectProblem,
  hostileSuite,
  pct,
  raw,
} from './support.js';

const hostile = hostileSuite('hostile-routes', CASE_TO_READ, { unchanged: true });

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
          hostile.server,
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
        const response = await raw(
          hostile.server,
          method,
          path,
          {},
          method === 'HEAD' ? undefined : '',
        );
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
      const response = await raw(hostile.server, 'GET', p);
      // Assess: refused, and no case data in the answer.
      const problem = expectProblem(response);
      expect(response.body).not.toContain('north-assessment');
      expect(problem?.status === 400 || problem?.status === 404).toBe(true);
    }
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
          const response = await raw(hostile.server, 'GET', p, headers);
          // Assess
          expect(response.status).toBe(200);
        },
      ),
      { numRuns: 60 },
    );
  });
});
