/**
 * An escalation pending when the clock changes under it. The EDT manager's 04:30 BST alert
 * (Saturday 23 May 2026, the LADO clock due 16:30 BST) is not acknowledged; before its 05:00
 * escalation an event gives the deadline a new version:
 *
 * - the due time moved, the clock still open: the senior manager on call still hears at 05:00
 *   (of the new due time), the duty inbox at 05:30 — once each, however the timers are
 *   redelivered and however often the version moves between them;
 * - the clock met, cancelled, or its case closed: nobody needs telling, and the escalation
 *   stops — with an `alert-escalation-stopped` audit line and a metric, never in silence;
 * - the clock breached with its breach alert out (its own chain): the breach's escalation
 *   tells the senior manager, and the earlier chain's is recorded as superseded; breached
 *   with no breach alert out, the earlier chain escalates, saying the clock breached.
 */
import { describe, expect, it } from 'vitest';
import { acknowledgeAlert } from '#functions/alerts/acknowledge-alert.js';
import { fireTimer } from '#functions/fire/fire-timer.js';
import type { Deadline } from '#kernel/model.js';
import { lado, ladoCase, SENIOR, setup } from '#test/support/alerts.js';
import { DUTY } from '#test/support/firing.js';
import { at } from '#test/support/reminders.js';

const P50 = '2026-05-23T03:30:00Z'; // Saturday 04:30 BST
const BEFORE_TIER_2 = '2026-05-23T03:45:00Z'; // 04:45 BST, the escalation still pending
const DUE = '2026-05-23T15:30:00Z'; // Saturday 16:30 BST

/** The 50% alert out, not acknowledged, then an event makes the deadline `changed` at 04:45. */
async function alertThenChange(changed: Deadline, caseStatus: 'open' | 'closed' = 'open') {
  const t = setup(ladoCase(lado), P50);
  await t.fireStep(lado, 'p50', P50);
  t.clock.current = at(BEFORE_TIER_2);
  t.cases.seed({ ...ladoCase(changed), status: caseStatus }, 6);
  return t;
}

const textsTo = (t: ReturnType<typeof setup>, phone: string | undefined) =>
  t.sms.sent.filter((m) => m.to === phone).map((m) => m.text);

/** The senior manager and the duty inbox each got one text, saying the clock BREACHED. */
function expectOneBreachTextEach(t: ReturnType<typeof setup>) {
  for (const phone of [SENIOR.phone, DUTY.phone])
    expect(textsTo(t, phone).map((s) => s.slice(0, 51))).toEqual([
      'NOT ACKNOWLEDGED: C-1001 LADO notification BREACHED',
    ]);
}

