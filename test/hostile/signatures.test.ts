/**
 * Signature forgery, stale and future timestamps, and replays of a captured valid request
 * with its body or headers changed: always 401, and the table unchanged.
 * (test/api/events.test.ts has one worked example of each; these are the fuzzed versions.)
 */
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { type EventsHandler, makeHandler } from '#functions/ingest/handler.js';
import { RecordingScheduler } from '#functions/local/server.js';
import { makeCaseEngine } from '#kernel/engine/bound.js';
import { DynamoCaseStore } from '#platform/dynamodb/case-store.js';
import { DynamoDirectory } from '#platform/dynamodb/directory.js';
import {
  AUTHORITY,
  bodyOf,
  envelope,
  freshTable,
  postEvent,
  snapshot,
  TEST_SECRET,
} from '#test/api/support.js';

let table: Awaited<ReturnType<typeof freshTable>>;
let handler: EventsHandler;

beforeAll(async () => {
  table = await freshTable(inject('dynamoEndpoint'), 'hostile-sig');
  handler = makeHandler({
    webhookSecret: TEST_SECRET,
    store: new DynamoCaseStore(table.client, table.tableName),
    directory: new DynamoDirectory(table.client, table.tableName),
    engine: makeCaseEngine(AUTHORITY),
    scheduler: new RecordingScheduler(),
    clock: { now: () => new Date('2026-03-02T12:00:00Z') },
  });
});

/** Signs like a sender, with any key bytes: `v1,<base64 HMAC-SHA256(id.ts.body)>`. */
const sign = (key: Buffer, id: string, ts: string, body: string) =>
  `v1,${createHmac('sha256', key).update(`${id}.${ts}.${body}`).digest('base64')}`;
const realKey = Buffer.from(TEST_SECRET.slice('whsec_'.length), 'base64');
const nowSeconds = () => Math.floor(Date.now() / 1000);

async function expectRefused(request: Parameters<EventsHandler>[0]) {
  const result = await handler(request);
  expect(result.statusCode, result.body).toBe(401);
  expect(result.headers['content-type']).toBe('application/problem+json');
  const problem = bodyOf<{ type: string; errors: { field: string }[] }>(result);
  expect(problem.type).toBe('https://timescales.dev/problems/unauthorized');
  expect(problem.errors[0]?.field).toMatch(/^header\.webhook-/);
}

const body = JSON.stringify(envelope.caseOpened('sig-fuzz-1', 'C-5001'));

