/**
 * The morning digest: every overnight EDT alert of a team adds an entry and names the same
 * digest timer; at the team's next opening the day team's manager gets one email with a line
 * per clock and its status now, and each case's audit trail records who was told.
 */
import {
  digestReminderId,
  digestTimerName,
  emailMessageId,
  FALLBACK_PERSON_ID,
  heldUntilSuffix,
} from '#kernel/ids.js';
import type { Deadline } from '#kernel/model.js';
import type { DigestEntry, StoredCase } from '#kernel/records.js';
import { ackRole, tierRole } from '#kernel/reminders/alerts.js';
import { BREACH_STEP } from '#kernel/reminders/breach-steps.js';
import {
  type DigestClock,
  type DigestStatus,
  digestPeriod,
  renderDigest,
} from '#kernel/reminders/digest-message.js';
import { caseLink, type ReminderMoment } from '#kernel/reminders/messages.js';
import { routePeople } from '#kernel/reminders/routing.js';
import { momentOf } from '#kernel/reminders/steps.js';
import type { ReminderPlan } from '#kernel/reminders/types.js';
import type { Timer, TimerPayload } from '#kernel/timers.js';
import { domainOf } from './compose-message.js';
import { emptyTally, type FireOutcome, type FireTimerDeps } from './ports.js';
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

/**
 * Sends a team's morning digest of what the EDT was alerted to while the team was closed,
 * once per person, and audits it on each case.
 *
 * 1. Read the night's entries and each case they name once (the status of each clock now).
 * 2. Group the entries into clocks: one line per clock, with every alert sent for it.
 * 3. Each clock goes to the case's team manager; a case naming none: the team's manager in
 *    the directory; else the fallback contact. A person away: their delegate; outside their
 *    hours: held to their opening (the digest fires again then; its sends are claimed).
 * 4. Each person gets one email: the lines of their clocks, the period named in the subject.
 */
export async function fireDigest(payload: TimerPayload, deps: FireTimerDeps): Promise<FireOutcome> {
  const now = deps.clock.now();
  const team = payload.caseId.slice(TEAM_PREFIX.length);
  const date = payload.deadlineId;
  const reminderId = digestReminderId(team, date);
  const entries = await deps.digests.list(team, date);
  const outcome = emptyTally('digest');
  if (entries.length === 0) return outcome;
  const cases = new Map<string, StoredCase | undefined>();
  for (const e of entries)
    if (!cases.has(e.caseId)) cases.set(e.caseId, await deps.cases.loadCase(e.caseId));
  const clocks = clocksOf(entries, cases, now, deps);
  await addAcknowledgements(clocks, deps);

  // No case is read before routing here: a cached directory checks its stamp instead.
  await deps.directory.sync?.();
  const teamManager = entries.some((e) => e.recipientIds.length === 0)
    ? await deps.directory.teamManager?.(team)
    : undefined;
  const byPerson = new Map<string, Set<DigestClock>>();
  const give = (personId: string, clock: DigestClock) =>
    byPerson.set(personId, (byPerson.get(personId) ?? new Set()).add(clock));
  for (const { clock, recipients } of clocks) {
    const ids = recipients.length > 0 ? recipients : [teamManager ?? FALLBACK_PERSON_ID];
    for (const id of ids) give(id, clock);
  }
  const people = [...byPerson.keys()].filter((id) => id !== FALLBACK_PERSON_ID);
  const routed = await routePeople(people, {
    now,
    calendar: deps.calendar,
    directory: deps.directory,
    mode: 'working-hours',
    channels: ['email'],
  });
  for (const d of routed.deferrals) {
    await deps.scheduler.schedule([digestTimer(team, date, d.until, heldUntilSuffix(d.until))]);
    outcome.deferred++;
  }
  // Whoever cannot be reached at all: their clocks go to the fallback contact.
  for (const u of routed.unroutable) {
    if (u.reason === 'no-contact' || u.personId === undefined) continue;
    for (const clock of byPerson.get(u.personId) ?? []) give(FALLBACK_PERSON_ID, clock);
  }
  const deliveries = routed.deliveries.map((d) => ({ ...d, clocks: byPerson.get(d.forPersonId) }));
  const toFallback = byPerson.get(FALLBACK_PERSON_ID);
  if (toFallback !== undefined && deps.fallback !== undefined) {
    deliveries.push({
      personId: FALLBACK_PERSON_ID,
      channel: 'email',
      to: deps.fallback.email,
      via: 'fallback',
      forPersonId: FALLBACK_PERSON_ID,
      clocks: toFallback,
    });
  } else if (toFallback !== undefined) {
    deps.log?.error('digest has nobody to go to', { team, date, metric: 'ReminderUnroutable' });
    deps.metrics?.count('Unroutable');
  }
  // A delegate standing in for several people gets one digest with all their lines.
  const perPerson = new Map<string, { to: string; clocks: Set<DigestClock> }>();
  for (const d of deliveries) {
    const mine = perPerson.get(d.personId) ?? { to: d.to, clocks: new Set<DigestClock>() };
    for (const clock of d.clocks ?? []) mine.clocks.add(clock);
    perPerson.set(d.personId, mine);
  }
  const period = digestPeriod(deps.calendar, date);
  const sentTo: string[] = [];
  for (const [personId, { to, clocks: mine }] of perPerson) {
    const content = renderDigest([...mine], team, period, deps.authorityName);
    const meta = { caseId: payload.caseId, rule: 'digest', reminderId, personId };
    const result = await sendOnce(
      { caseId: payload.caseId, reminderId, personId },
      {
        channel: 'email',
        to,
        subject: content.subject,
        text: content.text,
        html: content.html,
        headers: { date: now, messageId: emailMessageId(meta, domainOf(deps.emailFrom)) },
        meta,
      },
      deps,
    );
    tally(outcome, result);
    if (result.status === 'sent') sentTo.push(personId);
  }
  // Each case in the digest records who was told.
  const byCase = new Map<string, string[]>();
  for (const e of entries) byCase.set(e.caseId, [...(byCase.get(e.caseId) ?? []), e.reminderId]);
  for (const [caseId, reminderIds] of byCase) {
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
      cases.get(caseId)?.version ?? 0,
    );
  }
  return outcome;
}

