/**
 * A team's morning digest, decided (pure) from the night's entries, the cases and clocks they
 * name, and where their people are now.
 *
 * 1. The entries grouped into clocks: one line per clock, with every alert sent for it, its
 *    status now, and (alerts tracked) who acknowledged and where nobody's acknowledgement
 *    took it (`digestClocks`).
 * 2. Each clock goes to the case's team manager; a case naming none: the team's manager in the
 *    directory; else the fallback contact (`digestClocks` says who; `decideDigest` is given
 *    their routing). A person away: their delegate; outside their hours: held to their
 *    opening (the digest fires again then; its sends are claimed); unreachable: their clocks
 *    go to the fallback contact.
 * 3. Each person gets one email: the lines of their clocks, the period named in the subject;
 *    each case in the digest records who was told.
 */

import type { ClockAlerts } from '#kernel/alert-state.js';
import type { Calendar } from '#kernel/calendar/index.js';
import { clockLabel } from '#kernel/glossary.js';
import {
  digestReminderId,
  emailMessageId,
  FALLBACK_PERSON_ID,
  heldUntilSuffix,
} from '#kernel/ids.js';
import type { Deadline } from '#kernel/model.js';
import { limitOf } from '#kernel/model.js';
import type { DigestEntry, ReminderAuditEntry, StoredCase } from '#kernel/records.js';
import {
  ackRole,
  BREACH_STEP,
  caseLink,
  type DigestClock,
  type DigestStatus,
  digestPeriod,
  momentOf,
  type ReminderMoment,
  type Routing,
  renderDigest,
  tierRole,
} from '#kernel/reminders/index.js';
import type { ReminderPlan } from '#kernel/reminders/types.js';
import type { Timer } from '#kernel/timers.js';
import type { Firing, Note, PlannedSend, Recorded } from './carry-out.js';
import { domainOf } from './compose-message.js';
import { digestTimer } from './digest-timer.js';
import type { MessageSettings, SendResult, SendTally } from './ports.js';
import { emptyTally, tally } from './tally.js';

interface ClockLine {
  clock: DigestClock;
  deadlineId: string;
  recipients: string[];
}

/** The night's clocks and who each should go to (`FALLBACK_PERSON_ID` for nobody known). */
export interface DigestClocks {
  lines: ClockLine[];
  byPerson: Map<string, Set<DigestClock>>;
}

/**
 * Who gets the lines whose case names no team manager: the team's manager in the directory,
 * read only when such a line exists. The digest and the follow-up of an undelivered digest
 * ask the same, so that both give each line to the same person.
 */
export async function teamManagerFor(
  entries: readonly DigestEntry[],
  team: string,
  directory: { teamManager?(team: string): Promise<string | undefined> },
): Promise<string | undefined> {
  return entries.some((e) => e.recipientIds.length === 0)
    ? await directory.teamManager?.(team)
    : undefined;
}

