/**
 * The directory, cached in the reminders Lambda's process with exact invalidation.
 *
 * Every directory write bumps the directory stamp (`CONFIG` / `DIRECTORY`, `generation`) in its
 * own transaction, and the fire path reads the stamp together with the case, in the same
 * strongly consistent BatchGetItem (`FiringStore.read`; a digest with its cases), then calls
 * `observe(generation)` before routing. A higher generation than the cache holds clears it; the
 * cache's reads are strongly consistent and begin after the generation they are stored under
 * was observed. So routing never uses directory data older than the moment the reminder's case
 * was read: a `person.away` or rota change written before that read is seen by that fire.
 * (Not a time-to-live: unchanged data is kept until the directory changes.)
 *
 * Raw data is cached, not answers at an instant (every fire has its own `now`): profiles by id,
 * each person's away periods, and a window of rota shifts; the answer at an instant is computed
 * in memory with the same rule the uncached reads use (`directory-rules.ts`). In-flight reads
 * are shared (a burst of fires that all miss makes one read); a failed read is forgotten.
 */

import type { Person } from '#kernel/people.js';
import type { Directory } from '#kernel/ports.js';
import {
  type AwaySpan,
  delegateAt,
  MAX_SHIFT_MS,
  onCallFrom,
  type ShiftSpan,
} from '#kernel/reminders/directory-rules.js';

/** The raw reads the cache is filled from (`DynamoDirectory` with `consistentReads: true`). */
export interface DirectorySource {
  getPerson(personId: string): Promise<Person | undefined>;
  /** Every away period of the person. */
  awayPeriods(personId: string): Promise<readonly AwaySpan[]>;
  /** The rota shifts whose `from` lies in [from, to], both inclusive. */
  shiftsStarting(from: Date, to: Date): Promise<readonly ShiftSpan[]>;
  /** The directory stamp's generation (0 before the first write). */
  generation(): Promise<number>;
  /** A team's manager (read through, uncached: once per team and morning digest). */
  teamManager?(team: string): Promise<string | undefined>;
}

/** How far past the instant asked for a rota read reaches, so later fires are served from it. */
export const ROTA_LOOKAHEAD_MS = 6 * 3_600_000;
/** Entries per map before it is emptied (bounds memory in a long-lived process). */
export const MAX_CACHED_PEOPLE = 10_000;

interface RotaWindow {
  /** Epoch ms: the window holds every shift with `from` in [lo, hi]. */
  lo: number;
  hi: number;
  shifts: Promise<readonly ShiftSpan[]>;
}

export class CachedDirectory implements Directory {
  /** The highest generation observed; -1: none yet (the first observation clears). */
  private generation = -1;
  private readonly people = new Map<string, Promise<Person | undefined>>();
  private readonly away = new Map<string, Promise<readonly AwaySpan[]>>();
  private rota: RotaWindow | undefined;

  constructor(private readonly source: DirectorySource) {}

  /**
   * The directory's generation as read with a case (or by `sync`). Higher than any seen: the
   * cache is emptied. Lower or equal (a concurrent fire that read earlier): nothing changes —
   * the cache never goes backwards, and what it holds is at least as new as that read.
   */
  observe(generation: number): void {
    if (!(generation > this.generation)) return;
    this.generation = generation;
    this.people.clear();
    this.away.clear();
    this.rota = undefined;
  }

  /** Reads the stamp alone (one consistent GetItem) and observes it. */
  async sync(): Promise<void> {
    this.observe(await this.source.generation());
  }

  /** The generation the cache holds (-1 before the first observation). */
  get observed(): number {
    return this.generation;
  }

  getPerson(personId: string): Promise<Person | undefined> {
    return cached(this.people, personId, () => this.source.getPerson(personId));
  }

  async teamManager(team: string): Promise<string | undefined> {
    return this.source.teamManager?.(team);
  }

  async awayAt(personId: string, at: Date): Promise<string | undefined> {
    const periods = await cached(this.away, personId, () => this.source.awayPeriods(personId));
    return delegateAt(periods, at);
  }

  async onCallAt(at: Date, tier: 1 | 2 = 1): Promise<string | undefined> {
    const t = at.getTime();
    let window = this.rota;
    // Served from the window when every shift the rule can pick, `from` in
    // [at − MAX_SHIFT_DAYS, at], lies inside it.
    if (window === undefined || t - MAX_SHIFT_MS < window.lo || t > window.hi) {
      const lo = t - MAX_SHIFT_MS;
      const hi = t + ROTA_LOOKAHEAD_MS;
      const shifts = this.source.shiftsStarting(new Date(lo), new Date(hi));
      const fresh: RotaWindow = { lo, hi, shifts };
      window = fresh;
      this.rota = fresh;
      shifts.catch(() => {
        if (this.rota === fresh) this.rota = undefined;
      });
    }
    return onCallFrom(await window.shifts, at, tier);
  }
}

/**
 * The map's promise for `key`, else `load()`'s, kept under the current generation: a clear
 * while it is in flight drops it (its callers still get it; later ones read again).
 */
function cached<T>(map: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
  const hit = map.get(key);
  if (hit !== undefined) return hit;
  if (map.size >= MAX_CACHED_PEOPLE) map.clear();
  const promise = load();
  map.set(key, promise);
  promise.catch(() => {
    if (map.get(key) === promise) map.delete(key);
  });
  return promise;
}
