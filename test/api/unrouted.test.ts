/**
 * GET /v1/reminders/unrouted on DynamoDB Local: unrouted reminders written with a firing's
 * audit lines, listed newest first for one team (one Query of its partition) or every team
 * (one Query of gsi1), from `since`, paged like /v1/deadlines; bad parameters and forged
 * cursors are 400 problems naming the parameter.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { makeHandler as makeReadHandler, type ReadHandler } from '#functions/read/handler.js';
import { DynamoUnroutedStore } from '#functions/read/unrouted-store.js';
import type { UnroutedReminder } from '#kernel/records.js';
import { DynamoCaseStore } from '#platform/dynamodb/case-store.js';
import { DynamoReminderAudit } from '#platform/dynamodb/reminder-audit.js';
import { UnroutedList } from '#schemas/responses.js';
import { apiEvent, bodyOf, freshTable } from './support.js';

let read: ReadHandler;
let store: DynamoCaseStore;

/** An unrouted p50 reminder of a case, due to fire at `at`. */
const unrouted = (team: string, caseId: string, at: string): UnroutedReminder => ({
  team,
  caseId,
  deadlineId: 'lado-notification.A-1',
  rule: 'lado-notification',
  step: 'p50',
  reminderId: `lado-notification.A-1.p50.${caseId}`,
  at: new Date(at),
  missing: [{ reason: 'no-worker-in-role', role: 'lado' }],
  fix: ['send case.updated with a worker in role lado'],
  fallback: 'sent',
});

beforeAll(async () => {
  // Prepare: five in team north (one hour apart), two in team south, written as the fire path
  // writes them (with the firing's audit lines); one of them written twice (a re-fire).
  const table = await freshTable(inject('dynamoEndpoint'), 'unrouted');
  const audit = new DynamoReminderAudit(table.client, table.tableName);
  const line = (r: UnroutedReminder) => ({
    caseId: r.caseId,
    at: r.at,
    kind: 'reminder-unrouted' as const,
    deadlineId: r.deadlineId,
    detail: { reminderId: r.reminderId },
  });
  const all = [
    ...[1, 2, 3, 4, 5].map((h) => unrouted('north', `C-10${h}`, `2026-05-28T0${h}:00:00Z`)),
    unrouted('south', 'C-201', '2026-05-28T02:30:00Z'),
    unrouted('south', 'C-202', '2026-05-28T06:30:00Z'),
  ];
  for (const r of all) await audit.append([line(r)], 1, r);
  await audit.append([line(all[0] as UnroutedReminder)], 1, all[0]);
  store = new DynamoCaseStore(table.client, table.tableName);
  read = makeReadHandler({
    store,
    unrouted: new DynamoUnroutedStore(table.client, table.tableName),
  });
});

const list = async (query: Record<string, string> = {}) => {
  const result = await read(
    apiEvent('GET /v1/reminders/unrouted', '/v1/reminders/unrouted', {
      queryStringParameters: query,
    }),
  );
  return { result, body: bodyOf(result) };
};
const cases = (body: unknown) => UnroutedList.parse(body).reminders.map((r) => r.caseId);

describe('GET /v1/reminders/unrouted', () => {
  it('lists a team’s unrouted reminders newest first, each once, with what was missing', async () => {
    // Act
    const { result, body } = await list({ team: 'north' });
    // Assess
    expect(result.statusCode).toBe(200);
    expect(cases(body)).toEqual(['C-105', 'C-104', 'C-103', 'C-102', 'C-101']);
    expect(UnroutedList.parse(body).reminders[0]).toEqual({
      at: '2026-05-28T05:00:00.000Z',
      team: 'north',
      caseId: 'C-105',
      deadlineId: 'lado-notification.A-1',
      rule: 'lado-notification',
      step: 'p50',
      reminderId: 'lado-notification.A-1.p50.C-105',
      missing: [{ reason: 'no-worker-in-role', role: 'lado' }],
      fix: ['send case.updated with a worker in role lado'],
      fallback: 'sent',
    });
  });

  it('lists every team’s, interleaved newest first, when no team is given', async () => {
    const { body } = await list();
    expect(cases(body)).toEqual(['C-202', 'C-105', 'C-104', 'C-103', 'C-201', 'C-102', 'C-101']);
  });

  it('starts at `since` (inclusive)', async () => {
    const { body } = await list({ team: 'north', since: '2026-05-28T04:00:00+01:00' });
    expect(cases(body)).toEqual(['C-105', 'C-104', 'C-103']);
  });

  it.each([[{ team: 'north' }], [{}]])('pages with a cursor like /v1/deadlines (%j)', async (q) => {
    // Act: two at a time.
    const pages: string[][] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 10; i++) {
      const { result, body } = await list({
        ...q,
        limit: '2',
        ...(cursor === undefined ? {} : { cursor }),
      });
      expect(result.statusCode).toBe(200);
      const page = UnroutedList.parse(body);
      pages.push(page.reminders.map((r) => r.caseId));
      cursor = page.nextCursor;
      if (cursor === undefined) break;
    }
    // Assess: every reminder once, in order.
    const everything = cases((await list(q)).body);
    expect(pages.flat()).toEqual(everything);
    expect(pages[0]).toHaveLength(2);
  });

  it.each([
    [{ limit: '0' }, 'limit'],
    [{ limit: '501' }, 'limit'],
    [{ since: 'yesterday' }, 'since'],
    [{ team: 'north east' }, 'team'],
    [{ colour: 'red' }, ''],
    [{ cursor: 'not-a-cursor' }, 'cursor'],
    [{ cursor: Buffer.from('{"pk":"CASE#C-1","sk":"CASE"}').toString('base64url') }, 'cursor'],
  ])('refuses %j with a 400 problem naming the parameter', async (query, field) => {
    // Act
    const { result, body } = await list(query);
    // Assess
    expect(result.statusCode).toBe(400);
    expect(result.headers['content-type']).toBe('application/problem+json');
    expect((body as { errors: { field: string }[] }).errors.map((e) => e.field)).toContain(field);
  });

  it('refuses a cursor from another team’s list', async () => {
    // Prepare
    const first = UnroutedList.parse((await list({ team: 'north', limit: '1' })).body);
    // Act
    const { result } = await list({ team: 'south', cursor: first.nextCursor as string });
    // Assess
    expect(result.statusCode).toBe(400);
  });

  it('keeps the firing’s audit line in the case’s trail beside the record', async () => {
    const trail = await store.listAudit('C-101');
    expect(trail.map((e) => e.kind)).toEqual(['reminder-unrouted', 'reminder-unrouted']);
  });
});
