/**
 * A send not delivered, followed up (pure): a failure is a person not told.
 *
 * 1. Whether the person was reached (`reachOf`): a channel delivered — reached; a channel
 *    not yet heard of — wait (its receipt follows this up again); every channel failed — not
 *    reached.
 * 2. The chain moved on — the case closed, the clock met or cancelled, its due time moved,
 *    the alert acknowledged or already escalated past this tier: the receipt is recorded and
 *    nothing else changes (`moved-on`).
 * 3. Not reached: the step's other channel for that person (every step goes by email; an
 *    urgent one by text message too), if it was not used and they have an address for it,
 *    under a claim of its own (`<reminder>~<channel>`), so it goes once.
 * 4. Still not reached, and nobody else on the step reached either: the step reached nobody —
 *    the fallback contact is told at once what was not delivered and what would fix it, and
 *    the reminder is listed as unrouted. Somebody else still to be heard of: wait.
 * 5. An undelivered out-of-hours alert escalates at once (`escalate`): tier 1 to the senior
 *    manager on call, tier 2 to the fallback contact, without waiting `ackWithinMinutes`.
 * 6. The fallback contact itself not reached: nobody else is left; logged and counted.
 */

import type { ClockAlerts } from '#kernel/alert-state.js';
import type { Calendar } from '#kernel/calendar/index.js';
import { undeliveredGap } from '#kernel/gap-words.js';
import { FALLBACK_PERSON_ID, reminderId as makeReminderId } from '#kernel/ids.js';
import type { Person } from '#kernel/people.js';
import type {
  ChannelName,
  ReminderAuditEntry,
  StoredCase,
  UnroutedReminder,
} from '#kernel/records.js';
import {
  type Delivery,
  ESCALATION_STEPS,
  isAcknowledged,
  isUrgent,
  otherChannelReminderId,
  type PlannedReminder,
  reminderParts,
  type Undelivered,
} from '#kernel/reminders/index.js';
import type { ReminderDeadline } from '#kernel/reminders/types.js';
import type { TimerPayload } from '#kernel/timers.js';
import type { Firing, Note, PlannedSend, Recorded } from './carry-out.js';
import type { MessageSettings, SendContext, SendResult, UndeliveredPayload } from './ports.js';
import {
  addressOf,
  dutyInboxUndelivered,
  reachOf,
  recordOnly,
  sentLines,
  stepMessage,
} from './undelivered-parts.js';
import type { SendState } from './undelivered-ports.js';

export interface UndeliveredFacts {
  payload: UndeliveredPayload;
  /** The step's reminder id (an other-channel claim's is its step's). */
  stepId: string;
  stored?: StoredCase | undefined;
  clock?: ClockAlerts | undefined;
  /** The failed person's claims: the step's, and any on their other channel. */
  person: SendState[];
  /** Every other person the step was meant for, with their claims. */
  peers: ReadonlyMap<string, SendState[]>;
  /** The person's directory entry (their addresses), or the fallback contact. */
  contact?: Person | undefined;
  calendar: Calendar;
  /** The step as planned now (undefined: no longer planned). */
  planned?: PlannedReminder | undefined;
  now: Date;
}

export interface UndeliveredRecorded extends Recorded {
  outcome: string;
}

export type UndeliveredDecision =
  | { wait: true }
  | {
      firing: Firing<UndeliveredRecorded>;
      notes: Note[];
      /** An alert's next escalation step, taken now. */
      escalate?: TimerPayload | undefined;
    };

