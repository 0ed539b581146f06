import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FireTimerDeps } from '#functions/fire/fire-timer.js';
import { makeHandler } from '#functions/fire/handler.js';
import { ChannelError, type ClaimKey, type OutboundMessage } from '#functions/fire/ports.js';
import type { Metrics as FireMetrics } from '#kernel/ports.js';
import { lambda } from '#platform/lambda.js';
import { makeMetrics, powertoolsMetrics } from '#platform/metrics.js';
import { MemoryFiringStore, sendOnce } from '#test/support/firing.js';
import { MemoryCaseStore } from '#test/support/memory-store.js';
import { at, noSleep } from '#test/support/reminders.js';

/** Every EMF document written to stdout while the test runs. */
let written: string[];
/** Everything written to stderr (where a console warning would go). */
let warned: string[];

beforeEach(() => {
  vi.stubEnv('POWERTOOLS_DEV', ''); // the real Console on process.stdout, as in Lambda
  written = [];
  warned = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(chunk.toString());
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    warned.push(chunk.toString());
    return true;
  });
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

interface Emf {
  _aws: {
    CloudWatchMetrics: {
      Namespace: string;
      Dimensions: string[][];
      Metrics: { Name: string; Unit: string }[];
    }[];
  };
  [key: string]: unknown;
}

const emf = (): Emf[] =>
  written
    .flatMap((chunk) => chunk.split('\n'))
    .filter((line) => line.includes('"_aws"'))
    .map((line) => JSON.parse(line) as Emf);

/** A metric's total in one document (Powertools writes repeated values as an array). */
const total = (doc: Emf | undefined, name: string): number =>
  [doc?.[name]].flat().reduce<number>((sum, v) => sum + Number(v ?? 0), 0);

const newMetrics = () =>
  makeMetrics({ namespace: 'Timescales', serviceName: 'timescales-reminders' });

const key = (
  channel: 'email' | 'sms',
  personId = 'P-1',
): ClaimKey & { channel: typeof channel } => ({
  caseId: 'C-1001',
  reminderId: 'd1.before-2.abc',
  personId,
  channel,
});
const message = (k: ClaimKey & { channel: 'email' | 'sms' }): OutboundMessage => ({
  channel: k.channel,
  to: k.channel === 'email' ? 'someone@example.gov.uk' : '+447700900123',
  text: 'Joint supervision due soon',
  meta: {
    caseId: k.caseId,
    rule: 'joint-supervision',
    reminderId: k.reminderId,
    personId: k.personId,
  },
});

const clock = { now: () => at('2026-05-26T09:00:00Z') };

function sendDeps(metrics: FireMetrics, fail: Set<string>) {
  return {
    store: new MemoryFiringStore({ cases: new MemoryCaseStore() }),
    channels: {
      email: {
        name: 'email' as const,
        send: async (m: OutboundMessage) => {
          if (fail.has(m.meta.personId))
            throw new ChannelError('rejected', { retryable: false, code: 'MessageRejected' });
          return { messageId: `m-${m.meta.personId}` };
        },
      },
    },
    clock,
    sendBackoff: noSleep,
    metrics,
  };
}

describe('reminder metrics (Powertools EMF, namespace Timescales)', () => {
  it('counts Sent and SendFailed, flushed as one EMF document per invocation', async () => {
    // Prepare: one invocation sends two emails, one is rejected, one has no channel (SMS)
    const metrics = newMetrics();
    const deps = sendDeps(powertoolsMetrics(metrics), new Set(['P-2']));
    const handler = lambda(
      async () => {
        await sendOnce(key('email', 'P-1'), message(key('email', 'P-1')), deps);
        await sendOnce(key('email', 'P-2'), message(key('email', 'P-2')), deps);
        await sendOnce(key('sms', 'P-3'), message(key('sms', 'P-3')), deps);
        return { status: 'ignored', reason: 'test' };
      },
      { metrics },
    );
    // Act
    await handler({});
    // Assess
    const docs = emf();
    expect(docs).toHaveLength(1);
    const [doc] = docs;
    const directive = doc!._aws.CloudWatchMetrics[0]!;
    expect(directive.Namespace).toBe('Timescales');
    expect(directive.Dimensions).toEqual([['service']]);
    expect(doc!.service).toBe('timescales-reminders');
    expect(directive.Metrics).toEqual(
      expect.arrayContaining([
        { Name: 'Sent', Unit: 'Count' },
        { Name: 'SendFailed', Unit: 'Count' },
      ]),
    );
    expect(total(doc, 'Sent')).toBe(1);
    expect(total(doc, 'SendFailed')).toBe(2);
    // ids only: no address or number reaches the metrics
    expect(written.join('')).not.toMatch(/@example|\+447700/);
  });

  it('a redelivered send counts nothing again (the claim is the unit of exactly-once)', async () => {
    const metrics = newMetrics();
    const deps = sendDeps(powertoolsMetrics(metrics), new Set());
    const k = key('email');
    const handler = lambda(
      async () => {
        await sendOnce(k, message(k), deps);
        return { status: 'ignored', reason: 'test' };
      },
      { metrics },
    );
    await handler({});
    await handler({});
    const docs = emf();
    expect(docs).toHaveLength(1);
    expect(total(docs[0], 'Sent')).toBe(1);
  });

  it('counts TimerDead for a payload no retry can fix, flushes it, and still throws (kept in the DLQ)', async () => {
    const metrics = newMetrics();
    const deps = { metrics: powertoolsMetrics(metrics) } as unknown as FireTimerDeps;
    const handler = makeHandler(deps as never, metrics);
    await expect(handler({ caseId: '', version: -1 })).rejects.toThrow();
    const docs = emf();
    expect(docs).toHaveLength(1);
    expect(total(docs[0], 'TimerDead')).toBe(1);
    expect(docs[0]!._aws.CloudWatchMetrics[0]!.Namespace).toBe('Timescales');
  });

  it('an invocation that counts nothing writes no EMF and no warning', async () => {
    const metrics = newMetrics();
    const handler = lambda(async () => ({ status: 'ignored', reason: 'stale-version' }), {
      metrics,
    });
    await handler({});
    expect(written).toEqual([]);
    expect(warned).toEqual([]);
  });
});
