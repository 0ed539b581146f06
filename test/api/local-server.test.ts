import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type LocalServer, RecordingScheduler, startLocalServer } from '#functions/local/server.js';
import { makeCaseEngine } from '#kernel/engine/bound.js';
import { createTable } from '#platform/dynamodb/create-table.js';
import { signWebhook } from '#platform/webhook.js';
import { DeadlineList } from '#schemas/responses.js';
import { AUTHORITY, envelope, TEST_SECRET } from './support.js';

let server: LocalServer;
const scheduler = new RecordingScheduler();

beforeAll(async () => {
  const endpoint = inject('dynamoEndpoint');
  const tableName = `local-server-${Date.now()}`;
  await createTable(new DynamoDBClient({ endpoint }), tableName);
  server = await startLocalServer({
    port: 0,
    dynamoEndpoint: endpoint,
    tableName,
    webhookSecret: TEST_SECRET,
    engine: makeCaseEngine(AUTHORITY),
    scheduler,
    clock: { now: () => new Date('2026-03-02T12:30:00Z') },
  });
});

afterAll(async () => {
  await server.close();
});

const post = (event: unknown, headers: Record<string, string> = {}) => {
  const body = JSON.stringify(event);
  return fetch(`${server.url}/v1/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json; charset=utf-8',
      ...signWebhook(TEST_SECRET, body),
      ...headers,
    },
    body,
  });
};

describe('local server (node:http → API Gateway v2 → handlers)', () => {
  it('serves signed events end to end and the deadlines they produce', async () => {
    // Prepare
    const events = [
      envelope.caseOpened('e2e-1', 'C-1001'),
      envelope.concern('e2e-2', 'C-1001'),
      envelope.disagreement('e2e-3', 'C-1001'),
    ];
    // Act
    const answers = [];
    for (const event of events) answers.push(await post(event));
    const response = await fetch(`${server.url}/v1/cases/C-1001/deadlines`);
    const list = DeadlineList.parse(await response.json());
    // Assess
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202]);
    expect(await answers[1]?.json()).toMatchObject({
      eventId: 'e2e-2',
      status: 'accepted',
      caseId: 'C-1001',
    });
    expect(response.status).toBe(200);
    expect(list.deadlines.map((d) => d.rule).sort()).toEqual([
      'disagreement',
      'joint-supervision',
      'lado-notification',
    ]);
    // Raised Monday 2 March 2026 12:00 → 2 working days → Wednesday 4 March 17:00 GMT.
    expect(list.deadlines.find((d) => d.rule === 'disagreement')).toMatchObject({
      stage: 1,
      dueAt: '2026-03-04T17:00:00.000Z',
    });
    const kinds = [...scheduler.timers.values()].map((t) => t.payload.kind);
    expect(kinds.filter((k) => k === 'due')).toHaveLength(3);
    expect(kinds).toContain('reminder');
  });

  it('answers the manager list with query parameters', async () => {
    // Act
    const response = await fetch(
      `${server.url}/v1/deadlines?status=open&team=north-assessment&dueBefore=2026-03-05T00:00:00Z`,
    );
    const list = DeadlineList.parse(await response.json());
    // Assess
    expect(response.status).toBe(200);
    expect(list.deadlines.map((d) => d.rule).sort()).toEqual(['disagreement', 'lado-notification']);
  });

  it.each([
    ['GET', '/v1/nowhere', 404],
    ['DELETE', '/v1/cases/C-1001', 405],
    ['GET', '/v1/events', 405],
    ['GET', '/v1/cases/%E0%A4%A', 404],
    ['GET', '/v1/deadlines?status=nope', 400],
  ])('answers %s %s with a %i problem', async (method, path, status) => {
    // Act
    const response = await fetch(`${server.url}${path}`, { method });
    // Assess
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ status });
  });

  it('refuses an unsigned event and an oversized body', async () => {
    // Act
    const unsigned = await fetch(`${server.url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(envelope.concern('e2e-x', 'C-1001')),
    });
    const huge = await post({ pad: 'x'.repeat(200_000) });
    // Assess
    expect(unsigned.status).toBe(401);
    expect(huge.status).toBe(413);
  });
});
