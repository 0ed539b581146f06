/**
 * Out-of-hours alerts on the in-memory ports: the EDT manager's alert carries an ack link
 * (and "Reply YES"); nobody acknowledging takes it to the senior manager on call after 30
 * minutes, then to the fallback contact; an acknowledgement (link, SMS reply, API) stops the
 * chain for the clock, later steps say who acknowledged, and only a breach escalates again.
 */
import { describe, expect, it } from 'vitest';
import { acknowledgeAlert, acknowledgeBySms } from '#functions/alerts/acknowledge-alert.js';
import { lookupAlert } from '#functions/fire/alert-decision.js';
import { fireTimer } from '#functions/fire/fire-timer.js';
import type { Alert } from '#kernel/alert-state.js';
import { alertId } from '#kernel/ids.js';
import { emptyClockAlerts, fallbackPerson } from '#kernel/reminders/index.js';
import {
  EDT_PHONE,
  lado,
  ladoCase,
  linkIn,
  ROTA,
  SENIOR,
  setup,
  tokens,
} from '#test/support/alerts.js';
import { DUTY } from '#test/support/firing.js';
import { at } from '#test/support/reminders.js';

describe('the EDT manager’s alert', () => {
  it('carries an ack link within 60 characters and "Reply YES", and sets the escalation timer 30 minutes on', async () => {
    // Prepare
    const t = setup(ladoCase(lado), '2026-05-23T03:30:00Z');
    // Act: the 50% step, Saturday 04:30 BST (out of hours).
    await t.fireStep(lado, 'p50', '2026-05-23T03:30:00Z');
    // Assess
    const [text] = t.sms.sent;
    expect(text?.to).toBe(EDT_PHONE);
    expect(text?.text.length).toBeLessThanOrEqual(160);
    expect(text?.text).toContain('Acknowledge: reply YES or open ');
    const link = linkIn(text?.text ?? '');
    expect(link?.[0].length).toBeLessThanOrEqual(60);
    const check = tokens.verify(link?.[1] ?? '', t.clock.now());
    expect(check.ok).toBe(true);
    // The email carries the same link.
    expect(t.email.sent[0]?.text).toContain(link?.[0]);
    // Valid until 24 hours after the due time: Sunday 16:30 BST.
    expect(check.ok && check.validUntil.toISOString()).toBe('2026-05-24T15:30:00.000Z');
    const escalations = t.scheduled.filter((s) => s.payload.kind === 'escalation');
    expect(escalations.map((s) => [s.fireAt.toISOString(), s.payload.step])).toEqual([
      ['2026-05-23T04:00:00.000Z', 'esc2'],
    ]);
    expect(
      t.audit.entries.filter((e) => e.kind === 'alert-sent').map((e) => e.detail.channel),
    ).toEqual(['sms', 'email']);
  });

  it('escalates 30 minutes after the minute it went: a step firing at 04:30:07 escalates at 05:00:00', async () => {
    const t = setup(ladoCase(lado), '2026-05-23T03:30:07Z');
    await t.fireStep(lado, 'p50', '2026-05-23T03:30:07Z');
    const escalation = t.scheduled.find((s) => s.payload.kind === 'escalation');
    expect(escalation?.fireAt.toISOString()).toBe('2026-05-23T04:00:00.000Z');
  });

  it('is one alert however often the firing is redelivered', async () => {
    const t = setup(ladoCase(lado), '2026-05-23T03:30:00Z');
    await t.fireStep(lado, 'p50', '2026-05-23T03:30:00Z');
    await t.fireStep(lado, 'p50', '2026-05-23T03:31:00Z');
    // Assess: one message each way, one alert, the same timer name twice (one schedule).
    expect(t.sms.sent).toHaveLength(1);
    expect(t.store.alerts.size).toBe(1);
    const names = t.scheduled.filter((s) => s.payload.kind === 'escalation').map((s) => s.name);
    expect(new Set(names).size).toBe(1);
  });
});