export function decideUndelivered(
  facts: UndeliveredFacts,
  settings: MessageSettings,
): UndeliveredDecision {
  const { payload, stepId, now } = facts;
  const main = facts.person.find((s) => s.key.reminderId === stepId) ?? facts.person[0];
  const context = main?.claim?.context;
  const reach = reachOf(facts.person);
  if (reach.reach !== 'not-reached') return { wait: true };
  const ids = { caseId: payload.caseId, reminderId: stepId, personId: payload.personId };
  const deadline = facts.stored?.aggregate.deadlines.find((d) => stepId.startsWith(`${d.id}.`));
  const line = (detail: Record<string, unknown>): ReminderAuditEntry => ({
    caseId: payload.caseId,
    at: now,
    kind: 'reminder-undelivered',
    ...(deadline === undefined ? {} : { deadlineId: deadline.id }),
    detail: { reminderId: stepId, personId: payload.personId, failures: reach.failures, ...detail },
  });
  const version = context?.caseVersion ?? facts.stored?.version ?? 0;
  const only = (outcome: string, extra: Record<string, unknown> = {}, notes: Note[] = []) => ({
    firing: recordOnly(line({ outcome, ...extra }), version, outcome),
    notes,
  });

  if (payload.personId === FALLBACK_PERSON_ID)
    return only('nobody', {}, [dutyInboxUndelivered(ids)]);
  const moved = movedOn(facts, deadline, context);
  if (moved !== undefined) return only('moved-on', { reason: moved });
  const plan = deadline === undefined ? undefined : settings.plans[deadline.rule];
  if (deadline === undefined || plan === undefined) return only('moved-on', { reason: 'no-plan' });

  const compose = (
    delivery: Delivery,
    claimId: string,
    gaps?: ReturnType<typeof undeliveredGap>[],
  ) =>
    stepMessage(delivery, { deadline, plan, planned: facts.planned, now, claimId, gaps }, settings);
  const urgent = facts.planned === undefined ? true : isUrgent(facts.planned.step, plan, deadline);
  // 3. The person's other channel, if the step has it and they can be reached on it.
  const other = (['email', 'sms'] as const).find(
    (ch) =>
      !reach.tried.includes(ch) &&
      (ch === 'email' || urgent) &&
      addressOf(facts.contact, ch) !== undefined,
  );
  if (other !== undefined && context?.alert === undefined) {
    const to = addressOf(facts.contact, other) as string;
    const claimId = otherChannelReminderId(stepId, other);
    const person = { personId: payload.personId, forPersonId: payload.personId };
    const send: PlannedSend = {
      key: { ...ids, reminderId: claimId },
      messages: [compose({ ...person, channel: other, to, via: 'direct' }, claimId)],
      context: { peers: context?.peers ?? [], channels: [other], caseVersion: version },
    };
    const record = ([results]: SendResult[][]): UndeliveredRecorded => ({
      audit: [
        {
          entries: [
            line({ outcome: 'other-channel', channel: other }),
            ...sentLines(results, ids, deadline.id, now, { otherChannel: true }, send),
          ],
          caseVersion: version,
        },
      ],
      outcome: 'other-channel',
    });
    return { firing: { sends: [send], timers: [], record }, notes: [] };
  }

  // 5. An undelivered alert escalates at once; an escalation's own alert goes on to the next
  // tier (the fallback contact), which is how the step's chain reaches further.
  const escalate = escalationNow(context, deadline, facts.clock);
  if (context?.alert !== undefined && context.alert.tier !== 1)
    return { ...only('escalated', { tier: context.alert.tier }), escalate };
  // 4. Did anybody on the step hear of it?
  const via = context?.alert?.tier === 1 ? 'edt' : undefined;
  const undelivered: Undelivered[] = [
    { personId: payload.personId, via, failures: reach.failures },
  ];
  for (const [personId, states] of facts.peers) {
    const theirs = reachOf(states);
    if (theirs.reach === 'reached')
      return { ...only('others-reached', { reached: personId }), escalate };
    if (theirs.reach === 'pending')
      return { ...only('waiting', { waitingFor: personId }), escalate };
    undelivered.push({ personId, failures: theirs.failures });
  }
  const gaps = undelivered.map(undeliveredGap);
  const fallback = settings.fallback;
  const channels: ChannelName[] =
    fallback === undefined
      ? []
      : urgent && fallback.phone !== undefined
        ? ['sms', 'email']
        : ['email'];
  const toFallback = { personId: FALLBACK_PERSON_ID, via: 'fallback' as const };
  const fallbackSends: PlannedSend[] =
    fallback === undefined
      ? []
      : [
          {
            key: { ...ids, personId: FALLBACK_PERSON_ID },
            messages: channels.map((channel) =>
              compose(
                {
                  ...toFallback,
                  forPersonId: FALLBACK_PERSON_ID,
                  channel,
                  to: addressOf(fallback, channel) as string,
                },
                stepId,
                gaps,
              ),
            ),
            context: { peers: [], channels, caseVersion: version },
          },
        ];
  const record = (results: SendResult[][]): UndeliveredRecorded => {
    const told = results[0] ?? [];
    // Being told by another follow-up (the other channel's receipt, at the same moment): that
    // one lists it and says what was done; this one writes nothing and is retried.
    if (told.length > 0 && told.some((r) => r.status === 'in-flight'))
      return { audit: [], outcome: 'duplicate' };
    // Told before (a receipt redelivered, or the step's own routing gap): nothing new to list.
    if (told.length > 0 && told.every((r) => r.status === 'duplicate'))
      return {
        audit: [{ entries: [line({ outcome: 'fallback-already-told' })], caseVersion: version }],
        outcome: 'duplicate',
      };
    const state: UnroutedReminder['fallback'] =
      fallback === undefined ? 'none' : told.some((r) => r.status === 'sent') ? 'sent' : 'failed';
    const unrouted: UnroutedReminder = {
      team: facts.stored?.aggregate.team ?? '',
      caseId: payload.caseId,
      deadlineId: deadline.id,
      rule: deadline.rule,
      step: facts.planned?.step.key ?? reminderParts(stepId).step,
      reminderId: stepId,
      // The same record as a routing gap of this firing would have made.
      at: facts.planned?.fireAt ?? new Date(main?.claim?.claimedAt ?? now.toISOString()),
      missing: undelivered.flatMap((u) =>
        u.failures.map((f) => ({
          reason: 'undelivered',
          personId: u.personId,
          channel: f.channel,
          delivery: f.state,
        })),
      ),
      fix: [...new Set(gaps.map((g) => g.fix))],
      fallback: state,
    };
    const unroutedLine: ReminderAuditEntry = {
      ...line({}),
      kind: 'reminder-unrouted',
      detail: { reminderId: stepId, missing: unrouted.missing, fix: unrouted.fix, fallback: state },
    };
    const sent = sentLines(
      told,
      { ...ids, personId: FALLBACK_PERSON_ID },
      deadline.id,
      now,
      { via: 'fallback' },
      fallbackSends[0],
    );
    return {
      audit: [
        { entries: [line({ outcome: 'fallback' }), ...sent, unroutedLine], caseVersion: version },
      ],
      unrouted,
      outcome: 'fallback',
    };
  };
  return {
    firing: { sends: fallbackSends, timers: [], record },
    notes: [
      {
        metric: 'Unroutable',
        log: {
          level: 'error',
          message: 'reminder reached nobody: its messages were not delivered',
          fields: { ...ids, metric: 'ReminderUnroutable' },
        },
      },
    ],
    escalate,
  };
}

