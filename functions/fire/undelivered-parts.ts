/**
 * The pieces a follow-up of an undelivered send is made of (pure): whether a person was
 * reached, a message of the step as its firing composed it, the audit lines of its sends.
 */
import type { undeliveredGap } from '#kernel/gap-words.js';
import type { Person } from '#kernel/people.js';
import type { ChannelName, ReminderAuditEntry } from '#kernel/records.js';
import {
  type Delivery,
  type FinalState,
  isUrgent,
  momentOf,
  type PlannedReminder,
} from '#kernel/reminders/index.js';
import type { ReminderDeadline, ReminderPlan } from '#kernel/reminders/types.js';
import type { Firing, Note, PlannedSend, Recorded } from './carry-out.js';
import { actionOf, composeMessage, stepInput } from './compose-message.js';
import type { MessageSettings, SendResult } from './ports.js';
import type { SendState } from './undelivered-ports.js';

/** Whether a person was reached, from their claims' channels and receipts. */
export interface Reach {
  reach: 'reached' | 'pending' | 'not-reached';
  failures: { channel: ChannelName; state: FinalState }[];
  tried: ChannelName[];
}

export function reachOf(states: readonly SendState[]): Reach {
  let reached = false;
  let pending = false;
  const failures: Reach['failures'] = [];
  const tried = new Set<ChannelName>();
  for (const s of states) {
    if (s.claim === undefined) continue;
    const channels = s.claim.context?.channels ?? (Object.keys(s.claim.channels) as ChannelName[]);
    if (channels.length === 0) pending = true;
    for (const channel of channels) {
      tried.add(channel);
      const recorded = s.claim.channels[channel];
      const state =
        s.deliveries[channel] ?? (recorded?.state === 'failed' ? 'technical-failure' : undefined);
      if (state === 'delivered') reached = true;
      else if (state === undefined) pending = true;
      else failures.push({ channel, state });
    }
  }
  const reach = reached ? 'reached' : pending || tried.size === 0 ? 'pending' : 'not-reached';
  return { reach, failures, tried: [...tried] };
}

export function addressOf(person: Person | undefined, channel: ChannelName): string | undefined {
  if (person === undefined) return undefined;
  const to = channel === 'sms' ? person.phone : person.email;
  return to === undefined || to === '' ? undefined : to;
}

/** A message of the step, as its firing composed it (no alert link: that is the escalation's). */
export function stepMessage(
  delivery: Delivery,
  input: {
    deadline: ReminderDeadline;
    plan: ReminderPlan;
    planned: PlannedReminder | undefined;
    now: Date;
    /** The claim it is sent under: its send id is made from it. */
    claimId: string;
    gaps?: ReturnType<typeof undeliveredGap>[] | undefined;
  },
  settings: MessageSettings,
) {
  const { deadline, plan, planned, now } = input;
  const moment = planned === undefined ? 'due' : momentOf(planned.step.at);
  return composeMessage(delivery, {
    ...stepInput(deadline, plan.title, moment, now, settings),
    reminderId: input.claimId,
    action: actionOf(plan, moment),
    urgent: planned === undefined ? true : isUrgent(planned.step, plan, deadline),
    gaps: input.gaps,
  });
}

/** The `reminder-sent` / `reminder-failed` lines of a follow-up's sends. */
export function sentLines(
  results: readonly SendResult[] | undefined,
  ids: { caseId: string; reminderId: string; personId: string },
  deadlineId: string,
  now: Date,
  extra: Record<string, unknown>,
  send?: PlannedSend,
): ReminderAuditEntry[] {
  return (results ?? []).flatMap((r, i): ReminderAuditEntry[] => {
    const channel = send?.messages[i]?.channel ?? extra.channel;
    if (r.status !== 'sent' && r.status !== 'failed') return [];
    return [
      {
        caseId: ids.caseId,
        at: now,
        kind: r.status === 'sent' ? 'reminder-sent' : 'reminder-failed',
        deadlineId,
        detail: {
          reminderId: ids.reminderId,
          personId: ids.personId,
          channel,
          ...extra,
          ...(r.status === 'sent' ? { messageId: r.messageId } : { reason: r.reason }),
        },
      },
    ];
  });
}

/**
 * The duty inbox's own messages were not delivered: nobody is left to tell, so it is an error
 * line and the `DutyInboxUndelivered` count the alarm watches.
 */
export function dutyInboxUndelivered(ids: {
  caseId: string;
  reminderId: string;
  personId: string;
}): Note {
  return {
    metric: 'DutyInboxUndelivered',
    log: {
      level: 'error',
      message: 'the duty inbox was not reached',
      fields: { ...ids, metric: 'DutyInboxUndelivered' },
    },
  };
}

/** A follow-up that only records what it found. */
export function recordOnly(
  entry: ReminderAuditEntry,
  caseVersion: number,
  outcome: string,
): Firing<Recorded & { outcome: string }> {
  return {
    sends: [],
    timers: [],
    record: () => ({ audit: [{ entries: [entry], caseVersion }], outcome }),
  };
}
