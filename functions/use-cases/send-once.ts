/**
 * One message sent at most once, whatever fires it how often: the claim, the send with retry
 * and backoff, and the claim marked sent or failed.
 */
import { type Backoff, realSleep, withRetry } from '../domain/reminders/backoff.js';
import { ChannelError, type ClaimKey, type OutboundMessage } from '../domain/reminders/ports.js';
import { type FireTimerDeps, silent } from './fire-deps.js';

export type SendResult =
  | { status: 'sent'; messageId?: string }
  | { status: 'duplicate' }
  | { status: 'in-flight' }
  | { status: 'failed'; reason: string };

/**
 * Sends one message at most once: claim (conditional write), send with retry and backoff on
 * throttling and 5xx, then mark the claim sent — or failed, logged with a metric name an
 * alarm can watch. A claim already sent or failed sends nothing.
 */
export async function sendOnce(
  key: ClaimKey,
  message: OutboundMessage,
  deps: Pick<
    FireTimerDeps,
    'claims' | 'channels' | 'clock' | 'leaseMs' | 'sendBackoff' | 'log' | 'metrics'
  >,
): Promise<SendResult> {
  const log = deps.log ?? silent;
  const ids = {
    caseId: key.caseId,
    reminderId: key.reminderId,
    personId: key.personId,
    channel: key.channel,
  };
  const claim = await deps.claims.claim(key, deps.clock.now(), deps.leaseMs ?? 120_000);
  if (claim.outcome === 'sent') return { status: 'duplicate' };
  if (claim.outcome === 'failed') return { status: 'duplicate' };
  if (claim.outcome === 'in-flight') {
    log.warn('send in flight elsewhere', ids);
    return { status: 'in-flight' };
  }
  const channel = deps.channels[key.channel];
  if (channel === undefined) {
    await deps.claims.markFailed(key, claim.token, deps.clock.now(), 'no-channel');
    log.error('reminder send failed', {
      ...ids,
      reason: 'no-channel',
      metric: 'ReminderSendFailed',
    });
    deps.metrics?.count('SendFailed');
    return { status: 'failed', reason: 'no-channel' };
  }
  const backoff: Backoff = {
    attempts: 5,
    baseDelayMs: 500,
    maxDelayMs: 8_000,
    sleep: realSleep,
    random: Math.random,
    ...deps.sendBackoff,
  };
  try {
    const result = await withRetry(
      (attempt) => {
        if (attempt > 1) log.warn('retrying send', { ...ids, attempt });
        return channel.send(message);
      },
      (error) => error instanceof ChannelError && error.retryable,
      backoff,
    );
    await deps.claims.markSent(key, claim.token, deps.clock.now(), result.messageId);
    log.info('reminder sent', { ...ids, takeover: claim.takeover });
    deps.metrics?.count('Sent');
    return result.messageId === undefined
      ? { status: 'sent' }
      : { status: 'sent', messageId: result.messageId };
  } catch (error) {
    const reason = error instanceof ChannelError ? error.code : 'error';
    await deps.claims.markFailed(key, claim.token, deps.clock.now(), reason);
    log.error('reminder send failed', { ...ids, reason, metric: 'ReminderSendFailed' });
    deps.metrics?.count('SendFailed');
    return { status: 'failed', reason };
  }
}

/** Counts one send's result into a firing's outcome. */
export function tally(
  outcome: { sent: number; duplicates: number; failed: number; retryLater: boolean },
  result: SendResult,
): void {
  if (result.status === 'sent') outcome.sent++;
  else if (result.status === 'duplicate') outcome.duplicates++;
  else if (result.status === 'failed') outcome.failed++;
  else if (result.status === 'in-flight') outcome.retryLater = true;
}
