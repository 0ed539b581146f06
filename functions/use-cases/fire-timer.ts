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
 * 4. Reminder timers: route (working hours, delegates, EDT), then for each delivery claim
 *    the send, send with retry and backoff, mark it sent or failed; defer what falls outside
 *    the recipient's hours to their next opening; keep EDT alerts for the morning digest.
 * 5. Every fired, sent, deferred, rerouted, failed (and planned/cancelled) reminder is
 *    appended to the case's audit trail.
 *
 * A delivery claimed by another invocation that has not finished (`in-flight`) makes the
 * outcome `retryLater`: the handler then throws so the invocation is retried after the
 * claim's lease, and a crashed sender's message is not lost.
 */
import { type Calendar, localDate, nextOpening } from '../calendar/index.js';
import { type Backoff, realSleep, withRetry } from '../domain/reminders/backoff.js';
import { momentOf } from '../domain/reminders/index.js';
import {
  caseLink,
  type DigestItem,
  renderDigest,
  renderEmail,
  renderSms,
} from '../domain/reminders/messages.js';
import {
  fnv1a64,
  isUrgent,
  reminderId as makeReminderId,
  planReminders,
  planReminderTimers,
  REMINDER_KIND,
  reminderTimerName,
} from '../domain/reminders/plans.js';
import {
  type Channel,
  ChannelError,
  type ClaimKey,
  type DigestStore,
  type OutboundMessage,
  type ReminderAudit,
  type ReminderAuditEntry,
  type SendClaims,
} from '../domain/reminders/ports.js';
import {
  type ChannelName,
  type Delivery,
  type Directory,
  routePeople,
  routeReminder,
} from '../domain/reminders/routing.js';
import type {
  ReminderDeadline,
  ReminderPlans,
  ReminderTimer,
  TimerPayload,
} from '../domain/reminders/types.js';

/** The narrow view of the case store this use case needs (the store's `CaseStore` fits). */
export interface FireCaseStore<A extends FireAggregate = FireAggregate> {
  loadCase(caseId: string): Promise<{ version: number; aggregate: A } | undefined>;
  commitCase(commit: {
    caseId: string;
    expectedVersion: number;
    before: A | undefined;
    after: A;
    audit: never[] | unknown[];
    now: Date;
  }): Promise<void>;
}

/** The fields of the case aggregate this use case reads. */
export interface FireAggregate {
  caseId: string;
  status: 'open' | 'closed';
  team: string;
  workers: { personId: string; role: import('../../schemas/events.js').WorkerRole }[];
  deadlines: ReminderDeadline[];
}

export interface FireLog {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Counters the use case emits; the handler maps them to CloudWatch metrics (namespace Timescales). */
export type FireMetricName = 'Sent' | 'SendFailed' | 'Unroutable' | 'TimerDead';

/** The metrics port: count an outcome. Pure code calls it; the adapter (Powertools EMF) flushes it. */
export interface FireMetrics {
  count(name: FireMetricName, value?: number): void;
}

export interface FireTimerDeps<A extends FireAggregate = FireAggregate> {
  cases: FireCaseStore<A>;
  /** The engine's `advance` with its context (calendar, rules, `now`) bound by the caller. */
  advance: (aggregate: A, now: Date) => { aggregate: A; audit: unknown[] };
  /** The case's full timer plan (`planTimers` with the reminder planner wired). */
  planTimers: (aggregate: A) => ReminderTimer[];
  scheduler: {
    schedule(timers: ReminderTimer[]): Promise<void>;
    cancel(names: string[]): Promise<void>;
  };
  directory: Directory;
  channels: Partial<Record<ChannelName, Channel>>;
  claims: SendClaims;
  digests: DigestStore;
  audit: ReminderAudit;
  clock: { now(): Date };
  calendar: Calendar;
  plans: ReminderPlans;
  caseUrlTemplate: string;
  /** The organiser of invitations (the SES sender). */
  emailFrom: string;
  /** How long a claim protects a send in progress. @default 120 s */
  leaseMs?: number;
  /** Retries of a failing send. @default 5 attempts, 500 ms base, 8 s cap */
  sendBackoff?: Partial<Backoff>;
  log?: FireLog;
  /** Outcome counters (`Sent`, `SendFailed`, `Unroutable`). @default none */
  metrics?: FireMetrics;
}

export type FireOutcome =
  | { status: 'ignored'; reason: string }
  | { status: 'advanced'; changed: boolean }
  | {
      status: 'reminded' | 'digest';
      sent: number;
      duplicates: number;
      deferred: number;
      failed: number;
      retryLater: boolean;
    };

/** Thrown by the handler when a send is in flight elsewhere: the invocation is retried. */
export class RetryLaterError extends Error {
  override readonly name = 'RetryLaterError';
}

const silent: FireLog = { info: () => {}, warn: () => {}, error: () => {} };
const DIGEST_PREFIX = 'digest:';

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
      if ((error as { name?: string }).name === 'VersionConflictError' && attempt < 5) continue;
      throw error;
    }
    await replaceTimers(before, result.aggregate, stored.version + 1, now, deps);
    return { status: 'advanced', changed: true };
  }
  return { status: 'advanced', changed: false };
}

