/**
 * A firing that stops part-way — its Lambda timed out, or a step after its record failed — and
 * is retried by its timer:
 * - a person whose message the provider refused is followed up (their other channel, the
 *   fallback contact) after the firing is recorded; when the firing stopped between its record
 *   and that follow-up, the retry finds the follow-up owed and does it rather than telling
 *   nobody, and sends nothing twice; a retry after a follow-up was done, or of a delivered
 *   send, follows nothing up;
 * - a send whose claim is taken over (the firing stopped before recording what it sent) tells
 *   each channel so, and a channel that can ask its provider whether the message already went
 *   (GOV.UK Notify, by reference) does; a first claim does not.
 */
import { describe, expect, it } from 'vitest';
import {
  ChannelError,
  type OutboundMessage,
  type UndeliveredPayload,
} from '#functions/fire/ports.js';
import {
  LADO_SEND,
  ladoMessage,
  MemoryFiringStore,
  sendToPersonOnce,
} from '#test/support/firing.js';
import { MemoryCaseStore } from '#test/support/memory-store.js';
import { at, noSleep } from '#test/support/reminders.js';

const KEY = LADO_SEND;
const message = ladoMessage;

/**
 * The do step's dependencies: email refused or delivered as asked, texts always refused; the
 * follow-up fails the first `stops` times (the invocation ends there), then records each call.
 */
function setup(email: 'refused' | 'delivered', stops: number) {
  const attempts: string[] = [];
  const followUps: UndeliveredPayload[] = [];
  let left = stops;
  const refuse = (channel: 'email' | 'sms') => {
    attempts.push(channel);
    throw new ChannelError('refused', { retryable: false, code: 'MessageRejected' });
  };
  const deps = {
    store: new MemoryFiringStore({ cases: new MemoryCaseStore() }),
    channels: {
      email: {
        name: 'email' as const,
        send: async () => {
          if (email === 'refused') return refuse('email');
          attempts.push('email');
          return { messageId: 'email-1' };
        },
      },
      sms: { name: 'sms' as const, send: async () => refuse('sms') },
    },
    clock: { now: () => at('2026-05-26T03:00:00Z') },
    sendBackoff: noSleep,
    undelivered: async (payload: UndeliveredPayload) => {
      if (left-- > 0) throw new Error('the directory could not be read');
      followUps.push(payload);
    },
  };
  return { deps, attempts, followUps };
}

const followUp: UndeliveredPayload = { kind: 'undelivered', ...KEY };

describe('a refused send is followed up even when its firing stopped after recording it', () => {
  it('an email refused: the retry follows it up once and sends nothing again', async () => {
    const { deps, attempts, followUps } = setup('refused', 1);
    await expect(sendToPersonOnce(KEY, [message('email')], deps)).rejects.toThrow(
      'the directory could not be read',
    );
    // Act: the timer's retry
    const retried = await sendToPersonOnce(KEY, [message('email')], deps);
    // Assess
    expect(retried).toEqual([{ status: 'duplicate' }]);
    expect(attempts).toEqual(['email']);
    expect(followUps).toEqual([followUp]);
  });

  it('a text refused beside a delivered email: the retry follows the text up', async () => {
    const { deps, attempts, followUps } = setup('delivered', 1);
    await expect(sendToPersonOnce(KEY, [message('email'), message('sms')], deps)).rejects.toThrow();
    await sendToPersonOnce(KEY, [message('email'), message('sms')], deps);
    expect(attempts.sort()).toEqual(['email', 'sms']);
    expect(followUps).toEqual([followUp]);
  });

  it('a redelivery after the follow-up was done follows nothing up again', async () => {
    const { deps, followUps } = setup('refused', 0);
    await sendToPersonOnce(KEY, [message('email')], deps);
    await sendToPersonOnce(KEY, [message('email')], deps);
    await sendToPersonOnce(KEY, [message('email')], deps);
    expect(followUps).toEqual([followUp]);
  });

  it('a delivered send’s retry follows nothing up', async () => {
    const { deps, attempts, followUps } = setup('delivered', 0);
    await sendToPersonOnce(KEY, [message('email')], deps);
    await sendToPersonOnce(KEY, [message('email')], deps);
    expect(attempts).toEqual(['email']);
    expect(followUps).toEqual([]);
  });
});

describe('a send under a claim taken over', () => {
  it('is sent telling the channel the claim was taken over; a first claim is not', async () => {
    let now = Date.parse('2026-05-26T03:00:00Z');
    const seen: (boolean | undefined)[] = [];
    const store = new MemoryFiringStore({ cases: new MemoryCaseStore() });
    // The first invocation stops (its Lambda timed out) after sending, before its record.
    const record = store.record.bind(store);
    let stops = true;
    store.record = async (finished) => {
      if (!stops) return record(finished);
      stops = false;
      throw new Error('the invocation stopped');
    };
    const deps = {
      store,
      channels: {
        email: {
          name: 'email' as const,
          send: async (_m: OutboundMessage, attempt?: { takenOver: boolean }) => {
            seen.push(attempt?.takenOver);
            return { messageId: `m-${seen.length}` };
          },
        },
      },
      clock: { now: () => new Date(now) },
      sendBackoff: noSleep,
      leaseMs: 120_000,
    };
    await expect(sendToPersonOnce(KEY, [message('email')], deps)).rejects.toThrow('stopped');
    // Act: the timer's retry after the lease ran out.
    now += 121_000;
    const results = await sendToPersonOnce(KEY, [message('email')], deps);
    // Assess
    expect(seen).toEqual([false, true]);
    expect(results).toEqual([{ status: 'sent', messageId: 'm-2' }]);
  });
});
