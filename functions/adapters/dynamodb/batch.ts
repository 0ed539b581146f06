/**
 * DynamoDB's batch calls (BatchGetItem, BatchWriteItem) may leave part of a request
 * unprocessed under load; the caller must ask again for exactly that part, backing off.
 */
import { setTimeout as sleep } from 'node:timers/promises';

/** Tries after the first before giving up. */
const MAX_RETRIES = 8;

/**
 * Sends `first`, then whatever each answer leaves unprocessed, until nothing is left.
 * `send` makes one call and returns its unprocessed part. Backoff: full jitter, 25 ms doubling.
 */
export async function untilProcessed<T>(
  first: readonly T[],
  send: (pending: T[]) => Promise<readonly T[] | undefined>,
  what: string,
): Promise<void> {
  let pending = [...first];
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt > MAX_RETRIES) throw new Error(`${what}: unprocessed after ${MAX_RETRIES} retries`);
    if (attempt > 0) await sleep(Math.random() * Math.min(1_000, 25 * 2 ** attempt));
    pending = [...((await send(pending)) ?? [])];
  }
}