/** Each clock's acknowledgement and escalations, when alerts are tracked (one read per clock). */
async function addAcknowledgements(
  clocks: { clock: DigestClock; deadlineId: string }[],
  deps: Pick<FireTimerDeps, 'alerts'>,
): Promise<void> {
  const store = deps.alerts?.store;
  if (store === undefined) return;
  for (const entry of clocks) {
    const state = await store.getClock(entry.clock.caseId, entry.deadlineId);
    const escalations = [
      ...(state.chains.open?.escalations ?? []),
      ...(state.chains.breached?.escalations ?? []),
    ]
      .filter((e) => e.alertId !== undefined)
      .map((e) => ({ role: tierRole(e.tier), at: e.at }));
    entry.clock.acknowledgement = {
      ...(state.ack === undefined
        ? {}
        : { acknowledged: { role: ackRole(state.ack.by), at: state.ack.at } }),
      escalations,
    };
  }
}

/** The digest's clocks: the night's entries grouped per clock, with its status now. */
function clocksOf(
  entries: readonly DigestEntry[],
  cases: ReadonlyMap<string, StoredCase | undefined>,
  now: Date,
  deps: Pick<FireTimerDeps, 'plans' | 'caseUrlTemplate'>,
): { clock: DigestClock; deadlineId: string; recipients: string[] }[] {
  const out = new Map<string, { clock: DigestClock; deadlineId: string; recipients: string[] }>();
  for (const e of entries) {
    const deadlineId = e.deadlineId ?? e.reminderId.split('.').slice(0, -2).join('.');
    const step = e.step ?? e.reminderId.split('.').at(-2) ?? '';
    const key = `${e.caseId}|${deadlineId}`;
    const deadline = cases.get(e.caseId)?.aggregate.deadlines.find((d) => d.id === deadlineId);
    const plan = deps.plans[e.rule];
    let found = out.get(key);
    if (found === undefined) {
      found = {
        clock: {
          caseId: e.caseId,
          title: plan?.title ?? e.rule,
          ...(deadline?.stageName === undefined ? {} : { stageName: deadline.stageName }),
          dueAt: deadline?.dueAt ?? e.dueAt,
          status: statusNow(deadline, now),
          alerts: [],
          link: caseLink(deps.caseUrlTemplate, e.caseId),
        },
        deadlineId,
        recipients: [],
      };
      out.set(key, found);
    }
    (found.clock.alerts as { at: Date; moment: ReminderMoment }[]).push({
      at: e.alertedAt,
      moment: momentOfStepKey(plan, step),
    });
    for (const id of e.recipientIds) if (!found.recipients.includes(id)) found.recipients.push(id);
  }
  return [...out.values()];
}

/** A clock's status as the digest reports it. */
function statusNow(deadline: Deadline | undefined, now: Date): DigestStatus {
  if (deadline === undefined) return { kind: 'unknown' };
  switch (deadline.status) {
    case 'open':
      return { kind: 'open' };
    case 'met':
      return { kind: 'met', at: deadline.closedAt ?? deadline.dueAt };
    case 'cancelled':
      return { kind: 'cancelled' };
    case 'breached':
      return deadline.metAt === undefined
        ? { kind: 'breached', lateMs: now.getTime() - deadline.dueAt.getTime() }
        : {
            kind: 'met-late',
            at: deadline.metAt,
            lateMs: deadline.metAt.getTime() - deadline.dueAt.getTime(),
          };
  }
}

/** How an alert's step reads: its plan step's moment; the breach's steps say BREACHED. */
function momentOfStepKey(plan: ReminderPlan | undefined, key: string): ReminderMoment {
  if (key === BREACH_STEP || /^b[re][0-9]+$/.test(key)) return 'breach';
  const step = plan?.steps.find((s) => s.key === key);
  return step === undefined ? 'due' : momentOf(step.at);
}
