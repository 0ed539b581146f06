import { beforeAll, describe, expect, inject, it } from 'vitest';
import { makeHandler as makeReadHandler, type ReadHandler } from '#functions/read/handler.js';
import { DeadlineList } from '#schemas/responses.js';
import { eventsHandlerOn } from './events-support.js';
import { apiEvent, bodyOf, envelope, freshTable, postEvent } from './support.js';

let read: ReadHandler;

beforeAll(async () => {
  const table = await freshTable(inject('dynamoEndpoint'), 'read');
  const { handler: events, store } = eventsHandlerOn(table, {
    now: new Date('2026-03-02T12:30:00Z'),
  });
  const south = { ...envelope.caseOpened('r-3', 'C-5002'), data: { team: 'south-assessment' } };
  for (const e of [
    envelope.caseOpened('r-1', 'C-5001'),
    envelope.concern('r-2', 'C-5001'),
    south,
    envelope.concern('r-4', 'C-5002'),
    envelope.disagreement('r-5', 'C-5002'),
  ]) {
    const result = await events(postEvent(JSON.stringify(e)));
    expect(result.statusCode).toBe(202);
  }
  read = makeReadHandler({ store });
});

const get = (routeKey: string, path: string, extra: Parameters<typeof apiEvent>[2] = {}) =>
  read(apiEvent(`GET ${routeKey}`, path, extra));

describe('GET /v1/cases/{caseId}', () => {
  it('returns the case facts', async () => {
    // Act
    const result = await get('/v1/cases/{caseId}', '/v1/cases/C-5001', {
      pathParameters: { caseId: 'C-5001' },
    });
    // Assess
    expect(result.statusCode).toBe(200);
    expect(bodyOf(result)).toMatchObject({
      caseId: 'C-5001',
      version: 2,
      facts: { team: 'north-assessment', status: 'open' },
    });
    expect(bodyOf<{ facts: object }>(result).facts).not.toHaveProperty('deadlines');
  });

  it.each(['/v1/cases/{caseId}', '/v1/cases/{caseId}/deadlines', '/v1/cases/{caseId}/audit'])(
    '%s answers an unknown case with a 404 problem',
    async (route) => {
      // Act
      const result = await get(route, route.replace('{caseId}', 'C-9999'), {
        pathParameters: { caseId: 'C-9999' },
      });
      // Assess
      expect(result.statusCode).toBe(404);
      expect(result.headers['content-type']).toBe('application/problem+json');
      expect(bodyOf(result)).toMatchObject({ status: 404, errors: [{ field: 'caseId' }] });
    },
  );

  it('answers a malformed case id with a 400 problem', async () => {
    // Act
    const result = await get('/v1/cases/{caseId}', '/v1/cases/..', {
      pathParameters: { caseId: '../x' },
    });
    // Assess
    expect(result.statusCode).toBe(400);
    expect(bodyOf(result)).toMatchObject({ errors: [{ field: 'caseId' }] });
  });
});

describe('GET /v1/cases/{caseId}/deadlines and /audit', () => {
  it('lists the case deadlines in the documented shape, dueAt in UTC', async () => {
    // Act
    const result = await get('/v1/cases/{caseId}/deadlines', '/v1/cases/C-5001/deadlines', {
      pathParameters: { caseId: 'C-5001' },
    });
    // Assess
    expect(result.statusCode).toBe(200);
    const body = DeadlineList.parse(bodyOf(result));
    const lado = body.deadlines.find((d) => d.rule === 'lado-notification');
    expect(lado).toMatchObject({
      status: 'open',
      dueAt: '2026-03-03T11:00:00.000Z',
      subjectId: 'A-1',
    });
    // An hours clock: its limit is its due time.
    expect(lado?.limitAt).toBe('2026-03-03T11:00:00.000Z');
    expect(lado?.explain.length).toBeGreaterThan(0);
    for (const d of body.deadlines) expect(d.dueAt).toMatch(/Z$/);
  });

  it('returns limitAt beside dueAt: a day-counted clock’s limit is the London midnight ending its date', async () => {
    // Act: C-5002's disagreement, raised Mon 2 Mar 2026 12:00 GMT; stage 1 is 2 working days.
    const result = await get('/v1/cases/{caseId}/deadlines', '/v1/cases/C-5002/deadlines', {
      pathParameters: { caseId: 'C-5002' },
    });
    // Assess: the target Wed 4 Mar 17:00 GMT; the limit the end of that Wednesday.
    const body = DeadlineList.parse(bodyOf(result));
    expect(body.deadlines.find((d) => d.rule === 'disagreement')).toMatchObject({
      dueAt: '2026-03-04T17:00:00.000Z',
      limitAt: '2026-03-05T00:00:00.000Z',
    });
  });

  it('returns the audit trail oldest first', async () => {
    // Act
    const result = await get('/v1/cases/{caseId}/audit', '/v1/cases/C-5001/audit', {
      pathParameters: { caseId: 'C-5001' },
    });
    // Assess
    const body = bodyOf<{ entries: { kind: string; eventId?: string }[] }>(result);
    expect(result.statusCode).toBe(200);
    expect(body.entries[0]).toMatchObject({ kind: 'case-opened', eventId: 'r-1' });
    expect(body.entries.some((e) => e.eventId === 'r-2')).toBe(true);
  });
});