describe('POST /v1/events: forged signatures', () => {
  it('refuses 120 forgeries (other keys, tampered MACs, wrong schemes) with 401 and changes nothing', async () => {
    // Prepare
    const before = await snapshot(table.client, table.tableName);
    const forgery = fc.oneof(
      // Signed with another key (including near misses of the real one).
      fc
        .oneof(
          fc.uint8Array({ minLength: 1, maxLength: 64 }).map((a) => Buffer.from(a)),
          fc.nat({ max: realKey.length - 1 }).map((i) => {
            const k = Buffer.from(realKey);
            k[i] = (k[i] ?? 0) ^ 1;
            return k;
          }),
          fc.constant(Buffer.from(TEST_SECRET)), // the whsec_ text itself, not its bytes
        )
        .map((key) => (id: string, ts: string, b: string) => sign(key, id, ts, b)),
      // The real MAC, damaged or dressed up.
      fc
        .constantFrom(
          (s: string) => s.replace('v1,', 'v2,'),
          (s: string) => s.replace('v1,', 'v1a,'),
          (s: string) => s.replace('v1,', ''),
          // Change the MAC's first character: its 6 bits all count (the last character's
          // low bits are base64 padding, so changing it can leave the same MAC).
          (s: string) => `v1,${s[3] === 'A' ? 'B' : 'A'}${s.slice(4)}`,
          (s: string) => s.toLowerCase(),
          (s: string) => s.slice(0, 20),
          (s: string) => `v1,${Buffer.from(s.slice(3), 'base64').toString('hex')}`,
          () => 'v1,   ',
          (s: string) => `v1,${s.slice(3).split('').reverse().join('')}`,
        )
        .map((damage) => (id: string, ts: string, b: string) => damage(sign(realKey, id, ts, b))),
      // Junk.
      fc
        .string({ unit: 'grapheme-ascii', maxLength: 120 })
        .map((junk) => () => junk.replace(/[\r\n]/g, '') || 'x'),
    );
    // Act
    await fc.assert(
      fc.asyncProperty(forgery, async (make) => {
        const id = `msg_${crypto.randomUUID()}`;
        const ts = String(nowSeconds());
        await expectRefused(
          postEvent(body, {
            unsigned: true,
            headers: {
              'webhook-id': id,
              'webhook-timestamp': ts,
              'webhook-signature': make(id, ts, body),
            },
          }),
        );
      }),
      { numRuns: 120 },
    );
    // Assess
    expect(await snapshot(table.client, table.tableName)).toBe(before);
  });

  it('refuses correctly signed requests whose timestamp is stale (>5 min), in the future or not a number', async () => {
    // Prepare
    const before = await snapshot(table.client, table.tableName);
    const badTimestamp = fc.oneof(
      fc.integer({ min: 301, max: 10 * 365 * 86_400 }).map((s) => String(nowSeconds() - s)),
      fc.integer({ min: 301, max: 10 * 365 * 86_400 }).map((s) => String(nowSeconds() + s)),
      fc.constantFrom(
        '',
        '0',
        '-1',
        'NaN',
        '1e10',
        `${nowSeconds()}.5`,
        `${nowSeconds() * 1000}`,
        ' ',
        'now',
      ),
    );
    // Act
    await fc.assert(
      fc.asyncProperty(badTimestamp, async (ts) => {
        const id = `msg_${crypto.randomUUID()}`;
        await expectRefused(
          postEvent(body, {
            unsigned: true,
            headers: {
              'webhook-id': id,
              'webhook-timestamp': ts,
              'webhook-signature': sign(realKey, id, ts, body),
            },
          }),
        );
      }),
      { numRuns: 60 },
    );
    // Assess
    expect(await snapshot(table.client, table.tableName)).toBe(before);
  });

  it('refuses a captured valid request replayed with its body, id or timestamp changed', async () => {
    // Prepare: a capture that would be accepted as it is.
    const captured = postEvent(body);
    const before = await snapshot(table.client, table.tableName);
    const change = fc.oneof(
      // One byte of the body flipped (still maybe valid JSON, never the signed bytes).
      fc.nat({ max: body.length - 1 }).chain((i) =>
        fc
          .integer({ min: 32, max: 126 })
          .filter((c) => c !== body.charCodeAt(i))
          .map((c) => ({ body: body.slice(0, i) + String.fromCharCode(c) + body.slice(i + 1) })),
      ),
      // The same event re-serialised (same meaning, different bytes): refused too.
      fc.constant({ body: JSON.stringify(JSON.parse(body), null, 2) }),
      fc.constant({ body: `${body} ` }),
      // A new id or a fresher timestamp on the old signature.
      fc.constant({ headers: { 'webhook-id': 'msg_other' } }),
      fc
        .integer({ min: 1, max: 299 })
        .map((s) => String(nowSeconds() - s))
        .filter((ts) => ts !== captured.headers['webhook-timestamp'])
        .map((ts) => ({ headers: { 'webhook-timestamp': ts } })),
    );
    // Act
    await fc.assert(
      fc.asyncProperty(change, async (c) => {
        await expectRefused({
          ...captured,
          ...('body' in c ? { body: c.body } : {}),
          headers: { ...captured.headers, ...('headers' in c ? c.headers : {}) },
        });
      }),
      { numRuns: 100 },
    );
    // Assess
    expect(await snapshot(table.client, table.tableName)).toBe(before);
    // The capture itself is still good: the refusals were about the changes.
    expect((await handler(captured)).statusCode).toBe(202);
  });
});
