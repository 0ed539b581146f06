/**
 * The webhook's signature covers the body's bytes exactly as they arrive, and a body that is
 * not UTF-8 is refused: worked examples through the events handler, each request signed the
 * way a sender with OpenSSL or node:crypto signs it (HMAC-SHA256 over `id.timestamp.` and the
 * bytes), and API Gateway's base64 form of a body it does not treat as text.
 */
import { isUtf8 } from 'node:buffer';
import { createHmac } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { EventsHandler } from '#functions/ingest/handler.js';
import { firstInvalidByte } from '#platform/body.js';
import type { DynamoDirectory } from '#platform/dynamodb/directory.js';
import { signWebhook } from '#platform/webhook.js';
import { eventsHandlerOn } from './events-support.js';
import { apiEvent, bodyOf, freshTable, snapshot, TEST_SECRET } from './support.js';

let table: Awaited<ReturnType<typeof freshTable>>;
let handler: EventsHandler;
let directory: DynamoDirectory;

beforeAll(async () => {
  table = await freshTable(inject('dynamoEndpoint'), 'raw-body');
  ({ handler, directory } = eventsHandlerOn(table, { now: new Date('2026-03-02T12:00:00Z') }));
});

const KEY = Buffer.from(TEST_SECRET.slice('whsec_'.length), 'base64');

/** The headers a sender computes over these bytes: `v1,` base64(HMAC-SHA256(id.ts.bytes)). */
function signBytes(bytes: Buffer, id: string): Record<string, string> {
  const ts = String(Math.floor(Date.now() / 1000));
  const mac = createHmac('sha256', KEY).update(`${id}.${ts}.`).update(bytes).digest('base64');
  return { 'webhook-id': id, 'webhook-timestamp': ts, 'webhook-signature': `v1,${mac}` };
}

