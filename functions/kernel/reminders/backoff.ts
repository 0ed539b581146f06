/** Bounded concurrency and exponential backoff, with sleep and randomness injected. */

export interface Backoff {
  /** Attempts in all, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  sleep: (ms: number) => Promise<void>;
  /** In [0, 1): "full jitter" spreads retries of a large batch. */
  random: () => number;
}

/** The delay before retry `n` (1-based): full jitter over base × 2^(n−1), capped. */
export function backoffDelay(
  backoff: Pick<Backoff, 'baseDelayMs' | 'maxDelayMs' | 'random'>,
  n: number,
): number {
  const ceiling = Math.min(backoff.maxDelayMs, backoff.baseDelayMs * 2 ** (n - 1));
  return Math.floor(backoff.random() * ceiling);
}

/**
 * Runs `task`, retrying while `retryable(error)` says so, up to `attempts` in all.
 * The last error is thrown.
 */
export async function withRetry<T>(
  task: (attempt: number) => Promise<T>,
  retryable: (error: unknown) => boolean,
  backoff: Backoff,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await task(attempt);
    } catch (error) {
      if (attempt >= backoff.attempts || !retryable(error)) throw error;
      await backoff.sleep(backoffDelay(backoff, attempt));
    }
  }
}

/** Maps `items` with at most `limit` tasks in flight; settles every item. */
export async function mapSettled<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<PromiseSettledResult<R>[]> {
  const results: PromiseSettledResult<R>[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      try {
        results[index] = { status: 'fulfilled', value: await task(items[index] as T) };
      } catch (reason) {
        results[index] = { status: 'rejected', reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

export const realSleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));