/** Groups the entries into clocks, with their status now, and gives each to its people. */
export function digestClocks(
  entries: readonly DigestEntry[],
  cases: ReadonlyMap<string, StoredCase>,
  clocks: ReadonlyMap<string, ClockAlerts> | undefined,
  teamManager: string | undefined,
  now: Date,
  settings: Pick<MessageSettings, 'plans' | 'caseUrlTemplate'>,
): DigestClocks {
  const out = new Map<string, ClockLine>();
  for (const e of entries) {
    const deadlineId = entryDeadlineId(e);
    const step = e.step ?? e.reminderId.split('.').at(-2) ?? '';
    const key = `${e.caseId}|${deadlineId}`;
    const deadline = cases.get(e.caseId)?.aggregate.deadlines.find((d) => d.id === deadlineId);
    const plan = settings.plans[e.rule];
    let found = out.get(key);
    if (found === undefined) {
      found = {
        clock: {
          caseId: e.caseId,
          title: clockLabel(e.rule, settings.plans),
          ...(deadline?.stageName === undefined ? {} : { stageName: deadline.stageName }),
          dueAt: deadline?.dueAt ?? e.dueAt,
          status: statusNow(deadline, now),
          alerts: [],
          link: caseLink(settings.caseUrlTemplate, e.caseId),
        },
        deadlineId,
        recipients: [],
      };
      const state = clocks?.get(key);
      if (clocks !== undefined) found.clock.acknowledgement = acknowledgementOf(state);
      out.set(key, found);
    }
    (found.clock.alerts as { at: Date; moment: ReminderMoment }[]).push({
      at: e.alertedAt,
      moment: momentOfStepKey(plan, step),
    });
    for (const id of e.recipientIds) if (!found.recipients.includes(id)) found.recipients.push(id);
  }
  const byPerson = new Map<string, Set<DigestClock>>();
  for (const { clock, recipients } of out.values()) {
    const ids = recipients.length > 0 ? recipients : [teamManager ?? FALLBACK_PERSON_ID];
    for (const id of ids) byPerson.set(id, (byPerson.get(id) ?? new Set()).add(clock));
  }
  return { lines: [...out.values()], byPerson };
}

export interface DigestFacts {
  team: string;
  date: string;
  /** The digest timer's `caseId` (the team's, prefixed). */
  timerCaseId: string;
  entries: readonly DigestEntry[];
  cases: ReadonlyMap<string, StoredCase>;
  clocks: DigestClocks;
  /** The people's routing (email, in their hours). */
  routed: Pick<Routing, 'deliveries' | 'deferrals' | 'unroutable'>;
  now: Date;
}

export interface DigestRecorded extends Recorded {
  outcome: { status: 'digest' } & SendTally;
}

