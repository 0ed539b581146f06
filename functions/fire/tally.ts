/** A firing's outcome, counted send by send. */
import type { SendResult, SendTally } from './ports.js';

/** A sending firing's outcome before its first send. */
export function emptyTally<S extends 'reminded' | 'digest'>(status: S): { status: S } & SendTally {
  return { status, sent: 0, duplicates: 0, deferred: 0, failed: 0, retryLater: false };
}

/** Counts one send's result into a firing's outcome. */
export function tally(outcome: SendTally, result: SendResult): void {
  if (result.status === 'sent') outcome.sent++;
  else if (result.status === 'duplicate') outcome.duplicates++;
  else if (result.status === 'failed') outcome.failed++;
  else if (result.status === 'in-flight') outcome.retryLater = true;
}
