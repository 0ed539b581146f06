/**
 * Out-of-hours alerts on the in-memory ports, for the alert tests and their properties: a
 * LADO clock raised on a Friday at 16:30 with an EDT manager (tier 1) and a senior manager
 * (tier 2) on the rota, the fire path and the acknowledgement use case over the same fakes,
 * and a stand-in for the scheduler that fires the escalation timers that fall due.
 */

import type { AckDeps } from '#functions/alerts/acknowledge-alert.js';
import { type FireTimerDeps, fireTimer } from '#functions/fire/fire-timer.js';
import type { Alert } from '#kernel/alert-state.js';
import { alertId } from '#kernel/ids.js';
import type { CaseAggregate, Deadline } from '#kernel/model.js';
import type { Person, RotaShift } from '#kernel/people.js';
import { DEFAULT_REMINDER_PLANS } from '#kernel/reminders/index.js';
import { makeAlertTokens } from '#platform/alert-token.js';
import { DUTY, fireDeps } from '#test/support/firing.js';
import { MemoryCaseStore } from '#test/support/memory-store.js';
import {
  at,
  calendar,
  caseAggregate,
  deadline,
  directoryOf,
  MemoryAlertStore,
  MemoryAudit,
  MemoryDigests,
  noSleep,
  people,
  RecordingChannel,
} from '#test/support/reminders.js';
import { TimerLog } from '#test/support/scheduler.js';

export const EDT_PHONE = '+447700900005';
export const SENIOR: Person = {
  personId: 'P-0008',
  name: 'Senior Manager One',
  email: 'senior.manager.one@example.gov.uk',
  phone: '+447700900008',
  updatedAt: '2026-01-01T00:00:00.000Z',
};
/** EDT on call (tier 1) and the senior manager (tier 2), Friday 17:00 BST to Tuesday 09:00 BST. */
export const ROTA: RotaShift[] = [
  { personId: 'P-0005', from: '2026-05-22T16:00:00.000Z', to: '2026-05-26T08:00:00.000Z' },
  { personId: 'P-0008', from: '2026-05-22T16:00:00.000Z', to: '2026-05-26T08:00:00.000Z', tier: 2 },
];
export const tokens = makeAlertTokens({
  key: 'test-alert-token-key-0123456789abcdef',
  baseUrl: 'https://ack.example.gov.uk',
});

/** A LADO concern raised Friday 22 May 2026 16:30 BST: due Saturday 16:30 BST; 50% at 04:30. */
export const lado = deadline({
  id: 'lado-notification.A-1',
  rule: 'lado-notification',
  urgent: true,
  safeguarding: true,
  startedAt: at('2026-05-22T15:30:00Z'),
  dueAt: at('2026-05-23T15:30:00Z'),
});
/**
 * An open tier-1 alert to the EDT manager (P-0005) of a step of a case's LADO clock (`lado`'s
 * id): by default C-1001's 50% step, sent Saturday 23 May 2026 04:30 BST, due 16:30 BST that
 * day, its link valid until a day later.
 */
export function openLadoAlert(
  options: { caseId?: string; step?: string; sentAt?: Date; dueAt?: Date; validUntil?: Date } = {},
): Alert {
  const {
    caseId = 'C-1001',
    step = 'p50',
    sentAt = at('2026-05-23T03:30:00Z'),
    dueAt = at('2026-05-23T15:30:00Z'),
    validUntil = at('2026-05-24T15:30:00Z'),
  } = options;
  const reminderId = `lado-notification.A-1.${step}.x`;
  return {
    alertId: alertId({ caseId, reminderId, tier: '1' }),
    caseId,
    deadlineId: 'lado-notification.A-1',
    rule: 'lado-notification',
    step,
    reminderId,
    tier: 1,
    personId: 'P-0005',
    phase: 'open',
    version: 1,
    sentAt,
    dueAt,
    validUntil,
    status: 'open',
  };
}

export const ladoCase = (d: Deadline): CaseAggregate =>
  caseAggregate({
    workers: [
      { personId: 'P-0004', role: 'lado' },
      { personId: 'P-0002', role: 'team-manager' },
    ],
    deadlines: [d],
  });

export function setup(
  agg: CaseAggregate,
  now: string,
  options: { rota?: RotaShift[]; fallback?: Person | undefined } = {},
) {
  const cases = new MemoryCaseStore();
  cases.seed(agg, 5);
  const email = new RecordingChannel('email');
  const sms = new RecordingChannel('sms');
  const scheduler = new TimerLog();
  const { scheduled, cancelled } = scheduler;
  const store = new MemoryAlertStore();
  // One digest store: the fire path's digest entries are what the morning digest reads.
  const digests = new MemoryDigests();
  const audit = new MemoryAudit(digests);
  const counted: string[] = [];
  const errors: { message: string; fields?: Record<string, unknown> }[] = [];
  const clock = {
    current: at(now),
    now() {
      return this.current;
    },
  };
  const directory = directoryOf([], options.rota ?? ROTA, [...people, SENIOR]);
  const fallback = 'fallback' in options ? options.fallback : DUTY;
  const deps: FireTimerDeps = fireDeps({
    cases,
    scheduler,
    directory,
    channels: { email, sms },
    audit,
    alertStore: store,
    clock,
    calendar,
    plans: DEFAULT_REMINDER_PLANS,
    caseUrlTemplate: 'https://cases.example.gov.uk/cases/{caseId}',
    emailFrom: 'timescales@example.gov.uk',
    sendBackoff: noSleep,
    fallback,
    metrics: { count: (name) => void counted.push(name) },
    log: {
      info: () => {},
      warn: () => {},
      error: (message, fields) => void errors.push({ message, ...(fields ? { fields } : {}) }),
    },
    alerts: { links: tokens, ackWithinMs: 30 * 60_000, replyYes: true },
  });
  const ackDeps: AckDeps = {
    alerts: { store },
    scheduler,
    audit,
    cases,
    directory,
    fallback,
    plans: DEFAULT_REMINDER_PLANS,
    clock,
  };
  /** Fires a step of the clock at `when`. */
  const fireStep = (d: Deadline, step: string, when: string) => {
    clock.current = at(when);
    return fireTimer(
      { caseId: d.caseId, deadlineId: d.id, kind: 'reminder', version: d.version, step },
      deps,
    );
  };
  /** Fires the escalation timers scheduled so far that are due by `when`, in order, once each. */
  const fired = new Set<string>();
  const fireEscalationsBy = async (when: string) => {
    for (;;) {
      const next = scheduled
        .filter((t) => t.payload.kind === 'escalation' && !fired.has(t.name))
        .filter((t) => !cancelled.includes(t.name) && t.fireAt.getTime() <= at(when).getTime())
        .sort((a, b) => a.fireAt.getTime() - b.fireAt.getTime())[0];
      if (next === undefined) break;
      fired.add(next.name);
      clock.current = next.fireAt;
      await fireTimer(next.payload, deps);
    }
    clock.current = at(when);
  };
  return {
    deps,
    ackDeps,
    cases,
    email,
    sms,
    scheduled,
    cancelled,
    store,
    audit,
    counted,
    errors,
    clock,
    fireStep,
    fireEscalationsBy,
  };
}

export const linkIn = (text: string) =>
  /https:\/\/ack\.example\.gov\.uk\/a\/([A-Za-z0-9_-]+)/.exec(text);
