/**
 * `bench:fire` through GOV.UK Notify (`FIRE_MESSAGING=notify`): two requests a reminder at
 * Notify's 3,000 a minute, so the rate limit, not the fire path, sets the pace. The figures:
 * the most requests the stand-in took in any 60 s, and its 429s.
 */
import { NOTIFY_RATE_PER_MINUTE as NOTIFY_LIMIT } from '#platform/config.js';
import { fmt } from './stats.js';

/** The most of `times` (ascending, ms) within any `windowMs`. */
export function peakIn(times: number[], windowMs: number): number {
  let peak = 0;
  for (let first = 0, last = 0; last < times.length; last++) {
    while ((times[last] as number) - (times[first] as number) >= windowMs) first++;
    peak = Math.max(peak, last - first + 1);
  }
  return peak;
}

/** The summary's rows for the runs, and whether every run kept within the limit. */
export function notifySummary(
  runs: { notifyPeak: number; notify429s: number; duplicates: number; losses: number }[],
  reminders: number,
): { rows: string[][]; ok: boolean } {
  const peak = Math.max(...runs.map((r) => r.notifyPeak));
  const refused = runs.reduce((sum, r) => sum + r.notify429s, 0);
  const ok = peak <= NOTIFY_LIMIT && runs.every((r) => r.duplicates === 0 && r.losses === 0);
  return {
    ok,
    rows: [
      ['Notify requests in any 60 s (peak, all runs)', fmt(peak)],
      ['429s from the stand-in (all runs)', fmt(refused)],
      [
        `least time for ${fmt(reminders * 2)} messages at ${fmt(NOTIFY_LIMIT)} a minute`,
        `${fmt(Math.max(0, ((reminders * 2) / NOTIFY_LIMIT) * 60 - 60), 0)} s (the first minute’s at once)`,
      ],
    ],
  };
}
