/**
 * A morning digest that did not reach its manager: the clocks it carried go to the fallback
 * contact at once (the duty inbox), saying why, and each of its cases lists it as reaching
 * nobody. Read, decide, do:
 *
 * 1. Read: the digest's claim for that person with its receipt (reached? a digest goes by
 *    email only, so there is no other channel to try); then the night's entries, their cases
 *    and clocks, and where the digest's people are now (delegates), as the digest itself did.
 * 2. Decide (pure): the person's clocks, in one email to the fallback contact under a claim of
 *    its own (`<digest>~to-<person>`: sent once however often the failure is reported); each
 *    case's audit lines and unrouted record.
 * 3. Do (`carryOut`).
 */
import { undeliveredGap } from '#kernel/gap-words.js';
import { emailMessageId, FALLBACK_PERSON_ID } from '#kernel/ids.js';
import type { ReminderAuditEntry, UnroutedReminder } from '#kernel/records.js';
import {
  type DigestClock,
  digestPeriod,
  renderDigest,
  routePeople,
  stepReminderId,
} from '#kernel/reminders/index.js';
import { carryOut, emit, type Firing, type Note } from './carry-out.js';
import { domainOf } from './compose-message.js';
import { digestClocks, entryDeadlineId, teamManagerFor } from './digest-decision.js';
import type { FireOutcome, UndeliveredPayload } from './ports.js';
import { emptyTally, tally } from './tally.js';
import { dutyInboxUndelivered, reachOf } from './undelivered-parts.js';
import type { UndeliveredDeps } from './undelivered-ports.js';