/** POST /v1/events carrying these bytes, as API Gateway passes a body it base64-encodes. */
function post(bytes: Buffer, headers: Record<string, string>): APIGatewayProxyEventV2 {
  return apiEvent('POST /v1/events', '/v1/events', {
    body: bytes.toString('base64'),
    isBase64Encoded: true,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/** A valid person.upserted whose name carries `inner` (raw bytes) between two letters. */
function personWith(inner: Buffer, id: string): Buffer {
  const [head, tail] = JSON.stringify({
    id,
    type: 'person.upserted',
    occurredAt: '2026-03-01T09:00:00Z',
    data: { personId: 'P-0901', name: 'A|B', email: 'worker.nine@example.gov.uk' },
  }).split('|') as [string, string];
  return Buffer.concat([Buffer.from(head), inner, Buffer.from(tail)]);
}

describe('POST /v1/events: the signature covers the bytes received', () => {
  it('refuses bytes the signature was not made over, though both decode to the same text', async () => {
    // Prepare: \xff\xfe and \x80\x80 both decode (leniently) to two U+FFFD characters.
    const signed = personWith(Buffer.from([0xff, 0xfe]), 'raw-1');
    const other = personWith(Buffer.from([0x80, 0x80]), 'raw-1');
    expect(signed.toString('utf8')).toBe(other.toString('utf8'));
    // A signature over that shared text, as a UTF-8-decoding verifier would compute it.
    const overText = signWebhook(TEST_SECRET, signed.toString('utf8'), { id: 'msg_raw_1' });
    const overBytes = signBytes(signed, 'msg_raw_2');
    const before = await snapshot(table.client, table.tableName);
    // Act
    const answers = [
      await handler(post(signed, overText)),
      await handler(post(other, overText)),
      await handler(post(other, { ...overBytes })),
    ];
    // Assess: none of the three was signed over the bytes it carries.
    expect(answers.map((a) => a.statusCode)).toEqual([401, 401, 401]);
    for (const answer of answers)
      expect(bodyOf<{ errors: { field: string }[] }>(answer).errors[0]?.field).toBe(
        'header.webhook-signature',
      );
    expect(await snapshot(table.client, table.tableName)).toBe(before);
    expect(await directory.getPerson('P-0901')).toBeUndefined();
  });

  it('refuses a body signed over its bytes that is not UTF-8 with a 400 problem naming the body', async () => {
    // Prepare
    const bodies = [
      personWith(Buffer.from([0xff, 0xfe]), 'raw-2'), // never valid in UTF-8
      personWith(Buffer.from([0x80]), 'raw-3'), // a continuation byte with no lead
      personWith(Buffer.from([0xc3]), 'raw-4'), // a lead byte cut short
      personWith(Buffer.from([0xc0, 0xae]), 'raw-5'), // an overlong "."
      personWith(Buffer.from([0xed, 0xa0, 0x80]), 'raw-6'), // a UTF-16 surrogate
    ];
    const before = await snapshot(table.client, table.tableName);
    // Act
    const answers = await Promise.all(
      bodies.map((bytes, i) => handler(post(bytes, signBytes(bytes, `msg_raw_utf8_${i}`)))),
    );
    // Assess
    for (const answer of answers) {
      expect(answer.statusCode, answer.body).toBe(400);
      expect(answer.headers['content-type']).toBe('application/problem+json');
      const problem = bodyOf<{ type: string; detail: string; errors: { field: string }[] }>(answer);
      expect(problem.type).toBe('https://timescales.dev/problems/malformed-json');
      expect(problem.detail).toBe('the body is not valid UTF-8');
      expect(problem.errors).toEqual([{ field: '', message: expect.stringMatching(/^byte \d+/) }]);
    }
    expect(await snapshot(table.client, table.tableName)).toBe(before);
  });

  it('says at which byte the body stops being UTF-8', async () => {
    // Prepare: the first bad byte is the one after `…"name":"A`.
    const bytes = personWith(Buffer.from([0xff, 0xfe]), 'raw-7');
    const at = bytes.indexOf(0xff);
    // Act
    const answer = await handler(post(bytes, signBytes(bytes, 'msg_raw_7')));
    // Assess
    expect(bodyOf<{ errors: { message: string }[] }>(answer).errors[0]?.message).toBe(
      `byte ${at} is not part of a UTF-8 character`,
    );
  });

  it('takes a body signed over its bytes, multi-byte UTF-8 included, and stores it as sent', async () => {
    // Prepare: "é" (c3 a9), "–" (e2 80 93) and "😀" (f0 9f 98 80); a real U+FFFD (ef bf bd) too.
    const bytes = personWith(Buffer.from('é–😀\ufffd', 'utf8'), 'raw-8');
    // Act
    const answer = await handler(post(bytes, signBytes(bytes, 'msg_raw_8')));
    // Assess
    expect(answer.statusCode, answer.body).toBe(202);
    expect((await directory.getPerson('P-0901'))?.name).toBe('Aé–😀\ufffdB');
  });

  it('signs as the Standard Webhooks reference library does, for any UTF-8 body', () => {
    // Prepare
    const at = new Date('2026-03-02T12:00:00Z');
    const body = '{"name":"Aé–😀B"}';
    // Act
    const ours = signWebhook(TEST_SECRET, Buffer.from(body, 'utf8'), { id: 'msg_ref', at });
    // Assess
    expect(ours['webhook-signature']).toBe(new Webhook(TEST_SECRET).sign('msg_ref', at, body));
    expect(ours['webhook-timestamp']).toBe('1772452800');
  });
});

describe('firstInvalidByte', () => {
  it('finds a byte exactly when Node finds the buffer is not UTF-8, and all before it is', () => {
    // Prepare: random bytes, and UTF-8 text with one random byte put in.
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 40 }),
      fc
        .tuple(fc.string({ unit: 'grapheme', maxLength: 20 }), fc.nat(), fc.nat({ max: 255 }))
        .map(([text, at, byte]) => {
          const utf8 = Buffer.from(text, 'utf8');
          const cut = utf8.length === 0 ? 0 : at % utf8.length;
          return Buffer.concat([utf8.subarray(0, cut), Buffer.from([byte]), utf8.subarray(cut)]);
        }),
    );
    fc.assert(
      fc.property(bytes, (b) => {
        // Act
        const at = firstInvalidByte(b);
        // Assess
        expect(at === -1).toBe(isUtf8(b));
        if (at >= 0) expect(isUtf8(b.subarray(0, at))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    [[0x41, 0xff], 1],
    [[0xc0, 0xae], 0], // overlong "."
    [[0xe0, 0x80, 0x80], 0], // overlong NUL
    [[0xed, 0xa0, 0x80], 0], // a surrogate
    [[0xf4, 0x90, 0x80, 0x80], 0], // past U+10FFFF
    [[0x41, 0xe2, 0x80], 1], // cut short at the end
    [[0xef, 0xbf, 0xbd, 0x80], 3], // a real U+FFFD, then a stray continuation byte
    [[0xf0, 0x9f, 0x98, 0x80], -1], // 😀
  ])('%j: the first bad byte is at %i', (input, expected) => {
    expect(firstInvalidByte(Uint8Array.from(input))).toBe(expected);
  });
});
