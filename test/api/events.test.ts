import { beforeAll, describe, expect, inject, it } from 'vitest';
import { RecordingScheduler } from '#functions/local/server.js';
import type { Scheduler } from '#kernel/ports.js';
import { eventsHandlerOn } from './events-support.js';
import { bodyOf, envelope, freshTable, postEvent, snapshot } from './support.js';

let table: Awaited<ReturnType<typeof freshTable>>;

beforeAll(async () => {
  table = await freshTable(inject('dynamoEndpoint'), 'events');
});

const setup = (options: Parameters<typeof eventsHandlerOn>[1] = {}) =>
  eventsHandlerOn(table, options);

describe('POST /v1/events: signatures', () => {
  const body = JSON.stringify(envelope.caseOpened('sig-1', 'C-2001'));

  it.each([
    ['unsigned', postEvent(body, { unsigned: true }), 'header.webhook-id'],
    [
      'forged (wrong secret)',
      postEvent(body, {
        secret: `whsec_${Buffer.from('not-the-secret-at-all-00').toString('base64')}`,
      }),
      'header.webhook-signature',
    ],
    [
      'stale (6 minutes old)',
      postEvent(body, { at: new Date(Date.now() - 6 * 60_000) }),
      'header.webhook-timestamp',
    ],
    [
      'from the future (6 minutes ahead)',
      postEvent(body, { at: new Date(Date.now() + 6 * 60_000) }),
      'header.webhook-timestamp',
    ],
  ])('refuses a request that is %s with 401 and changes nothing', async (_name, request, field) => {
    // Prepare
    const { handler } = setup();
    const before = await snapshot(table.client, table.tableName);
    // Act
    const result = await handler(request);
    // Assess
    expect(result.statusCode).toBe(401);
    expect(result.headers['content-type']).toBe('application/problem+json');
    expect(bodyOf(result)).toMatchObject({
      status: 401,
      errors: expect.arrayContaining([expect.objectContaining({ field })]),
    });
    expect(await snapshot(table.client, table.tableName)).toBe(before);
  });

  it('refuses a replayed capture with a fresh timestamp or a tampered body', async () => {
    // Prepare
    const { handler } = setup();
    const captured = postEvent(body, { at: new Date(Date.now() - 10 * 60_000) });
    const refreshed = {
      ...captured,
      headers: { ...captured.headers, 'webhook-timestamp': String(Math.floor(Date.now() / 1000)) },
    };
    const tampered = {
      ...postEvent(body),
      body: body.replace('north-assessment', 'south-assessment'),
    };
    const before = await snapshot(table.client, table.tableName);
    // Act
    const results = await Promise.all([handler(captured), handler(refreshed), handler(tampered)]);
    // Assess
    expect(results.map((r) => r.statusCode)).toEqual([401, 401, 401]);
    expect(await snapshot(table.client, table.tableName)).toBe(before);
  });
});