describe('the due time moves while the escalation is pending', () => {
  // The event moves the due time two hours later: Saturday 18:30 BST (version 2).
  const moved: Deadline = { ...lado, version: 2, dueAt: at('2026-05-23T17:30:00Z') };

  it('the senior manager still hears at 05:00, of the new due time, and the duty inbox at 05:30', async () => {
    // Prepare
    const t = await alertThenChange(moved);
    // Act
    await t.fireEscalationsBy('2026-05-23T05:00:00Z');
    // Assess
    const senior = textsTo(t, SENIOR.phone);
    expect(senior).toHaveLength(1);
    expect(senior[0]).toMatch(
      /^NOT ACKNOWLEDGED: C-1001 LADO notification due Sat 23 May 18:30 BST\. Acknowledge: /,
    );
    expect(textsTo(t, DUTY.phone)).toHaveLength(1);
    const escalated = t.audit.entries.filter((e) => e.kind === 'alert-escalated');
    expect(escalated.map((e) => [e.at.toISOString(), e.detail.tier])).toEqual([
      ['2026-05-23T04:00:00.000Z', 2],
      ['2026-05-23T04:30:00.000Z', 'fallback'],
    ]);
    expect(t.audit.entries.filter((e) => e.kind === 'alert-escalation-stopped')).toEqual([]);
  });

  it('once each, when the version moves again between the escalation and its redelivery', async () => {
    const t = await alertThenChange(moved);
    await t.fireEscalationsBy('2026-05-23T04:00:00Z');
    const esc2 = t.scheduled.find((s) => s.payload.step === 'esc2');
    if (esc2 === undefined) throw new Error('no esc2 timer');
    // Act: at 05:10 the due time moves again (19:30 BST, version 3), and esc2 is redelivered.
    t.clock.current = at('2026-05-23T04:10:00Z');
    t.cases.seed(ladoCase({ ...moved, version: 3, dueAt: at('2026-05-23T18:30:00Z') }), 7);
    await fireTimer(esc2.payload, t.deps);
    await t.fireEscalationsBy('2026-05-23T06:00:00Z');
    // Assess: one tier-2 alert and message, one to the duty inbox.
    expect(textsTo(t, SENIOR.phone)).toHaveLength(1);
    expect([...t.store.alerts.values()].map((a) => a.tier)).toEqual([1, 2, 'fallback']);
    expect(textsTo(t, DUTY.phone)).toHaveLength(1);
  });

  it('a clock recomputed to the same due time (a new version only) escalates as well', async () => {
    const t = await alertThenChange({ ...lado, version: 2 });
    await t.fireEscalationsBy('2026-05-23T05:00:00Z');
    expect(textsTo(t, SENIOR.phone)).toHaveLength(1);
    expect(textsTo(t, DUTY.phone)).toHaveLength(1);
  });
});

describe('the clock stops while the escalation is pending: recorded, not silent', () => {
  const closedAt = at(BEFORE_TIER_2);
  it.each([
    ['met', { ...lado, version: 2, status: 'met', closedAt } as Deadline, 'open', 'deadline-met'],
    [
      'cancelled',
      { ...lado, version: 2, status: 'cancelled', closedAt } as Deadline,
      'open',
      'deadline-cancelled',
    ],
    [
      'cancelled with its case closed',
      { ...lado, version: 2, status: 'cancelled', closedAt } as Deadline,
      'closed',
      'case-closed',
    ],
  ] as const)(
    '%s: nobody above tier 1 is told; an audit line and a metric say why',
    async (_label, changed, caseStatus, reason) => {
      // Prepare
      const t = await alertThenChange(changed, caseStatus);
      const [alert] = t.store.alerts.values();
      // Act
      await t.fireEscalationsBy('2026-05-23T06:00:00Z');
      // Assess
      expect(t.sms.sent.filter((m) => m.to === SENIOR.phone || m.to === DUTY.phone)).toEqual([]);
      const stopped = t.audit.entries.filter((e) => e.kind === 'alert-escalation-stopped');
      expect(stopped.map((e) => [e.at.toISOString(), e.deadlineId, e.detail])).toEqual([
        [
          '2026-05-23T04:00:00.000Z',
          lado.id,
          { step: 'esc2', tier: 2, phase: 'open', fromAlertId: alert?.alertId, reason },
        ],
      ]);
      expect(t.counted.filter((c) => c.startsWith('AlertEscalation'))).toEqual([
        'AlertEscalationStopped',
      ]);
      // Stopping sets no further timer: the fallback step is never scheduled.
      expect(t.scheduled.filter((s) => s.payload.step === 'escf')).toEqual([]);
    },
  );

  it('met after the senior manager was told: the fallback step stops, recorded', async () => {
    const t = setup(ladoCase(lado), P50);
    await t.fireStep(lado, 'p50', P50);
    await t.fireEscalationsBy('2026-05-23T04:10:00Z');
    t.cases.seed(
      ladoCase({ ...lado, version: 2, status: 'met', closedAt: at('2026-05-23T04:10:00Z') }),
      6,
    );
    await t.fireEscalationsBy('2026-05-23T06:00:00Z');
    expect(textsTo(t, SENIOR.phone)).toHaveLength(1);
    expect(textsTo(t, DUTY.phone)).toEqual([]);
    const stopped = t.audit.entries.filter((e) => e.kind === 'alert-escalation-stopped');
    expect(stopped.map((e) => [e.at.toISOString(), e.detail.step, e.detail.reason])).toEqual([
      ['2026-05-23T04:30:00.000Z', 'escf', 'deadline-met'],
    ]);
  });

  it('an escalation timer that fires although the acknowledgement cancelled it is recorded as stopped', async () => {
    const t = setup(ladoCase(lado), P50);
    await t.fireStep(lado, 'p50', P50);
    const [alert] = t.store.alerts.values();
    t.clock.current = at(BEFORE_TIER_2);
    await acknowledgeAlert(alert?.alertId ?? '', 'link', t.ackDeps);
    const esc2 = t.scheduled.find((s) => s.payload.step === 'esc2');
    if (esc2 === undefined) throw new Error('no esc2 timer');
    // Act: the cancelled timer fires anyway.
    t.clock.current = esc2.fireAt;
    const outcome = await fireTimer(esc2.payload, t.deps);
    // Assess
    expect(outcome).toEqual({ status: 'ignored', reason: 'acknowledged' });
    expect(textsTo(t, SENIOR.phone)).toEqual([]);
    expect(
      t.audit.entries.find((e) => e.kind === 'alert-escalation-stopped')?.detail,
    ).toMatchObject({ step: 'esc2', reason: 'acknowledged' });
    expect(t.counted).toContain('AlertEscalationStopped');
  });
});

