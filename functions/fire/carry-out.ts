/**
 * The one step that does what a firing decided (`Firing`): every kind that sends (reminder,
 * escalation, digest) decides purely, then hands its decision here.
 *
 * 1. Claim: the guarded send first — its claim and the alert state it changes in ONE
 *    conditional write; a conflict returns at once, nothing done, so the caller reads and
 *    decides again — then every other person's claim side by side, one conditional write each.
 *    A claim finished `sent` or `failed` sends nothing (a duplicate); one held by another
 *    invocation's live lease is `in-flight` (the handler throws, the timer is retried after
 *    the lease); one whose lease expired is taken over.
 * 2. Timers: what the firing sets (deferrals, the next repeat, an escalation), in one
 *    `schedule` call after the claims — the guard's only once the guard is written.
 * 3. Send: each claimed person's messages, person after person in the decision's order, each
 *    person's channels side by side (an urgent SMS does not wait for the email's retries),
 *    retrying throttling and 5xx with backoff.
 * 4. Record: every claim acquired, finished with each channel's outcome, with the firing's
 *    audit lines, digest entry and unrouted record, in ONE write. A crash before it leaves
 *    the claims to expire: the timer is retried and re-sends only those (what was in flight).
 */

import type { Alert } from '#kernel/alert-state.js';
import type { MetricName } from '#kernel/metrics.js';
import { silentLog } from '#kernel/ports.js';
import { type Backoff, realSleep, withRetry } from '#kernel/reminders/backoff.js';
import type { Timer } from '#kernel/timers.js';
import type { KnownAlerts, RaisedGuard } from './alert-decision.js';
import {
  ChannelError,
  type ChannelOutcome,
  type ClaimKey,
  type ClaimResult,
  type FiringRecord,
  type OutboundMessage,
  type SendContext,
  type SendDeps,
  type SendResult,
} from './ports.js';

/** One person's messages (one per channel), sent at most once under one claim. */
export interface PlannedSend {
  key: ClaimKey;
  messages: OutboundMessage[];
  /** Kept with the claim for the sends' delivery receipts. @default none */
  context?: SendContext | undefined;
}

/** What a firing writes with its sends' outcomes. */
export type Recorded = Pick<FiringRecord, 'audit' | 'digest' | 'unrouted'>;

/** A firing, decided: who gets what, the alert state it changes, the timers it sets. */
export interface Firing<R extends Recorded = Recorded> {
  sends: PlannedSend[];
  /**
   * The alert state the firing changes, written with the claim of `sends[guard.send]` (or
   * alone when `send` is undefined); its `timers` are set only once it is written.
   */
  guard?: (RaisedGuard & { send?: number | undefined }) | undefined;
  /** Set after the claims, whatever they found (scheduling by name twice keeps one timer). */
  timers: Timer[];
  /** What to record, from each send's results (in `sends` order, each in `messages` order). */
  record(results: SendResult[][]): R;
}

export type Carried<R> =
  | { conflict: true }
  | { conflict: false; results: SendResult[][]; recorded: R };