describe('POST /v1/events: rejections are problems naming the field', () => {
  it.each([
    [
      'wrong content type',
      () => postEvent('{}', { contentType: 'text/plain' }),
      415,
      'header.content-type',
    ],
    ['a body over 64 KB', () => postEvent(`{"pad":"${'x'.repeat(70_000)}"}`), 413, ''],
    ['invalid JSON', () => postEvent('{"id": '), 400, ''],
    ['deep nesting', () => postEvent(`${'['.repeat(5000)}${']'.repeat(5000)}`), 400, ''],
    [
      'a bad allegation id',
      () =>
        postEvent(
          JSON.stringify({ ...envelope.concern('bad-1', 'C-2002'), data: { allegationId: '' } }),
        ),
      400,
      'data.allegationId',
    ],
    [
      'an unknown type',
      () =>
        postEvent(
          JSON.stringify({ ...envelope.concern('bad-2', 'C-2002'), type: 'lado.exploded' }),
        ),
      400,
      'type',
    ],
    [
      'an offset-less instant',
      () =>
        postEvent(
          JSON.stringify({
            ...envelope.concern('bad-3', 'C-2002'),
            occurredAt: '2026-03-02T10:00:00',
          }),
        ),
      400,
      'occurredAt',
    ],
    [
      'a rota tier other than 1 or 2',
      () =>
        postEvent(
          JSON.stringify({
            id: 'bad-4',
            type: 'rota.shift',
            occurredAt: '2026-03-01T09:00:00Z',
            data: {
              personId: 'P-0008',
              from: '2026-03-02T17:00:00Z',
              to: '2026-03-03T09:00:00Z',
              tier: 3,
            },
          }),
        ),
      400,
      'data.tier',
    ],
  ])('answers %s with %i', async (_name, request, status, field) => {
    // Prepare
    const { handler } = setup();
    const before = await snapshot(table.client, table.tableName);
    // Act
    const result = await handler(request());
    // Assess
    expect(result.statusCode).toBe(status);
    expect(result.headers['content-type']).toBe('application/problem+json');
    const problem = bodyOf<{
      type: string;
      title: string;
      status: number;
      errors: { field: string }[];
    }>(result);
    expect(problem).toMatchObject({
      status,
      type: expect.stringContaining('https://'),
      title: expect.any(String),
    });
    expect(problem.errors.map((e) => e.field)).toContain(field);
    expect(await snapshot(table.client, table.tableName)).toBe(before);
  });
});

