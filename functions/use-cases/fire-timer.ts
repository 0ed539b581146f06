/**
 * Fire a timer: what EventBridge Scheduler (or the local driver) runs at a timer's time.
 *
 * Input: a timer payload (ids and a version). Output: what was done, for logs and tests.
 *
 * 1. Digest timers (`reminderId` `digest:<date>:<team>`) send the day team the one overnight
 *    digest of EDT alerts, and stop.
 * 2. Load the case; ignore a missing or closed case, a missing deadline, a stale version,
 *    a met or cancelled deadline.
 * 3. `due` timers: run the engine's `advance` (breach / escalation), commit it through the
 *    store (retrying on a concurrent change), then replace the case's timers with the new
 *    plan; a deadline that breached gets its at-due and overdue reminders re-planned.
 * 4. Reminder timers: route (working hours, delegates, EDT), then for each person reached
 *    claim their messages (SMS and email alike) once, send each with retry and backoff,
 *    finish the claim with each channel's outcome; defer what falls outside the recipient's
 *    hours to their next opening; keep EDT alerts for the morning digest.
 * 5. Every fired, sent, deferred, rerouted, failed (and planned/cancelled) reminder is
 *    appended to the case's audit trail — for an EDT alert in the same write as its digest
 *    entry.
 *
 * A delivery claimed by another invocation that has not finished (`in-flight`) makes the
 * outcome `retryLater`: the handler then throws so the invocation is retried after the
 * claim's lease, and a crashed sender's message is not lost.
 */
import { localDate, nextOpening } from '#calendar/index.js';
import { momentOf } from '#domain/reminders/index.js';
import { caseLink } from '#domain/reminders/messages.js';
import {
  isUrgent,
  reminderId as makeReminderId,
  planReminders,
  REMINDER_KIND,
  reminderTimerName,
} from '#domain/reminders/plans.js';
import type { ReminderAuditEntry } from '#domain/reminders/ports.js';
import { type Delivery, routeReminder } from '#domain/reminders/routing.js';
import type { ReminderDeadline, ReminderTimer, TimerPayload } from '#domain/reminders/types.js';
import { composeMessage } from './compose-message.js';
import {
  type FireAggregate,
  type FireLog,
  type FireOutcome,
  type FireTimerDeps,
  silent,
} from './fire-deps.js';
import { DIGEST_PREFIX, deferralSuffix, fireDigest, scheduleMorningDigest } from './fire-digest.js';
import { VersionConflictError } from './ports.js';
import { replaceTimers } from './replace-timers.js';
import { sendToPersonOnce, tally } from './send-once.js';

export type {
  FireAggregate,
  FireCaseStore,
  FireLog,
  FireMetricName,
  FireMetrics,
  FireOutcome,
  FireTimerDeps,
} from './fire-deps.js';

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

/** Thrown by the handler when a send is in flight elsewhere: the invocation is retried. */
export class RetryLaterError extends Error {
  override readonly name = 'RetryLaterError';
}

export async function fireTimer<A extends FireAggregate>(
  payload: TimerPayload,
  deps: FireTimerDeps<A>,
): Promise<FireOutcome> {
  if (payload.reminderId?.startsWith(DIGEST_PREFIX)) return fireDigest(payload.reminderId, deps);
  const stored = await deps.cases.loadCase(payload.caseId);
  const ids = { caseId: payload.caseId, deadlineId: payload.deadlineId, kind: payload.kind };
  const log = deps.log ?? silent;
  if (stored === undefined) return ignored(log, ids, 'no-case');
  if (stored.aggregate.status === 'closed') return ignored(log, ids, 'case-closed');
  const deadline = stored.aggregate.deadlines.find((d) => d.id === payload.deadlineId);
  if (deadline === undefined) return ignored(log, ids, 'no-deadline');
  if (deadline.version !== payload.version) return ignored(log, ids, 'stale-version');
  if (deadline.status === 'met' || deadline.status === 'cancelled') {
    return ignored(log, ids, `deadline-${deadline.status}`);
  }
  if (payload.kind === 'due') return fireDue(payload, deps);
  if (payload.kind === REMINDER_KIND && payload.reminderId !== undefined) {
    return fireReminder(stored, deadline, payload.reminderId, deps);
  }
  return ignored(log, ids, 'unknown-kind');
}

function ignored(log: FireLog, ids: Record<string, unknown>, reason: string): FireOutcome {
  log.info('timer ignored', { ...ids, reason });
  return { status: 'ignored', reason };
}

async function fireDue<A extends FireAggregate>(
  payload: TimerPayload,
  deps: FireTimerDeps<A>,
): Promise<FireOutcome> {
  const now = deps.clock.now();
  for (let attempt = 1; attempt <= 5; attempt++) {
    const stored = await deps.cases.loadCase(payload.caseId);
    if (stored === undefined) return { status: 'ignored', reason: 'no-case' };
    const before = stored.aggregate;
    const result = deps.advance(before, now);
    if (result.aggregate === before || result.audit.length === 0) {
      return { status: 'advanced', changed: false };
    }
    try {
      await deps.cases.commitCase({
        caseId: payload.caseId,
        expectedVersion: stored.version,
        before,
        after: result.aggregate,
        audit: result.audit,
        now,
      });
    } catch (error) {
      if (error instanceof VersionConflictError && attempt < 5) continue;
      throw error;
    }
    await replaceTimers(before, result.aggregate, stored.version + 1, now, deps);
    return { status: 'advanced', changed: true };
  }
  return { status: 'advanced', changed: false };
}

