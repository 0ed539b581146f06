/**
 * Sending through GOV.UK Notify when Notify says no or says nothing: a 429 holds the sends
 * back and tries again (then gives up as rate-limited, not taken, so a later try cannot double
 * it); no answer at all is retryable, and the same send tried again first asks Notify for a
 * notification with its reference — found, it is not sent twice, and so does a send under a
 * claim taken over from a stopped invocation; a send that would wait past the invocation's
 * deadline is not made (rate-limited, for the timer's retry); a 5xx is retryable; any
 * other refusal is final, named by Notify's error, never echoing the address. Faults are
 * injected through a fake of the client (the real client is in `notify-client.test.ts`).
 */
import { describe, expect, it } from 'vitest';
import { type NotifyApi, notifyChannels } from '#functions/fire/channels/notify.js';
import { SlidingWindowLimit } from '#functions/fire/channels/rate-limit.js';
import { ChannelError, type OutboundMessage } from '#functions/fire/ports.js';
import { sendId } from '#kernel/reminders/delivery.js';

const message: OutboundMessage = {
  channel: 'sms',
  to: '+447700900901',
  text: 'C-1001: LADO notification due',
  meta: {
    caseId: 'C-1001',
    rule: 'lado-notification',
    reminderId: 'lado-notification.A-1.p50.x',
    personId: 'P-0005',
  },
};
const REFERENCE = sendId({ ...message.meta, channel: 'sms' });

const answer = (status: number, error?: string) =>
  Object.assign(new Error(`HTTP ${status}`), {
    response: { status, data: error === undefined ? undefined : { errors: [{ error }] } },
  });

/** A fake client answering each send from `answers` in turn (an Error is thrown). */
function fake(
  answers: (Error | string)[],
  held: { id: string; reference: string }[] = [],
  deadline?: number,
) {
  const calls: string[] = [];
  const send = async (_t: string, _to: string, options: { reference: string }) => {
    calls.push(`send ${options.reference === REFERENCE ? 'ref' : options.reference}`);
    const next = answers.shift();
    if (next === undefined || next instanceof Error) throw next ?? new Error('no more answers');
    held.push({ id: next, reference: options.reference });
    return { data: { id: next } };
  };
  const api: NotifyApi = {
    sendSms: send,
    sendEmail: send,
    getNotifications: async (_type, _status, reference) => {
      calls.push('lookup');
      return { data: { notifications: held.filter((n) => n.reference === reference) } };
    },
  };
  const holds: number[] = [];
  // The limit's own clock, moved on by each wait: a hold passes at once, not in real seconds
  // (a wait that returned with the real clock standing still spun until the hold ran out).
  let clock = 0;
  const limit = new SlidingWindowLimit({
    limit: 100,
    now: () => clock,
    wait: async (ms) => {
      clock += ms;
    },
    ...(deadline === undefined ? {} : { deadline: () => deadline }),
  });
  const hold = limit.hold.bind(limit);
  limit.hold = (ms: number) => {
    holds.push(ms);
    hold(ms);
  };
  const channels = notifyChannels(async () => api, {
    emailTemplateId: 'e',
    smsTemplateId: 's',
    limit,
  });
  return { sms: channels.sms, calls, holds, held };
}

async function refusal(work: Promise<unknown>): Promise<ChannelError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ChannelError);
  return error as ChannelError;
}

describe('the Notify channel', () => {
  it('429, 429, then taken: one notification, the sends held back 5 s then 10 s', async () => {
    const t = fake([answer(429, 'RateLimitError'), answer(429, 'RateLimitError'), 'n-1']);
    await expect(t.sms.send(message)).resolves.toEqual({ messageId: 'n-1' });
    expect(t.calls).toEqual(['send ref', 'send ref', 'send ref']);
    expect(t.holds).toEqual([5_000, 10_000]);
  });

  it('429 four times: rate-limited and not retryable here (not taken: the timer tries later)', async () => {
    const t = fake(Array.from({ length: 4 }, () => answer(429, 'RateLimitError')));
    const error = await refusal(t.sms.send(message));
    expect(error).toMatchObject({ rateLimited: true, retryable: false, code: 'RateLimitError' });
    expect(t.calls).toHaveLength(4);
  });

  it('no answer: retryable; tried again, Notify is asked first, and what it took is not sent twice', async () => {
    // Notify took it, but the answer was lost.
    const held = [{ id: 'n-lost', reference: REFERENCE }];
    const t = fake([new Error('socket hang up')], held);
    expect(await refusal(t.sms.send(message))).toMatchObject({
      retryable: true,
      code: 'NotifyUnanswered',
    });
    await expect(t.sms.send(message)).resolves.toEqual({ messageId: 'n-lost' });
    expect(t.calls).toEqual(['send ref', 'lookup']);
  });

  it('no answer, and Notify has nothing with the reference: sent again, once', async () => {
    const t = fake([new Error('timeout'), 'n-2']);
    await refusal(t.sms.send(message));
    await expect(t.sms.send(message)).resolves.toEqual({ messageId: 'n-2' });
    expect(t.calls).toEqual(['send ref', 'lookup', 'send ref']);
  });

  it('a send whose turn would come after the invocation’s deadline is not made: rate-limited, for the timer’s retry', async () => {
    // 429 once: held back 5 s; the invocation must be done waiting within 4 s.
    const t = fake([answer(429, 'RateLimitError'), 'n-late'], [], 4_000);
    const error = await refusal(t.sms.send(message));
    expect(error).toMatchObject({ rateLimited: true, retryable: false, code: 'NotifyWindowFull' });
    expect(t.calls).toEqual(['send ref']);
    // Within the deadline the same hold is waited out and the send made.
    const patient = fake([answer(429, 'RateLimitError'), 'n-1'], [], 6_000);
    await expect(patient.sms.send(message)).resolves.toEqual({ messageId: 'n-1' });
  });

  it('under a claim taken over from an invocation that stopped mid-send, Notify is asked first', async () => {
    // The stopped invocation's send was taken by Notify, and never recorded.
    const held = [{ id: 'n-before', reference: REFERENCE }];
    const taken = fake(['n-again'], held);
    await expect(taken.sms.send(message, { takenOver: true })).resolves.toEqual({
      messageId: 'n-before',
    });
    expect(taken.calls).toEqual(['lookup']);
    // Nothing under the reference: sent, once.
    const fresh = fake(['n-3']);
    await expect(fresh.sms.send(message, { takenOver: true })).resolves.toEqual({
      messageId: 'n-3',
    });
    expect(fresh.calls).toEqual(['lookup', 'send ref']);
  });

  it('a 5xx is retryable; a 400 is final, named by Notify’s error, without the number', async () => {
    const outage = await refusal(fake([answer(503)]).sms.send(message));
    expect(outage).toMatchObject({ retryable: true, code: 'HTTP503' });
    const refused = await refusal(fake([answer(400, 'BadRequestError')]).sms.send(message));
    expect(refused).toMatchObject({ retryable: false, code: 'BadRequestError' });
    expect(refused.message).not.toContain('7700900901');
  });
});
