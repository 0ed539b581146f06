/**
 * A sliding-window rate limit, in this process: at most `limit` sends start in any window
 * (GOV.UK Notify allows 3,000 requests a minute per API key, counted over a sliding 60 s), in
 * the order they asked. A provider's 429 holds every send back for a while (`hold`).
 */
import { setTimeout as sleep } from 'node:timers/promises';

export interface RateLimitOptions {
  /** Sends per window. */
  limit: number;
  /** @default 60 s */
  windowMs?: number;
  now?: () => number;
  wait?: (ms: number) => Promise<unknown>;
  /**
   * When waiting must stop (epoch ms, read at each turn): a send whose turn would come later
   * is refused (`WindowFullError`) rather than kept waiting. @default never
   */
  deadline?: () => number;
}

/** The window has no room for this send before the deadline: it was not started (nor counted). */
export class WindowFullError extends Error {
  override readonly name = 'WindowFullError';
}

export class SlidingWindowLimit {
  readonly limit: number;
  readonly windowMs: number;
  private readonly now: () => number;
  private readonly wait: (ms: number) => Promise<unknown>;
  private readonly deadline: () => number;
  /** Start times within the window, oldest first, from `head`. */
  private starts: number[] = [];
  private head = 0;
  private heldUntil = 0;
  private queue: Promise<void> = Promise.resolve();

  constructor(options: RateLimitOptions) {
    if (!(options.limit >= 1)) throw new Error('a rate limit allows at least one send');
    this.limit = Math.floor(options.limit);
    this.windowMs = options.windowMs ?? 60_000;
    this.now = options.now ?? Date.now;
    this.wait = options.wait ?? sleep;
    this.deadline = options.deadline ?? (() => Number.POSITIVE_INFINITY);
  }

  /**
   * Resolves when a send may start (its start is counted then); rejects with `WindowFullError`
   * when that would be after the deadline.
   */
  take(): Promise<void> {
    const turn = this.queue.then(() => this.next());
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** Holds every send back for `ms` (the provider said 429). */
  hold(ms: number): void {
    this.heldUntil = Math.max(this.heldUntil, this.now() + ms);
  }

  /** How long until the window has room again (0: now). */
  delay(): number {
    const now = this.now();
    this.forget(now);
    const full =
      this.starts.length - this.head >= this.limit
        ? (this.starts[this.head] as number) + this.windowMs - now
        : 0;
    return Math.max(0, full, this.heldUntil - now);
  }

  private async next(): Promise<void> {
    for (let ms = this.delay(); ms > 0; ms = this.delay()) {
      if (this.now() + ms > this.deadline())
        throw new WindowFullError(`no room in the rate limit's window for ${ms} ms`);
      await this.wait(ms);
    }
    this.starts.push(this.now());
  }

  private forget(now: number): void {
    while (
      this.head < this.starts.length &&
      (this.starts[this.head] as number) <= now - this.windowMs
    )
      this.head++;
    if (this.head > 4096) {
      this.starts = this.starts.slice(this.head);
      this.head = 0;
    }
  }
}