describe('nobody acknowledges', () => {
  it('goes to the senior manager on call at 05:00, once, then to the duty inbox at 05:30', async () => {
    const t = setup(ladoCase(lado), '2026-05-23T03:30:00Z');
    await t.fireStep(lado, 'p50', '2026-05-23T03:30:00Z');
    // Act: to Saturday 06:00 BST, firing escalations as they fall due (each twice: redelivered).
    await t.fireEscalationsBy('2026-05-23T05:00:00Z');
    // Assess
    const senior = t.sms.sent.filter((m) => m.to === SENIOR.phone);
    expect(senior).toHaveLength(1);
    // 160 characters exactly keep the NOT ACKNOWLEDGED prefix, the clock, its due time and the
    // 60-character ack link.
    expect(senior[0]?.text).toMatch(
      /^NOT ACKNOWLEDGED: C-1001 LADO notification due Sat 23 May 16:30 BST\. Acknowledge: reply YES or open https:\/\/ack\.example\.gov\.uk\/a\/[A-Za-z0-9_-]{31}$/,
    );
    expect(senior[0]?.text.length).toBeLessThanOrEqual(160);
    // The senior manager's own link acknowledges too.
    expect(linkIn(senior[0]?.text ?? '')?.[0]).not.toBe(linkIn(t.sms.sent[0]?.text ?? '')?.[0]);
    const seniorMail = t.email.sent.find((m) => m.to === SENIOR.email);
    expect(seniorMail?.subject).toBe(
      'NOT ACKNOWLEDGED: URGENT: C-1001: LADO notification due soon — Saturday 23 May 2026, 16:30 (BST)',
    );
    expect(seniorMail?.text).toContain(
      'Not acknowledged: the EDT manager on call was alerted on Saturday 23 May 2026, 04:30 (BST).',
    );
    const duty = t.sms.sent.filter((m) => m.to === DUTY.phone);
    expect(duty).toHaveLength(1);
    expect(duty[0]?.text).toMatch(/^NOT ACKNOWLEDGED: C-1001/);
    expect(t.counted.filter((c) => c.startsWith('AlertEscalated'))).toEqual([
      'AlertEscalated',
      'AlertEscalatedToFallback',
    ]);
    expect(t.errors.map((e) => e.fields?.metric)).toContain('AlertEscalatedToFallback');
    const escalated = t.audit.entries.filter((e) => e.kind === 'alert-escalated');
    expect(escalated.map((e) => [e.at.toISOString(), e.detail.tier, e.detail.personId])).toEqual([
      ['2026-05-23T04:00:00.000Z', 2, 'P-0008'],
      ['2026-05-23T04:30:00.000Z', 'fallback', '@fallback'],
    ]);
  });

  it('goes straight to the duty inbox when nobody is on call at tier 2', async () => {
    const t = setup(ladoCase(lado), '2026-05-23T03:30:00Z', { rota: ROTA.slice(0, 1) });
    await t.fireStep(lado, 'p50', '2026-05-23T03:30:00Z');
    await t.fireEscalationsBy('2026-05-23T06:00:00Z');
    expect(t.sms.sent.map((m) => [m.to, m.text.slice(0, 10)])).toEqual([
      [EDT_PHONE, 'URGENT: C-'],
      [DUTY.phone, 'NOT ACKNOW'],
    ]);
    expect(t.audit.entries.find((e) => e.kind === 'alert-escalated')?.detail).toMatchObject({
      tier: 'fallback',
      reason: 'no-tier-2-on-call',
    });
  });

  it('tells a duty inbox with no phone to acknowledge by the link only: no "reply YES" to a text it never had', async () => {
    const emailOnly = fallbackPerson({ email: 'duty.inbox@example.gov.uk' });
    const t = setup(ladoCase(lado), '2026-05-23T03:30:00Z', { fallback: emailOnly });
    await t.fireStep(lado, 'p50', '2026-05-23T03:30:00Z');
    await t.fireEscalationsBy('2026-05-23T06:00:00Z');
    const senior = t.email.sent.find((m) => m.to === SENIOR.email);
    const duty = t.email.sent.find((m) => m.to === 'duty.inbox@example.gov.uk');
    // The senior manager has a phone and got the text: they may reply to it.
    expect(senior?.text).toContain('or reply YES to the text message.');
    expect(duty?.text).toContain(
      'Acknowledge it (say you are on it): https://ack.example.gov.uk/a/',
    );
    expect(duty?.text).not.toContain('reply YES');
  });

  it('with no fallback contact configured, records the escalation as reaching nobody, with a metric', async () => {
    const t = setup(ladoCase(lado), '2026-05-23T03:30:00Z', { fallback: undefined });
    await t.fireStep(lado, 'p50', '2026-05-23T03:30:00Z');
    await t.fireEscalationsBy('2026-05-23T06:00:00Z');
    expect(t.counted).toContain('AlertEscalatedToFallback');
    expect(
      t.audit.entries.filter((e) => e.kind === 'alert-escalated').at(-1)?.detail,
    ).toMatchObject({
      tier: 'fallback',
      reason: 'no-fallback',
      status: 'failed',
    });
  });
});

