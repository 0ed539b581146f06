/**
 * Every Lambda notes its invocation's deadline — the time its context has left, less the
 * margin kept to record what it did — for waits that would otherwise outlive it; with no
 * context (local mode, tests), and once the invocation is over, there is none.
 */
import { describe, expect, it } from 'vitest';
import { invocationDeadline, RECORD_MARGIN_MS, startInvocation } from '#platform/invocation.js';
import { lambda } from '#platform/lambda.js';

describe('the invocation’s deadline', () => {
  it('is the context’s time left less the record margin while it runs, and none after', async () => {
    let seen = 0;
    const handler = lambda(async () => {
      seen = invocationDeadline();
      return 'done';
    });
    const before = Date.now();
    await handler({}, { getRemainingTimeInMillis: () => 60_000 });
    const after = Date.now();
    // 60 s left less the 15 s margin: 45 s from the start of the invocation.
    expect(RECORD_MARGIN_MS).toBe(15_000);
    expect(seen).toBeGreaterThanOrEqual(before + 45_000);
    expect(seen).toBeLessThanOrEqual(after + 45_000);
    expect(invocationDeadline()).toBe(Number.POSITIVE_INFINITY);
  });

  it('is none after an invocation that threw, and none without a context', async () => {
    const failing = lambda(async () => {
      throw new Error('store unavailable');
    });
    await expect(failing({}, { getRemainingTimeInMillis: () => 30_000 })).rejects.toThrow();
    expect(invocationDeadline()).toBe(Number.POSITIVE_INFINITY);
    // A deadline left set (as a running invocation's is), then an invocation with no context.
    startInvocation({ getRemainingTimeInMillis: () => 1_000 });
    let seen = 0;
    await lambda(async () => {
      seen = invocationDeadline();
      return 'done';
    })({});
    expect(seen).toBe(Number.POSITIVE_INFINITY);
  });
});