/** Who gets which lines, the held timers, and each case's line of who was told. */
export function decideDigest(
  facts: DigestFacts,
  settings: Pick<MessageSettings, 'fallback' | 'emailFrom' | 'authorityName'> & {
    calendar: Calendar;
  },
): { firing: Firing<DigestRecorded>; notes: Note[] } {
  const { team, date, routed, now } = facts;
  const byPerson = new Map(facts.clocks.byPerson);
  const give = (personId: string, clock: DigestClock) =>
    byPerson.set(personId, (byPerson.get(personId) ?? new Set()).add(clock));
  const timers: Timer[] = routed.deferrals.map((d) =>
    digestTimer(team, date, d.until, heldUntilSuffix(d.until)),
  );
  // Whoever cannot be reached at all: their clocks go to the fallback contact.
  for (const u of routed.unroutable) {
    if (u.reason === 'no-contact' || u.personId === undefined) continue;
    for (const clock of byPerson.get(u.personId) ?? []) give(FALLBACK_PERSON_ID, clock);
  }
  const deliveries = routed.deliveries.map((d) => ({ ...d, clocks: byPerson.get(d.forPersonId) }));
  const toFallback = byPerson.get(FALLBACK_PERSON_ID);
  const notes: Note[] = [];
  if (toFallback !== undefined && settings.fallback !== undefined) {
    deliveries.push({
      personId: FALLBACK_PERSON_ID,
      channel: 'email',
      to: settings.fallback.email,
      via: 'fallback',
      forPersonId: FALLBACK_PERSON_ID,
      clocks: toFallback,
    });
  } else if (toFallback !== undefined) {
    notes.push({
      metric: 'Unroutable',
      log: {
        level: 'error',
        message: 'digest has nobody to go to',
        fields: { team, date, metric: 'ReminderUnroutable' },
      },
    });
  }
  // A delegate standing in for several people gets one digest with all their lines.
  const perPerson = new Map<string, { to: string; clocks: Set<DigestClock> }>();
  for (const d of deliveries) {
    const mine = perPerson.get(d.personId) ?? { to: d.to, clocks: new Set<DigestClock>() };
    for (const clock of d.clocks ?? []) mine.clocks.add(clock);
    perPerson.set(d.personId, mine);
  }
  const reminderId = digestReminderId(team, date);
  const peers = [
    ...new Set([...deliveries.map((d) => d.personId), ...routed.deferrals.map((d) => d.personId)]),
  ].filter((id) => id !== FALLBACK_PERSON_ID);
  const period = digestPeriod(settings.calendar, date);
  const sends: PlannedSend[] = [...perPerson].map(([personId, { to, clocks }]) => {
    const content = renderDigest([...clocks], team, period, settings.authorityName);
    const meta = { caseId: facts.timerCaseId, rule: 'digest', reminderId, personId };
    return {
      key: { caseId: facts.timerCaseId, reminderId, personId },
      context: { peers, channels: ['email'], caseVersion: 0 },
      messages: [
        {
          channel: 'email',
          to,
          subject: content.subject,
          text: content.text,
          html: content.html,
          ...(content.layout === undefined ? {} : { layout: content.layout }),
          headers: { date: now, messageId: emailMessageId(meta, domainOf(settings.emailFrom)) },
          meta,
        },
      ],
    };
  });

  const record = (results: SendResult[][]): DigestRecorded => {
    const outcome = emptyTally('digest');
    outcome.deferred = routed.deferrals.length;
    const sentTo: string[] = [];
    sends.forEach((send, i) => {
      const result = results[i]?.[0] ?? ({ status: 'in-flight' } as const);
      tally(outcome, result);
      if (result.status === 'sent') sentTo.push(send.key.personId);
    });
    // Each case in the digest records who was told.
    const byCase = new Map<string, string[]>();
    for (const e of facts.entries)
      byCase.set(e.caseId, [...(byCase.get(e.caseId) ?? []), e.reminderId]);
    const audit = [...byCase].map(([caseId, reminderIds]) => {
      const line: ReminderAuditEntry = {
        caseId,
        at: now,
        kind: sentTo.length > 0 ? 'reminder-sent' : 'reminder-failed',
        detail: {
          digest: reminderId,
          reminderIds,
          personIds: sentTo,
          unroutable: routed.unroutable.length,
        },
      };
      return { entries: [line], caseVersion: facts.cases.get(caseId)?.version ?? 0 };
    });
    return { audit, outcome };
  };
  return { firing: { sends, timers, record }, notes };
}

/** The clock an entry is about (an entry written before `deadlineId` was kept: its reminder id's). */
export function entryDeadlineId(entry: Pick<DigestEntry, 'deadlineId' | 'reminderId'>): string {
  return entry.deadlineId ?? entry.reminderId.split('.').slice(0, -2).join('.');
}

/** A clock's acknowledgement and escalations, in the digest's words. */
function acknowledgementOf(state: ClockAlerts | undefined): DigestClock['acknowledgement'] {
  const escalations = [
    ...(state?.chains.open?.escalations ?? []),
    ...(state?.chains.breached?.escalations ?? []),
  ]
    .filter((e) => e.alertId !== undefined)
    .map((e) => ({ role: tierRole(e.tier), at: e.at }));
  return {
    ...(state?.ack === undefined
      ? {}
      : { acknowledged: { role: ackRole(state.ack.by), at: state.ack.at } }),
    escalations,
  };
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
        ? { kind: 'breached', lateMs: now.getTime() - limitOf(deadline).getTime() }
        : {
            kind: 'met-late',
            at: deadline.metAt,
            lateMs: deadline.metAt.getTime() - limitOf(deadline).getTime(),
          };
  }
}

/** How an alert's step reads: its plan step's moment; the breach's steps say BREACHED. */
function momentOfStepKey(plan: ReminderPlan | undefined, key: string): ReminderMoment {
  if (key === BREACH_STEP || /^b[re][0-9]+$/.test(key)) return 'breach';
  const step = plan?.steps.find((s) => s.key === key);
  return step === undefined ? 'due' : momentOf(step.at);
}