/**
 * Diffs the case's timer plans and calls the scheduler; deadlines that breached get their
 * at-due and overdue reminders (the plan of open deadlines no longer holds them).
 */
export async function replaceTimers<A extends FireAggregate>(
  before: A,
  after: A,
  caseVersion: number,
  now: Date,
  deps: Pick<FireTimerDeps<A>, 'planTimers' | 'scheduler' | 'calendar' | 'plans' | 'audit'>,
): Promise<void> {
  const old = deps.planTimers(before);
  const next = deps.planTimers(after);
  for (const d of after.deadlines) {
    const was = before.deadlines.find((b) => b.id === d.id);
    if (d.status === 'breached' && was?.status === 'open' && after.status === 'open') {
      next.push(...planReminderTimers(after, d, deps.calendar, deps.plans[d.rule]));
    }
  }
  const had = new Set(old.map((t) => t.name));
  const has = new Set(next.map((t) => t.name));
  const schedule = next.filter((t) => !had.has(t.name));
  const cancel = old.filter((t) => !has.has(t.name));
  if (cancel.length > 0) await deps.scheduler.cancel(cancel.map((t) => t.name));
  if (schedule.length > 0) await deps.scheduler.schedule(schedule);
  const entries = reminderTimerAudit(schedule, cancel, now);
  if (entries.length > 0) await deps.audit.append(entries, caseVersion);
}

/**
 * Audit lines for reminder timers scheduled and cancelled by a plan change. The webhook use
 * case calls this with its own diff (`schedule`, and the cancelled timers from the old plan).
 */
