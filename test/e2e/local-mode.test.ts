/**
 * Local mode end to end, over HTTP, as `npm start` wires it: signed events in, the simulated
 * clock moved with POST /local/clock, messages read back from GET /local/outbox. The scenario
 * is a LADO concern raised on Friday 22 May 2026 at 16:30 BST, the Monday after a
 * bank holiday (Spring bank holiday, 25 May 2026).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTable } from '#adapters/dynamodb/create-table.js';
import { makeDocumentClient } from '#commons/clients.js';
import { signWebhook } from '#commons/webhook.js';
import type { OutboxEntry } from '#local/outbox.js';
import { makeLocalReminders } from '#local/scheduler-driver.js';
import { type LocalServer, startLocalServer } from '#local/server.js';
import { AUTHORITY, TEST_SECRET } from '#test/api/support.js';
import { makeCaseEngine } from '#use-cases/bind-engine.js';

type Sent = OutboxEntry;

const EDT_PHONE = '+447700900005';
const EDT_EMAIL = 'edt.manager.one@example.gov.uk';

describe('local mode over HTTP: a LADO concern on the Friday before a bank-holiday Monday', () => {
  let server: LocalServer;
  let stopReminders: () => Promise<void>;
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
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const send = (type: string, occurredAt: string, caseId: string | null, data: object) =>
    post(
      '/v1/events',
      { id: `E2E-${++eventCount}`, type, occurredAt, ...(caseId ? { caseId } : {}), data },
      true,
    );
  const moveClock = (now: string) => post('/local/clock', { now });
  const outbox = async () => (await (await fetch(`${server.url}/local/outbox`)).json()) as Sent[];

  beforeAll(async () => {
    // Prepare: a fresh table, the reminders wiring of `npm start`, the clock at Friday 16:00 BST.
    const endpoint = inject('dynamoEndpoint');
    const tableName = `e2e-local-${process.pid}-${Date.now()}`;
    await createTable(new DynamoDBClient({ endpoint }), tableName);
    const reminders = makeLocalReminders({
      client: makeDocumentClient({ endpoint }),
      tableName,
      authority: AUTHORITY,
      sesEndpoint: inject('sesEndpoint'),
      start: new Date('2026-05-22T15:00:00Z'),
    });
    stopReminders = () => reminders.stop();
    server = await startLocalServer({
      port: 0,
      dynamoEndpoint: endpoint,
      tableName,
      webhookSecret: TEST_SECRET,
      engine: makeCaseEngine(AUTHORITY),
      scheduler: reminders.driver,
      clock: reminders.clock,
      localRoutes: reminders.routes,
    });
    const person = (personId: string, email: string, phone?: string) =>
      send('person.upserted', '2026-05-22T14:00:00Z', null, {
        personId,
        name: `Professional ${personId}`,
        email,
        team: 'north',
        ...(phone ? { phone } : {}),
      });
    for (const response of [
      await person('P-0002', 'manager.one@example.gov.uk'),
      await person('P-0004', 'lado.one@example.gov.uk', '+447700900004'),
      await person('P-0005', EDT_EMAIL, EDT_PHONE),
      // EDT on call from Friday 17:00 BST to Tuesday 09:00 BST.
      await send('rota.shift', '2026-05-22T14:00:00Z', null, {
        personId: 'P-0005',
        from: '2026-05-22T16:00:00Z',
        to: '2026-05-26T08:00:00Z',
      }),
    ]) {
      expect(response.status).toBe(202);
    }
    const workers = [
      { personId: 'P-0002', role: 'team-manager' },
      { personId: 'P-0004', role: 'lado' },
    ];
    for (const caseId of ['C-1001', 'C-1002']) {
      expect(
        (await send('case.opened', '2026-05-22T14:30:00Z', caseId, { team: 'north', workers }))
          .status,
      ).toBe(202);
      // 16:30 BST Friday + 24 elapsed hours: due Saturday 16:30 BST; 50% at 04:30, 75% at 10:30.
      expect(
        (await send('lado.concern-raised', '2026-05-22T15:30:00Z', caseId, { allegationId: 'A-1' }))
          .status,
      ).toBe(202);
    }
    // C-1002's LADO is notified at 17:00 BST on Friday, before any reminder falls due.
    expect(
      (await send('lado.notified', '2026-05-22T16:00:00Z', 'C-1002', { allegationId: 'A-1' }))
        .status,
    ).toBe(202);
  });

  afterAll(async () => {
    await stopReminders?.();
    await server?.close();
  });

  it('sends nothing before the first reminder falls due', async () => {
    // Act: Saturday 04:00 BST.
    const moved = await moveClock('2026-05-23T03:00:00Z');
    // Assess
    expect(moved.status).toBe(200);
    expect(await outbox()).toEqual([]);
  });

  it('alerts the EDT manager on shift by SMS and email at 04:30, 10:30 and 16:30 on Saturday', async () => {
    // Act: Sunday 12:00 BST.
    await moveClock('2026-05-24T11:00:00Z');
    // Assess: each reminder out of hours goes at once to EDT, SMS and email.
    const edt = (await outbox()).filter((m) => m.to === EDT_PHONE || m.to === EDT_EMAIL);
    expect(edt.map((m) => [m.sentAt.slice(0, 16), m.channel])).toEqual([
      ['2026-05-23T03:30', 'sms'],
      ['2026-05-23T03:30', 'email'],
      ['2026-05-23T09:30', 'sms'],
      ['2026-05-23T09:30', 'email'],
      ['2026-05-23T15:30', 'sms'],
      ['2026-05-23T15:30', 'email'],
    ]);
    expect(edt.every((m) => m.caseId === 'C-1001' && m.rule === 'lado-notification')).toBe(true);
    expect(edt.find((m) => m.channel === 'sms')?.body.length).toBeLessThanOrEqual(160);
  });

  it('gives the day team one digest at 09:00 on Tuesday, not on the bank-holiday Monday', async () => {
    // Act: Monday 12:00 BST, then Tuesday 10:00 BST.
    await moveClock('2026-05-25T11:00:00Z');
    const byMonday = (await outbox()).filter((m) => m.rule === 'digest');
    await moveClock('2026-05-26T09:00:00Z');
    // Assess
    const digests = (await outbox()).filter((m) => m.rule === 'digest');
    expect(byMonday).toEqual([]);
    expect(digests.map((m) => [m.sentAt.slice(0, 16), m.channel])).toEqual([
      ['2026-05-26T08:00', 'email'],
    ]);
  });

  it('sends nothing to anyone about C-1002, whose LADO was notified in time', async () => {
    expect((await outbox()).filter((m) => m.caseId === 'C-1002')).toEqual([]);
  });

  it('never names anyone in a message: case reference and link only', async () => {
    for (const message of await outbox()) {
      expect(message.body).not.toMatch(/Professional P-/);
    }
  });
});
