/**
 * The `Scheduler` port's fakes: one that does nothing (a test or bench that plans timers but
 * never fires them), and one that keeps, in order, every timer scheduled and every name
 * cancelled (over local mode's `RecordingScheduler`, which keeps only the timers still set).
 */
import type { Scheduler } from '#kernel/ports.js';
import type { Timer } from '#kernel/timers.js';
import { RecordingScheduler } from '#platform/memory/scheduler.js';

export const noScheduler: Scheduler = { schedule: async () => {}, cancel: async () => {} };

export class TimerLog extends RecordingScheduler {
  readonly scheduled: Timer[] = [];
  readonly cancelled: string[] = [];

  override async schedule(timers: Timer[]): Promise<void> {
    this.scheduled.push(...timers);
    await super.schedule(timers);
  }

  override async cancel(names: string[]): Promise<void> {
    this.cancelled.push(...names);
    await super.cancel(names);
  }
}
