/**
 * What every JSON answer carries, through the local server (the real handlers behind
 * node:http): `Cache-Control: no-store` and `X-Content-Type-Options: nosniff`, on successes
 * and problems alike, for each family of routes — the events webhook, the read API (the
 * people API returns emails and phones), the alerts API, local mode's own routes and the
 * server's own refusals — and a 405 that names the methods its path takes in `Allow`.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LocalOutbox, makeLocalRoutes } from '#functions/local/outbox.js';
import { type LocalServer, startLocalServer } from '#functions/local/server.js';
import type { Alert } from '#kernel/alert-state.js';
import { makeCaseEngine } from '#kernel/engine/bound.js';
import { withAlert } from '#kernel/reminders/alerts.js';
import { DynamoAlertStore } from '#platform/dynamodb/alerts.js';
import { signWebhook } from '#platform/webhook.js';
import { openLadoAlert } from '#test/support/alerts.js';
import { AUTHORITY, envelope, freshTable, TEST_SECRET } from './support.js';

let server: LocalServer;
let alert: Alert;

beforeAll(async () => {
  const endpoint = inject('dynamoEndpoint');
  const table = await freshTable(endpoint, 'edge');
  const now = new Date('2026-03-02T12:00:00Z');
  server = await startLocalServer({
    port: 0,
    dynamoEndpoint: endpoint,
    tableName: table.tableName,
    webhookSecret: TEST_SECRET,
    engine: makeCaseEngine(AUTHORITY),
    clock: { now: () => now },
    localRoutes: makeLocalRoutes({
      outbox: new LocalOutbox(),
      driver: { advanceTo: async () => ({ fired: 0 }) },
      clock: { now: () => now },
    }),
  });
  for (const event of [
    envelope.caseOpened('edge-1', 'C-1001'),
    {
      id: 'edge-2',
      type: 'person.upserted',
      occurredAt: '2026-03-01T09:00:00Z',
      data: {
        personId: 'P-0001',
        name: 'Worker One',
        email: 'worker.one@example.gov.uk',
        phone: '+447700900123',
      },
    },
  ])
    expect((await post(JSON.stringify(event))).status).toBe(202);
  // An open alert for the alerts API to acknowledge.
  alert = openLadoAlert({
    sentAt: new Date('2026-03-02T03:30:00Z'),
    dueAt: new Date('2026-03-02T15:30:00Z'),
    validUntil: new Date('2026-03-03T15:30:00Z'),
  });
  const alerts = new DynamoAlertStore(table.client, table.tableName);
  const before = await alerts.getClock(alert.caseId, alert.deadlineId);
  await alerts.recordAlert(alert, before, withAlert(before, alert).clock);
});

afterAll(async () => {
  await server.close();
});

function post(body: string, headers: Record<string, string> = {}) {
  return fetch(`${server.url}/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signWebhook(TEST_SECRET, body), ...headers },
    body,
  });
}

const call = (method: string, path: string, body?: string) =>
  fetch(`${server.url}${path}`, {
    method,
    ...(body === undefined ? {} : { body, headers: { 'content-type': 'application/json' } }),
  });

/** The two headers, and a JSON (or problem+json) content type. */
async function expectGuarded(response: Response, status: number) {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  expect(response.headers.get('content-type')).toBe(
    status < 400 ? 'application/json' : 'application/problem+json',
  );
  expect(response.headers.get('cache-control')).toBe('no-store');
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  JSON.parse(text);
}

const concern = JSON.stringify(envelope.concern('edge-3', 'C-1001'));

