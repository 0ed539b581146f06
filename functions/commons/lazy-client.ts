/**
 * An AWS SDK client given either as an instance (tests, local mode) or as a factory that
 * imports its package on first use, so a Lambda whose cold start does not need a client
 * (SES, SMS, Scheduler) does not load it before the first request that does.
 */
export type ClientSource<C extends object> = C | (() => Promise<C>);

/** Resolves the client once; a failed load is retried by the next call. */
export function lazyClient<C extends object>(source: ClientSource<C>): () => Promise<C> {
  if (typeof source !== 'function') {
    const ready = Promise.resolve(source);
    return () => ready;
  }
  let pending: Promise<C> | undefined;
  return () => {
    pending ??= source().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}
