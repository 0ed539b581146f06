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
 *
 * And over any sequence with nobody acknowledging, in which events move the clock's due time
 * (new versions), it breaches, or is met: each chain reaches the senior manager then the duty
 * inbox exactly once — unless the clock's breach chain superseded the one before it, or the
 * clock was met first, and then an `alert-escalation-stopped` line says so.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { acknowledgeAlert, acknowledgeBySms } from '#functions/alerts/acknowledge-alert.js';
import { fireTimer } from '#functions/fire/fire-timer.js';
import type { OutboundMessage } from '#functions/fire/ports.js';
import type { Deadline } from '#kernel/model.js';
import { lado, ladoCase, SENIOR, setup, tokens } from '#test/support/alerts.js';
import { DUTY } from '#test/support/firing.js';
import { at } from '#test/support/reminders.js';

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

type ChainAction =
  | { kind: 'wait'; minutes: number }
  | { kind: 'step'; step: 'p75' | 'due' }
  | { kind: 'move'; minutes: number }
  | { kind: 'breach' }
  | { kind: 'met' }
  | { kind: 'escalations'; redeliver: boolean };

const chainAction = (withMet: boolean): fc.Arbitrary<ChainAction> =>
  fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({ kind: fc.constant('wait'), minutes: fc.integer({ min: 1, max: 90 }) }),
    },
    {
      weight: 2,
      arbitrary: fc.record({ kind: fc.constant('step'), step: fc.constantFrom('p75', 'due') }),
    },
    // An event moves the due time (up to three hours either way): a new version, still open.
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('move'),
        minutes: fc.integer({ min: -180, max: 180 }),
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('breach') }) },
    { weight: withMet ? 1 : 0, arbitrary: fc.record({ kind: fc.constant('met') }) },
    {
      weight: 4,
      arbitrary: fc.record({ kind: fc.constant('escalations'), redeliver: fc.boolean() }),
    },
  ) as fc.Arbitrary<ChainAction>;

/**
 * Nobody acknowledges: the 50% alert goes, then the actions, then every escalation timer fires
 * (each twice: redelivered) until none is left. Returns what the senior manager and the duty
 * inbox were texted (by phase) and the stopped escalations' audit lines.
 */
async function playUnacknowledged(actions: ChainAction[]) {
  const t = setup(ladoCase(lado), START.toISOString());
  let current: Deadline = lado;
  let version = 1;
  const advance = (to: Date) => {
    if (to.getTime() > t.clock.now().getTime()) t.clock.current = to;
  };
  const fired = new Set<string>();
  /** Fires the escalation timers due by `until` (each at its time, or now if that is later). */
  const fireDue = async (redeliver: boolean, until = t.clock.now()) => {
    for (;;) {
      const next = t.scheduled
        .filter((s) => s.payload.kind === 'escalation' && !fired.has(s.name))
        .filter((s) => s.fireAt.getTime() <= until.getTime())
        .sort((a, b) => a.fireAt.getTime() - b.fireAt.getTime())[0];
      if (next === undefined) return;
      fired.add(next.name);
      advance(next.fireAt);
      await fireTimer(next.payload, t.deps);
      if (redeliver) await fireTimer(next.payload, t.deps);
    }
  };
  const seed = (d: Deadline) => {
    current = d;
    t.cases.seed(ladoCase(d), 5 + d.version);
  };
  await t.fireStep(lado, 'p50', START.toISOString());
  let met = false;
  for (const a of actions) {
    if (a.kind === 'wait') advance(new Date(t.clock.now().getTime() + a.minutes * MINUTE));
    if (a.kind === 'step' && current.status === 'open') {
      advance(a.step === 'p75' ? P75 : DUE);
      await fireTimer(
        { caseId: lado.caseId, deadlineId: lado.id, kind: 'reminder', version, step: a.step },
        t.deps,
      );
    }
    if (a.kind === 'move' && current.status === 'open') {
      const dueAt = new Date(current.dueAt.getTime() + a.minutes * MINUTE);
      // A due time moved into the past breaches at the next look; keep it ahead of now.
      if (dueAt.getTime() > t.clock.now().getTime())
        seed({ ...current, version: ++version, dueAt });
    }
    if (a.kind === 'breach' && current.status === 'open') {
      advance(current.dueAt);
      seed({ ...current, status: 'breached', version: ++version, closedAt: current.dueAt });
      await fireTimer(
        { caseId: lado.caseId, deadlineId: lado.id, kind: 'reminder', version, step: 'breach' },
        t.deps,
      );
    }
    if (a.kind === 'met' && current.status === 'open') {
      seed({ ...current, status: 'met', version: ++version, closedAt: t.clock.now() });
      met = true;
    }
    if (a.kind === 'escalations') await fireDue(a.redeliver);
  }
  // Then, whatever happened, every escalation still pending falls due and fires.
  await fireDue(true, new Date(t.clock.now().getTime() + 24 * 60 * MINUTE));
  const texts = (to: string | undefined, breach: boolean) =>
    t.sms.sent.filter((m) => m.to === to && m.text.includes('BREACHED') === breach);
  const stops = t.audit.entries.filter((e) => e.kind === 'alert-escalation-stopped');
  const stoppedAt = (phase: 'open' | 'breached', tier: 2 | 'fallback') =>
    stops.filter((e) => e.detail.phase === phase && e.detail.tier === tier);
  const chains = [...t.store.clocks.values()][0]?.chains ?? {};
  return { t, met, texts, stops, stoppedAt, chains };
}

