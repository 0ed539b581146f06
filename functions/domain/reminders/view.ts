/** The read view of a case's reminders: what `GET /v1/cases/{caseId}/reminders` lists. */
import type { Calendar } from '#calendar/index.js';
import { reminderId } from '#domain/ids.js';
import { isUrgent, planReminders, stepRecipients } from './planning.js';
import { DEFAULT_REMINDER_PLANS } from './plans.js';
import type { ReminderDeadline, ReminderPlans } from './types.js';

/** One planned reminder as `GET /v1/cases/{caseId}/reminders` shows it. */
export interface PlannedReminderView {
  deadlineId: string;
  rule: string;
  reminderId: string;
  step: string;
  fireAt: string;
  late: boolean;
  urgent: boolean;
  /** Roles (and escalation level) the step goes to; routing picks the people at fire time. */
  to: { role: string; escalate: 0 | 1 | 2 }[];
}

/** The planned reminders of a case's open (and breached) deadlines, in firing order. */
export function listPlannedReminders(
  aggregate: { status: string; deadlines: readonly ReminderDeadline[] },
  calendar: Calendar,
  plans: ReminderPlans = DEFAULT_REMINDER_PLANS,
): PlannedReminderView[] {
  if (aggregate.status === 'closed') return [];
  return aggregate.deadlines
    .flatMap((d) => {
      const plan = plans[d.rule];
      if (plan === undefined) return [];
      return planReminders(d, calendar, plan).map((p) => ({
        deadlineId: d.id,
        rule: d.rule,
        reminderId: reminderId(d, p.step.key),
        step: p.step.key,
        fireAt: p.fireAt.toISOString(),
        late: p.late,
        urgent: isUrgent(p.step, plan, d),
        to: stepRecipients(p.step, plan, d).map((r) => ({
          role: r.role,
          escalate: r.escalate ?? 0,
        })),
      }));
    })
    .sort((a, b) => (a.fireAt < b.fireAt ? -1 : a.fireAt > b.fireAt ? 1 : 0));
}