async function fireReminder<A extends FireAggregate>(
  stored: { version: number; aggregate: A },
  deadline: ReminderDeadline,
  key: string,
  deps: FireTimerDeps<A>,
): Promise<FireOutcome> {
  const log = deps.log ?? silent;
  const now = deps.clock.now();
  const aggregate = stored.aggregate;
  const plan = deps.plans[deadline.rule];
  const planned = planReminders(deadline, deps.calendar, plan).find((p) => p.step.key === key);
  const ids = { caseId: deadline.caseId, deadlineId: deadline.id, step: key };
  if (plan === undefined || planned === undefined) return ignored(log, ids, 'not-planned');
  const step = planned.step;
  const rid = makeReminderId(deadline, key);
  const audit: ReminderAuditEntry[] = [];
  const line = (kind: ReminderAuditEntry['kind'], detail: Record<string, unknown>) =>
    audit.push({
      caseId: deadline.caseId,
      at: now,
      kind,
      deadlineId: deadline.id,
      detail: { reminderId: rid, ...detail },
    });
  line('reminder-fired', {
    step: key,
    plannedAt: planned.plannedAt.toISOString(),
    late: planned.late,
  });

  const routing = await routeReminder({
    plan,
    step,
    deadline,
    workers: aggregate.workers,
    now,
    calendar: deps.calendar,
    directory: deps.directory,
  });
  const outcome = {
    status: 'reminded' as const,
    sent: 0,
    duplicates: 0,
    deferred: 0,
    failed: 0,
    retryLater: false,
  };

  for (const u of routing.unroutable) {
    line('reminder-failed', { reason: u.reason, role: u.role, personId: u.personId });
    if (u.reason !== 'no-edt-on-call') outcome.failed++;
    log.error('reminder not routable', { ...ids, reason: u.reason, metric: 'ReminderUnroutable' });
    deps.metrics?.count('Unroutable');
  }
  const deferrals: ReminderTimer[] = [];
  for (const d of routing.deferrals) {
    deferrals.push({
      name: reminderTimerName(deadline, key, deferralSuffix(d.until)),
      fireAt: d.until,
      payload: {
        caseId: deadline.caseId,
        deadlineId: deadline.id,
        kind: REMINDER_KIND,
        version: deadline.version,
        reminderId: key,
      },
    });
    line('reminder-deferred', {
      personId: d.personId,
      forPersonId: d.forPersonId,
      until: d.until.toISOString(),
    });
    outcome.deferred++;
  }
  if (deferrals.length > 0) {
    // Deduplicated by name: people sharing an opening share one timer.
    const unique = [...new Map(deferrals.map((t) => [t.name, t])).values()];
    await deps.scheduler.schedule(unique);
  }

  const urgent = isUrgent(step, plan, deadline);
  const link = caseLink(deps.caseUrlTemplate, deadline.caseId);
  let edtAlerted = false;
  for (const deliveries of byPerson(routing.deliveries)) {
    const personId = (deliveries[0] as Delivery).personId;
    for (const delivery of deliveries) {
      if (delivery.via === 'direct') continue;
      line('reminder-rerouted', {
        personId,
        forPersonId: delivery.forPersonId,
        channel: delivery.channel,
        reason: delivery.via === 'edt' ? 'out-of-hours-edt' : 'away-delegate',
      });
    }
    const messages = deliveries.map((delivery) =>
      composeMessage(delivery, {
        caseId: deadline.caseId,
        rule: deadline.rule,
        reminderId: rid,
        title: plan.title,
        stageName: deadline.stageName,
        action: plan.action,
        dueAt: deadline.dueAt,
        moment: momentOf(step.at),
        urgent,
        link,
        invite: plan.invite === true,
        emailFrom: deps.emailFrom,
        now,
      }),
    );
    const results = await sendToPersonOnce(
      { caseId: deadline.caseId, reminderId: rid, personId },
      messages,
      deps,
    );
    results.forEach((result, i) => {
      const delivery = deliveries[i] as Delivery;
      tally(outcome, result);
      if (result.status === 'sent') {
        line('reminder-sent', {
          personId,
          channel: delivery.channel,
          via: delivery.via,
          messageId: result.messageId,
        });
      } else if (result.status === 'failed') {
        line('reminder-failed', { personId, channel: delivery.channel, reason: result.reason });
      }
      if (delivery.via === 'edt' && (result.status === 'sent' || result.status === 'duplicate'))
        edtAlerted = true;
    });
  }

  if (routing.edt && edtAlerted) {
    // The alert's audit and its morning-digest entry go in one write; then the digest's timer.
    // The day team hear of it at their next opening (09:00 by default), in one digest.
    const opening = nextOpening(deps.calendar, now);
    const digest = {
      team: aggregate.team,
      date: localDate(opening),
      caseId: deadline.caseId,
      reminderId: rid,
      rule: deadline.rule,
      dueAt: deadline.dueAt,
      alertedAt: now,
      recipientIds: routing.dayRecipients,
    };
    await deps.audit.appendWithDigest(audit, stored.version, digest);
    await scheduleMorningDigest(digest, opening, deps);
    return outcome;
  }
  await deps.audit.append(audit, stored.version);
  return outcome;
}