describe('an acknowledgement stops the chain for that clock', () => {
  it('by the link: no tier-2 message follows, the escalation timers are cancelled, and the next step says who acknowledged', async () => {
    const t = setup(ladoCase(lado), '2026-05-23T03:30:00Z');
    await t.fireStep(lado, 'p50', '2026-05-23T03:30:00Z');
    const token = linkIn(t.sms.sent[0]?.text ?? '')?.[1] ?? '';
    const check = tokens.verify(token, at('2026-05-23T03:41:00Z'));
    // Act: acknowledged at 04:41 BST.
    t.clock.current = at('2026-05-23T03:41:00Z');
    const outcome = await acknowledgeAlert(check.ok ? check.alertId : '', 'link', t.ackDeps);
    await t.fireEscalationsBy('2026-05-23T05:00:00Z');
    // The 75% step at 10:30 BST.
    await t.fireStep(lado, 'p75', '2026-05-23T09:30:00Z');
    await t.fireEscalationsBy('2026-05-23T11:00:00Z');
    // Assess
    expect(outcome.status).toBe('acknowledged');
    expect(t.cancelled).toContain(t.scheduled.find((s) => s.payload.step === 'esc2')?.name);
    expect(t.sms.sent.filter((m) => m.to !== EDT_PHONE)).toEqual([]);
    const p75 = t.sms.sent[1]?.text ?? '';
    expect(p75).toContain('Acknowledged by the EDT manager on call at Sat 23 May 04:41 BST.');
    expect(linkIn(p75)).toBeNull();
    expect(t.scheduled.filter((s) => s.payload.kind === 'escalation')).toHaveLength(1);
    expect(t.audit.entries.find((e) => e.kind === 'alert-acknowledged')?.detail).toMatchObject({
      by: 'the EDT manager on call',
      personId: 'P-0005',
      via: 'link',
    });
  });

  it('answers a second acknowledgement "already" and changes nothing', async () => {
    const t = setup(ladoCase(lado), '2026-05-23T03:30:00Z');
    await t.fireStep(lado, 'p50', '2026-05-23T03:30:00Z');
    const [alert] = t.store.alerts.values();
    await acknowledgeAlert(alert?.alertId ?? '', 'link', t.ackDeps);
    const before = JSON.stringify([...t.store.clocks.values()]);
    const again = await acknowledgeAlert(alert?.alertId ?? '', 'api', t.ackDeps);
    expect(again.status).toBe('already');
    expect(JSON.stringify([...t.store.clocks.values()])).toBe(before);
  });

  it('escalates again when the clock breaches after it was acknowledged', async () => {
    const t = setup(ladoCase(lado), '2026-05-23T03:30:00Z');
    await t.fireStep(lado, 'p50', '2026-05-23T03:30:00Z');
    const [alert] = t.store.alerts.values();
    t.clock.current = at('2026-05-23T03:40:00Z');
    await acknowledgeAlert(alert?.alertId ?? '', 'api', t.ackDeps);
    // Act: the clock breaches at 16:30 BST (version 2), and its breach step fires.
    const breached = { ...lado, status: 'breached' as const, version: 2, closedAt: lado.dueAt };
    t.cases.seed(ladoCase(breached), 6);
    await t.fireStep(breached, 'breach', '2026-05-23T15:30:00Z');
    await t.fireEscalationsBy('2026-05-23T16:10:00Z');
    // Assess: the breach SMS asks for a new acknowledgement; at 17:00 the senior manager hears.
    const breach = t.sms.sent.find((m) => m.text.includes('BREACHED'));
    expect(linkIn(breach?.text ?? '')).not.toBeNull();
    expect(breach?.text).not.toContain('Acknowledged by');
    const senior = t.sms.sent.filter((m) => m.to === SENIOR.phone);
    expect(senior.map((m) => m.text.slice(0, 51))).toEqual([
      'NOT ACKNOWLEDGED: C-1001 LADO notification BREACHED',
    ]);
  });

  it('the morning digest says who acknowledged and when', async () => {
    const t = setup(ladoCase(lado), '2026-05-23T03:30:00Z');
    await t.fireStep(lado, 'p50', '2026-05-23T03:30:00Z');
    const [alert] = t.store.alerts.values();
    t.clock.current = at('2026-05-23T03:41:00Z');
    await acknowledgeAlert(alert?.alertId ?? '', 'link', t.ackDeps);
    // Act: the team's digest timer (the next opening: Tuesday 26 May 09:00 BST, after the
    // Spring bank holiday).
    const digest = t.scheduled.find((s) => s.payload.kind === 'digest');
    expect(digest?.fireAt.toISOString()).toBe('2026-05-26T08:00:00.000Z');
    if (digest === undefined) throw new Error('no digest timer');
    t.clock.current = digest.fireAt;
    await fireTimer(digest.payload, t.deps);
    // Assess
    const mail = t.email.sent.find((m) => m.subject?.includes('EDT alerts'));
    const line = (mail?.text ?? '').split('\n').find((l) => l.startsWith('- C-1001'));
    expect(line).toContain(
      'EDT alerted: due soon, Saturday 23 May 2026, 04:30 (BST). Acknowledged by the EDT manager on call on Saturday 23 May 2026, 04:41 (BST).',
    );
  });

  it('by an SMS reply "YES" from the EDT manager’s number, to their latest open alert', async () => {
    const t = setup(ladoCase(lado), '2026-05-23T03:30:00Z');
    await t.fireStep(lado, 'p50', '2026-05-23T03:30:00Z');
    t.clock.current = at('2026-05-23T03:35:00Z');
    // Act
    const no = await acknowledgeBySms({ from: EDT_PHONE, body: 'no' }, t.ackDeps);
    const stranger = await acknowledgeBySms({ from: '+447700900777', body: 'YES' }, t.ackDeps);
    const yes = await acknowledgeBySms({ from: '+44 7700 900005', body: 'Yes.' }, t.ackDeps);
    await t.fireEscalationsBy('2026-05-23T06:00:00Z');
    // Assess
    expect(no.status).toBe('not-an-ack');
    expect(stranger.status).toBe('no-open-alert');
    expect(yes.status).toBe('acknowledged');
    expect(yes.status === 'acknowledged' && yes.ack).toMatchObject({ via: 'sms', by: 1 });
    expect(t.sms.sent.filter((m) => m.to === SENIOR.phone)).toEqual([]);
  });

  it('by the senior manager’s own link after the escalation: the duty inbox is not told', async () => {
    const t = setup(ladoCase(lado), '2026-05-23T03:30:00Z');
    await t.fireStep(lado, 'p50', '2026-05-23T03:30:00Z');
    await t.fireEscalationsBy('2026-05-23T04:05:00Z');
    const seniorAlert = [...t.store.alerts.values()].find((a) => a.tier === 2);
    await acknowledgeAlert(seniorAlert?.alertId ?? '', 'link', t.ackDeps);
    await t.fireEscalationsBy('2026-05-23T06:00:00Z');
    expect(t.sms.sent.filter((m) => m.to === DUTY.phone)).toEqual([]);
    // Both alerts of the clock are acknowledged, by the senior manager.
    expect([...t.store.alerts.values()].map((a) => [a.tier, a.status, a.ack?.by])).toEqual([
      [1, 'acknowledged', 2],
      [2, 'acknowledged', 2],
    ]);
  });
});