/** Why the chain has moved on past this send (a late receipt changes nothing), if it has. */
function movedOn(
  facts: UndeliveredFacts,
  deadline: ReminderDeadline | undefined,
  context: SendContext | undefined,
): string | undefined {
  const stored = facts.stored;
  if (stored === undefined) return 'no-case';
  if (stored.aggregate.status === 'closed') return 'case-closed';
  if (deadline === undefined) return 'no-deadline';
  if (deadline.status === 'met' || deadline.status === 'cancelled')
    return `deadline-${deadline.status}`;
  if (deadline.status === 'breached' && deadline.metAt !== undefined) return 'deadline-met-late';
  const alert = context?.alert;
  if (alert !== undefined) {
    const clock = facts.clock;
    if (clock !== undefined && isAcknowledged(clock, alert.phase)) return 'acknowledged';
    const done = clock?.chains[alert.phase]?.escalations ?? [];
    const next = alert.tier === 1 ? 2 : 'fallback';
    if (alert.tier === 'fallback' || done.some((e) => e.tier === next || e.tier === 'fallback'))
      return 'already-escalated';
    return undefined;
  }
  if (facts.planned === undefined) return 'not-planned';
  if (makeReminderId(deadline, facts.planned.step.key) !== facts.stepId) return 'due-time-moved';
  return undefined;
}

/** The escalation step an undelivered alert takes now. */
function escalationNow(
  context: SendContext | undefined,
  deadline: ReminderDeadline,
  clock: ClockAlerts | undefined,
): TimerPayload | undefined {
  const alert = context?.alert;
  const chain = alert === undefined ? undefined : clock?.chains[alert.phase];
  if (alert === undefined || chain === undefined || alert.tier === 'fallback') return undefined;
  return {
    caseId: deadline.caseId,
    deadlineId: deadline.id,
    kind: 'escalation',
    version: chain.version,
    step: ESCALATION_STEPS[alert.phase][alert.tier === 1 ? 2 : 'fallback'],
  };
}
