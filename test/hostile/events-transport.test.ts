/**
 * Transport-level hostility on POST /v1/events through the local HTTP server: wrong content
 * types, oversize and deeply nested bodies. Refused with a 4xx problem and no change to the
 * table, never a 5xx.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { envelope } from '#test/api/support.js';
import { CASE_TO_MEET, expectProblem, hostileSuite } from './support.js';

const hostile = hostileSuite('hostile-events', CASE_TO_MEET);
/** Signed over the bytes sent, as a sender signs them. */
const { post } = hostile;

describe('POST /v1/events: transport-level hostility', () => {
  const body = JSON.stringify(envelope.concern('t-transport', 'C-1001'));

  it('refuses any content type that is not application/json with 415, signed or not', async () => {
    // Prepare
    const before = await hostile.snapshot();
    const contentType = fc
      .oneof(
        fc.constantFrom(
          'text/plain',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
          'application/json-patch+json',
          'application/jsonx',
          'application/problem+json',
          'text/json',
          'application/xml',
          '*/*',
          'application/json\u0000',
          '',
        ),
        fc.string({ unit: 'grapheme-ascii', maxLength: 40 }),
      )
      .map((s) => s.replace(/[\r\n]/g, '').replaceAll(String.fromCharCode(0), ''))
      .filter((s) => s.split(';')[0]?.trim().toLowerCase() !== 'application/json');
    // Act
    await fc.assert(
      fc.asyncProperty(contentType, async (type) => {
        const response = await post(body, { 'content-type': type });
        // Assess
        expect(response.status).toBe(415);
        expect(expectProblem(response, 'POST')?.errors?.map((e) => e.field)).toContain(
          'header.content-type',
        );
      }),
      { numRuns: 60 },
    );
    expect(await hostile.snapshot()).toBe(before);
  });

  it('refuses oversize bodies with 413 (64 KB + 1, 2 MB), and deep nesting with 400', async () => {
    // Prepare
    const before = await hostile.snapshot();
    const justOver = `{"pad":"${'x'.repeat(64 * 1024 - 9)}"}`;
    const deep = `${'{"a":'.repeat(17)}1${'}'.repeat(17)}`;
    const deepArrays = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    // Act
    const answers = [
      await post(justOver),
      await post(Buffer.alloc(2 * 1024 * 1024, 0x20)),
      await post(deep),
      await post(deepArrays.slice(0, 60_000)),
    ];
    // Assess
    expect(Buffer.byteLength(justOver)).toBe(64 * 1024 + 1);
    expect(answers.map((a) => a.status)).toEqual([413, 413, 400, 400]);
    for (const a of answers) expectProblem(a, 'POST');
    expect(await hostile.snapshot()).toBe(before);
  });

  it('treats brackets inside strings as text, not nesting', async () => {
    // Act
    const response = await post(
      JSON.stringify({
        ...envelope.concern('t-brackets', 'C-1001'),
        data: { allegationId: '[['.repeat(40) },
      }),
    );
    // Assess: refused for the id's characters, not as too deep.
    expect(response.status).toBe(400);
    expect(expectProblem(response, 'POST')?.errors?.map((e) => e.field)).toContain(
      'data.allegationId',
    );
  });

  it('refuses invalid UTF-8 naming the byte, and a BOM-prefixed body as malformed JSON', async () => {
    // Prepare
    const before = await hostile.snapshot();
    // Act
    const answers = [
      await post(
        Buffer.concat([Buffer.from('{"id":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')]),
      ),
      await post(Buffer.from([0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00])),
      await post(`\ufeff${body}`),
    ];
    // Assess
    expect(answers.map((a) => a.status)).toEqual([400, 400, 400]);
    const problems = answers.map((a) => expectProblem(a, 'POST'));
    expect(problems.map((p) => [p?.detail, p?.errors?.[0]?.message])).toEqual([
      ['the body is not valid UTF-8', 'byte 7 is not part of a UTF-8 character'],
      ['the body is not valid UTF-8', 'byte 0 is not part of a UTF-8 character'],
      ['the body is not valid JSON', 'not valid JSON'],
    ]);
    expect(await hostile.snapshot()).toBe(before);
  });

  it('refuses 200 signed bodies that are not UTF-8 with a 400 naming the first bad byte', async () => {
    // Prepare: a valid event with ill-formed bytes put in anywhere (in a string or not).
    const before = await hostile.snapshot();
    const illFormed = fc.constantFrom(
      [0x80],
      [0xbf],
      [0xc0, 0xaf],
      [0xc1, 0x81],
      [0xc3],
      [0xe2, 0x82],
      [0xe0, 0x80, 0xaf],
      [0xed, 0xa0, 0x80],
      [0xed, 0xbf, 0xbf],
      [0xf0, 0x80, 0x80, 0xaf],
      [0xf4, 0x90, 0x80, 0x80],
      [0xf5],
      [0xfe],
      [0xff],
    );
    const bytes = fc
      // ASCII after it: nothing can complete a sequence cut short.
      .tuple(fc.nat({ max: body.length }), illFormed, fc.uint8Array({ max: 0x7f, maxLength: 3 }))
      .map(([at, bad, extra]) => ({
        at,
        bytes: Buffer.concat([
          Buffer.from(body.slice(0, at)),
          Buffer.from(bad),
          Buffer.from(extra),
          Buffer.from(body.slice(at)),
        ]),
      }));
    // Act
    await fc.assert(
      fc.asyncProperty(bytes, async ({ at, bytes: sent }) => {
        const response = await post(sent);
        // Assess: the first bad byte is the one put in (all before it is ASCII).
        expect(response.status).toBe(400);
        const problem = expectProblem(response, 'POST');
        expect(problem?.detail).toBe('the body is not valid UTF-8');
        expect(problem?.errors).toEqual([
          { field: '', message: `byte ${at} is not part of a UTF-8 character` },
        ]);
      }),
      { numRuns: 200 },
    );
    expect(await hostile.snapshot()).toBe(before);
  });
});