/** Carries out a decided firing: claims, timers, sends, one record (see the header). */
export async function carryOut<R extends Recorded>(
  firing: Firing<R>,
  deps: SendDeps,
): Promise<Carried<R>> {
  const leaseMs = deps.leaseMs ?? 120_000;
  const claims = new Array<ClaimResult | undefined>(firing.sends.length);
  let guardWritten = false;
  const guard = firing.guard;
  if (guard !== undefined) {
    const send = guard.send === undefined ? undefined : firing.sends[guard.send];
    const claimed = await deps.store.claim(
      { key: send?.key, context: send?.context, guard },
      deps.clock.now(),
      leaseMs,
    );
    if (claimed.outcome === 'conflict') return { conflict: true };
    guardWritten = claimed.outcome === 'acquired';
    if (guard.send !== undefined) claims[guard.send] = claimed;
  }
  await Promise.all(
    firing.sends.map(async (send, i) => {
      if (claims[i] === undefined)
        claims[i] = await deps.store.claim(
          { key: send.key, context: send.context },
          deps.clock.now(),
          leaseMs,
        );
    }),
  );
  // By name: two people held to the same opening share one timer.
  const timers = new Map(
    [...firing.timers, ...(guardWritten ? (guard?.timers ?? []) : [])].map((t) => [t.name, t]),
  );
  if (timers.size > 0) await deps.scheduler.schedule([...timers.values()]);

  // Person after person, as the decision ordered them (what each person gets arrives in the
  // same order every time); each person's channels side by side.
  const sent: (ChannelOutcome[] | undefined)[] = [];
  for (const [i, send] of firing.sends.entries()) {
    const claim = claims[i];
    if (claim?.outcome !== 'acquired') {
      sent.push(undefined);
      continue;
    }
    // What an attempt held back by a rate limit already sent is not sent again.
    const done = claim.done ?? [];
    sent.push(
      await Promise.all(
        send.messages.map(
          (m) =>
            done.find((o) => o.channel === m.channel && o.state === 'sent') ??
            sendWithRetry(m, deps, send.key, claim.unrecorded === true),
        ),
      ),
    );
  }
  const results = firing.sends.map((send, i) =>
    resultsOf(send, claims[i] as ClaimResult, sent[i], deps),
  );
  const recorded = firing.record(results);
  const finished = firing.sends.flatMap((send, i) => {
    const claim = claims[i];
    const outcomes = sent[i];
    return claim?.outcome === 'acquired' && outcomes !== undefined
      ? [{ key: send.key, token: claim.token, outcomes, context: send.context }]
      : [];
  });
  await deps.store.record({ now: deps.clock.now(), finished, ...recorded });
  const refusedNow = finished.filter((f) => f.outcomes.some((o) => o.state === 'failed'));
  const owedBefore = firing.sends.filter((_, i) => {
    const claim = claims[i];
    return (claim?.outcome === 'sent' || claim?.outcome === 'failed') && claim.followUpOwed;
  });
  await followUpRefused([...refusedNow, ...owedBefore], deps);
  return { conflict: false, results, recorded };
}

/**
 * A person whose message the provider refused after every retry was not told: followed up
 * like an undelivered receipt (their other channel, the fallback contact, an alert's
 * escalation), once the firing is recorded, and the claim marked followed up. A firing that
 * stops between the record and the mark leaves the follow-up owed, and the timer's retry finds
 * it so (`followUpOwed`) instead of telling nobody; the follow-up claims its own sends, so one
 * done twice that way tells nobody twice.
 */
async function followUpRefused(refused: { key: ClaimKey }[], deps: SendDeps): Promise<void> {
  if (deps.undelivered === undefined) return;
  for (const { key } of refused) {
    await deps.undelivered({ kind: 'undelivered', ...key });
    await deps.store.followedUp(key);
  }
}

/**
 * Decides, then does: `decide` is pure, given the alerts read so far (`known`); an alert it
 * asks for (a redelivery's, or an id probed past a taken one) is read and it decides again.
 * The decision is carried out, and what it counts and logs is written once it was (a
 * conflict — the guard no longer held — writes nothing: the caller reads and decides again).
 */
export async function decideThenCarryOut<R extends Recorded>(
  decide: (known: KnownAlerts) => { firing: Firing<R>; notes: Note[] } | { read: string[] },
  deps: SendDeps,
): Promise<Carried<R>> {
  const known = new Map<string, Alert | null>();
  let decision = decide(known);
  while ('read' in decision) {
    const found = await deps.store.getAlerts(decision.read);
    for (const id of decision.read) known.set(id, found.get(id) ?? null);
    decision = decide(known);
  }
  const carried = await carryOut(decision.firing, deps);
  if (!carried.conflict) emit(decision.notes, deps);
  return carried;
}

/** What a decision counts and logs (ids only), once the firing is carried out. */
export interface Note {
  metric?: MetricName | undefined;
  log?: { level: 'warn' | 'error'; message: string; fields: Record<string, unknown> } | undefined;
}

/** Writes a decision's counts and log lines. */
export function emit(notes: readonly Note[], deps: Pick<SendDeps, 'log' | 'metrics'>): void {
  for (const { metric, log } of notes) {
    if (metric !== undefined) deps.metrics?.count(metric);
    if (log !== undefined) deps.log?.[log.level](log.message, log.fields);
  }
}

