/**
 * The morning digest: every overnight EDT alert of a team adds an entry and names the same
 * digest timer; at the team's next opening the day team gets one email listing them, and
 * each case's audit trail records who was told.
 */
import { digestReminderId, digestTimerName, heldUntilSuffix } from '#domain/ids.js';
import type { DigestEntry } from '#domain/ports.js';
import { caseLink, type DigestItem, renderDigest } from '#domain/reminders/messages.js';
import { routePeople } from '#domain/reminders/routing.js';
import type { Timer, TimerPayload } from '#domain/timers.js';
import { emptyTally, type FireOutcome, type FireTimerDeps } from './fire-deps.js';
import { sendOnce, tally } from './send-once.js';

/** A digest timer's `caseId` is the team's, prefixed so it never meets a case reference. */
const TEAM_PREFIX = 'team:';

/**
 * Makes sure the digest an entry belongs to has its timer, due at the team's `opening`.
 * Every alert of the night names the same timer: a process that remembers the names it
 * scheduled (`deps.digestsScheduled`) schedules it once, not once per alert.
 */
export async function scheduleMorningDigest(
  entry: DigestEntry,
  opening: Date,
  deps: Pick<FireTimerDeps, 'scheduler' | 'digestsScheduled'>,
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

/** The one digest timer of a team's morning: deterministic, so every alert schedules the same one. */
export function digestTimer(team: string, date: string, fireAt: Date, suffix = ''): Timer {
  return {
    name: digestTimerName(team, date, suffix),
    fireAt,
    payload: { caseId: `${TEAM_PREFIX}${team}`, deadlineId: date, kind: 'digest', version: 0 },
  };
}

/** Sends a team's morning digest of the night's EDT alerts, once, and audits it on each case. */
export async function fireDigest(payload: TimerPayload, deps: FireTimerDeps): Promise<FireOutcome> {
  const now = deps.clock.now();
  const team = payload.caseId.slice(TEAM_PREFIX.length);
  const date = payload.deadlineId;
  const reminderId = digestReminderId(team, date);
  const entries = await deps.digests.list(team, date);
  const outcome = emptyTally('digest');
  if (entries.length === 0) return outcome;
  const recipients = [...new Set(entries.flatMap((e) => e.recipientIds))];
  // No case is read before routing here: a cached directory checks its stamp instead.
  await deps.directory.sync?.();
  const routed = await routePeople(recipients, {
    now,
    calendar: deps.calendar,
    directory: deps.directory,
    mode: 'working-hours',
    channels: ['email'],
  });
  const items: DigestItem[] = entries.map((e) => ({
    caseId: e.caseId,
    title: deps.plans[e.rule]?.title ?? e.rule,
    dueAt: e.dueAt,
    alertedAt: e.alertedAt,
    link: caseLink(deps.caseUrlTemplate, e.caseId),
  }));
  const content = renderDigest(items, team);
  const sentTo: string[] = [];
  for (const d of routed.deferrals) {
    await deps.scheduler.schedule([digestTimer(team, date, d.until, heldUntilSuffix(d.until))]);
    outcome.deferred++;
  }
  for (const delivery of routed.deliveries) {
    const result = await sendOnce(
      { caseId: payload.caseId, reminderId, personId: delivery.personId },
      {
        channel: 'email',
        to: delivery.to,
        subject: content.subject,
        text: content.text,
        html: content.html,
        meta: { caseId: payload.caseId, rule: 'digest', reminderId, personId: delivery.personId },
      },
      deps,
    );
    tally(outcome, result);
    if (result.status === 'sent') sentTo.push(delivery.personId);
  }
  // Each case in the digest records who was told.
  const byCase = new Map<string, string[]>();
  for (const e of entries) byCase.set(e.caseId, [...(byCase.get(e.caseId) ?? []), e.reminderId]);
  for (const [caseId, reminderIds] of byCase) {
    const stored = await deps.cases.loadCase(caseId);
    await deps.audit.append(
      [
        {
          caseId,
          at: now,
          kind: sentTo.length > 0 ? 'reminder-sent' : 'reminder-failed',
          detail: {
            digest: reminderId,
            reminderIds,
            personIds: sentTo,
            unroutable: routed.unroutable.length,
          },
        },
      ],
      stored?.version ?? 0,
    );
  }
  return outcome;
}
