/**
 * One local stack for an end-to-end story, in this process: its own table on the run's DynamoDB
 * Local, the local reminders (timer driver, simulated clock, messaging stand-ins) and the server
 * `npm start` runs — and the calls a back-office sender makes to it.
 */
import { createServer } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import type { OutboxEntry } from '#functions/local/outbox.js';
import { makeLocalReminders } from '#functions/local/scheduler-driver.js';
import { type LocalServer, startLocalServer } from '#functions/local/server.js';
import { makeCaseEngine } from '#kernel/engine/bound.js';
import { makeDocumentClient } from '#platform/clients.js';
import { createTable } from '#platform/dynamodb/create-table.js';
import { signWebhook } from '#platform/webhook.js';
import type { AuthorityConfig } from '#schemas/authority.js';
import { TEST_SECRET } from '#test/api/support.js';

export interface StackOptions {
  /** In the table's name and the events' ids. */
  name: string;
  /** The authority; a function when its links must point at the server (`base`). */
  authority: AuthorityConfig | ((base: string) => AuthorityConfig);
  /** Where the simulated clock starts. */
  start: string;
  /** Ack links signed with this key. @default the local development key */
  alertTokenKey?: string;
  /** The messaging provider, with its receipts routed back to the server. @default aws */
  messaging?: 'aws' | 'notify';
  /** Serve on a port known before the start (ack links and Notify's callbacks name it). */
  knownPort?: boolean;
}

export async function startStack(options: StackOptions) {
  const endpoint = inject('dynamoEndpoint');
  const tableName = `e2e-${options.name}-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  await createTable(new DynamoDBClient({ endpoint }), tableName);
  const port = options.knownPort === true ? await freePort() : 0;
  const base = `http://127.0.0.1:${port}`;
  const authority =
    typeof options.authority === 'function' ? options.authority(base) : options.authority;
  const key = options.alertTokenKey === undefined ? {} : { alertTokenKey: options.alertTokenKey };
  const reminders = makeLocalReminders({
    client: makeDocumentClient({ endpoint }),
    tableName,
    authority,
    sesEndpoint: inject('sesEndpoint'),
    start: new Date(options.start),
    ...key,
    ...(options.messaging === undefined ? {} : { messaging: options.messaging, serverUrl: base }),
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
    ...(options.messaging === undefined ? {} : { delivery: reminders.delivery }),
    authority,
    ...key,
  });
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
  let events = 0;
  const event = (type: string, occurredAt: string, caseId: string | null, data: object) => ({
    id: `E2E-${options.name}-${++events}`,
    type,
    occurredAt,
    ...(caseId ? { caseId } : {}),
    data,
  });
  const getJson = async (path: string) => {
    const response = await fetch(`${server.url}${path}`);
    return { status: response.status, body: (await response.json()) as unknown };
  };
  return {
    server,
    reminders,
    base,
    post,
    event,
    /** An event, signed and posted as a back-office system would. */
    send: (type: string, occurredAt: string, caseId: string | null, data: object) =>
      post('/v1/events', event(type, occurredAt, caseId, data), true),
    getJson,
    outbox: async () => (await getJson('/local/outbox')).body as OutboxEntry[],
    close: async () => {
      await reminders.stop();
      await server.close();
    },
  };
}

/** A port nothing listens on, so links can point at the server before it starts. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((listening) => probe.listen(0, '127.0.0.1', listening));
  const { port } = probe.address() as { port: number };
  await new Promise((closed) => probe.close(closed));
  return port;
}
