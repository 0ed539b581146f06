/**
 * A reminder firing, decided (pure): from the case, the step, its routing and the clock's
 * alert state, who gets which message, which timers are set and what the firing writes.
 *
 * - Each routing gap is an audit line (and an error log line with an `Unroutable` count when
 *   the reminder reached nobody it was meant for).
 * - What falls outside a recipient's hours is held to their next opening (a timer each).
 * - Each person reached gets their messages under one claim; the fallback contact's say what
 *   is missing and which event would fix it; the EDT manager's carry the alert's ack link
 *   (`decideAlert`: a new alert is written with their claim), or say who acknowledged.
 * - A link of a breach's daily repeat sets the next one (until met or closed).
 * - Once the sends are done (`record`): the audit lines in the order they happened, the
 *   unrouted record when the reminder reached nobody it was meant for, and for an EDT alert
 *   that went its entry in the day team's morning digest — all written in one go.
 */

import { gapWords } from '#kernel/gap-words.js';
import { FALLBACK_PERSON_ID, heldUntilSuffix, reminderId } from '#kernel/ids.js';
import type { DigestEntry, ReminderAuditEntry, UnroutedReminder } from '#kernel/records.js';
import { type Delivery, isUrgent, momentOf, reminderTimer } from '#kernel/reminders/index.js';
import type { ReminderDeadline } from '#kernel/reminders/types.js';
import type { Timer } from '#kernel/timers.js';
import { type AlertDecision, decideAlert } from './alert-decision.js';
import type { Firing, Note, PlannedSend, Recorded } from './carry-out.js';
import { actionOf, composeMessage, invitationOf, stepInput } from './compose-message.js';
import type { ReminderDeps, SendResult, SendTally } from './ports.js';
import { byPerson, morningDigest, nextRepeat, type ReminderFacts } from './reminder-parts.js';
import { emptyTally, tally } from './tally.js';

export type { ReminderFacts } from './reminder-parts.js';

/** Whom a message is from, and the council it names. */
type Senders = 'emailFrom' | 'authorityName' | 'authorityShortName';
export type ReminderSettings = Pick<
  ReminderDeps,
  'plans' | 'caseUrlTemplate' | 'alerts' | 'calendar' | Senders
>;

export interface ReminderRecorded extends Recorded {
  outcome: { status: 'reminded' } & SendTally;
  /** The EDT alert's entry in the day team's morning digest, and when that digest goes. */
  morning?: { entry: DigestEntry; opening: Date } | undefined;
}

export interface ReminderDecision {
  firing: Firing<ReminderRecorded>;
  notes: Note[];
}