/** Each message's result under its claim, logged and counted (ids only). */
function resultsOf(
  send: PlannedSend,
  claim: ClaimResult,
  outcomes: ChannelOutcome[] | undefined,
  deps: Pick<SendDeps, 'log' | 'metrics'>,
): SendResult[] {
  const log = deps.log ?? silentLog;
  const ids = {
    caseId: send.key.caseId,
    reminderId: send.key.reminderId,
    personId: send.key.personId,
  };
  if (claim.outcome === 'sent' || claim.outcome === 'failed')
    return send.messages.map(() => ({ status: 'duplicate' }));
  if (claim.outcome !== 'acquired' || outcomes === undefined) {
    log.warn('send in flight elsewhere', ids);
    return send.messages.map(() => ({ status: 'in-flight' }));
  }
  return outcomes.map((outcome) => {
    const fields = { ...ids, channel: outcome.channel };
    if (outcome.state === 'throttled') {
      // Not taken: the claim stays open and the timer is tried again (never a double).
      log.warn(
        outcome.reason === 'deadline'
          ? 'send held back: no time left in this invocation to try it again'
          : 'send held back by the provider’s rate limit',
        { ...fields, reason: outcome.reason },
      );
      return { status: 'in-flight' };
    }
    if (outcome.state === 'failed') {
      log.error('reminder send failed', {
        ...fields,
        reason: outcome.reason,
        metric: 'ReminderSendFailed',
      });
      deps.metrics?.count('SendFailed');
      return { status: 'failed', reason: outcome.reason };
    }
    log.info('reminder sent', { ...fields, takeover: claim.takeover });
    deps.metrics?.count('Sent');
    return outcome.messageId === undefined
      ? { status: 'sent' }
      : { status: 'sent', messageId: outcome.messageId };
  });
}

/** An attempt that would start, or a retry's wait that would end, past the deadline: not made. */
class PastDeadline extends Error {}

/**
 * Sends through the message's channel, retrying throttling and 5xx while the invocation has
 * time for another attempt and its record; never throws.
 */
async function sendWithRetry(
  message: OutboundMessage,
  deps: SendDeps,
  key: ClaimKey,
  takenOver: boolean,
): Promise<ChannelOutcome> {
  const channel = deps.channels[message.channel];
  if (channel === undefined)
    return { channel: message.channel, state: 'failed', reason: 'no-channel' };
  const backoff: Backoff = {
    attempts: 5,
    baseDelayMs: 500,
    maxDelayMs: 8_000,
    sleep: realSleep,
    random: Math.random,
    ...deps.sendBackoff,
  };
  const { deadline } = deps;
  if (deadline !== undefined) {
    const wait = backoff.sleep;
    backoff.sleep = async (ms) => {
      if (Date.now() + ms > deadline()) throw new PastDeadline();
      await wait(ms);
    };
  }
  try {
    const { messageId } = await withRetry(
      (attempt) => {
        // Started past the deadline, an attempt and its record could outlast the function.
        if (deadline !== undefined && Date.now() > deadline()) throw new PastDeadline();
        if (attempt > 1)
          (deps.log ?? silentLog).warn('retrying send', {
            caseId: key.caseId,
            reminderId: key.reminderId,
            personId: key.personId,
            channel: message.channel,
            attempt,
          });
        return channel.send(message, { takenOver });
      },
      (error) => error instanceof ChannelError && error.retryable,
      backoff,
    );
    return messageId === undefined
      ? { channel: message.channel, state: 'sent' }
      : { channel: message.channel, state: 'sent', messageId };
  } catch (error) {
    // Not sent, and not refused: the claim records what went and the timer tries again.
    if (error instanceof PastDeadline)
      return { channel: message.channel, state: 'throttled', reason: 'deadline' };
    const reason = error instanceof ChannelError ? error.code : 'error';
    if (error instanceof ChannelError && error.rateLimited)
      return { channel: message.channel, state: 'throttled', reason };
    return { channel: message.channel, state: 'failed', reason };
  }
}
