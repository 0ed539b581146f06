/**
 * Out-of-hours alerts end to end in local mode, over HTTP, as `npm start` wires it: signed
 * events in, the simulated clock moved with POST /local/clock, messages read from GET
 * /local/outbox, the ack link opened and pressed, SMS replies through POST /local/sms-inbound.
 *
 * A LADO concern raised on Friday 5 June 2026 at 16:30 BST (due Saturday 16:30 BST; its 50%
 * alert at 04:30 BST and 75% at 10:30 BST go to the EDT manager on call), with the EDT manager
 * (tier 1) and a senior manager (tier 2) on the rota from Friday 17:00 to Monday 09:00 BST:
 *
 * (a) nobody acknowledges: the senior manager gets one SMS at 05:00 BST, the duty inbox at 05:30;
 * (b) the EDT manager opens the link (nothing changes) and presses its button: nobody else is
 *     told, and the 10:30 SMS says the clock was acknowledged, by whom and when;
 * (c) a reply "YES" from the EDT manager's number acknowledges;
 * (d) the link answers 410 from 24 hours after the due time, and changes nothing;
 * (e) an integration acknowledges with POST /v1/alerts/{alertId}/ack;
 * (f) an event moves the clock's due time while the escalation is pending: the senior manager
 *     still hears at 05:00, of the new due time;
 * (g) the clock is met while the escalation is pending: nobody else is told, and the audit
 *     trail says the escalation stopped and why.
 */
import axe from 'axe-core';
import { JSDOM } from 'jsdom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditKinds,
  DUTY,
  EDT_PHONE,
  linkIn,
  openAlerts,
  SENIOR_PHONE,
  type Story,
  story,
} from './alerts-support.js';

