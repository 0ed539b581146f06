/**
 * Send one step of a deadline's reminder plan.
 *
 * 1. Find the step in the deadline's plan (a step no longer planned does nothing).
 * 2. Route it: the people the step names (delegates for the away), or the EDT manager on
 *    call for an urgent step out of hours (`routeReminder`).
 * 3. Record what reaches nobody as failed (an error log line and an `Unroutable` count).
 * 4. Hold what falls outside a recipient's hours to their next opening (a timer each).
 * 5. Send to each person reached, once (`sendToPersonOnce`: SMS and email under one claim).
 * 6. Append the firing's audit lines to the case's trail — for an EDT alert in the same
 *    write as its entry in the day team's morning digest, whose timer is then scheduled.
 */
import { localDate, nextOpening } from '#calendar/index.js';
import { caseCalendar } from '#domain/engine/index.js';
import { heldUntilSuffix, reminderId } from '#domain/ids.js';
import type { ReminderAuditEntry, StoredCase } from '#domain/ports.js';
import { caseLink } from '#domain/reminders/messages.js';
import {
  isUrgent,
  momentOf,
  type PlannedReminder,
  planReminders,
  reminderTimer,
} from '#domain/reminders/planning.js';
import { type Delivery, type Routing, routeReminder } from '#domain/reminders/routing.js';
import type { ReminderDeadline, ReminderPlan } from '#domain/reminders/types.js';
import { composeMessage } from './compose-message.js';
import { emptyTally, type FireOutcome, type FireTimerDeps, type SendTally } from './fire-deps.js';
import { scheduleMorningDigest } from './fire-digest.js';
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
  const planned = planReminders(deadline, calendar, plan).find((p) => p.step.key === stepKey);
  if (plan === undefined || planned === undefined) return undefined;
  const reminder: Reminder = {
    deadline,
    plan,
    planned,
    id: reminderId(deadline, stepKey),
    urgent: isUrgent(planned.step, plan, deadline),
    now: deps.clock.now(),
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
  });
  const outcome = emptyTally('reminded');
  recordUnroutable(reminder, routing, outcome, deps);
  await holdDeferrals(reminder, routing, outcome, deps);
  const edtAlerted = await sendToPeople(reminder, routing.deliveries, outcome, deps);

  if (routing.edt && edtAlerted) {
    await keepForMorningDigest(reminder, stored, routing.dayRecipients, deps);
  } else {
    await deps.audit.append(reminder.audit, stored.version);
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
    });
    // Nobody on the rota still reaches the people named, in hours: not a failed reminder.
    if (u.reason !== 'no-edt-on-call') outcome.failed++;
    deps.log?.error('reminder not routable', {
      caseId: reminder.deadline.caseId,
      deadlineId: reminder.deadline.id,
      step: reminder.planned.step.key,
      reason: u.reason,
      metric: 'ReminderUnroutable',
    });
    deps.metrics?.count('Unroutable');
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

/** Sends each person's messages under one claim; true when the EDT manager was alerted. */
async function sendToPeople(
  reminder: Reminder,
  deliveries: readonly Delivery[],
  outcome: SendTally,
  deps: FireTimerDeps,
): Promise<boolean> {
  const { deadline, plan } = reminder;
  const link = caseLink(deps.caseUrlTemplate, deadline.caseId);
  let edtAlerted = false;
  for (const personal of byPerson(deliveries)) {
    const personId = (personal[0] as Delivery).personId;
    for (const delivery of personal) {
      if (delivery.via === 'direct') continue;
      auditLine(reminder, 'reminder-rerouted', {
        personId,
        forPersonId: delivery.forPersonId,
        channel: delivery.channel,
        reason: delivery.via === 'edt' ? 'out-of-hours-edt' : 'away-delegate',
      });
    }
    const messages = personal.map((delivery) =>
      composeMessage(delivery, {
        caseId: deadline.caseId,
        rule: deadline.rule,
        reminderId: reminder.id,
        title: plan.title,
        stageName: deadline.stageName,
        action: plan.action,
        dueAt: deadline.dueAt,
        moment: momentOf(reminder.planned.step.at),
        urgent: reminder.urgent,
        link,
        invite: plan.invite === true,
        emailFrom: deps.emailFrom,
        now: reminder.now,
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
      if (delivery.via === 'edt' && (result.status === 'sent' || result.status === 'duplicate'))
        edtAlerted = true;
    });
  }
  return edtAlerted;
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
): Promise<void> {
  const opening = nextOpening(deps.calendar, reminder.now);
  const entry = {
    team: stored.aggregate.team,
    date: localDate(opening),
    caseId: reminder.deadline.caseId,
    reminderId: reminder.id,
    rule: reminder.deadline.rule,
    dueAt: reminder.deadline.dueAt,
    alertedAt: reminder.now,
    recipientIds: dayRecipients,
  };
  await deps.audit.appendWithDigest(reminder.audit, stored.version, entry);
  await scheduleMorningDigest(entry, opening, deps);
}
