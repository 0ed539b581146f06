/**
 * Send one step of a deadline's reminder plan.
 *
 * 1. Find the step in the deadline's plan, or the link of its breach's daily chain (a step no
 *    longer planned does nothing).
 * 2. Route it: the people the step names (delegates for the away), or the EDT manager on
 *    call for an urgent step out of hours; what reaches nobody it was meant for (or finds
 *    nobody on the rota) also goes to the fallback contact (`routeReminder`).
 * 3. Record each routing gap (an audit line; an error log line and an `Unroutable` count
 *    when the reminder reached nobody it was meant for).
 * 4. Hold what falls outside a recipient's hours to their next opening (a timer each).
 * 5. Send to each person reached, once (`sendToPersonOnce`: SMS and email under one claim);
 *    the fallback contact's message says what is missing and which event would fix it; the
 *    EDT manager's carries the alert's ack link (`raiseAlert`: recorded first, its escalation
 *    timer set), or says who already acknowledged the clock.
 * 6. Append the firing's audit lines to the case's trail, with the unrouted record when there
 *    is one — for an EDT alert in the same write as its entry in the day team's morning
 *    digest, whose timer is then scheduled.
 * 7. A link of a breach's daily repeat schedules the next (until met or closed).
 */
import { type Calendar, localDate, nextOpening } from '#kernel/calendar/index.js';
import { caseCalendar } from '#kernel/engine/index.js';
import { heldUntilSuffix, invitationUid, reminderId } from '#kernel/ids.js';
import type { ReminderAuditEntry, StoredCase, UnroutedReminder } from '#kernel/records.js';
import { nextBreachRepeat } from '#kernel/reminders/breach-steps.js';
import { INVITATION_SLOT_MS } from '#kernel/reminders/invitation.js';
import { caseLink } from '#kernel/reminders/messages.js';
import { findStep } from '#kernel/reminders/planning.js';
import { reminderTimer } from '#kernel/reminders/reminder-timers.js';
import { type Delivery, gapText, type Routing, routeReminder } from '#kernel/reminders/routing.js';
import {
  carriesInvite,
  isUrgent,
  momentOf,
  type PlannedReminder,
} from '#kernel/reminders/steps.js';
import type { ReminderDeadline, ReminderPlan } from '#kernel/reminders/types.js';
import { composeMessage } from './compose-message.js';
import { scheduleMorningDigest } from './fire-digest.js';
import { emptyTally, type FireOutcome, type FireTimerDeps, type SendTally } from './ports.js';
import { raiseAlert } from './raise-alert.js';
import { sendToPersonOnce, tally } from './send-once.js';

/** One reminder being sent: the step of the plan, its id, and the audit lines it writes. */
interface Reminder {
  deadline: ReminderDeadline;
  plan: ReminderPlan;
  planned: PlannedReminder;
  /** The unit of exactly-once sending (`ids.ts`). */
  id: string;
  urgent: boolean;
  now: Date;
  /** The case's calendar (its division's bank holidays): planning, routing, the breach chain. */
  calendar: Calendar;
  audit: ReminderAuditEntry[];
}