export async function fireUndeliveredDigest(
  payload: UndeliveredPayload,
  deps: UndeliveredDeps,
): Promise<FireOutcome> {
  const digestId = stepReminderId(payload.reminderId);
  const [, date = '', team = ''] = /^digest:([0-9-]+):(.+)$/.exec(digestId) ?? [];
  const now = deps.clock.now();
  const mine = await deps.sends.readSends([
    { caseId: payload.caseId, reminderId: payload.reminderId, personId: payload.personId },
  ]);
  const reach = reachOf(mine.sends);
  if (reach.reach !== 'not-reached') return { status: 'ignored', reason: 'undelivered-waiting' };
  const ids = { caseId: payload.caseId, reminderId: digestId, personId: payload.personId };
  if (payload.personId === FALLBACK_PERSON_ID || team === '') {
    emit([dutyInboxUndelivered(ids)], deps);
    return { status: 'ignored', reason: 'undelivered-nobody' };
  }
  const entries = await deps.digests.list(team, date);
  const state = await deps.sends.readDigest(
    [...new Set(entries.map((e) => e.caseId))],
    entries.map((e) => ({ caseId: e.caseId, deadlineId: entryDeadlineId(e) })),
  );
  deps.directory.observe?.(state.directoryGeneration);
  const teamManager = await teamManagerFor(entries, team, deps.directory);
  const clocks = digestClocks(entries, state.cases, state.clocks, teamManager, now, deps);
  const people = [...clocks.byPerson.keys()].filter((id) => id !== FALLBACK_PERSON_ID);
  const routed = await routePeople(people, {
    now,
    calendar: deps.calendar,
    directory: deps.directory,
    mode: 'at-once',
    channels: ['email'],
  });
  // The clocks the digest carried to this person (for themselves, or as someone's delegate).
  const meant = routed.deliveries
    .filter((d) => d.personId === payload.personId)
    .map((d) => d.forPersonId);
  const theirs = new Set<DigestClock>();
  for (const id of meant.length === 0 ? [payload.personId] : meant)
    for (const c of clocks.byPerson.get(id) ?? []) theirs.add(c);
  const lines = clocks.lines.filter((l) => theirs.has(l.clock));
  if (lines.length === 0) return { status: 'ignored', reason: 'undelivered-moved-on' };

  const gap = undeliveredGap({ personId: payload.personId, failures: reach.failures });
  const content = renderDigest(
    [...theirs],
    team,
    digestPeriod(deps.calendar, date),
    deps.authorityName,
  );
  // "P-0002 was not reached: email not delivered: …. It comes to …. Ask the case system to …."
  const why = `${gap.missing}. This digest comes to the service’s duty inbox instead. ${gap.fix}.`;
  const fallback = deps.fallback;
  const key = {
    ...ids,
    reminderId: `${digestId}~to-${payload.personId}`,
    personId: FALLBACK_PERSON_ID,
  };
  const meta = {
    caseId: key.caseId,
    rule: 'digest',
    reminderId: key.reminderId,
    personId: key.personId,
  };
  const firing: Firing = {
    sends:
      fallback === undefined
        ? []
        : [
            {
              key,
              context: { peers: [], channels: ['email'], caseVersion: 0 },
              messages: [
                {
                  channel: 'email',
                  to: fallback.email,
                  subject: `UNDELIVERED: ${content.subject}`,
                  text: `${why}\n\n${content.text}`,
                  html: content.html,
                  ...(content.layout === undefined
                    ? {}
                    : {
                        layout: { ...content.layout, lead: [why, ...(content.layout.lead ?? [])] },
                      }),
                  headers: { date: now, messageId: emailMessageId(meta, domainOf(deps.emailFrom)) },
                  meta,
                },
              ],
            },
          ],
    timers: [],
    record: (results) => {
      const told = results[0] ?? [];
      // Told before, or being told by another follow-up (which lists it).
      if (
        told.length > 0 &&
        told.every((r) => r.status === 'duplicate' || r.status === 'in-flight')
      )
        return { audit: [] };
      const fallbackState: UnroutedReminder['fallback'] =
        fallback === undefined ? 'none' : told.some((r) => r.status === 'sent') ? 'sent' : 'failed';
      const missing = reach.failures.map((f) => ({
        reason: 'undelivered',
        personId: payload.personId,
        channel: f.channel,
        delivery: f.state,
      }));
      const byCase = new Map<string, (typeof lines)[number]>();
      for (const l of lines) if (!byCase.has(l.clock.caseId)) byCase.set(l.clock.caseId, l);
      const cases = [...byCase].filter(([caseId]) => state.cases.has(caseId));
      const audit = cases.map(([caseId, l]) => {
        const entry = (kind: ReminderAuditEntry['kind'], more: Record<string, unknown>) => ({
          caseId,
          at: now,
          kind,
          deadlineId: l.deadlineId,
          detail: { reminderId: digestId, personId: payload.personId, ...more },
        });
        return {
          entries: [
            entry('reminder-undelivered', {
              failures: reach.failures,
              outcome: 'fallback',
              digest: digestId,
            }),
            entry('reminder-unrouted', { missing, fix: [gap.fix], fallback: fallbackState }),
          ],
          caseVersion: state.cases.get(caseId)?.version ?? 0,
        };
      });
      const unrouted = cases.map(
        ([caseId, l]): UnroutedReminder => ({
          team,
          caseId,
          deadlineId: l.deadlineId,
          rule:
            state.cases.get(caseId)?.aggregate.deadlines.find((d) => d.id === l.deadlineId)?.rule ??
            'digest',
          step: 'digest',
          reminderId: digestId,
          at: new Date(mine.sends[0]?.claim?.claimedAt ?? now.toISOString()),
          missing,
          fix: [gap.fix],
          fallback: fallbackState,
        }),
      );
      return { audit, unrouted };
    },
  };
  const carried = await carryOut(firing, deps);
  if (carried.conflict) throw new Error('undelivered digest: unexpected claim conflict');
  const notes: Note[] = [
    {
      metric: 'Unroutable',
      log: {
        level: 'error',
        message: 'morning digest reached nobody: its email was not delivered',
        fields: { ...ids, metric: 'ReminderUnroutable' },
      },
    },
  ];
  emit(notes, deps);
  const outcome = emptyTally('digest');
  for (const results of carried.results) for (const r of results) tally(outcome, r);
  return outcome;
}
