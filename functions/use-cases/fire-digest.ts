/**
 * The morning digest: every overnight EDT alert of a team adds an entry and names the same
 * digest timer; at the team's next opening the day team gets one email listing them, and
 * each case's audit trail records who was told.
 */

import { caseLink, type DigestItem, renderDigest } from '#domain/reminders/messages.js';
import { fnv1a64, REMINDER_KIND } from '#domain/reminders/plans.js';
import type { DigestEntry } from '#domain/reminders/ports.js';
import { routePeople } from '#domain/reminders/routing.js';
import type { ReminderTimer } from '#domain/reminders/types.js';
import type { FireAggregate, FireOutcome, FireTimerDeps } from './fire-deps.js';
import { sendOnce, tally } from './send-once.js';

export const DIGEST_PREFIX = 'digest:';

/** The name suffix of a timer held to a person's next opening: one per opening minute. */
export function deferralSuffix(until: Date): string {
  return `.h${Math.floor(until.getTime() / 60_000).toString(36)}`;
}

/**
 * Makes sure the digest an entry belongs to has its timer, due at the team's `opening`. Every alert of the night names the
 * same timer: a process that remembers the names it scheduled (`deps.digestsScheduled`)
 * schedules it once, not once per alert.
 */
export async function scheduleMorningDigest<A extends FireAggregate>(
  entry: DigestEntry,
  opening: Date,
  deps: FireTimerDeps<A>,
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
export function digestTimer(
  team: string,
  date: string,
  fireAt: Date,
  suffix = '',
): ReminderTimer<typeof REMINDER_KIND> {
  const readable = team.replace(/[^0-9A-Za-z-_]/g, '_').slice(0, 20);
  return {
    name: `d.${readable}.${date.replaceAll('-', '')}.${fnv1a64(team).slice(0, 8)}${suffix}`.slice(
      0,
      64,
    ),
    fireAt,
    // A digest belongs to a team, not a case or deadline: those ids are placeholders.
    payload: {
      caseId: `team:${team}`,
      deadlineId: 'digest',
      kind: REMINDER_KIND,
      version: 0,
      reminderId: `${DIGEST_PREFIX}${date}:${team}`,
    },
  };
}

export async function fireDigest<A extends FireAggregate>(
  reminderId: string,
  deps: FireTimerDeps<A>,
): Promise<FireOutcome> {
  const now = deps.clock.now();
  const [date = '', ...rest] = reminderId.slice(DIGEST_PREFIX.length).split(':');
  const team = rest.join(':');
  const entries = await deps.digests.list(team, date);
  const outcome = {
    status: 'digest' as const,
    sent: 0,
    duplicates: 0,
    deferred: 0,
    failed: 0,
    retryLater: false,
  };
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
    await deps.scheduler.schedule([digestTimer(team, date, d.until, deferralSuffix(d.until))]);
    outcome.deferred++;
  }
  for (const delivery of routed.deliveries) {
    const result = await sendOnce(
      { caseId: `team:${team}`, reminderId, personId: delivery.personId },
      {
        channel: 'email',
        to: delivery.to,
        subject: content.subject,
        text: content.text,
        html: content.html,
        meta: { caseId: `team:${team}`, rule: 'digest', reminderId, personId: delivery.personId },
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
