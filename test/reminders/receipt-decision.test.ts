/**
 * A receipt, decided: the channel's first receipt settles its send (a failure followed up at
 * once), the same receipt again changes nothing but follows a failure up again (the follow-up
 * sends nothing twice), a different receipt after the channel settled is recorded as late and
 * changes nothing else, and a reference that is not one of our send ids is unknown.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideReceipt } from '#functions/delivery/receipt-decision.js';
import { parseSendId, type Receipt, type SendKey, sendId } from '#kernel/reminders/delivery.js';

const KEY: SendKey = {
  caseId: 'C-1001',
  reminderId: 'lado-notification.A-1.p50.x',
  personId: 'P-0005',
  channel: 'sms',
};
const at = new Date('2026-06-06T03:30:07Z');
const receipt = (state: Receipt['state']): Receipt => ({
  sendId: sendId(KEY),
  state,
  at,
  provider: 'notify',
  detail: state,
});
const claimed = { claim: { state: 'sent', caseVersion: 7 }, deliveries: {} };
const followUp = {
  kind: 'undelivered',
  caseId: 'C-1001',
  reminderId: 'lado-notification.A-1.p50.x',
  personId: 'P-0005',
};

describe('decideReceipt', () => {
  it('the first failure settles the send at its case version and is followed up', () => {
    const decision = decideReceipt(KEY, claimed, receipt('permanent-failure'));
    expect(decision).toMatchObject({
      kind: 'settle',
      caseVersion: 7,
      followUp,
      line: {
        kind: 'reminder-delivery',
        deadlineId: 'lado-notification.A-1',
        detail: { channel: 'sms', state: 'permanent-failure', personId: 'P-0005' },
      },
    });
  });

  it('the first delivered settles the send and follows nothing up', () => {
    const decision = decideReceipt(KEY, claimed, receipt('delivered'));
    expect(decision.kind).toBe('settle');
    expect('followUp' in decision).toBe(false);
  });

  it('the same failure again: a duplicate, followed up again; the same delivery: nothing', () => {
    const settled = (state: Receipt['state']) => ({
      ...claimed,
      deliveries: { sms: { state, at: at.toISOString() } },
    });
    expect(decideReceipt(KEY, settled('temporary-failure'), receipt('temporary-failure'))).toEqual({
      kind: 'duplicate',
      followUp,
    });
    expect(decideReceipt(KEY, settled('delivered'), receipt('delivered'))).toEqual({
      kind: 'duplicate',
    });
  });

  it('a different receipt after the channel settled is late: its line only, no follow-up', () => {
    const settled = { ...claimed, deliveries: { sms: { state: 'delivered' as const, at: '' } } };
    const decision = decideReceipt(KEY, settled, receipt('permanent-failure'));
    expect(decision).toMatchObject({ kind: 'late', line: { detail: { late: true } } });
    expect('followUp' in decision).toBe(false);
  });

  it('unknown: not one of our ids, or no claim under it', () => {
    expect(decideReceipt(undefined, undefined, receipt('delivered'))).toEqual({
      kind: 'unknown',
      reason: 'not-a-send-id',
    });
    expect(decideReceipt(KEY, { deliveries: {} }, receipt('delivered'))).toEqual({
      kind: 'unknown',
      reason: 'no-such-send',
    });
  });
});

describe('send ids', () => {
  it('round-trip every key, and nothing else parses', () => {
    const part = fc.string({ minLength: 1, maxLength: 40 }).filter((s) => !s.includes('\n'));
    fc.assert(
      fc.property(part, part, part, fc.constantFrom('email', 'sms'), (c, r, p, channel) => {
        const key = { caseId: c, reminderId: r, personId: p, channel } as SendKey;
        // Parts never hold a line break (the id's separator): every key round-trips.
        expect(parseSendId(sendId(key))).toEqual(key);
      }),
    );
    expect(parseSendId(sendId(KEY))).toEqual(KEY);
    expect(parseSendId('not-a-send-of-ours')).toBeUndefined();
    expect(parseSendId('')).toBeUndefined();
  });
});

describe('a send’s receipts as a state machine', () => {
  it('whatever receipts arrive, in any order and repeated: each channel settles once, at its first receipt; a failure is followed up only while it is the settled state', () => {
    const states = fc.constantFrom(
      'delivered',
      'permanent-failure',
      'temporary-failure',
      'technical-failure',
    ) as fc.Arbitrary<Receipt['state']>;
    const arrival = fc.record({ channel: fc.constantFrom('email', 'sms'), state: states });
    fc.assert(
      fc.property(fc.array(arrival, { maxLength: 12 }), (arrivals) => {
        // The store as the decisions leave it: each channel's settled state.
        const record = { claim: { state: 'sent', caseVersion: 3 }, deliveries: {} } as {
          claim: { state: string; caseVersion: number };
          deliveries: Record<string, { state: Receipt['state']; at: string }>;
        };
        const settles: string[] = [];
        for (const { channel, state } of arrivals) {
          const key = { ...KEY, channel } as SendKey;
          const before = record.deliveries[channel]?.state;
          const decision = decideReceipt(key, record, { ...receipt(state), sendId: sendId(key) });
          const failed = state !== 'delivered';
          // Worked from the rules, not the code: the first receipt settles; the same again is
          // a duplicate; another after it is late. Only a failure that is (or becomes) the
          // settled state asks for a follow-up.
          const expected =
            before === undefined ? 'settle' : before === state ? 'duplicate' : 'late';
          expect(decision.kind).toBe(expected);
          expect('followUp' in decision).toBe(failed && expected !== 'late');
          if (decision.kind === 'settle') {
            settles.push(channel);
            record.deliveries[channel] = { state, at: at.toISOString() };
          }
        }
        // Each channel that heard anything settled exactly once, at its first receipt's state.
        for (const channel of ['email', 'sms']) {
          const first = arrivals.find((a) => a.channel === channel);
          expect(settles.filter((c) => c === channel).length).toBe(first === undefined ? 0 : 1);
          expect(record.deliveries[channel]?.state).toBe(first?.state);
        }
      }),
    );
  });
});
