/**
 * A digest timer fires: at the team's next opening, the day team's manager gets one email of
 * what the EDT was alerted to while the team was closed, with a line per clock and its status
 * now, and each case's audit trail records who was told. Read, decide, do:
 *
 * 1. Read: the night's entries (`DIGEST#<team>#<date>`), then every case they name, their
 *    clocks' alert states and the directory stamp, batched (`FiringStore.readDigest`).
 * 2. Who (`digestClocks`, pure), then where they are now (`routePeople`, through the cached
 *    directory; the team's manager read through for a case naming none).
 * 3. Decide (`decideDigest`, pure): one email per person, the timers holding the others to
 *    their opening, each case's line.
 * 4. Do (`carryOut`): claim each person's email, set the timers, send, and record the outcome
 *    with every case's line in one write.
 */
import { FALLBACK_PERSON_ID } from '#kernel/ids.js';
import { routePeople } from '#kernel/reminders/index.js';
import type { TimerPayload } from '#kernel/timers.js';
import { carryOut, emit } from './carry-out.js';
import { decideDigest, digestClocks, entryDeadlineId, teamManagerFor } from './digest-decision.js';
import { TEAM_PREFIX } from './digest-timer.js';
import type { DigestDeps, FireOutcome } from './ports.js';
import { emptyTally } from './tally.js';

export { digestTimer, scheduleMorningDigest } from './digest-timer.js';

export async function fireDigest(payload: TimerPayload, deps: DigestDeps): Promise<FireOutcome> {
  const now = deps.clock.now();
  const team = payload.caseId.slice(TEAM_PREFIX.length);
  const date = payload.deadlineId;
  const entries = await deps.digests.list(team, date);
  if (entries.length === 0) return emptyTally('digest');
  const tracked = deps.alertsTracked === true;
  const state = await deps.store.readDigest(
    [...new Set(entries.map((e) => e.caseId))],
    tracked ? entries.map((e) => ({ caseId: e.caseId, deadlineId: entryDeadlineId(e) })) : [],
  );
  // No case was read before routing here: the stamp read with the cases brings the cache up.
  deps.directory.observe?.(state.directoryGeneration);
  const teamManager = await teamManagerFor(entries, team, deps.directory);
  const clocks = digestClocks(
    entries,
    state.cases,
    tracked ? state.clocks : undefined,
    teamManager,
    now,
    deps,
  );
  const people = [...clocks.byPerson.keys()].filter((id) => id !== FALLBACK_PERSON_ID);
  const routed = await routePeople(people, {
    now,
    calendar: deps.calendar,
    directory: deps.directory,
    mode: 'working-hours',
    channels: ['email'],
  });
  const decision = decideDigest(
    { team, date, timerCaseId: payload.caseId, entries, cases: state.cases, clocks, routed, now },
    deps,
  );
  const carried = await carryOut(decision.firing, deps);
  // No guard: a digest's claims never conflict.
  if (carried.conflict) throw new Error('digest claim conflict');
  emit(decision.notes, deps);
  return carried.recorded.outcome;
}
