/**
 * GOV.UK Notify's callbacks given bad input: the bearer token is checked before anything is
 * read (401 missing or wrong, in any scheme but Bearer), then the body (413 over 64 KB, 415 not
 * JSON, 400 malformed or out of shape, naming the field; an unknown status is a 400 naming
 * `status`). A reference that names no send of ours is a 202 (Notify would only send it
 * again), logged and counted. None of these reaches the store's writes or the fire path.
 */
import { describe, expect, it } from 'vitest';
import { makeHandler } from '#functions/delivery/notify-handler.js';
import type { NotifyHandlerDeps } from '#functions/delivery/notify-wiring.js';
import type { ReceiptStore } from '#functions/delivery/ports.js';
import { apiEvent, bodyOf } from './support.js';

const TOKEN = 'k3y-for-the-callbacks-0123456789abcdef';
const RECEIPTS = 'POST /v1/notify/delivery-receipts';
const TEXTS = 'POST /v1/notify/received-text-messages';

function harness() {
  const writes: string[] = [];
  const counted: string[] = [];
  const followUps: unknown[] = [];
  const store: ReceiptStore = {
    read: async () => {
      writes.push('read');
      return { deliveries: {} };
    },
    settle: async () => {
      writes.push('settle');
      return true;
    },
    note: async () => {
      writes.push('note');
    },
  };
  const deps = {
    receipts: {
      store,
      followUps: { undelivered: async (f: unknown) => followUps.push(f) },
      clock: { now: () => new Date('2026-06-06T03:31:00Z') },
      metrics: { count: (name: string) => void counted.push(name) },
      log: { info: () => {}, warn: () => {}, error: () => {} },
    },
    callbackToken: TOKEN,
    acks: {} as NotifyHandlerDeps['acks'],
    invitations: { get: async () => undefined },
  } as unknown as NotifyHandlerDeps;
  const handler = makeHandler(deps);
  const call = (
    routeKey: string,
    body: string,
    headers: Record<string, string> = {
      authorization: `Bearer ${TOKEN}`,
      'content-type': 'application/json',
    },
  ) =>
    handler(
      apiEvent(routeKey, routeKey.split(' ')[1] ?? '/', { body, headers }),
      {} as never,
    ) as Promise<{ statusCode: number; body?: string }>;
  return { call, writes, counted, followUps };
}

const receipt = (fields: Record<string, unknown> = {}) =>
  JSON.stringify({
    id: '740e5834-3a29-46b4-9a6f-16142fde533a',
    reference: 'not-a-send-of-ours',
    to: '07700900002',
    status: 'permanent-failure',
    created_at: '2026-06-06T03:30:00.000Z',
    completed_at: '2026-06-06T03:30:05.000Z',
    sent_at: '2026-06-06T03:30:01.000Z',
    notification_type: 'sms',
    ...fields,
  });

describe('Notify’s callbacks: the bearer token', () => {
  it.each([
    ['missing', {}],
    ['wrong (one character off, same length)', { authorization: `Bearer ${TOKEN.slice(0, -1)}x` }],
    ['a prefix of the token', { authorization: `Bearer ${TOKEN.slice(0, 10)}` }],
    ['longer than the token', { authorization: `Bearer ${TOKEN}x` }],
    ['in another scheme', { authorization: `Basic ${TOKEN}` }],
    ['empty', { authorization: 'Bearer ' }],
  ])('%s: 401, on both callbacks, before the body is read', async (_label, auth) => {
    const { call, writes } = harness();
    // An oversized, malformed body: the token is refused first.
    const headers = { ...auth, 'content-type': 'application/json' } as Record<string, string>;
    for (const route of [RECEIPTS, TEXTS]) {
      const result = await call(route, `{${'x'.repeat(70_000)}`, headers);
      expect(result.statusCode).toBe(401);
      expect(bodyOf(result)).toMatchObject({
        status: 401,
        errors: [{ field: 'header.authorization' }],
      });
    }
    expect(writes).toEqual([]);
  });
});

describe('Notify’s callbacks: the body', () => {
  it.each([
    ['larger than 64 KB', receipt({ to: 'x'.repeat(70_000) }), 413, undefined],
    ['not JSON', '{"id": ', 400, undefined],
    ['a field out of shape', receipt({ id: 42 }), 400, 'id'],
    ['no status', receipt({ status: undefined }), 400, 'status'],
    ['an unknown status', receipt({ status: 'exploded' }), 400, 'status'],
  ])('%s: %i', async (_label, body, status, field) => {
    const { call, writes, followUps } = harness();
    const result = await call(RECEIPTS, body);
    expect(result.statusCode).toBe(status);
    const problem = bodyOf<{ status: number; errors?: { field: string }[] }>(result);
    expect(problem.status).toBe(status);
    if (field !== undefined) expect(problem.errors?.map((e) => e.field)).toContain(field);
    expect(writes).toEqual([]);
    expect(followUps).toEqual([]);
  });

  it('not application/json: 415', async () => {
    const { call } = harness();
    const result = await call(RECEIPTS, receipt(), {
      authorization: `Bearer ${TOKEN}`,
      'content-type': 'text/plain',
    });
    expect(result.statusCode).toBe(415);
  });

  it('a received text with a source number that is not digits: 400 naming it', async () => {
    const { call } = harness();
    const result = await call(
      TEXTS,
      JSON.stringify({ id: 'in-1', source_number: 'EDT manager', message: 'YES' }),
    );
    expect(result.statusCode).toBe(400);
    expect(bodyOf<{ errors: { field: string }[] }>(result).errors.map((e) => e.field)).toContain(
      'source_number',
    );
  });
});

describe('Notify’s callbacks: receipts that change nothing', () => {
  it('a reference naming no send of ours: 202 "unknown", counted, nothing written', async () => {
    const { call, writes, counted, followUps } = harness();
    const result = await call(RECEIPTS, receipt());
    expect(result.statusCode).toBe(202);
    expect(bodyOf(result)).toEqual({ status: 'unknown' });
    expect(counted).toEqual(['ReceiptUnknown']);
    expect(writes).toEqual([]);
    expect(followUps).toEqual([]);
  });

  it('a receipt still on its way ("sending"): 202, nothing read or written', async () => {
    // (The harness's `writes` lists the store's reads too.)
    const { call, writes, counted } = harness();
    const result = await call(RECEIPTS, receipt({ status: 'sending' }));
    expect(result.statusCode).toBe(202);
    expect(bodyOf(result)).toEqual({ status: 'on-its-way' });
    expect(counted).toEqual([]);
    expect(writes).toEqual([]);
  });
});