export function reminderTimerAudit(
  scheduled: readonly ReminderTimer[],
  cancelled: readonly ReminderTimer[],
  at: Date,
): ReminderAuditEntry[] {
  const line = (t: ReminderTimer, kind: 'reminder-planned' | 'reminder-cancelled') => ({
    caseId: t.payload.caseId,
    at,
    kind,
    deadlineId: t.payload.deadlineId,
    detail: {
      timer: t.name,
      step: t.payload.reminderId,
      version: t.payload.version,
      fireAt: t.fireAt.toISOString(),
    },
  });
  return [
    ...scheduled
      .filter((t) => t.payload.kind === REMINDER_KIND)
      .map((t) => line(t, 'reminder-planned')),
    ...cancelled
      .filter((t) => t.payload.kind === REMINDER_KIND)
      .map((t) => line(t, 'reminder-cancelled')),
  ];
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
    const suffix = `.h${Math.floor(d.until.getTime() / 60_000).toString(36)}`;
    deferrals.push({
      name: reminderTimerName(deadline, key, suffix),
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
  for (const delivery of routing.deliveries) {
    if (delivery.via !== 'direct') {
      line('reminder-rerouted', {
        personId: delivery.personId,
        forPersonId: delivery.forPersonId,
        channel: delivery.channel,
        reason: delivery.via === 'edt' ? 'out-of-hours-edt' : 'away-delegate',
      });
    }
    const message = composeMessage(delivery, {
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
    });
    const result = await sendOnce(
      {
        caseId: deadline.caseId,
        reminderId: rid,
        personId: delivery.personId,
        channel: delivery.channel,
      },
      message,
      deps,
    );
    tally(outcome, result);
    if (result.status === 'sent') {
      line('reminder-sent', {
        personId: delivery.personId,
        channel: delivery.channel,
        via: delivery.via,
        messageId: result.messageId,
      });
    } else if (result.status === 'failed') {
      line('reminder-failed', {
        personId: delivery.personId,
        channel: delivery.channel,
        reason: result.reason,
      });
    }
    if (delivery.via === 'edt' && (result.status === 'sent' || result.status === 'duplicate'))
      edtAlerted = true;
  }

  if (routing.edt && edtAlerted) {
    // The day team hears at the next opening (09:00 by default) in one digest.
    const opening = nextOpening(deps.calendar, now);
    const date = localDate(opening);
    await deps.digests.add({
      team: aggregate.team,
      date,
      caseId: deadline.caseId,
      reminderId: rid,
      rule: deadline.rule,
      dueAt: deadline.dueAt,
      alertedAt: now,
      recipientIds: routing.dayRecipients,
    });
    await deps.scheduler.schedule([digestTimer(aggregate.team, date, opening)]);
  }
  await deps.audit.append(audit, stored.version);
  return outcome;
}

/** The one digest timer of a team's morning: deterministic, so every alert schedules the same one. */
export function digestTimer(
  team: string,
  date: string,
  fireAt: Date,
  suffix = '',
): ReminderTimer<typeof REMINDER_KIND> {
  const readable = team.replace(/[^0-9A-Za-z-_]/g, '_').slice(0, 20);
  return {
    name: `d.${readable}.${date.replaceAll('-', '')}.${fnv1a64(team).slice(0, 8)}${suffix}`.slice(
      0,
      64,
    ),
    fireAt,
    // A digest belongs to a team, not a case or deadline: those ids are placeholders.
    payload: {
      caseId: `team:${team}`,
      deadlineId: 'digest',
      kind: REMINDER_KIND,
      version: 0,
      reminderId: `${DIGEST_PREFIX}${date}:${team}`,
    },
  };
}

async function fireDigest<A extends FireAggregate>(
  reminderId: string,
  deps: FireTimerDeps<A>,
): Promise<FireOutcome> {
  const now = deps.clock.now();
  const [date = '', ...rest] = reminderId.slice(DIGEST_PREFIX.length).split(':');
  const team = rest.join(':');
  const entries = await deps.digests.list(team, date);
  const outcome = {
    status: 'digest' as const,
    sent: 0,
    duplicates: 0,
    deferred: 0,
    failed: 0,
    retryLater: false,
  };
  if (entries.length === 0) return outcome;
  const recipients = [...new Set(entries.flatMap((e) => e.recipientIds))];
  const routed = await routePeople(recipients, {
    now,
    calendar: deps.calendar,
    directory: deps.directory,
    mode: 'working-hours',
    channels: ['email'],
  });
  const items: DigestItem[] = entries.map((e) => ({
    caseId: e.caseId,
    title: deps.plans[e.rule]?.title ?? e.rule,
    dueAt: e.dueAt,
    alertedAt: e.alertedAt,
    link: caseLink(deps.caseUrlTemplate, e.caseId),
  }));
  const content = renderDigest(items, team);
  const sentTo: string[] = [];
  for (const d of routed.deferrals) {
    await deps.scheduler.schedule([
      digestTimer(team, date, d.until, `.h${Math.floor(d.until.getTime() / 60_000).toString(36)}`),
    ]);
    outcome.deferred++;
  }
  for (const delivery of routed.deliveries) {
    const result = await sendOnce(
      { caseId: `team:${team}`, reminderId, personId: delivery.personId, channel: 'email' },
      {
        channel: 'email',
        to: delivery.to,
        subject: content.subject,
        text: content.text,
        html: content.html,
        meta: { caseId: `team:${team}`, rule: 'digest', reminderId, personId: delivery.personId },
      },
      deps,
    );
    tally(outcome, result);
    if (result.status === 'sent') sentTo.push(delivery.personId);
  }
  // Each case in the digest records who was told.
  const byCase = new Map<string, string[]>();
  for (const e of entries) byCase.set(e.caseId, [...(byCase.get(e.caseId) ?? []), e.reminderId]);
  for (const [caseId, reminderIds] of byCase) {
    const stored = await deps.cases.loadCase(caseId);
    await deps.audit.append(
      [
        {
          caseId,
          at: now,
          kind: sentTo.length > 0 ? 'reminder-sent' : 'reminder-failed',
          detail: {
            digest: reminderId,
            reminderIds,
            personIds: sentTo,
            unroutable: routed.unroutable.length,
          },
        },
      ],
      stored?.version ?? 0,
    );
  }
  return outcome;
}

function tally(
  outcome: { sent: number; duplicates: number; failed: number; retryLater: boolean },
  result: SendResult,
): void {
  if (result.status === 'sent') outcome.sent++;
  else if (result.status === 'duplicate') outcome.duplicates++;
  else if (result.status === 'failed') outcome.failed++;
  else if (result.status === 'in-flight') outcome.retryLater = true;
}

interface ComposeInput {
  caseId: string;
  rule: string;
  reminderId: string;
  title: string;
  stageName: string | undefined;
  action: string;
  dueAt: Date;
  moment: ReturnType<typeof momentOf>;
  urgent: boolean;
  link: string;
  invite: boolean;
  emailFrom: string;
  now: Date;
}

function composeMessage(delivery: Delivery, input: ComposeInput): OutboundMessage {
  const meta = {
    caseId: input.caseId,
    rule: input.rule,
    reminderId: input.reminderId,
    personId: delivery.personId,
  };
  const message = {
    caseId: input.caseId,
    title: input.title,
    ...(input.stageName === undefined ? {} : { stageName: input.stageName }),
    action: input.action,
    dueAt: input.dueAt,
    moment: input.moment,
    urgent: input.urgent,
    link: input.link,
    edt: delivery.via === 'edt',
  };
  if (delivery.channel === 'sms')
    return { channel: 'sms', to: delivery.to, text: renderSms(message), meta };
  const email = renderEmail(
    input.invite && delivery.via !== 'edt'
      ? {
          ...message,
          invite: {
            uid: `${input.reminderId}@timescales`,
            organizer: input.emailFrom,
            attendee: delivery.to,
            now: input.now,
          },
        }
      : message,
  );
  return {
    channel: 'email',
    to: delivery.to,
    subject: email.subject,
    text: email.text,
    html: email.html,
    ...(email.ics === undefined ? {} : { ics: email.ics }),
    meta,
  };
}

export type SendResult =
  | { status: 'sent'; messageId?: string }
  | { status: 'duplicate' }
  | { status: 'in-flight' }
  | { status: 'failed'; reason: string };

/**
 * Sends one message at most once: claim (conditional write), send with retry and backoff on
 * throttling and 5xx, then mark the claim sent — or failed, logged with a metric name an
 * alarm can watch. A claim already sent or failed sends nothing.
 */
export async function sendOnce(
  key: ClaimKey,
  message: OutboundMessage,
  deps: Pick<
    FireTimerDeps,
    'claims' | 'channels' | 'clock' | 'leaseMs' | 'sendBackoff' | 'log' | 'metrics'
  >,
): Promise<SendResult> {
  const log = deps.log ?? silent;
  const ids = {
    caseId: key.caseId,
    reminderId: key.reminderId,
    personId: key.personId,
    channel: key.channel,
  };
  const claim = await deps.claims.claim(key, deps.clock.now(), deps.leaseMs ?? 120_000);
  if (claim.outcome === 'sent') return { status: 'duplicate' };
  if (claim.outcome === 'failed') return { status: 'duplicate' };
  if (claim.outcome === 'in-flight') {
    log.warn('send in flight elsewhere', ids);
    return { status: 'in-flight' };
  }
  const channel = deps.channels[key.channel];
  if (channel === undefined) {
    await deps.claims.markFailed(key, claim.token, deps.clock.now(), 'no-channel');
    log.error('reminder send failed', {
      ...ids,
      reason: 'no-channel',
      metric: 'ReminderSendFailed',
    });
    deps.metrics?.count('SendFailed');
    return { status: 'failed', reason: 'no-channel' };
  }
  const backoff: Backoff = {
    attempts: 5,
    baseDelayMs: 500,
    maxDelayMs: 8_000,
    sleep: realSleep,
    random: Math.random,
    ...deps.sendBackoff,
  };
  try {
    const result = await withRetry(
      (attempt) => {
        if (attempt > 1) log.warn('retrying send', { ...ids, attempt });
        return channel.send(message);
      },
      (error) => error instanceof ChannelError && error.retryable,
      backoff,
    );
    await deps.claims.markSent(key, claim.token, deps.clock.now(), result.messageId);
    log.info('reminder sent', { ...ids, takeover: claim.takeover });
    deps.metrics?.count('Sent');
    return result.messageId === undefined
      ? { status: 'sent' }
      : { status: 'sent', messageId: result.messageId };
  } catch (error) {
    const reason = error instanceof ChannelError ? error.code : 'error';
    await deps.claims.markFailed(key, claim.token, deps.clock.now(), reason);
    log.error('reminder send failed', { ...ids, reason, metric: 'ReminderSendFailed' });
    deps.metrics?.count('SendFailed');
    return { status: 'failed', reason };
  }
}