/** Decides a reminder's firing; `{ read }` when an alert must be read first. */
export function decideReminder(
  facts: ReminderFacts,
  settings: ReminderSettings,
): ReminderDecision | { read: string[] } {
  const { deadline, plan, planned, now, routing } = facts;
  const id = reminderId(deadline, planned.step.key);
  const line = auditLine(deadline, id, now);
  const before: ReminderAuditEntry[] = [
    line('reminder-fired', {
      step: planned.step.key,
      plannedAt: planned.plannedAt.toISOString(),
      late: planned.late,
    }),
  ];
  const notes: Note[] = [];
  let failed = 0;
  for (const u of routing.unroutable) {
    before.push(
      line('reminder-failed', {
        reason: u.reason,
        role: u.role,
        personId: u.personId,
        ...(u.channel === undefined ? {} : { channel: u.channel }),
      }),
    );
    // Nobody on the rota still reaches the people named, and a missing phone still the email:
    // not a failed reminder, but a gap to fix.
    if (u.reason !== 'no-edt-on-call' && u.reason !== 'no-contact') failed++;
    const fields = {
      caseId: deadline.caseId,
      deadlineId: deadline.id,
      step: planned.step.key,
      reason: u.reason,
    };
    notes.push(
      routing.unrouted
        ? {
            log: {
              level: 'error',
              message: 'reminder not routable',
              fields: { ...fields, metric: 'ReminderUnroutable' },
            },
            metric: 'Unroutable',
          }
        : { log: { level: 'warn', message: 'reminder partly routable', fields } },
    );
  }
  // A timer per opening for the people outside their hours (people sharing one share it).
  const held = new Map<string, Timer>();
  for (const d of routing.deferrals) {
    const timer = reminderTimer(deadline, planned.step.key, d.until, heldUntilSuffix(d.until));
    held.set(timer.name, timer);
    before.push(
      line('reminder-deferred', {
        personId: d.personId,
        forPersonId: d.forPersonId,
        until: d.until.toISOString(),
      }),
    );
  }

  const people = byPerson(routing.deliveries);
  // Everyone the step was meant for (sent to now or held to their opening): a failure is a
  // person not told, and the step reached nobody only when none of them was reached.
  const peers = [
    ...new Set([
      ...people.map((p) => (p[0] as Delivery).personId),
      ...routing.deferrals.map((d) => d.personId),
    ]),
  ].filter((id) => id !== FALLBACK_PERSON_ID);
  const sends: PlannedSend[] = [];
  let alert: AlertDecision | undefined;
  let alerted: number | undefined;
  const moment = momentOf(planned.step.at);
  const urgent = isUrgent(planned.step, plan, deadline);
  const gaps = routing.unroutable.map((u) => gapWords(u, now));
  for (const personal of people) {
    const personId = (personal[0] as Delivery).personId;
    // The EDT manager on call is asked to acknowledge (or told who already did).
    let raised: AlertDecision | undefined;
    if (personal.some((d) => d.via === 'edt') && settings.alerts !== undefined && facts.clock) {
      const decided = decideAlert(
        {
          deadline,
          step: planned.step.key,
          reminderId: id,
          moment,
          tier: 1,
          personId,
          bySms: personal.some((d) => d.channel === 'sms'),
          now,
        },
        facts.clock,
        facts.known,
        facts.assumeFree,
        settings.alerts,
      );
      if ('read' in decided) return decided;
      raised = decided;
      alert = decided;
      alerted = sends.length;
    }
    const messages = personal.map((delivery) =>
      composeMessage(delivery, {
        ...stepInput(deadline, plan.title, moment, now, settings),
        reminderId: id,
        action: actionOf(plan, moment),
        urgent,
        invite: invitationOf(deadline, plan, planned.step, now),
        gaps,
        alert: delivery.via === 'edt' ? raised?.text : undefined,
      }),
    );
    const alertId = raised?.detail.alertId;
    sends.push({
      key: { caseId: deadline.caseId, reminderId: id, personId },
      messages,
      context: {
        peers,
        channels: personal.map((d) => d.channel),
        ...(typeof alertId === 'string'
          ? { alert: { alertId, tier: 1, phase: raised?.detail.phase as 'open' | 'breached' } }
          : {}),
        caseVersion: facts.stored.version,
      },
    });
  }
  const repeat = nextRepeat(facts);

  const record = (results: SendResult[][]): ReminderRecorded => {
    const entries = [...before];
    const outcome = emptyTally('reminded');
    outcome.failed = failed;
    outcome.deferred = routing.deferrals.length;
    let edtAlerted = false;
    let fallback: UnroutedReminder['fallback'] = 'none';
    people.forEach((personal, p) => {
      const personId = (personal[0] as Delivery).personId;
      for (const delivery of personal) {
        if (delivery.via === 'direct') continue;
        entries.push(
          line('reminder-rerouted', {
            personId,
            forPersonId: delivery.forPersonId,
            channel: delivery.channel,
            reason: REROUTE_REASONS[delivery.via],
          }),
        );
      }
      (results[p] ?? []).forEach((result, i) => {
        const delivery = personal[i] as Delivery;
        tally(outcome, result);
        if (result.status === 'sent') {
          entries.push(
            line('reminder-sent', {
              personId,
              channel: delivery.channel,
              via: delivery.via,
              messageId: result.messageId,
            }),
          );
        } else if (result.status === 'failed') {
          entries.push(
            line('reminder-failed', {
              personId,
              channel: delivery.channel,
              reason: result.reason,
            }),
          );
        }
        const delivered = result.status === 'sent' || result.status === 'duplicate';
        if (delivery.via === 'edt' && delivered) edtAlerted = true;
        if (p === alerted && alert !== undefined && delivery.via === 'edt')
          entries.push(
            line('alert-sent', {
              ...alert.detail,
              channel: delivery.channel,
              status: result.status,
            }),
          );
        if (delivery.via === 'fallback') {
          if (delivered) fallback = 'sent';
          else if (result.status === 'failed' && fallback === 'none') fallback = 'failed';
        }
      });
    });
    const unrouted = routing.unrouted ? unroutedRecord(facts, id, fallback) : undefined;
    if (unrouted !== undefined)
      entries.push(
        line('reminder-unrouted', {
          missing: unrouted.missing,
          fix: unrouted.fix,
          fallback: unrouted.fallback,
        }),
      );
    if (repeat !== undefined) entries.push(repeat.line);
    const morning =
      routing.edt && edtAlerted ? morningDigest(facts, id, settings.calendar) : undefined;
    return {
      audit: [{ entries, caseVersion: facts.stored.version }],
      unrouted,
      digest: morning?.entry,
      morning,
      outcome,
    };
  };

  return {
    firing: {
      sends,
      guard: alert?.guard === undefined ? undefined : { ...alert.guard, send: alerted },
      timers: [
        ...held.values(),
        ...(alert?.timers ?? []),
        ...(repeat === undefined ? [] : [repeat.timer]),
      ],
      record,
    },
    notes,
  };
}

/** Makes the firing's audit lines: at its time, about its deadline, naming its reminder id. */
function auditLine(deadline: ReminderDeadline, id: string, now: Date) {
  return (kind: ReminderAuditEntry['kind'], detail: Record<string, unknown>) => ({
    caseId: deadline.caseId,
    at: now,
    kind,
    deadlineId: deadline.id,
    detail: { reminderId: id, ...detail },
  });
}

const REROUTE_REASONS: Record<Exclude<Delivery['via'], 'direct'>, string> = {
  edt: 'out-of-hours-edt',
  delegate: 'away-delegate',
  fallback: 'unrouted-fallback',
};

/** The record of a reminder that reached nobody it was meant for (`GET /v1/reminders/unrouted`). */
function unroutedRecord(
  { stored, deadline, planned, routing, now }: ReminderFacts,
  id: string,
  fallback: UnroutedReminder['fallback'],
): UnroutedReminder {
  return {
    team: stored.aggregate.team,
    caseId: deadline.caseId,
    deadlineId: deadline.id,
    rule: deadline.rule,
    step: planned.step.key,
    reminderId: id,
    at: planned.fireAt,
    missing: routing.unroutable.map((u) => ({
      reason: u.reason,
      ...(u.role === undefined ? {} : { role: u.role }),
      ...(u.personId === undefined ? {} : { personId: u.personId }),
      ...(u.channel === undefined ? {} : { channel: u.channel }),
    })),
    fix: [...new Set(routing.unroutable.map((u) => gapWords(u, now).fix))],
    fallback,
  };
}
