import type { Scheduler } from '#kernel/ports.js';
import type { Timer } from '#kernel/timers.js';

/** A `Scheduler` that only remembers what it was asked: local mode's seam until a driver is plugged in. */
export class RecordingScheduler implements Scheduler {
  readonly timers = new Map<string, Timer>();
  readonly calls: { op: 'schedule' | 'cancel'; names: string[] }[] = [];

  async schedule(timers: Timer[]): Promise<void> {
    for (const timer of timers) this.timers.set(timer.name, timer);
    this.calls.push({ op: 'schedule', names: timers.map((t) => t.name) });
  }

  async cancel(names: string[]): Promise<void> {
    for (const name of names) this.timers.delete(name);
    this.calls.push({ op: 'cancel', names });
  }
}
