/**
 * A send whose claim is taken over — the invocation that held it stopped before recording
 * what it sent — tells each channel so, and a channel that can ask its provider whether the
 * message already went (GOV.UK Notify, by reference) does; a first claim does not.
 */
import { describe, expect, it } from 'vitest';
import type { OutboundMessage } from '#functions/fire/ports.js';
import { MemoryFiringStore, sendToPersonOnce } from '#test/support/firing.js';
import { MemoryCaseStore } from '#test/support/memory-store.js';
import { noSleep } from '#test/support/reminders.js';

const KEY = { caseId: 'C-1001', reminderId: 'd1.p50.abc', personId: 'P-0005' };
const message: OutboundMessage = {
  channel: 'email',
  to: 'lado@example.gov.uk',
  text: 'LADO notification due soon',
  meta: {
    caseId: KEY.caseId,
    rule: 'lado-notification',
    reminderId: KEY.reminderId,
    personId: KEY.personId,
  },
};

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
    await expect(sendToPersonOnce(KEY, [message], deps)).rejects.toThrow('stopped');
    // Act: the timer's retry after the lease ran out.
    now += 121_000;
    const results = await sendToPersonOnce(KEY, [message], deps);
    // Assess
    expect(seen).toEqual([false, true]);
    expect(results).toEqual([{ status: 'sent', messageId: 'm-2' }]);
  });
});