describe('finding the alert a reminder made before (no read of its own in the usual case)', () => {
  const request = { deadline: lado, reminderId: 'lado-notification.A-1.p50.x', tier: 1 as const };
  const id0 = alertId({ caseId: lado.caseId, reminderId: request.reminderId, tier: '1' }, 0);
  const id1 = alertId({ caseId: lado.caseId, reminderId: request.reminderId, tier: '1' }, 1);
  const clock = emptyClockAlerts(lado.caseId, lado.id);

  it('takes an id the clock does not list as free, without reading it', () => {
    expect(lookupAlert(request, clock, new Map(), true)).toEqual({ free: id0 });
  });

  it('reads an id the clock lists (a redelivery), and every id after a write found one taken', () => {
    expect(lookupAlert(request, { open: [id0] }, new Map(), true)).toEqual({ read: [id0] });
    expect(lookupAlert(request, clock, new Map(), false)).toEqual({ read: [id0] });
  });

  it('finds its own alert, or passes an id another alert holds for the next one', () => {
    const mine = { caseId: lado.caseId, reminderId: request.reminderId, tier: 1 } as Alert;
    const other = { caseId: 'C-9999', reminderId: 'x', tier: 1 } as Alert;
    expect(lookupAlert(request, clock, new Map([[id0, mine]]), false)).toEqual({ alert: mine });
    expect(lookupAlert(request, clock, new Map([[id0, other]]), false)).toEqual({ read: [id1] });
    expect(
      lookupAlert(
        request,
        clock,
        new Map<string, Alert | null>([
          [id0, other],
          [id1, null],
        ]),
        false,
      ),
    ).toEqual({ free: id1 });
  });
});
