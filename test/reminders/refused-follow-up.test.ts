/**
 * A person whose message the provider refused is followed up (their other channel, the
 * fallback contact) after the firing is recorded. When the firing stops between its record and
 * that follow-up, the timer's retry finds the claim finished: it follows the refusal up again
 * rather than telling nobody, and sends nothing twice. A delivered send's retry follows
 * nothing up.
 */
import { describe, expect, it } from 'vitest';
import {
  ChannelError,
  type ClaimKey,
  type OutboundMessage,
  type UndeliveredPayload,
} from '#functions/fire/ports.js';
import { MemoryFiringStore, sendToPersonOnce } from '#test/support/firing.js';
import { MemoryCaseStore } from '#test/support/memory-store.js';
import { at, noSleep } from '#test/support/reminders.js';

const KEY: ClaimKey = { caseId: 'C-1001', reminderId: 'd1.p50.abc', personId: 'P-0005' };

const message = (channel: 'email' | 'sms'): OutboundMessage => ({
  channel,
  to: channel === 'email' ? 'lado@example.gov.uk' : '+447700900123',
  text: 'LADO notification due soon',
  meta: {
    caseId: KEY.caseId,
    rule: 'lado-notification',
    reminderId: KEY.reminderId,
    personId: KEY.personId,
  },
});

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

  it('a firing that finished is followed up again on a redelivery (its own claims make that harmless)', async () => {
    const { deps, followUps } = setup('refused', 0);
    await sendToPersonOnce(KEY, [message('email')], deps);
    await sendToPersonOnce(KEY, [message('email')], deps);
    expect(followUps).toEqual([followUp, followUp]);
  });

  it('a delivered send’s retry follows nothing up', async () => {
    const { deps, attempts, followUps } = setup('delivered', 0);
    await sendToPersonOnce(KEY, [message('email')], deps);
    await sendToPersonOnce(KEY, [message('email')], deps);
    expect(attempts).toEqual(['email']);
    expect(followUps).toEqual([]);
  });
});