describe('an unacknowledged chain, whatever moves the clock’s version', () => {
  it('reaches the senior manager then the duty inbox, exactly once each (a chain before the breach may instead be superseded by the breach’s, recorded)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(chainAction(false), { maxLength: 25 }), async (actions) => {
        const { t, texts, stops, stoppedAt, chains } = await playUnacknowledged(actions);
        // The only escalation stopped is one superseded by the breach's own chain.
        for (const stop of stops) {
          expect(stop.detail).toMatchObject({ phase: 'open', reason: 'superseded-by-breach' });
          expect(chains.breached).toBeDefined();
        }
        for (const phase of ['open', 'breached'] as const) {
          if (chains[phase] === undefined) continue;
          const breach = phase === 'breached';
          const senior = texts(SENIOR.phone, breach);
          const duty = texts(DUTY.phone, breach);
          const superseded = stoppedAt(phase, 2).length > 0;
          expect(senior).toHaveLength(superseded ? 0 : 1);
          expect(duty.length).toBe(superseded || stoppedAt(phase, 'fallback').length > 0 ? 0 : 1);
          if (senior[0] !== undefined && duty[0] !== undefined)
            expect(t.sms.sent.indexOf(senior[0])).toBeLessThan(t.sms.sent.indexOf(duty[0]));
        }
        expect(chains.open).toBeDefined();
      }),
      { numRuns: 150 },
    );
  });

  it('and if the clock is met first, what was not sent is in the audit trail, never missing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(chainAction(true), { maxLength: 25 }), async (actions) => {
        const { texts, stoppedAt, chains } = await playUnacknowledged(actions);
        for (const phase of ['open', 'breached'] as const) {
          if (chains[phase] === undefined) continue;
          const breach = phase === 'breached';
          const senior = texts(SENIOR.phone, breach).length;
          const duty = texts(DUTY.phone, breach).length;
          const stopped2 = stoppedAt(phase, 2).length > 0;
          const stoppedF = stoppedAt(phase, 'fallback').length > 0;
          // Each tier hears at most once, and a tier that did not hear has a line saying why.
          expect(senior).toBeLessThanOrEqual(1);
          expect(duty).toBeLessThanOrEqual(1);
          expect(senior === 1 || stopped2).toBe(true);
          expect(duty === 1 || stopped2 || stoppedF).toBe(true);
        }
      }),
      { numRuns: 150 },
    );
  });
});