describe('GET /v1/deadlines', () => {
  it('lists open deadlines by due time, filtered by team and due date', async () => {
    // Act
    const all = DeadlineList.parse(
      bodyOf(
        await get('/v1/deadlines', '/v1/deadlines', { queryStringParameters: { status: 'open' } }),
      ),
    );
    const south = DeadlineList.parse(
      bodyOf(
        await get('/v1/deadlines', '/v1/deadlines', {
          queryStringParameters: { team: 'south-assessment' },
        }),
      ),
    );
    const soon = DeadlineList.parse(
      bodyOf(
        await get('/v1/deadlines', '/v1/deadlines', {
          queryStringParameters: { dueBefore: '2026-03-04T00:00:00+00:00' },
        }),
      ),
    );
    // Assess
    const dues = all.deadlines.map((d) => d.dueAt);
    expect(dues).toEqual([...dues].sort());
    expect(new Set(all.deadlines.map((d) => d.caseId))).toEqual(new Set(['C-5001', 'C-5002']));
    expect(south.deadlines.length).toBeGreaterThan(0);
    expect(south.deadlines.every((d) => d.team === 'south-assessment')).toBe(true);
    expect(soon.deadlines.map((d) => d.rule)).toContain('lado-notification');
    expect(soon.deadlines.every((d) => d.dueAt < '2026-03-04T00:00:00.000Z')).toBe(true);
  });

  it('pages with limit and cursor without losing or repeating a deadline', async () => {
    // Prepare
    const all = DeadlineList.parse(bodyOf(await get('/v1/deadlines', '/v1/deadlines')));
    const seen: string[] = [];
    let cursor: string | undefined;
    // Act
    do {
      const query: Record<string, string> = {
        limit: '2',
        ...(cursor === undefined ? {} : { cursor }),
      };
      const page = DeadlineList.parse(
        bodyOf(await get('/v1/deadlines', '/v1/deadlines', { queryStringParameters: query })),
      );
      seen.push(...page.deadlines.map((d) => `${d.caseId}/${d.id}`));
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    // Assess
    expect(seen).toEqual(all.deadlines.map((d) => `${d.caseId}/${d.id}`));
  });

  it.each([
    [{ status: 'pending' }, 'status'],
    [{ dueBefore: 'tomorrow' }, 'dueBefore'],
    [{ dueBefore: '2026-03-04T00:00:00' }, 'dueBefore'],
    [{ limit: '0' }, 'limit'],
    [{ team: 'north team!' }, 'team'],
    [{ colour: 'blue' }, ''],
    [{ cursor: 'bm90LWEtY3Vyc29y' }, 'cursor'],
  ])('answers bad query %j with a 400 problem naming %s', async (query, field) => {
    // Act
    const result = await get('/v1/deadlines', '/v1/deadlines', { queryStringParameters: query });
    // Assess
    expect(result.statusCode).toBe(400);
    expect(result.headers['content-type']).toBe('application/problem+json');
    expect(bodyOf<{ errors: { field: string }[] }>(result).errors.map((e) => e.field)).toContain(
      field,
    );
  });
});
