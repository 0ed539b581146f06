/** Parts of an escalation's messages (pure): who has not acknowledged, how the chain reads. */
import type { AlertPhase, ClockAlerts } from '#kernel/alert-state.js';
import type { Person } from '#kernel/people.js';
import { type Delivery, momentOf, type ReminderMoment, tierRole } from '#kernel/reminders/index.js';
import type { ReminderDeadline } from '#kernel/reminders/types.js';
import type { MessageSettings } from './ports.js';

/** Who was alerted and has not acknowledged, in the escalation's words. */
export function unacknowledgedBy(clock: ClockAlerts, phase: AlertPhase): string {
  const tier2 = clock.chains[phase]?.escalations.some((e) => e.tier === 2 && e.alertId);
  return tier2 ? `${tierRole(1)} nor ${tierRole(2)}` : tierRole(1);
}

/** How the chain's first alert read (its plan step), or BREACHED for a breach's chain. */
export function chainMoment(
  deadline: ReminderDeadline,
  stepKey: string,
  phase: AlertPhase,
  settings: Pick<MessageSettings, 'plans'>,
): ReminderMoment {
  // An alert of the open clock escalated after the clock breached says so (and how late).
  if (phase === 'breached' || deadline.status === 'breached') return 'breach';
  const step = settings.plans[deadline.rule]?.steps.find((s) => s.key === stepKey);
  return step === undefined ? 'due' : momentOf(step.at);
}

export function delivery(person: Person, channel: 'sms' | 'email'): Delivery {
  return {
    personId: person.personId,
    channel,
    to: channel === 'sms' ? (person.phone ?? '') : person.email,
    // Composed as a message to the person themselves: no EDT line, no routing gaps.
    via: 'direct',
    forPersonId: person.personId,
  };
}
