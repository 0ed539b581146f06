/**
 * Properties of the alert chain over any sequence of timer firings (the clock's reminder
 * steps, escalation timers — on time, late, redelivered, or firing although the
 * acknowledgement cancelled them), acknowledgements (link, SMS reply, API; of any alert of the
 * clock, repeated) and the clock breaching:
 *
 * - nobody above tier 1 hears of the clock after an acknowledgement, unless about its breach
 *   (and then only while no acknowledgement given after the breach alert covers it);
 * - the senior manager on call hears of each phase (before and after the breach) at most once,
 *   and never sooner than 30 minutes after the EDT manager's first alert of it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Deadline } from '#domain/model.js';
import type { OutboundMessage } from '#domain/ports.js';
import { DUTY, lado, ladoCase, SENIOR, setup, tokens } from '#test/support/alerts.js';
import { at } from '#test/support/reminders.js';
import { acknowledgeAlert, acknowledgeBySms } from '#use-cases/acknowledge-alert.js';
import { fireTimer } from '#use-cases/fire-timer.js';

const START = at('2026-05-23T03:30:00Z'); // the 50% step, Saturday 04:30 BST
const P75 = at('2026-05-23T09:30:00Z');
const DUE = at('2026-05-23T15:30:00Z');
const MINUTE = 60_000;
const ABOVE_TIER_1 = new Set([SENIOR.phone, SENIOR.email, DUTY.phone, DUTY.email]);

type Action =
  | { kind: 'wait'; minutes: number }
  | { kind: 'step'; step: 'p50' | 'p75' | 'due' }
  | { kind: 'breach' }
  | { kind: 'escalations'; evenCancelled: boolean; redeliver: boolean }
  | { kind: 'ack'; pick: number; via: 'link' | 'sms' | 'api' };

const action: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('wait'), minutes: fc.integer({ min: 1, max: 90 }) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('step'), step: fc.constantFrom('p50', 'p75', 'due') }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('breach') }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('escalations'),
      evenCancelled: fc.boolean(),
      redeliver: fc.boolean(),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('ack'),
      pick: fc.nat(),
      via: fc.constantFrom('link', 'sms', 'api'),
    }),
  },
) as fc.Arbitrary<Action>;

/** A message with the simulated time it went at and its place in the sequence. */
interface Sent {
  at: Date;
  seq: number;
  message: OutboundMessage;
}

async function play(actions: Action[]) {
  const t = setup(ladoCase(lado), START.toISOString());
  let current: Deadline = lado;
  let breachAlertAt: Date | undefined;
  /** Where in the sequence the breach alert went, and each acknowledgement took effect. */
  let breachSeq: number | undefined;
  const acks: number[] = [];
  let seq = 0;
  const sent: Sent[] = [];
  const fired = new Set<string>();
  /** Records what was sent since the last look, at the clock's time. */
  const seen = { sms: 0, email: 0 };
  /** Records what each channel sent since the last look, at the clock's time. */
  const collect = () => {
    for (const channel of [t.sms, t.email]) {
      for (const message of channel.sent.slice(seen[channel.name]))
        sent.push({ at: t.clock.now(), seq, message });
      seen[channel.name] = channel.sent.length;
    }
  };
  const advance = (to: Date) => {
    if (to.getTime() > t.clock.now().getTime()) t.clock.current = to;
  };
  // The 50% step always goes first: the chain has an alert to start from.
  await t.fireStep(lado, 'p50', START.toISOString());
  collect();
  for (const a of actions) {
    seq++;
    if (a.kind === 'wait') advance(new Date(t.clock.now().getTime() + a.minutes * MINUTE));
    if (a.kind === 'step' && current.status === 'open') {
      advance(a.step === 'p50' ? START : a.step === 'p75' ? P75 : DUE);
      await fireTimer(
        { caseId: lado.caseId, deadlineId: lado.id, kind: 'reminder', version: 1, step: a.step },
        t.deps,
      );
    }
    if (a.kind === 'breach' && current.status === 'open') {
      advance(DUE);
      current = { ...lado, status: 'breached', version: 2, closedAt: lado.dueAt };
      t.cases.seed(ladoCase(current), 6);
      await fireTimer(
        { caseId: lado.caseId, deadlineId: lado.id, kind: 'reminder', version: 2, step: 'breach' },
        t.deps,
      );
      breachAlertAt = t.clock.now();
      breachSeq = seq;
    }
    if (a.kind === 'escalations') {
      const due = t.scheduled
        .filter((s) => s.payload.kind === 'escalation')
        .filter((s) => s.fireAt.getTime() <= t.clock.now().getTime())
        .filter((s) => a.evenCancelled || !t.cancelled.includes(s.name))
        .filter((s) => a.redeliver || !fired.has(s.name));
      for (const timer of due) {
        fired.add(timer.name);
        await fireTimer(timer.payload, t.deps);
      }
    }
    if (a.kind === 'ack') {
      const alerts = [...t.store.alerts.values()].sort((x, y) => (x.alertId < y.alertId ? -1 : 1));
      const alert = alerts[a.pick % alerts.length];
      if (alert !== undefined) {
        let outcome: { status: string } | undefined;
        if (a.via === 'link') {
          const check = tokens.verify(tokens.token(alert.alertId, alert.validUntil), t.clock.now());
          if (check.ok) outcome = await acknowledgeAlert(check.alertId, 'link', t.ackDeps);
        } else if (a.via === 'api') {
          outcome = await acknowledgeAlert(alert.alertId, 'api', t.ackDeps);
        } else {
          const person = [SENIOR, DUTY].find((p) => p.personId === alert.personId);
          const from = person?.phone ?? '+447700900005';
          outcome = await acknowledgeBySms({ from, body: 'YES' }, t.ackDeps);
        }
        if (outcome?.status === 'acknowledged') acks.push(seq);
      }
    }
    collect();
  }
  return { sent, acks, breachAlertAt, breachSeq, firstAlertAt: START };
}

describe('alerts over any sequence of acknowledgements and timer firings', () => {
  it('nobody above tier 1 hears of the clock after an acknowledgement, unless about its breach', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { maxLength: 25 }), async (actions) => {
        const { sent, acks, breachSeq } = await play(actions);
        for (const { seq, message } of sent) {
          if (!ABOVE_TIER_1.has(message.to)) continue;
          if (!message.text.includes('BREACHED')) {
            // Before the breach: no acknowledgement came before it.
            expect(acks.filter((a) => a < seq)).toEqual([]);
          } else {
            // About the breach: no acknowledgement between the breach alert and it.
            expect(acks.filter((a) => a > (breachSeq ?? 0) && a < seq)).toEqual([]);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('the senior manager hears of each phase at most once, 30 minutes or more after its first alert', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { maxLength: 25 }), async (actions) => {
        const { sent, breachAlertAt, firstAlertAt } = await play(actions);
        const texts = sent.filter((s) => s.message.to === SENIOR.phone);
        const open = texts.filter((s) => !s.message.text.includes('BREACHED'));
        const breach = texts.filter((s) => s.message.text.includes('BREACHED'));
        expect(open.length).toBeLessThanOrEqual(1);
        expect(breach.length).toBeLessThanOrEqual(1);
        for (const s of open)
          expect(s.at.getTime()).toBeGreaterThanOrEqual(firstAlertAt.getTime() + 30 * MINUTE);
        for (const s of breach)
          expect(s.at.getTime()).toBeGreaterThanOrEqual(
            (breachAlertAt?.getTime() ?? Number.NaN) + 30 * MINUTE,
          );
      }),
      { numRuns: 150 },
    );
  });
});