describe('POST /v1/events: applying case events', () => {
  it('opens a case, stores its deadlines, audit and timers, and closing cancels them', async () => {
    // Prepare
    const scheduler = new RecordingScheduler();
    const { handler, store } = setup({ scheduler });
    // Act
    const opened = await handler(
      postEvent(JSON.stringify(envelope.caseOpened('apply-1', 'C-3001'))),
    );
    const concern = await handler(postEvent(JSON.stringify(envelope.concern('apply-2', 'C-3001'))));
    const open = await store.listDeadlines('C-3001');
    const timersWhileOpen = [...scheduler.timers.keys()];
    const closed = await handler(postEvent(JSON.stringify(envelope.closed('apply-3', 'C-3001'))));
    // Assess
    expect(opened.statusCode).toBe(202);
    // The joint supervision it starts goes to four roles; the case names two of them.
    expect(bodyOf(opened)).toMatchObject({
      eventId: 'apply-1',
      status: 'accepted',
      caseId: 'C-3001',
    });
    expect(
      bodyOf<{ warnings: { code: string; field: string; detail: string }[] }>(opened).warnings.map(
        (w) => [w.code, w.field, /role ([a-z-]+),/.exec(w.detail)?.[1]],
      ),
    ).toEqual([
      ['no-worker-in-role', 'data.workers', 'supervisor'],
      ['no-worker-in-role', 'data.workers', 'mh-supervisor'],
      ['no-worker-in-role', 'data.workers', 'mh-worker'],
    ]);
    expect(concern.statusCode).toBe(202);
    expect(closed.statusCode).toBe(202);
    expect(open.map((d) => d.rule)).toEqual(
      expect.arrayContaining(['lado-notification', 'joint-supervision']),
    );
    expect(open.find((d) => d.rule === 'lado-notification')?.dueAt).toBe(
      '2026-03-03T11:00:00.000Z',
    );
    expect(timersWhileOpen.length).toBeGreaterThanOrEqual(
      open.filter((d) => d.status === 'open').length,
    );
    expect((await store.listDeadlines('C-3001')).every((d) => d.status !== 'open')).toBe(true);
    expect(scheduler.timers.size).toBe(0);
    const audit = await store.listAudit('C-3001');
    expect(audit.map((a) => a.kind)).toEqual(
      expect.arrayContaining(['case-opened', 'started', 'cancelled', 'case-closed']),
    );
  });

  it('answers a redelivery the same way and applies the event once', async () => {
    // Prepare
    const { handler, store } = setup();
    const body = JSON.stringify(envelope.caseOpened('dup-1', 'C-3002'));
    const first = await handler(postEvent(body));
    const after = await snapshot(table.client, table.tableName);
    // Act
    const second = await handler(postEvent(body));
    const parsed = JSON.parse(body) as Record<string, unknown>;
    const reversed = Object.fromEntries(Object.entries(parsed).reverse());
    const reordered = await handler(postEvent(JSON.stringify(reversed, null, 2)));
    // Assess
    expect(second).toEqual(first);
    expect(reordered.statusCode).toBe(202);
    expect(await snapshot(table.client, table.tableName)).toBe(after);
    expect((await store.loadCase('C-3002'))?.version).toBe(1);
  });

  it('applies 10 concurrent deliveries of one event once, with identical answers', async () => {
    // Prepare
    const { handler, store } = setup();
    const body = JSON.stringify(envelope.concern('conc-1', 'C-3003'));
    await handler(postEvent(JSON.stringify(envelope.caseOpened('conc-0', 'C-3003'))));
    // Act
    const results = await Promise.all(Array.from({ length: 10 }, () => handler(postEvent(body))));
    // Assess
    expect(new Set(results.map((r) => JSON.stringify(r))).size).toBe(1);
    expect(results[0]?.statusCode).toBe(202);
    expect((await store.loadCase('C-3003'))?.version).toBe(2);
    const lado = (await store.listDeadlines('C-3003')).filter(
      (d) => d.rule === 'lado-notification',
    );
    expect(lado).toHaveLength(1);
    const started = (await store.listAudit('C-3003')).filter((a) => a.eventId === 'conc-1');
    expect(started.length).toBeGreaterThan(0);
    expect(new Set(started.map((a) => `${a.kind}:${a.deadlineId}`)).size).toBe(started.length);
  });

  it('applies concurrent different events on one case, each once', async () => {
    // Prepare
    const { handler, store } = setup();
    await handler(postEvent(JSON.stringify(envelope.caseOpened('many-0', 'C-3004'))));
    const events = Array.from({ length: 10 }, (_, i) => ({
      ...envelope.disagreement(`many-${i + 1}`, 'C-3004'),
      data: { disagreementId: `D-${i + 1}` },
    }));
    // Act
    const results = await Promise.all(events.map((e) => handler(postEvent(JSON.stringify(e)))));
    // Assess
    expect(results.map((r) => r.statusCode)).toEqual(Array(10).fill(202));
    expect((await store.loadCase('C-3004'))?.version).toBe(11);
    const disagreements = (await store.listDeadlines('C-3004')).filter(
      (d) => d.rule === 'disagreement',
    );
    expect(new Set(disagreements.map((d) => d.subjectId)).size).toBe(10);
  });

  it('refuses the same id with a different body with 409 and changes nothing', async () => {
    // Prepare
    const { handler } = setup();
    await handler(postEvent(JSON.stringify(envelope.caseOpened('reuse-1', 'C-3005'))));
    const before = await snapshot(table.client, table.tableName);
    // Act
    const result = await handler(
      postEvent(JSON.stringify(envelope.caseOpened('reuse-1', 'C-3006'))),
    );
    // Assess
    expect(result.statusCode).toBe(409);
    expect(bodyOf(result)).toMatchObject({ status: 409, errors: [{ field: 'id' }] });
    expect(await snapshot(table.client, table.tableName)).toBe(before);
  });

  it('re-syncs timers on a redelivery after the scheduler failed (503 first, 202 after)', async () => {
    // Prepare
    const recording = new RecordingScheduler();
    let fail = true;
    const flaky: Scheduler = {
      schedule: async (timers) => {
        if (fail) throw new Error('scheduler down');
        await recording.schedule(timers);
      },
      cancel: (names) => recording.cancel(names),
    };
    const { handler } = setup({ scheduler: flaky });
    const body = JSON.stringify(envelope.caseOpened('flaky-1', 'C-3007'));
    // Act
    const first = await handler(postEvent(body));
    fail = false;
    const second = await handler(postEvent(body));
    // Assess
    expect(first.statusCode).toBe(503);
    expect(first.headers['retry-after']).toBe('1');
    expect(second.statusCode).toBe(202);
    expect(recording.timers.size).toBeGreaterThan(0);
  });
});