/** Sends the step `stepKey` of `deadline`'s plan; undefined when the plan has no such step now. */
export async function fireReminder(
  stored: Pick<StoredCase, 'version' | 'aggregate'>,
  deadline: ReminderDeadline,
  stepKey: string,
  deps: FireTimerDeps,
): Promise<FireOutcome | undefined> {
  const plan = deps.plans[deadline.rule];
  // The case's own calendar: a Scottish case's reminders skip Scotland's bank holidays.
  const calendar = caseCalendar(deps, stored.aggregate);
  const planned = findStep(deadline, calendar, plan, stepKey);
  if (plan === undefined || planned === undefined) return undefined;
  const reminder: Reminder = {
    deadline,
    plan,
    planned,
    id: reminderId(deadline, stepKey),
    urgent: isUrgent(planned.step, plan, deadline),
    now: deps.clock.now(),
    calendar,
    audit: [],
  };
  auditLine(reminder, 'reminder-fired', {
    step: stepKey,
    plannedAt: planned.plannedAt.toISOString(),
    late: planned.late,
  });

  const routing = await routeReminder({
    plan,
    step: planned.step,
    deadline,
    workers: stored.aggregate.workers,
    now: reminder.now,
    calendar,
    directory: deps.directory,
    fallback: deps.fallback,
  });
  const outcome = emptyTally('reminded');
  recordUnroutable(reminder, routing, outcome, deps);
  await holdDeferrals(reminder, routing, outcome, deps);
  const sent = await sendToPeople(reminder, routing, outcome, deps);
  const unrouted = routing.unrouted
    ? unroutedRecord(reminder, stored, routing, sent.fallback)
    : undefined;
  if (unrouted !== undefined) {
    auditLine(reminder, 'reminder-unrouted', {
      missing: unrouted.missing,
      fix: unrouted.fix,
      fallback: unrouted.fallback,
    });
  }
  await scheduleNextRepeat(reminder, deps);

  if (routing.edt && sent.edtAlerted) {
    await keepForMorningDigest(reminder, stored, routing.dayRecipients, deps, unrouted);
  } else {
    await deps.audit.append(reminder.audit, stored.version, unrouted);
  }
  return outcome;
}

function auditLine(
  reminder: Reminder,
  kind: ReminderAuditEntry['kind'],
  detail: Record<string, unknown>,
): void {
  reminder.audit.push({
    caseId: reminder.deadline.caseId,
    at: reminder.now,
    kind,
    deadlineId: reminder.deadline.id,
    detail: { reminderId: reminder.id, ...detail },
  });
}

function recordUnroutable(
  reminder: Reminder,
  routing: Routing,
  outcome: SendTally,
  deps: FireTimerDeps,
): void {
  for (const u of routing.unroutable) {
    auditLine(reminder, 'reminder-failed', {
      reason: u.reason,
      role: u.role,
      personId: u.personId,
      ...(u.channel === undefined ? {} : { channel: u.channel }),
    });
    // Nobody on the rota still reaches the people named, and a missing phone still the email:
    // not a failed reminder, but a gap to fix.
    if (u.reason !== 'no-edt-on-call' && u.reason !== 'no-contact') outcome.failed++;
    const fields = {
      caseId: reminder.deadline.caseId,
      deadlineId: reminder.deadline.id,
      step: reminder.planned.step.key,
      reason: u.reason,
    };
    if (routing.unrouted) {
      deps.log?.error('reminder not routable', { ...fields, metric: 'ReminderUnroutable' });
      deps.metrics?.count('Unroutable');
    } else {
      deps.log?.warn('reminder partly routable', fields);
    }
  }
}

/** A timer per opening for the people outside their hours (people sharing an opening share one). */
async function holdDeferrals(
  reminder: Reminder,
  routing: Routing,
  outcome: SendTally,
  deps: FireTimerDeps,
): Promise<void> {
  const timers = new Map<string, ReturnType<typeof reminderTimer>>();
  for (const d of routing.deferrals) {
    const timer = reminderTimer(
      reminder.deadline,
      reminder.planned.step.key,
      d.until,
      heldUntilSuffix(d.until),
    );
    timers.set(timer.name, timer);
    auditLine(reminder, 'reminder-deferred', {
      personId: d.personId,
      forPersonId: d.forPersonId,
      until: d.until.toISOString(),
    });
    outcome.deferred++;
  }
  if (timers.size > 0) await deps.scheduler.schedule([...timers.values()]);
}

/** How the sends went for what the firing records: the EDT alert and the fallback's message. */
interface Sent {
  edtAlerted: boolean;
  /** The fallback contact's message: sent (or sent before), failed, or none to send. */
  fallback: UnroutedReminder['fallback'];
}

