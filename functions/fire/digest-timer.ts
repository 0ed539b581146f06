/**
 * The morning digest's timer: every overnight EDT alert of a team names the same one, due at
 * the team's next opening, so the day team's manager gets one email however many alerts went.
 */
import { digestTimerName } from '#kernel/ids.js';
import type { DigestEntry } from '#kernel/records.js';
import type { Timer } from '#kernel/timers.js';
import type { ReminderDeps } from './ports.js';

/** A digest timer's `caseId` is the team's, prefixed so it never meets a case reference. */
export const TEAM_PREFIX = 'team:';

/** The one digest timer of a team's morning: deterministic, so every alert schedules the same one. */
export function digestTimer(team: string, date: string, fireAt: Date, suffix = ''): Timer {
  return {
    name: digestTimerName(team, date, suffix),
    fireAt,
    payload: { caseId: `${TEAM_PREFIX}${team}`, deadlineId: date, kind: 'digest', version: 0 },
  };
}

/**
 * Makes sure the digest an entry belongs to has its timer, due at the team's `opening`.
 * Every alert of the night names the same timer: a process that remembers the names it
 * scheduled (`digestsScheduled`) schedules it once, not once per alert.
 */
export async function scheduleMorningDigest(
  entry: DigestEntry,
  opening: Date,
  deps: Pick<ReminderDeps, 'scheduler' | 'digestsScheduled'>,
): Promise<void> {
  const timer = digestTimer(entry.team, entry.date, opening);
  const scheduled = deps.digestsScheduled;
  if (scheduled?.has(timer.name)) return;
  await deps.scheduler.schedule([timer]);
  if (scheduled === undefined) return;
  // Bounded: a long-lived process forgets, and at worst schedules a digest again (by name).
  if (scheduled.size >= 1_000) scheduled.clear();
  scheduled.add(timer.name);
}