describe('the clock breaches while the escalation is pending', () => {
  const breached: Deadline = { ...lado, status: 'breached', version: 2, closedAt: lado.dueAt };

  it('with its breach alert out: the senior manager hears of the breach once; the earlier escalation is recorded as superseded', async () => {
    // Prepare: the at-due alert (Saturday 16:30 BST, version 1) is not acknowledged.
    const t = setup(ladoCase(lado), DUE);
    await t.fireStep(lado, 'due', DUE);
    // The clock breaches at the same minute and its breach alert goes out (version 2).
    t.cases.seed(ladoCase(breached), 6);
    await t.fireStep(breached, 'breach', DUE);
    // Act
    await t.fireEscalationsBy('2026-05-23T17:00:00Z');
    // Assess
    expectOneBreachTextEach(t);
    const stopped = t.audit.entries.filter((e) => e.kind === 'alert-escalation-stopped');
    expect(stopped.map((e) => [e.detail.step, e.detail.reason])).toEqual([
      ['esc2', 'superseded-by-breach'],
    ]);
  });

  it('with no breach alert out: the earlier escalation goes to the senior manager and on, saying the clock breached', async () => {
    const t = setup(ladoCase(lado), DUE);
    await t.fireStep(lado, 'due', DUE);
    t.cases.seed(ladoCase(breached), 6);
    await t.fireEscalationsBy('2026-05-23T17:00:00Z');
    // Escalated at 17:00 BST, after the 16:30 breach: the message says BREACHED, not "due".
    expectOneBreachTextEach(t);
  });
});

describe('an escalation timer with nothing to escalate is an error, counted', () => {
  it('its deadline is gone from the case: logged as an error, audited, AlertEscalationLost', async () => {
    const t = setup(ladoCase(lado), P50);
    await t.fireStep(lado, 'p50', P50);
    t.cases.seed(ladoCase({ ...lado, id: 'lado-notification.A-2' }), 6);
    await t.fireEscalationsBy('2026-05-23T05:00:00Z');
    expect(t.counted).toContain('AlertEscalationLost');
    expect(t.errors.map((e) => e.fields?.reason)).toContain('no-deadline');
    expect(
      t.audit.entries.find((e) => e.kind === 'alert-escalation-stopped')?.detail,
    ).toMatchObject({ step: 'esc2', reason: 'no-deadline' });
  });
});