describe('every JSON answer is neither cached nor sniffed', () => {
  it.each([
    ['accepted', () => post(concern), 202],
    ['a redelivery', () => post(concern), 202],
    ['unsigned', () => call('POST', '/v1/events', concern), 401],
    ['not JSON', () => post('{"id":'), 400],
    ['not an event', () => post('{"id":"x"}'), 400],
    ['not application/json', () => post('{}', { 'content-type': 'text/plain' }), 415],
    ['too large', () => post(`{"pad":"${'x'.repeat(70_000)}"}`), 413],
  ])('the events webhook: %s', async (_name, request, status) => {
    await expectGuarded(await request(), status);
  });

  it.each([
    ['/v1/cases/C-1001', 200],
    ['/v1/cases/C-1001/deadlines', 200],
    ['/v1/cases/C-1001/audit', 200],
    ['/v1/cases/C-1001/reminders', 200],
    ['/v1/cases/C-9999', 404],
    ['/v1/cases/%20', 400],
    ['/v1/deadlines', 200],
    ['/v1/deadlines?status=nope', 400],
    ['/v1/reminders/unrouted', 200],
    ['/v1/alerts', 200],
    ['/v1/people', 200],
    ['/v1/people/P-0001', 200],
    ['/v1/people/P-9999', 404],
    ['/v1/rota?from=2026-03-01T00:00:00Z&to=2026-03-08T00:00:00Z', 200],
    ['/v1/rota?from=2026-03-08T00:00:00Z&to=2026-03-01T00:00:00Z', 400],
  ])('the read API: GET %s', async (path, status) => {
    await expectGuarded(await call('GET', path), status);
  });

  it('the people API, whose answers carry contact details', async () => {
    // Act
    const response = await call('GET', '/v1/people/P-0001');
    // Assess
    expect(await response.clone().json()).toMatchObject({ person: { phone: '+447700900123' } });
    await expectGuarded(response, 200);
  });

  it('the alerts API: acknowledged, again, unknown, malformed', async () => {
    await expectGuarded(await call('POST', `/v1/alerts/${alert.alertId}/ack`), 200);
    await expectGuarded(await call('POST', `/v1/alerts/${alert.alertId}/ack`), 200);
    await expectGuarded(await call('POST', '/v1/alerts/AAAAAAAA/ack'), 404);
    await expectGuarded(await call('POST', '/v1/alerts/not%20an%20id/ack'), 400);
  });

  it.each([
    ['GET', '/local/outbox', undefined, 200],
    ['POST', '/local/clock', '{"now":"2026-03-02T13:00:00Z"}', 200],
    ['POST', '/local/clock', '{"now":"yesterday"}', 400],
    ['POST', '/local/clock', '{', 400],
    ['DELETE', '/local/outbox', undefined, 405],
  ])("local mode's own routes: %s %s", async (method, path, body, status) => {
    await expectGuarded(await call(method, path, body), status);
  });

  it.each([
    ['GET', '/v1/nowhere', 404],
    ['GET', '/', 404],
    ['DELETE', '/v1/cases/C-1001', 405],
    ['PUT', '/v1/events', 405],
  ])("the server's own refusals: %s %s", async (method, path, status) => {
    await expectGuarded(await call(method, path), status);
  });
});

describe('a 405 names the methods its path takes', () => {
  it.each([
    ['GET', '/v1/events', 'POST'],
    ['DELETE', '/v1/events', 'POST'],
    ['POST', '/v1/cases/C-1001', 'GET'],
    ['PUT', '/v1/people/P-0001', 'GET'],
    ['PATCH', '/v1/rota', 'GET'],
    ['GET', '/v1/alerts/AAAAAAAA/ack', 'POST'],
    ['DELETE', '/a/some-token', 'GET, POST'],
    ['OPTIONS', '/v1/deadlines', 'GET'],
    ['HEAD', '/v1/deadlines', 'GET'],
    ['DELETE', '/app/sign-in', 'GET, POST'],
    ['PUT', '/app', 'GET'],
    ['GET', '/local/clock', 'POST'],
    ['POST', '/local/outbox', 'GET'],
  ])('%s %s: 405, Allow: %s', async (method, path, allow) => {
    // Act
    const response = await call(method, path);
    // Assess
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe(allow);
    if (method !== 'HEAD') {
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(await response.json()).toMatchObject({
        status: 405,
        type: 'https://timescales.dev/problems/method-not-allowed',
      });
    }
  });
});
