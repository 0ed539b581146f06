/**
 * Acknowledging an out-of-hours alert — three ways, one effect: the link's button, an SMS
 * reply ("YES"), or `POST /v1/alerts/{alertId}/ack`.
 *
 * `acknowledgeAlert`:
 * 1. Load the alert (unknown: `NotFoundError`) and its clock's alert state.
 * 2. Already acknowledged for the alert's phase: `already` (the link answers 409), nothing
 *    changes.
 * 3. Otherwise write the acknowledgement: the clock's state and every alert of the clock still
 *    awaiting acknowledgement, in one conditional write (a concurrent change: read again).
 * 4. Cancel the clock's escalation timers (an escalation that fires anyway reads the
 *    acknowledgement first and does nothing) and add `alert-acknowledged` to the case's audit.
 *
 * `acknowledgeBySms`: a reply whose first word is YES, from the number of a person an open
 * alert went to (the person on call), acknowledges that person's latest open alert.
 *
 * `describeAlert`: what the link's page shows (a GET never changes anything).
 */

import type { AckVia, Alert, AlertAck } from '#kernel/alert-state.js';
import { AlertConflictError, ContentionError, NotFoundError } from '#kernel/errors.js';
import { FALLBACK_PERSON_ID } from '#kernel/ids.js';
import type { Person } from '#kernel/people.js';
import type {
  AlertDeps,
  CaseStore,
  Clock,
  Directory,
  Log,
  ReminderAudit,
  Scheduler,
} from '#kernel/ports.js';
import {
  ALERT_WRITE_ATTEMPTS,
  ackOf,
  ackRole,
  escalationTimerNames,
  isAcknowledged,
  tierRole,
  withAck,
} from '#kernel/reminders/alerts.js';
import { caseLink } from '#kernel/reminders/messages.js';
import type { ReminderPlans } from '#kernel/reminders/types.js';

export interface AckDeps {
  alerts: Pick<AlertDeps, 'store'>;
  /** Cancels the clock's escalation timers. */
  scheduler: Pick<Scheduler, 'cancel'>;
  audit: Pick<ReminderAudit, 'append'>;
  /** The case's version orders the audit line; the page reads the clock's title. */
  cases: Pick<CaseStore, 'loadCase'>;
  directory: Pick<Directory, 'getPerson' | 'onCallAt'>;
  /** The fallback contact (an alert to it is acknowledged by its phone too). */
  fallback?: Person | undefined;
  plans?: ReminderPlans | undefined;
  /** The authority's case link (`links.caseUrlTemplate`): the ack pages link the case. */
  caseUrlTemplate?: string | undefined;
  clock: Clock;
  log?: Log | undefined;
}

export type AckOutcome =
  | { status: 'acknowledged'; alert: Alert; ack: AlertAck; acknowledged: string[] }
  /** The clock was already acknowledged (by this alert or another): nothing changed. */
  | { status: 'already'; alert: Alert; ack: AlertAck };

/** Acknowledges an alert's clock (see the module's steps). */
export async function acknowledgeAlert(
  alertId: string,
  via: AckVia,
  deps: AckDeps,
): Promise<AckOutcome> {
  const alert = await deps.alerts.store.getAlert(alertId);
  if (alert === undefined)
    throw new NotFoundError(`no alert ${alertId}`, {
      errors: [{ field: 'alertId', message: 'unknown alert' }],
    });
  const now = deps.clock.now();
  for (let attempt = 1; attempt <= ALERT_WRITE_ATTEMPTS; attempt++) {
    const clock = await deps.alerts.store.getClock(alert.caseId, alert.deadlineId);
    const ack = ackOf(clock, alert, via, now);
    const next = withAck(clock, alert.phase, ack);
    if (next === undefined) {
      // isAcknowledged held: the clock has an acknowledgement covering this alert.
      return { status: 'already', alert, ack: clock.ack as AlertAck };
    }
    const ids =
      alert.status === 'open' ? [...new Set([...next.acknowledged, alertId])] : next.acknowledged;
    try {
      await deps.alerts.store.acknowledge(clock, next.clock, ids, ack);
    } catch (error) {
      if (error instanceof AlertConflictError && attempt < ALERT_WRITE_ATTEMPTS) continue;
      throw error;
    }
    await cancelEscalations(escalationTimerNames(clock), alert, deps);
    const stored = await deps.cases.loadCase(alert.caseId);
    await deps.audit.append(
      [
        {
          caseId: alert.caseId,
          at: now,
          kind: 'alert-acknowledged',
          deadlineId: alert.deadlineId,
          detail: {
            alertId,
            by: ackRole(ack.by),
            ...(ack.personId === undefined ? {} : { personId: ack.personId }),
            via,
            phase: ack.phase,
            acknowledged: ids,
          },
        },
      ],
      stored?.version ?? 0,
    );
    deps.log?.info('alert acknowledged', {
      caseId: alert.caseId,
      deadlineId: alert.deadlineId,
      alertId,
      via,
    });
    return {
      status: 'acknowledged',
      alert: { ...alert, status: 'acknowledged', ack },
      ack,
      acknowledged: ids,
    };
  }
  throw new ContentionError('the alert is being changed concurrently; retry');
}

/** Cancels the escalation timers; a failure is logged, not thrown (they check the ack anyway). */
async function cancelEscalations(names: string[], alert: Alert, deps: AckDeps): Promise<void> {
  if (names.length === 0) return;
  try {
    await deps.scheduler.cancel(names);
  } catch (error) {
    deps.log?.warn('escalation timers not cancelled; they will find the acknowledgement', {
      caseId: alert.caseId,
      deadlineId: alert.deadlineId,
      error: (error as Error).name,
    });
  }
}

