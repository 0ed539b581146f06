/**
 * Parts of a reminder's decision (pure): the breach chain's next link, a person's deliveries
 * under one claim, the EDT alert's entry in the day team's morning digest.
 */
import type { ClockAlerts } from '#kernel/alert-state.js';
import { type Calendar, localDate, nextOpening } from '#kernel/calendar/index.js';
import type { DigestEntry, ReminderAuditEntry, StoredCase } from '#kernel/records.js';
import {
  type Delivery,
  nextBreachRepeat,
  type PlannedReminder,
  type Routing,
  reminderTimer,
} from '#kernel/reminders/index.js';
import type { ReminderDeadline, ReminderPlan } from '#kernel/reminders/types.js';
import type { KnownAlerts } from './alert-decision.js';

/** What a reminder is decided from: all of it read (or routed) before. */
export interface ReminderFacts {
  stored: Pick<StoredCase, 'version' | 'aggregate'>;
  deadline: ReminderDeadline;
  plan: ReminderPlan;
  planned: PlannedReminder;
  now: Date;
  /** The case's calendar (its division's bank holidays): planning and the breach chain. */
  calendar: Calendar;
  routing: Routing;
  /** The clock's alert state, when alerts are tracked. */
  clock?: ClockAlerts | undefined;
  known: KnownAlerts;
  /** An alert id the clock does not list is free (false after a write found otherwise). */
  assumeFree: boolean;
}

/**
 * A link of a breach's daily repeat sets the one after it (at the next working day's opening
 * after now). Redelivered, it sets the same timer again: same name, one timer.
 */
export function nextRepeat({ deadline, plan, planned, calendar, now }: ReminderFacts) {
  if (!/^br[0-9]+$/.test(planned.step.key)) return undefined;
  const next = nextBreachRepeat(deadline, calendar, plan, now);
  if (next === undefined || next.step.key === planned.step.key) return undefined;
  const timer = reminderTimer(deadline, next.step.key, next.fireAt);
  const line: ReminderAuditEntry = {
    caseId: deadline.caseId,
    at: now,
    kind: 'reminder-planned',
    deadlineId: deadline.id,
    detail: {
      timer: timer.name,
      step: next.step.key,
      version: deadline.version,
      fireAt: next.fireAt.toISOString(),
    },
  };
  return { timer, line };
}

/** A person's deliveries together (one claim covers them), each channel once. */
export function byPerson(deliveries: readonly Delivery[]): Delivery[][] {
  const people = new Map<string, Map<string, Delivery>>();
  for (const d of deliveries) {
    const channels = people.get(d.personId) ?? new Map<string, Delivery>();
    if (!channels.has(d.channel)) channels.set(d.channel, d);
    people.set(d.personId, channels);
  }
  return [...people.values()].map((channels) => [...channels.values()]);
}

/**
 * The EDT alert's entry in the day team's morning digest: the team hears of it at their next
 * opening (09:00 by default), in one digest. The digest is the team's, so its opening is the
 * authority's calendar, not the case's.
 */
export function morningDigest(
  { stored, deadline, planned, routing, now }: ReminderFacts,
  id: string,
  authorityCalendar: Calendar,
): { entry: DigestEntry; opening: Date } {
  const opening = nextOpening(authorityCalendar, now);
  return {
    opening,
    entry: {
      team: stored.aggregate.team,
      date: localDate(opening),
      caseId: deadline.caseId,
      reminderId: id,
      deadlineId: deadline.id,
      step: planned.step.key,
      rule: deadline.rule,
      dueAt: deadline.dueAt,
      alertedAt: now,
      recipientIds: routing.dayRecipients,
    },
  };
}
