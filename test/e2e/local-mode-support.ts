/** The local stack of the local-mode stories (see local-mode.test.ts) and the people in them. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import type { OutboxEntry } from '#functions/local/outbox.js';
import { makeLocalReminders } from '#functions/local/scheduler-driver.js';
import { type LocalServer, startLocalServer } from '#functions/local/server.js';
import { makeCaseEngine } from '#kernel/engine/bound.js';
import { makeDocumentClient } from '#platform/clients.js';
import { createTable } from '#platform/dynamodb/create-table.js';
import { signWebhook } from '#platform/webhook.js';
import { AUTHORITY, TEST_SECRET } from '#test/api/support.js';

export const EDT_PHONE = '+447700900005';
export const EDT_EMAIL = 'edt.manager.one@example.gov.uk';
export const MANAGER_EMAIL = 'manager.one@example.gov.uk';
export const DUTY_INBOX = AUTHORITY.fallbackContact?.email as string;

/** One local stack (its own table, server and simulated clock) and the calls a sender makes. */
export async function localStack(start: string) {
  const endpoint = inject('dynamoEndpoint');
  const tableName = `e2e-local-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  await createTable(new DynamoDBClient({ endpoint }), tableName);
  const reminders = makeLocalReminders({
    client: makeDocumentClient({ endpoint }),
    tableName,
    authority: AUTHORITY,
    sesEndpoint: inject('sesEndpoint'),
    start: new Date(start),
  });
  const server: LocalServer = await startLocalServer({
    port: 0,
    dynamoEndpoint: endpoint,
    tableName,
    webhookSecret: TEST_SECRET,
    engine: makeCaseEngine(AUTHORITY),
    scheduler: reminders.driver,
    clock: reminders.clock,
    localRoutes: reminders.routes,
    authority: AUTHORITY,
  });
  let eventCount = 0;
  const post = async (path: string, body: unknown, signed = false) => {
    const text = JSON.stringify(body);
    const response = await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(signed ? signWebhook(TEST_SECRET, text, { at: new Date() }) : {}),
      },
      body: text,
    });
    const raw = await response.text();
    return { status: response.status, raw, body: JSON.parse(raw) as Record<string, unknown> };
  };
  const event = (type: string, occurredAt: string, caseId: string | null, data: object) => ({
    id: `E2E-${++eventCount}`,
    type,
    occurredAt,
    ...(caseId ? { caseId } : {}),
    data,
  });
  const stack = {
    server,
    post,
    event,
    deliver: (e: ReturnType<typeof event>) => post('/v1/events', e, true),
    send: (type: string, occurredAt: string, caseId: string | null, data: object) =>
      post('/v1/events', event(type, occurredAt, caseId, data), true),
    moveClock: (now: string) => post('/local/clock', { now }),
    now: () => reminders.clock.now(),
    outbox: async () => (await (await fetch(`${server.url}/local/outbox`)).json()) as OutboxEntry[],
    get: async (path: string) => {
      const response = await fetch(`${server.url}${path}`);
      return { status: response.status, body: (await response.json()) as unknown };
    },
    person: (personId: string, email: string, phone?: string, managerId?: string) =>
      stack.send('person.upserted', '2026-05-01T09:00:00Z', null, {
        personId,
        name: `Professional ${personId}`,
        email,
        team: 'north',
        ...(phone ? { phone } : {}),
        ...(managerId ? { managerId } : {}),
      }),
    close: async () => {
      await reminders.stop();
      await server.close();
    },
  };
  return stack;
}

export type Stack = Awaited<ReturnType<typeof localStack>>;

export const WORKERS = [
  { personId: 'P-0002', role: 'team-manager' },
  { personId: 'P-0004', role: 'lado' },
];