/** Sends each person's messages under one claim. */
async function sendToPeople(
  reminder: Reminder,
  routing: Routing,
  outcome: SendTally,
  deps: FireTimerDeps,
): Promise<Sent> {
  const { deadline, plan } = reminder;
  const link = caseLink(deps.caseUrlTemplate, deadline.caseId);
  const sent: Sent = { edtAlerted: false, fallback: 'none' };
  const gaps = routing.unroutable.map((u) => gapText(u, reminder.now));
  const moment = momentOf(reminder.planned.step.at);
  for (const personal of byPerson(routing.deliveries)) {
    const personId = (personal[0] as Delivery).personId;
    for (const delivery of personal) {
      if (delivery.via === 'direct') continue;
      auditLine(reminder, 'reminder-rerouted', {
        personId,
        forPersonId: delivery.forPersonId,
        channel: delivery.channel,
        reason: REROUTE_REASONS[delivery.via],
      });
    }
    // The EDT manager on call is asked to acknowledge (or told who already did).
    const raised = personal.some((d) => d.via === 'edt')
      ? await raiseAlert(
          {
            deadline,
            step: reminder.planned.step.key,
            reminderId: reminder.id,
            moment,
            tier: 1,
            personId,
            bySms: personal.some((d) => d.channel === 'sms'),
            now: reminder.now,
          },
          deps,
        )
      : undefined;
    const messages = personal.map((delivery) =>
      composeMessage(delivery, {
        caseId: deadline.caseId,
        rule: deadline.rule,
        reminderId: reminder.id,
        title: plan.title,
        stageName: deadline.stageName,
        action: moment === 'cancelled' ? CANCEL_ACTION : plan.action,
        dueAt: deadline.dueAt,
        moment,
        urgent: reminder.urgent,
        link,
        invite: invitationOf(reminder),
        lateMs:
          moment === 'breach'
            ? Math.max(0, reminder.now.getTime() - deadline.dueAt.getTime())
            : undefined,
        gaps,
        emailFrom: deps.emailFrom,
        authority: deps.authorityName,
        now: reminder.now,
        alert: delivery.via === 'edt' ? raised?.text : undefined,
      }),
    );
    const results = await sendToPersonOnce(
      { caseId: deadline.caseId, reminderId: reminder.id, personId },
      messages,
      deps,
    );
    results.forEach((result, i) => {
      const delivery = personal[i] as Delivery;
      tally(outcome, result);
      if (result.status === 'sent') {
        auditLine(reminder, 'reminder-sent', {
          personId,
          channel: delivery.channel,
          via: delivery.via,
          messageId: result.messageId,
        });
      } else if (result.status === 'failed') {
        auditLine(reminder, 'reminder-failed', {
          personId,
          channel: delivery.channel,
          reason: result.reason,
        });
      }
      const delivered = result.status === 'sent' || result.status === 'duplicate';
      if (delivery.via === 'edt' && delivered) sent.edtAlerted = true;
      if (raised !== undefined && delivery.via === 'edt')
        auditLine(reminder, 'alert-sent', {
          ...raised.detail,
          channel: delivery.channel,
          status: result.status,
        });
      if (delivery.via === 'fallback') {
        if (delivered) sent.fallback = 'sent';
        else if (result.status === 'failed' && sent.fallback === 'none') sent.fallback = 'failed';
      }
    });
  }
  return sent;
}

const REROUTE_REASONS: Record<Exclude<Delivery['via'], 'direct'>, string> = {
  edt: 'out-of-hours-edt',
  delegate: 'away-delegate',
  fallback: 'unrouted-fallback',
};

const CANCEL_ACTION =
  'The supervision was recorded or its clock stopped: the calendar invitation is withdrawn.';

/**
 * A supervision's invitation for this step: one UID per occurrence (the deadline), its
 * version as the SEQUENCE (it rises whenever the due time moves); `REQUEST` from the steps
 * before a slot still ahead (never an invitation to a past slot), `CANCEL` when withdrawn.
 */