describe('(a) nobody acknowledges the EDT manager’s alert', () => {
  let s: Story;
  beforeAll(async () => {
    s = await story();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('the EDT manager’s 04:30 SMS carries an ack link within 60 characters and "Reply YES"', async () => {
    await s.moveClock('2026-06-06T03:30:00Z');
    const [sms] = await s.texts(EDT_PHONE);
    expect(sms?.body).toContain('Acknowledge: reply YES or open ');
    expect(linkIn(sms?.body ?? '', s.base).length).toBeLessThanOrEqual(60);
    expect(sms?.body.length).toBeLessThanOrEqual(160);
  });

  it('the senior manager hears nothing before 05:00, then one SMS, once', async () => {
    await s.moveClock('2026-06-06T03:59:00Z');
    expect(await s.texts(SENIOR_PHONE)).toEqual([]);
    await s.moveClock('2026-06-06T04:00:00Z');
    await s.moveClock('2026-06-06T04:29:00Z');
    const senior = await s.texts(SENIOR_PHONE);
    expect(senior).toHaveLength(1);
    expect(senior[0]?.body).toMatch(/NOT ACKNOWLEDGED: C-1001 LADO notification due/);
  });

  it('at 05:30 the duty inbox is told, by SMS and email, once', async () => {
    await s.moveClock('2026-06-06T04:30:00Z');
    const duty = (await s.outbox()).filter((m) => m.to === DUTY.phone || m.to === DUTY.email);
    expect(duty.map((m) => m.channel).sort()).toEqual(['email', 'sms']);
  });

  it('the audit trail has alert-sent and alert-escalated, to tier 2 then the fallback contact', async () => {
    const entries = await auditKinds(s);
    expect(entries.filter((e) => e.kind === 'alert-sent').length).toBeGreaterThanOrEqual(2);
    expect(
      entries
        .filter((e) => e.kind === 'alert-escalated')
        .map((e) => [e.detail.tier, e.detail.personId]),
    ).toEqual([
      [2, 'P-0008'],
      ['fallback', '@fallback'],
    ]);
    // Ids and roles only: never a number or an address.
    expect(JSON.stringify(entries)).not.toMatch(/\+4477|@example/);
  });

  it('(d) the link answers 410 from 24 hours after the due time, and changes nothing', async () => {
    const [sms] = await s.texts(EDT_PHONE);
    const link = linkIn(sms?.body ?? '', s.base);
    const [first] = (await openAlerts(s)).filter((a) => a.tier === '1' && a.step === 'p50');
    // Due Saturday 16:30 BST: the link works until Sunday 16:30 BST.
    await s.moveClock('2026-06-07T15:29:00Z');
    expect((await s.page(link)).status).toBe(200);
    await s.moveClock('2026-06-07T15:30:00Z');
    const opened = await s.page(link);
    const pressed = await s.page(link, 'POST');
    expect([opened.status, pressed.status]).toEqual([410, 410]);
    expect(pressed.html).toContain('This link has expired');
    const still = (await openAlerts(s)).find((a) => a.alertId === first?.alertId);
    expect(still?.status).toBe('open');
  });
});

describe('(b) the EDT manager opens the link, then presses its button', () => {
  let s: Story;
  let link: string;
  beforeAll(async () => {
    s = await story();
    await s.moveClock('2026-06-06T03:30:00Z');
    const [sms] = await s.texts(EDT_PHONE);
    link = linkIn(sms?.body ?? '', s.base);
  });
  afterAll(async () => {
    await s?.close();
  });

  it('GET shows the case, the clock, its due time in UK time and who is on call, and changes nothing', async () => {
    await s.moveClock('2026-06-06T03:40:00Z');
    const before = await openAlerts(s);
    const page = await s.page(link);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    const text = new JSDOM(page.html).window.document.body.textContent ?? '';
    expect(text).toContain('C-1001');
    expect(text).toContain('LADO notification');
    expect(text).toContain('Saturday 6 June 2026, 16:30 (BST)');
    expect(text).toContain('Professional P-0005');
    expect(text).toContain('Professional P-0008');
    // No contact details on the page.
    expect(page.html).not.toMatch(/\+4477|@example/);
    expect(await openAlerts(s)).toEqual(before);
    expect(before).toHaveLength(1);
  });

  it('the page passes axe (WCAG 2.1 AA rules)', async () => {
    const page = await s.page(link);
    const dom = new JSDOM(page.html, { runScripts: 'outside-only' });
    dom.window.eval(axe.source);
    const run = (dom.window as unknown as { axe: typeof axe }).axe.run;
    const results = await run(dom.window.document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    expect(results.violations.map((v) => v.id)).toEqual([]);
    expect(results.passes.length).toBeGreaterThan(0);
  });

  it('POST acknowledges; a second POST answers 409 and changes nothing', async () => {
    await s.moveClock('2026-06-06T03:45:00Z');
    const pressed = await s.page(link, 'POST');
    expect(pressed.status).toBe(200);
    expect(pressed.html).toContain('Alert acknowledged');
    expect(await openAlerts(s)).toEqual([]);
    const again = await s.page(link, 'POST');
    expect(again.status).toBe(409);
    expect(again.html).toContain('already acknowledged by the EDT manager on call');
  });

  it('no tier-2 message follows; the 10:30 SMS says it was acknowledged, by whom and when', async () => {
    await s.moveClock('2026-06-06T09:30:00Z');
    expect(await s.texts(SENIOR_PHONE)).toEqual([]);
    expect((await s.outbox()).filter((m) => m.to === DUTY.phone || m.to === DUTY.email)).toEqual(
      [],
    );
    const edt = await s.texts(EDT_PHONE);
    expect(edt).toHaveLength(2);
    expect(edt[1]?.body).toContain(
      'Acknowledged by the EDT manager on call at Sat 6 Jun 04:45 BST.',
    );
    expect(edt[1]?.body).not.toContain('/a/');
  });

  it('the audit trail says who acknowledged, by which path, when', async () => {
    const ack = (await auditKinds(s)).filter((e) => e.kind === 'alert-acknowledged');
    expect(ack.map((e) => e.detail)).toEqual([
      expect.objectContaining({ by: 'the EDT manager on call', personId: 'P-0005', via: 'link' }),
    ]);
  });

  it('a forged token answers 404 and changes nothing', async () => {
    const forged = `${link.slice(0, -3)}${link.endsWith('AAA') ? 'BBB' : 'AAA'}`;
    expect((await s.page(forged)).status).toBe(404);
    expect((await s.page(forged, 'POST')).status).toBe(404);
  });
});

describe('(c) a reply "YES" from the on-call number', () => {
  let s: Story;
  beforeAll(async () => {
    s = await story();
    await s.moveClock('2026-06-06T03:30:00Z');
  });
  afterAll(async () => {
    await s?.close();
  });

  it('acknowledges the EDT manager’s latest open alert; nobody else is told', async () => {
    await s.moveClock('2026-06-06T03:50:00Z');
    const stranger = await s.post('/local/sms-inbound', { from: '+447700900777', body: 'YES' });
    expect(stranger.body.status).toBe('no-open-alert');
    const [open] = await openAlerts(s);
    const reply = await s.post('/local/sms-inbound', { from: EDT_PHONE, body: 'yes' });
    expect(reply).toEqual({
      status: 200,
      body: { status: 'acknowledged', alertId: open?.alertId },
    });
    await s.moveClock('2026-06-06T05:00:00Z');
    expect(await s.texts(SENIOR_PHONE)).toEqual([]);
    const ack = (await auditKinds(s)).find((e) => e.kind === 'alert-acknowledged');
    expect(ack?.detail).toMatchObject({ via: 'sms', personId: 'P-0005' });
  });

  it('answers a body that is not JSON of {from, body} with a 400 naming the field', async () => {
    const bad = await s.post('/local/sms-inbound', { from: '07700 900005', body: 'YES' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('"field":"from"');
  });
});

describe('(e) an integration acknowledges with POST /v1/alerts/{alertId}/ack', () => {
  let s: Story;
  beforeAll(async () => {
    s = await story();
    await s.moveClock('2026-06-06T03:30:00Z');
  });
  afterAll(async () => {
    await s?.close();
  });

  it('acknowledges once (changed: true, then false) and stops the escalation', async () => {
    const [open] = await openAlerts(s);
    expect(open).toMatchObject({ caseId: 'C-1001', tier: '1', personId: 'P-0005', status: 'open' });
    const first = await s.post(`/v1/alerts/${open?.alertId}/ack`, {});
    const second = await s.post(`/v1/alerts/${open?.alertId}/ack`, {});
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ changed: true, ack: { via: 'api', by: 'integration' } });
    expect(second.body).toMatchObject({ changed: false });
    await s.moveClock('2026-06-06T05:00:00Z');
    expect(await s.texts(SENIOR_PHONE)).toEqual([]);
  });

  it('answers an unknown alert 404 and a malformed id 400', async () => {
    expect((await s.post('/v1/alerts/AAAAAAAA/ack', {})).status).toBe(404);
    expect((await s.post('/v1/alerts/not-an-id/ack', {})).status).toBe(400);
  });
});

describe('(f) an event moves the due time while the escalation is pending', () => {
  let s: Story;
  beforeAll(async () => {
    // The LADO clock restarts on a later report of the same concern (an authority's override):
    // an event that moves an open clock's due time, so its deadline version.
    s = await story({ rules: { rules: { 'lado-notification': { restart: true } } } });
    await s.moveClock('2026-06-06T03:30:00Z');
  });
  afterAll(async () => {
    await s?.close();
  });

  it('the senior manager still hears at 05:00, of the new due time, and the duty inbox at 05:30', async () => {
    await s.moveClock('2026-06-06T03:45:00Z');
    // The concern restated as raised at Friday 18:30 BST: due Saturday 18:30 BST (version 2).
    const event = {
      id: 'E2E-A-moved',
      type: 'lado.concern-raised',
      occurredAt: '2026-06-05T17:30:00Z',
      caseId: 'C-1001',
      data: { allegationId: 'A-1' },
    };
    const answer = await s.post('/v1/events', event, true);
    expect(answer.status).toBe(202);
    const { body } = await s.getJson('/v1/cases/C-1001/deadlines');
    expect(JSON.stringify(body)).toContain('2026-06-06T17:30:00.000Z');
    await s.moveClock('2026-06-06T04:00:00Z');
    await s.moveClock('2026-06-06T04:30:00Z');
    const senior = await s.texts(SENIOR_PHONE);
    expect(senior).toHaveLength(1);
    expect(senior[0]?.body).toMatch(
      /NOT ACKNOWLEDGED: C-1001 LADO notification due Sat (6 Jun )?18:30 BST\. Acknowledge: /,
    );
    expect(await s.texts(DUTY.phone)).toHaveLength(1);
    const entries = await auditKinds(s);
    expect(entries.filter((e) => e.kind === 'alert-escalation-stopped')).toEqual([]);
  });
});

describe('(g) the clock is met while the escalation is pending', () => {
  let s: Story;
  beforeAll(async () => {
    s = await story();
    await s.moveClock('2026-06-06T03:30:00Z');
  });
  afterAll(async () => {
    await s?.close();
  });

  it('nobody above the EDT manager is told, and the audit trail says the escalation stopped', async () => {
    await s.moveClock('2026-06-06T03:45:00Z');
    await s.post(
      '/v1/events',
      {
        id: 'E2E-A-met',
        type: 'lado.notified',
        occurredAt: '2026-06-06T03:44:00Z',
        caseId: 'C-1001',
        data: { allegationId: 'A-1' },
      },
      true,
    );
    await s.moveClock('2026-06-06T06:00:00Z');
    expect(await s.texts(SENIOR_PHONE)).toEqual([]);
    expect(await s.texts(DUTY.phone)).toEqual([]);
    const [alert] = await openAlerts(s);
    const stopped = (await auditKinds(s)).filter((e) => e.kind === 'alert-escalation-stopped');
    expect(stopped.map((e) => e.detail)).toEqual([
      { step: 'esc2', tier: 2, phase: 'open', fromAlertId: alert?.alertId, reason: 'deadline-met' },
    ]);
  });
});
