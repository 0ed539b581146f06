/**
 * A reminder's messages to one person sent at most once, whatever fires it how often: the
 * claim, each channel's send with retry and backoff, and the claim finished with every
 * channel's outcome.
 */

import { silentLog } from '#kernel/ports.js';
import { type Backoff, realSleep, withRetry } from '#kernel/reminders/backoff.js';
import type { FireTimerDeps, SendTally } from './ports.js';
import { ChannelError, type ChannelOutcome, type ClaimKey, type OutboundMessage } from './ports.js';

export type SendResult =
  | { status: 'sent'; messageId?: string }
  | { status: 'duplicate' }
  | { status: 'in-flight' }
  | { status: 'failed'; reason: string };

type SendDeps = Pick<
  FireTimerDeps,
  'claims' | 'channels' | 'clock' | 'leaseMs' | 'sendBackoff' | 'log' | 'metrics'
>;

/**
 * Sends one reminder's messages to one person (one per channel) at most once: claim
 * (conditional write), send each with retry and backoff on throttling and 5xx, then finish
 * the claim with every channel's outcome in one write; a failure is logged with a metric
 * name an alarm can watch. A finished claim sends nothing. Results follow `messages`' order.
 */
export async function sendToPersonOnce(
  key: ClaimKey,
  messages: readonly OutboundMessage[],
  deps: SendDeps,
): Promise<SendResult[]> {
  const log = deps.log ?? silentLog;
  const ids = { caseId: key.caseId, reminderId: key.reminderId, personId: key.personId };
  const claim = await deps.claims.claim(key, deps.clock.now(), deps.leaseMs ?? 120_000);
  if (claim.outcome === 'sent' || claim.outcome === 'failed')
    return messages.map(() => ({ status: 'duplicate' }));
  if (claim.outcome === 'in-flight') {
    log.warn('send in flight elsewhere', ids);
    return messages.map(() => ({ status: 'in-flight' }));
  }
  // The channels are independent: an urgent SMS does not wait for the email's retries.
  const outcomes = await Promise.all(messages.map((m) => sendWithRetry(m, deps, ids)));
  await deps.claims.finish(key, claim.token, deps.clock.now(), outcomes);
  return outcomes.map((outcome) => {
    const fields = { ...ids, channel: outcome.channel };
    if (outcome.state === 'failed') {
      log.error('reminder send failed', {
        ...fields,
        reason: outcome.reason,
        metric: 'ReminderSendFailed',
      });
      deps.metrics?.count('SendFailed');
      return { status: 'failed', reason: outcome.reason };
    }
    log.info('reminder sent', { ...fields, takeover: claim.takeover });
    deps.metrics?.count('Sent');
    return outcome.messageId === undefined
      ? { status: 'sent' }
      : { status: 'sent', messageId: outcome.messageId };
  });
}

/** One message at most once: `sendToPersonOnce` with a single channel. */
export async function sendOnce(
  key: ClaimKey,
  message: OutboundMessage,
  deps: SendDeps,
): Promise<SendResult> {
  const [result] = await sendToPersonOnce(key, [message], deps);
  return result as SendResult;
}

/** Sends through the message's channel, retrying throttling and 5xx; never throws. */
async function sendWithRetry(
  message: OutboundMessage,
  deps: SendDeps,
  ids: Record<string, string>,
): Promise<ChannelOutcome> {
  const channel = deps.channels[message.channel];
  if (channel === undefined)
    return { channel: message.channel, state: 'failed', reason: 'no-channel' };
  const backoff: Backoff = {
    attempts: 5,
    baseDelayMs: 500,
    maxDelayMs: 8_000,
    sleep: realSleep,
    random: Math.random,
    ...deps.sendBackoff,
  };
  try {
    const { messageId } = await withRetry(
      (attempt) => {
        if (attempt > 1)
          (deps.log ?? silentLog).warn('retrying send', {
            ...ids,
            channel: message.channel,
            attempt,
          });
        return channel.send(message);
      },
      (error) => error instanceof ChannelError && error.retryable,
      backoff,
    );
    return messageId === undefined
      ? { channel: message.channel, state: 'sent' }
      : { channel: message.channel, state: 'sent', messageId };
  } catch (error) {
    const reason = error instanceof ChannelError ? error.code : 'error';
    return { channel: message.channel, state: 'failed', reason };
  }
}

/** Counts one send's result into a firing's outcome. */
export function tally(outcome: SendTally, result: SendResult): void {
  if (result.status === 'sent') outcome.sent++;
  else if (result.status === 'duplicate') outcome.duplicates++;
  else if (result.status === 'failed') outcome.failed++;
  else if (result.status === 'in-flight') outcome.retryLater = true;
}