function invitationOf(reminder: Reminder) {
  const { deadline, plan, planned, now } = reminder;
  if (plan.invite !== true) return undefined;
  const ids = { uid: invitationUid(deadline), sequence: deadline.version };
  if (planned.step.at.kind === 'cancel-invite') return { ...ids, method: 'CANCEL' as const };
  const slotStart = deadline.dueAt.getTime() - INVITATION_SLOT_MS;
  if (!carriesInvite(planned.step.at) || now.getTime() >= slotStart) return undefined;
  return { ...ids, method: 'REQUEST' as const };
}

/** The record of a reminder that reached nobody it was meant for (`GET /v1/reminders/unrouted`). */
function unroutedRecord(
  reminder: Reminder,
  stored: Pick<StoredCase, 'aggregate'>,
  routing: Routing,
  fallback: UnroutedReminder['fallback'],
): UnroutedReminder {
  return {
    team: stored.aggregate.team,
    caseId: reminder.deadline.caseId,
    deadlineId: reminder.deadline.id,
    rule: reminder.deadline.rule,
    step: reminder.planned.step.key,
    reminderId: reminder.id,
    at: reminder.planned.fireAt,
    missing: routing.unroutable.map((u) => ({
      reason: u.reason,
      ...(u.role === undefined ? {} : { role: u.role }),
      ...(u.personId === undefined ? {} : { personId: u.personId }),
      ...(u.channel === undefined ? {} : { channel: u.channel }),
    })),
    fix: [...new Set(routing.unroutable.map((u) => gapText(u, reminder.now).fix))],
    fallback,
  };
}

/**
 * A link of a breach's daily repeat schedules the one after it (at the next working day's
 * opening after now). Redelivered, it schedules the same timer again: same name, one timer.
 */
async function scheduleNextRepeat(reminder: Reminder, deps: FireTimerDeps): Promise<void> {
  const { deadline, plan, planned } = reminder;
  if (!/^br[0-9]+$/.test(planned.step.key)) return;
  const next = nextBreachRepeat(deadline, reminder.calendar, plan, reminder.now);
  if (next === undefined || next.step.key === planned.step.key) return;
  const timer = reminderTimer(deadline, next.step.key, next.fireAt);
  await deps.scheduler.schedule([timer]);
  reminder.audit.push({
    caseId: deadline.caseId,
    at: reminder.now,
    kind: 'reminder-planned',
    deadlineId: deadline.id,
    detail: {
      timer: timer.name,
      step: next.step.key,
      version: deadline.version,
      fireAt: next.fireAt.toISOString(),
    },
  });
}

/** A person's deliveries together (one claim covers them), each channel once. */
function byPerson(deliveries: readonly Delivery[]): Delivery[][] {
  const people = new Map<string, Map<string, Delivery>>();
  for (const d of deliveries) {
    const channels = people.get(d.personId) ?? new Map<string, Delivery>();
    if (!channels.has(d.channel)) channels.set(d.channel, d);
    people.set(d.personId, channels);
  }
  return [...people.values()].map((channels) => [...channels.values()]);
}

/**
 * The alert's audit lines and its morning-digest entry in one write, then the digest's
 * timer: the day team hear of it at their next opening (09:00 by default), in one digest.
 * The digest is the team's, so its opening is the authority's calendar, not the case's.
 */
async function keepForMorningDigest(
  reminder: Reminder,
  stored: Pick<StoredCase, 'version' | 'aggregate'>,
  dayRecipients: string[],
  deps: FireTimerDeps,
  unrouted: UnroutedReminder | undefined,
): Promise<void> {
  const opening = nextOpening(deps.calendar, reminder.now);
  const entry = {
    team: stored.aggregate.team,
    date: localDate(opening),
    caseId: reminder.deadline.caseId,
    reminderId: reminder.id,
    deadlineId: reminder.deadline.id,
    step: reminder.planned.step.key,
    rule: reminder.deadline.rule,
    dueAt: reminder.deadline.dueAt,
    alertedAt: reminder.now,
    recipientIds: dayRecipients,
  };
  await deps.audit.appendWithDigest(reminder.audit, stored.version, entry, unrouted);
  await scheduleMorningDigest(entry, opening, deps);
}
