/** The local stack of the out-of-hours alert story (see alerts.test.ts) and what its tests read. */
import { createServer } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { expect, inject } from 'vitest';
import type { OutboxEntry } from '#functions/local/outbox.js';
import { makeLocalReminders } from '#functions/local/scheduler-driver.js';
import { type LocalServer, startLocalServer } from '#functions/local/server.js';
import { makeCaseEngine } from '#kernel/engine/bound.js';
import { makeDocumentClient } from '#platform/clients.js';
import { createTable } from '#platform/dynamodb/create-table.js';
import { signWebhook } from '#platform/webhook.js';
import type { AuthorityConfig } from '#schemas/authority.js';
import { AlertList } from '#schemas/responses.js';
import { TEST_SECRET } from '#test/api/support.js';

export const EDT_PHONE = '+447700900005';
export const SENIOR_PHONE = '+447700900008';
export const DUTY = { email: 'duty.inbox@example.gov.uk', phone: '+447700900099' };
export const KEY = 'e2e-alert-token-key-0123456789abcdef';

/** A port nothing listens on, so the ack links can point at the server before it starts. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((listening) => probe.listen(0, '127.0.0.1', listening));
  const { port } = probe.address() as { port: number };
  await new Promise((closed) => probe.close(closed));
  return port;
}

/** One local stack with the story's people, rota and LADO concern, at Friday 16:30 BST. */
export async function story(options: { rules?: unknown } = {}) {
  const endpoint = inject('dynamoEndpoint');
  const tableName = `e2e-alerts-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  await createTable(new DynamoDBClient({ endpoint }), tableName);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const authority: AuthorityConfig = {
    authority: 'Example Council',
    division: 'england-and-wales',
    preset: 'southampton',
    links: { caseUrlTemplate: 'https://cases.example.gov.uk/cases/{caseId}', ackBaseUrl: base },
    fallbackContact: DUTY,
    ...(options.rules === undefined ? {} : { rules: options.rules }),
  };
  const reminders = makeLocalReminders({
    client: makeDocumentClient({ endpoint }),
    tableName,
    authority,
    sesEndpoint: inject('sesEndpoint'),
    start: new Date('2026-06-05T15:00:00Z'),
    alertTokenKey: KEY,
  });
  const server: LocalServer = await startLocalServer({
    port,
    dynamoEndpoint: endpoint,
    tableName,
    webhookSecret: TEST_SECRET,
    engine: makeCaseEngine(authority),
    scheduler: reminders.driver,
    clock: reminders.clock,
    localRoutes: reminders.routes,
    authority,
    alertTokenKey: KEY,
  });
  let n = 0;
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
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const send = async (type: string, occurredAt: string, caseId: string | null, data: object) => {
    const event = { id: `E2E-A-${++n}`, type, occurredAt, ...(caseId ? { caseId } : {}), data };
    const answer = await post('/v1/events', event, true);
    expect(answer.status).toBe(202);
    return answer;
  };
  const person = (personId: string, email: string, phone?: string) =>
    send('person.upserted', '2026-06-01T09:00:00Z', null, {
      personId,
      name: `Professional ${personId}`,
      email,
      team: 'north',
      ...(phone ? { phone } : {}),
    });
  await person('P-0002', 'manager.one@example.gov.uk');
  await person('P-0004', 'lado.one@example.gov.uk', '+447700900004');
  await person('P-0005', 'edt.manager.one@example.gov.uk', EDT_PHONE);
  await person('P-0008', 'senior.manager.one@example.gov.uk', SENIOR_PHONE);
  // Friday 17:00 BST to Monday 09:00 BST: the EDT manager (tier 1 by default) and above them
  // the senior manager on call.
  const shift = { from: '2026-06-05T16:00:00Z', to: '2026-06-08T08:00:00Z' };
  await send('rota.shift', '2026-06-01T09:00:00Z', null, { personId: 'P-0005', ...shift });
  await send('rota.shift', '2026-06-01T09:00:00Z', null, { personId: 'P-0008', ...shift, tier: 2 });
  await send('case.opened', '2026-06-05T14:00:00Z', 'C-1001', {
    team: 'north',
    workers: [
      { personId: 'P-0004', role: 'lado' },
      { personId: 'P-0002', role: 'team-manager' },
    ],
  });
  await send('lado.concern-raised', '2026-06-05T15:30:00Z', 'C-1001', { allegationId: 'A-1' });

  const outbox = async () =>
    (await (await fetch(`${server.url}/local/outbox`)).json()) as OutboxEntry[];
  return {
    server,
    base,
    post,
    moveClock: async (now: string) =>
      expect((await post('/local/clock', { now })).status).toBe(200),
    outbox,
    texts: async (to: string) => (await outbox()).filter((m) => m.channel === 'sms' && m.to === to),
    getJson: async (path: string) => {
      const response = await fetch(`${server.url}${path}`);
      return { status: response.status, body: (await response.json()) as unknown };
    },
    page: async (url: string, method: 'GET' | 'POST' = 'GET') => {
      const response = await fetch(url, { method });
      return { status: response.status, headers: response.headers, html: await response.text() };
    },
    close: async () => {
      await reminders.stop();
      await server.close();
    },
  };
}

export type Story = Awaited<ReturnType<typeof story>>;

/** The ack link in a message. */
export function linkIn(text: string, base: string): string {
  const found = new RegExp(`${base.replace(/[.]/g, '\\.')}/a/[A-Za-z0-9_-]+`).exec(text);
  if (found === null) throw new Error(`no ack link in: ${text}`);
  return found[0];
}

export async function openAlerts(s: Story) {
  const { status, body } = await s.getJson('/v1/alerts?status=open');
  expect(status).toBe(200);
  return AlertList.parse(body).alerts;
}

export async function auditKinds(
  s: Story,
): Promise<{ kind: string; detail: Record<string, unknown> }[]> {
  const { body } = await s.getJson('/v1/cases/C-1001/audit');
  return (body as { entries: { kind: string; detail: Record<string, unknown> }[] }).entries;
}
