/**
 * Jobs run concurrently but answered in order: the concurrency of an import.
 *
 * Each job names its lane (one case's rows): a lane's jobs run one at a time in the order
 * given, different lanes side by side, at most `concurrency` at once. A job may also name ids
 * it shares with earlier jobs of other lanes (an event id reused across cases): it waits for
 * them too, so the earlier line is applied first, as one at a time would. A barrier (lane
 * `null`: a directory event) waits until every earlier job is done, and every later job waits
 * for it. At most `window` jobs are read ahead of the oldest one not yet answered (memory stays
 * bounded), and results are handed to `deliver` strictly in the order the jobs came: the
 * reports, tallies and checkpoints downstream see the file in order.
 *
 * A job that throws stops the run: no further job starts — not even one already read and
 * waiting behind it in its lane, which would apply a case's later row without its earlier one
 * — those started are awaited (and delivered, if they came before it), and the first error is
 * thrown.
 */

export interface Job<T> {
  /** The lane; `null` for a barrier; `undefined` for a job that touches nothing (runs freely). */
  lane: string | null | undefined;
  /** Ids whose earlier jobs, in any lane, must be done first. */
  ids?: readonly string[];
  run(): Promise<T>;
}

export interface OrderedOptions<T> {
  concurrency: number;
  /** Jobs read ahead of the oldest unanswered one. @default concurrency × 4 */
  window?: number;
  deliver(result: T): void | Promise<void>;
}

export async function runOrdered<T>(
  jobs: AsyncIterable<Job<T>>,
  options: OrderedOptions<T>,
): Promise<void> {
  const concurrency = Math.max(1, Math.floor(options.concurrency));
  const window = Math.max(1, options.window ?? concurrency * 4);
  const slots = new Slots(concurrency);
  const tails = new Map<string, Promise<void>>();
  const queue: Promise<T>[] = [];
  let failed = false;
  let failure: unknown;

  const deliverHead = async () => {
    const head = queue.shift() as Promise<T>;
    await options.deliver(await head);
  };
  const follow = (key: string, done: Promise<void>) => {
    tails.set(key, done);
    void done.then(() => {
      if (tails.get(key) === done) tails.delete(key);
    });
  };

  try {
    for await (const job of jobs) {
      if (failed) break;
      while (queue.length >= window) await deliverHead();
      if (job.lane === null) {
        while (queue.length > 0) await deliverHead();
        await options.deliver(await job.run());
        continue;
      }
      const keys = [...(job.lane === undefined ? [] : [`lane:${job.lane}`])];
      for (const id of job.ids ?? []) keys.push(`id:${id}`);
      const before = keys.flatMap((k) => tails.get(k) ?? []);
      const result = (async () => {
        if (before.length > 0) await Promise.all(before);
        await slots.take();
        try {
          if (failed) throw new NotStarted();
          return await job.run();
        } finally {
          slots.give();
        }
      })();
      // Settled either way: a later job of the lane waits for it, never for its outcome.
      const done = result.then(
        () => {},
        (error: unknown) => {
          if (!failed && !(error instanceof NotStarted)) failure = error;
          failed = true;
        },
      );
      for (const k of keys) follow(k, done);
      queue.push(result);
    }
    while (queue.length > 0) await deliverHead();
  } catch (error) {
    // Whatever was started finishes before the error goes up (no write outlives the run).
    await Promise.allSettled(queue);
    throw failure ?? error;
  }
}

/** A job left alone because an earlier one failed (the failure is what is thrown). */
class NotStarted extends Error {
  override readonly name = 'NotStarted';
}

/** A counting semaphore: at most `n` holders. */
class Slots {
  private readonly waiting: (() => void)[] = [];

  constructor(private free: number) {}

  take(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return Promise.resolve();
    }
    return new Promise((resume) => this.waiting.push(resume));
  }

  give(): void {
    const next = this.waiting.shift();
    if (next === undefined) this.free++;
    else next();
  }
}
