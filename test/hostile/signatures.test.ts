/**
 * Signature forgery, stale and future timestamps, and replays of a captured valid request
 * with its body or headers changed — other bytes under the same signature, even bytes that
 * decode to the same text — always 401, and the table unchanged.
 * (test/api/events.test.ts has one worked example of each; these are the fuzzed versions.)
 */
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { EventsHandler } from '#functions/ingest/handler.js';
import { eventsHandlerOn } from '#test/api/events-support.js';
import {
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
  ({ handler } = eventsHandlerOn(table, { now: new Date('2026-03-02T12:00:00Z') }));
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

/** `body` with the three webhook headers exactly as given. */
const headedAs = (id: string, ts: string, signature: string) =>
  postEvent(body, {
    unsigned: true,
    headers: { 'webhook-id': id, 'webhook-timestamp': ts, 'webhook-signature': signature },
  });

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
        await expectRefused(headedAs(id, ts, make(id, ts, body)));
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
        await expectRefused(headedAs(id, ts, sign(realKey, id, ts, body)));
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

/** Bytes that are never part of UTF-8: each decodes, leniently, to one U+FFFD. */
const STRAY = [0x80, 0x9f, 0xbf, 0xc0, 0xc1, 0xf5, 0xf8, 0xfe, 0xff];

describe('POST /v1/events: the signature covers the bytes, not their decoding', () => {
  it('refuses 150 bodies sent under a signature made over other bytes, whatever they decode to', async () => {
    // Prepare: the bytes sent, and other bytes the signature was made over: half the time
    // the sent ones with other stray bytes (the same text with U+FFFD), otherwise any; and
    // the signature over those bytes, or over the text either decodes to, re-encoded.
    const before = await snapshot(table.client, table.tableName);
    const lenient = (bytes: Buffer) => Buffer.from(bytes.toString('utf8'), 'utf8');
    const pair = fc
      .tuple(
        fc.oneof(
          fc
            .array(fc.tuple(fc.constantFrom(...STRAY), fc.constantFrom(...STRAY)), {
              minLength: 1,
              maxLength: 4,
            })
            .filter((pairs) => pairs.some(([a, b]) => a !== b))
            .map((pairs) => {
              const [head, tail] = body.split('north-') as [string, string];
              const wrap = (stray: number[]) =>
                Buffer.concat([
                  Buffer.from(`${head}north-`),
                  Buffer.from(stray),
                  Buffer.from(tail),
                ]);
              return [wrap(pairs.map(([a]) => a)), wrap(pairs.map(([, b]) => b))] as const;
            }),
          fc
            .tuple(fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ maxLength: 64 }))
            .map(([a, b]) => [Buffer.from(a), Buffer.from(b)] as const),
        ),
        fc.constantFrom('other bytes', 'their text', 'the sent bytes’ text'),
      )
      .map(([[other, sent], over]) => ({
        sent,
        signed:
          over === 'other bytes' ? other : over === 'their text' ? lenient(other) : lenient(sent),
      }))
      .filter(({ sent, signed }) => !sent.equals(signed));
    // Act
    await fc.assert(
      fc.asyncProperty(pair, async ({ signed: signedBytes, sent: sentBytes }) => {
        const id = `msg_${crypto.randomUUID()}`;
        const ts = String(nowSeconds());
        const mac = createHmac('sha256', realKey).update(`${id}.${ts}.`).update(signedBytes);
        const request = {
          ...postEvent('', { unsigned: true }),
          body: sentBytes.toString('base64'),
          isBase64Encoded: true,
        };
        request.headers = {
          ...request.headers,
          'webhook-id': id,
          'webhook-timestamp': ts,
          'webhook-signature': `v1,${mac.digest('base64')}`,
        };
        await expectRefused(request);
      }),
      { numRuns: 150 },
    );
    // Assess
    expect(await snapshot(table.client, table.tableName)).toBe(before);
  });
});
