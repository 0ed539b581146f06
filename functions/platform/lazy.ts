/**
 * Lazy initialisation, one way for the whole codebase: the process's configuration, its SDK
 * clients and each handler's wiring are made on first use (the Lambda cold start, or the first
 * request that needs them), once, and shared by every later call.
 */

/**
 * `init`, run on the first call; every call gets its result (concurrent callers of an async
 * `init` share one promise). A failed init — a throw, or a promise that rejects — is not kept:
 * the next call runs it again, so a cold start that could not reach, say, Secrets Manager is
 * retried by the next invocation instead of failing every request of the process.
 */
export function lazy<T>(init: () => T): () => T {
  let made: { value: T } | undefined;
  return () => {
    if (made === undefined) {
      const value = init();
      const current = { value };
      made = current;
      if (value instanceof Promise) {
        value.catch(() => {
          if (made === current) made = undefined;
        });
      }
    }
    return made.value;
  };
}

/**
 * An AWS SDK client given either as an instance (tests, local mode) or as a factory that
 * imports its package on first use, so a Lambda whose cold start does not need a client
 * (SES, SMS, Scheduler) does not load it before the first request that does.
 */
export type ClientSource<C extends object> = C | (() => Promise<C>);

/** The client, resolved once (`lazy`: a failed load is retried by the next call). */
export function lazyClient<C extends object>(source: ClientSource<C>): () => Promise<C> {
  return lazy(typeof source === 'function' ? source : () => Promise.resolve(source));
}
