/**
 * Fault injection: conditional-check races on real DynamoDB Local. Concurrent deliveries of
 * one event, and of many events on one case, must leave exactly one set of deadlines, one
 * audit item per case version (no gaps, no repeats) and the case at the version the number
 * of applied events says.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { type EventsHandler, makeHandler } from '#functions/ingest/handler.js';
import { RecordingScheduler } from '#functions/local/server.js';
import { makeCaseEngine } from '#kernel/engine/bound.js';
import { DynamoCaseStore } from '#platform/dynamodb/case-store.js';
import { DynamoDirectory } from '#platform/dynamodb/directory.js';
import { AUTHORITY, bodyOf, envelope, freshTable, postEvent } from '#test/api/support.js';
import { auditVersions, itemsOf } from './support.js';

let table: Awaited<ReturnType<typeof freshTable>>;
let handler: EventsHandler;
let scheduler: RecordingScheduler;
const engine = makeCaseEngine(AUTHORITY);
const now = new Date('2026-03-02T12:00:00Z');

beforeAll(async () => {
  table = await freshTable(inject('dynamoEndpoint'), 'faults-races');
  scheduler = new RecordingScheduler();
  handler = makeHandler({
    webhookSecret: 'whsec_dGltZXNjYWxlcy10ZXN0LXNlY3JldC0zMi1ieXRlcyE=',
    store: new DynamoCaseStore(table.client, table.tableName),
    directory: new DynamoDirectory(table.client, table.tableName),
    engine,
    scheduler,
    clock: { now: () => now },
  });
});

/** Delivers a body, redelivering (as a sender does) while the answer is 503 + Retry-After. */
async function deliverUntilAccepted(body: string) {
  const answers: { statusCode: number; body: string; retryAfter?: string | undefined }[] = [];
  for (let attempt = 0; attempt < 10; attempt++) {
    const result = await handler(postEvent(body));
    answers.push({
      statusCode: result.statusCode,
      body: result.body,
      retryAfter: result.headers['retry-after'],
    });
    if (result.statusCode !== 503) break;
  }
  return answers;
}

describe('concurrent deliveries (DynamoDB Local)', () => {
  it('20 concurrent deliveries of one event apply it once and all get the same answer', async () => {
    // Prepare
    const caseId = 'C-2001';
    const opened = JSON.stringify(envelope.caseOpened('race-open-1', caseId));
    // Act
    const results = await Promise.all(Array.from({ length: 20 }, () => handler(postEvent(opened))));
    // Assess: one answer, byte for byte; version 1; one audit item; one set of deadlines.
    expect(new Set(results.map((r) => r.statusCode))).toEqual(new Set([202]));
    expect(new Set(results.map((r) => r.body)).size).toBe(1);
    expect(bodyOf(results[0] ?? {})).toMatchObject({
      eventId: 'race-open-1',
      status: 'accepted',
      caseId,
    });
    const items = await itemsOf(table.client, table.tableName, `CASE#${caseId}`);
    expect(items.find((i) => i.sk === 'CASE')?.version).toBe(1);
    expect(auditVersions(items)).toEqual([1]);
    const stored = await new DynamoCaseStore(table.client, table.tableName).loadCase(caseId);
    const projected = items.filter((i) => String(i.sk).startsWith('DEADLINE#')).map((i) => i.id);
    expect(projected.sort()).toEqual(stored?.aggregate.deadlines.map((d) => d.id).sort());
  });

  it('16 concurrent deliveries of 8 different events on one case (each twice) apply each once, in a gap-free version order', async () => {
    // Prepare
    const caseId = 'C-2002';
    expect(
      (await handler(postEvent(JSON.stringify(envelope.caseOpened('r2-open', caseId))))).statusCode,
    ).toBe(202);
    const bodies = Array.from({ length: 8 }, (_, i) =>
      JSON.stringify({
        id: `r2-dis-${i}`,
        type: 'disagreement.raised',
        occurredAt: `2026-03-02T1${i}:00:00Z`,
        caseId,
        data: { disagreementId: `D-${i}` },
      }),
    );
    // Act: every event delivered twice at once; a 503 is redelivered as a sender would.
    const answers = await Promise.all([...bodies, ...bodies].map(deliverUntilAccepted));
    // Assess: only 202 in the end, and every 503 on the way carried Retry-After.
    for (const chain of answers) {
      expect(chain.at(-1)?.statusCode).toBe(202);
      for (const a of chain.slice(0, -1)) {
        expect(a.statusCode).toBe(503);
        expect(a.retryAfter).toBeDefined();
      }
    }
    const items = await itemsOf(table.client, table.tableName, `CASE#${caseId}`);
    const store = new DynamoCaseStore(table.client, table.tableName);
    const stored = await store.loadCase(caseId);
    // 1 (opened) + 8 applied once each.
    expect(stored?.version).toBe(9);
    expect(auditVersions(items)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const eventIds = (await store.listAudit(caseId))
      .map((e) => e.eventId)
      .filter((id): id is string => id !== undefined);
    for (let i = 0; i < 8; i++) expect(new Set(eventIds).has(`r2-dis-${i}`)).toBe(true);
    const disagreements = stored?.aggregate.deadlines.filter((d) => d.rule === 'disagreement');
    expect(disagreements?.map((d) => d.subjectId).sort()).toEqual(
      Array.from({ length: 8 }, (_, i) => `D-${i}`),
    );
    // Projections are exactly the aggregate's deadlines, field for field where it matters.
    const projected = items.filter((i) => String(i.sk).startsWith('DEADLINE#'));
    expect(projected.map((p) => p.id).sort()).toEqual(
      stored?.aggregate.deadlines.map((d) => d.id).sort(),
    );
    for (const d of stored?.aggregate.deadlines ?? []) {
      const p = projected.find((x) => x.id === d.id);
      expect(p?.version).toBe(d.version);
      expect(p?.status).toBe(d.status);
    }
    // No timer the final plan needs is missing (extra stale ones are harmless: versioned).
    const needed = engine.planTimers(stored?.aggregate as never, now).map((t) => t.name);
    for (const name of needed) expect(scheduler.timers.has(name)).toBe(true);
  });

  it('a case event racing its own redeliveries and another event keeps the version monotonic', async () => {
    // Prepare
    const caseId = 'C-2003';
    await handler(postEvent(JSON.stringify(envelope.caseOpened('r3-open', caseId))));
    const concern = JSON.stringify(envelope.concern('r3-concern', caseId));
    const closed = JSON.stringify(envelope.closed('r3-close', caseId));
    const versions: number[] = [];
    const store = new DynamoCaseStore(table.client, table.tableName);
    let polling = true;
    const poller = (async () => {
      while (polling) {
        versions.push((await store.loadCase(caseId))?.version ?? 0);
        await new Promise((done) => setTimeout(done, 2));
      }
    })();
    // Act
    const results = await Promise.all(
      [concern, closed, concern, closed, concern, closed, concern, closed].map(
        deliverUntilAccepted,
      ),
    );
    polling = false;
    await poller;
    // Assess
    for (const chain of results) expect(chain.at(-1)?.statusCode).toBe(202);
    for (let i = 1; i < versions.length; i++)
      expect(versions[i]).toBeGreaterThanOrEqual(versions[i - 1] ?? 0);
    const items = await itemsOf(table.client, table.tableName, `CASE#${caseId}`);
    expect(items.find((i) => i.sk === 'CASE')?.version).toBe(3);
    expect(auditVersions(items)).toEqual([1, 2, 3]);
  });
});