/** An inbound SMS as the two-way channel delivers it. */
export interface InboundSms {
  /** The sender's number (E.164). */
  from: string;
  body: string;
}

export type SmsAckOutcome =
  | AckOutcome
  /** The reply is not "YES" (nothing to do). */
  | { status: 'not-an-ack' }
  /** No open alert went to that number. */
  | { status: 'no-open-alert' };

/** How many open alerts an SMS reply looks through (newest first) for the sender's. */
const SMS_SEARCH_LIMIT = 200;

/** "YES" (any case, any punctuation after it) as the first word of a reply. */
const YES = /^\s*yes\b/i;

/** Acknowledges the latest open alert that went to the sender's number (see the module). */
export async function acknowledgeBySms(sms: InboundSms, deps: AckDeps): Promise<SmsAckOutcome> {
  if (!YES.test(sms.body)) return { status: 'not-an-ack' };
  const from = normalisedNumber(sms.from);
  const now = deps.clock.now();
  const phones = new Map<string, Promise<string | undefined>>();
  const phoneOf = (personId: string) => {
    if (!phones.has(personId)) {
      phones.set(
        personId,
        personId === FALLBACK_PERSON_ID
          ? Promise.resolve(deps.fallback?.phone)
          : deps.directory.getPerson(personId).then((p) => p?.phone),
      );
    }
    return phones.get(personId) as Promise<string | undefined>;
  };
  let cursor: string | undefined;
  let seen = 0;
  do {
    const page = await deps.alerts.store.listAlerts({ status: 'open', limit: 50, cursor });
    for (const alert of page.alerts) {
      // An alert whose link has expired is no longer acknowledged by a reply either.
      if (alert.validUntil.getTime() <= now.getTime()) continue;
      const phone = await phoneOf(alert.personId);
      if (phone !== undefined && normalisedNumber(phone) === from)
        return acknowledgeAlert(alert.alertId, 'sms', deps);
    }
    seen += page.alerts.length;
    cursor = page.nextCursor;
  } while (cursor !== undefined && seen < SMS_SEARCH_LIMIT);
  // Ids only: the number is contact data.
  deps.log?.info('sms reply matched no open alert', { seen });
  return { status: 'no-open-alert' };
}

/** Digits and a leading +: "+44 7700 900005" and "+447700900005" are one number. */
function normalisedNumber(text: string): string {
  return text.replace(/[^\d+]/g, '');
}

/** What the ack link's page shows. Names of the people on call, never their contact details. */
export interface AlertPage {
  alert: Alert;
  title: string;
  stageName?: string;
  /** The clock's acknowledgement, when it has one covering this alert. */
  ack?: { role: string; at: Date; via: AckVia };
  /** Who is on call now, tier by tier (a tier with nobody on the rota is left out). */
  onCall: { role: string; name: string; tier: 1 | 2 }[];
  /** Who has already been told because nobody acknowledged this alert's phase, and when. */
  escalated: { tier: 2 | 'fallback'; at: Date }[];
  /** Whether the authority has a duty inbox for the chain to end at. */
  dutyInbox: boolean;
  /** Whether the clock is still open (not met, cancelled or breached). */
  clockOpen: boolean;
  /** The case in the council's case system (or the managers' page), when configured. */
  caseLink?: string;
}

/** The page of an alert whose token checked out. */
export async function describeAlert(alertId: string, deps: AckDeps): Promise<AlertPage> {
  const alert = await deps.alerts.store.getAlert(alertId);
  if (alert === undefined)
    throw new NotFoundError(`no alert ${alertId}`, {
      errors: [{ field: 'alertId', message: 'unknown alert' }],
    });
  const clock = await deps.alerts.store.getClock(alert.caseId, alert.deadlineId);
  const stored = await deps.cases.loadCase(alert.caseId);
  const deadline = stored?.aggregate.deadlines.find((d) => d.id === alert.deadlineId);
  const now = deps.clock.now();
  const onCall: AlertPage['onCall'] = [];
  for (const tier of [1, 2] as const) {
    const id = await deps.directory.onCallAt(now, tier);
    const person = id === undefined ? undefined : await deps.directory.getPerson(id);
    if (person !== undefined) onCall.push({ role: tierRole(tier), name: person.name, tier });
  }
  const ack = clock.ack;
  const escalated = (clock.chains[alert.phase]?.escalations ?? [])
    // A tier skipped for want of anyone on the rota, or a duty inbox that is not set up, told nobody.
    .filter((e) => e.personId !== undefined)
    .map((e) => ({ tier: e.tier, at: e.at }));
  return {
    alert,
    title: deps.plans?.[alert.rule]?.title ?? alert.rule,
    ...(deadline?.stageName === undefined ? {} : { stageName: deadline.stageName }),
    ...(ack === undefined || !isAcknowledged(clock, alert.phase)
      ? {}
      : { ack: { role: ackRole(ack.by), at: ack.at, via: ack.via } }),
    onCall,
    escalated,
    dutyInbox: deps.fallback !== undefined,
    clockOpen: deadline?.status === 'open' && stored?.aggregate.status === 'open',
    ...(deps.caseUrlTemplate === undefined
      ? {}
      : { caseLink: caseLink(deps.caseUrlTemplate, alert.caseId) }),
  };
}
