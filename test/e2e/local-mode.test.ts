/**
 * Local mode end to end, over HTTP, as `npm start` wires it: signed events in, the simulated
 * clock moved with POST /local/clock, messages read back from GET /local/outbox, reads over
 * the API. Three stories of "no clock fails silently":
 *
 * 1. LADO concerns on the Friday before a bank-holiday Monday (Spring bank holiday, 25 May
 *    2026): the EDT manager is alerted over the weekend, the clock breaches and says so, and
 *    the team manager's digest on Tuesday has one line per clock with its status.
 * 2. A LADO concern that reaches us 30 hours after it was raised, on a Saturday: breached on
 *    arrival, the EDT manager on shift hears BREACHED at once, once, however often it is sent.
 * 3. A case with no LADO worker and nobody on the EDT rota: the 202 says what is missing, the
 *    duty inbox (the fallback contact) is emailed at the first step, and the reminder is
 *    listed by GET /v1/reminders/unrouted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReminderList, UnroutedList } from '#schemas/responses.js';

import {
  DUTY_INBOX,
  EDT_EMAIL,
  EDT_PHONE,
  localStack,
  MANAGER_EMAIL,
  type Stack,
  WORKERS,
} from './local-mode-support.js';

describe('local mode over HTTP: LADO concerns on the Friday before a bank-holiday Monday', () => {
  let stack: Stack;

  beforeAll(async () => {
    // Prepare: the clock at Friday 22 May 2026 16:00 BST; EDT on call from Friday 17:00 BST
    // to Tuesday 09:00 BST.
    stack = await localStack('2026-05-22T15:00:00Z');
    for (const response of [
      await stack.person('P-0002', MANAGER_EMAIL),
      await stack.person('P-0004', 'lado.one@example.gov.uk', '+447700900004'),
      await stack.person('P-0005', EDT_EMAIL, EDT_PHONE),
      await stack.send('rota.shift', '2026-05-22T14:00:00Z', null, {
        personId: 'P-0005',
        from: '2026-05-22T16:00:00Z',
        to: '2026-05-26T08:00:00Z',
      }),
    ]) {
      expect(response.status).toBe(202);
    }
    for (const caseId of ['C-1001', 'C-1002', 'C-1003']) {
      const opened = await stack.send('case.opened', '2026-05-22T14:30:00Z', caseId, {
        team: 'north',
        workers: WORKERS,
      });
      expect(opened.body.warnings).toEqual([]);
      // 16:30 BST Friday + 24 elapsed hours: due Saturday 16:30 BST; 50% at 04:30, 75% at 10:30.
      const raised = await stack.send('lado.concern-raised', '2026-05-22T15:30:00Z', caseId, {
        allegationId: 'A-1',
      });
      expect(raised.status).toBe(202);
    }
    // C-1002's LADO is notified at 17:00 BST on Friday, before any reminder falls due.
    expect(
      (await stack.send('lado.notified', '2026-05-22T16:00:00Z', 'C-1002', { allegationId: 'A-1' }))
        .status,
    ).toBe(202);
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('sends nothing before the first reminder falls due', async () => {
    // Act: Saturday 04:00 BST.
    const moved = await stack.moveClock('2026-05-23T03:00:00Z');
    // Assess
    expect(moved.status).toBe(200);
    expect(await stack.outbox()).toEqual([]);
  });

  it('alerts the EDT manager on shift at 04:30, 10:30, and at 16:30 says the clock BREACHED', async () => {
    // Act: Saturday 09:00 BST, C-1003's LADO is notified (after its 04:30 alert); then on to
    // Sunday 12:00 BST.
    await stack.moveClock('2026-05-23T08:00:00Z');
    await stack.send('lado.notified', '2026-05-23T08:00:00Z', 'C-1003', { allegationId: 'A-1' });
    await stack.moveClock('2026-05-24T11:00:00Z');
    // Assess: each reminder out of hours goes at once to EDT, SMS and email; at the due time
    // the clock breaches and the message says so.
    const edt = (await stack.outbox()).filter(
      (m) => m.caseId === 'C-1001' && (m.to === EDT_PHONE || m.to === EDT_EMAIL),
    );
    expect(edt.map((m) => [m.sentAt.slice(0, 16), m.channel])).toEqual([
      ['2026-05-23T03:30', 'sms'],
      ['2026-05-23T03:30', 'email'],
      ['2026-05-23T09:30', 'sms'],
      ['2026-05-23T09:30', 'email'],
      ['2026-05-23T15:30', 'sms'],
      ['2026-05-23T15:30', 'email'],
    ]);
    expect(edt.every((m) => m.rule === 'lado-notification')).toBe(true);
    expect(edt[4]?.body).toMatch(
      /URGENT: C-1001 LADO notification BREACHED, under a minute late\./,
    );
    expect(edt[5]?.subject).toMatch(/LADO notification BREACHED/);
    expect(edt.find((m) => m.channel === 'sms')?.body.length).toBeLessThanOrEqual(160);
  });

  it('gives the team manager one digest at 09:00 on Tuesday: one line per clock with its status', async () => {
    // Act: Monday 12:00 BST, then Tuesday 10:00 BST.
    await stack.moveClock('2026-05-25T11:00:00Z');
    const byMonday = (await stack.outbox()).filter((m) => m.rule === 'digest');
    await stack.moveClock('2026-05-26T09:00:00Z');
    // Assess: not on the bank holiday; to the case's team manager, not the LADO.
    const digests = (await stack.outbox()).filter((m) => m.rule === 'digest');
    expect(byMonday).toEqual([]);
    expect(digests.map((m) => [m.sentAt.slice(0, 16), m.to, m.subject])).toEqual([
      ['2026-05-26T08:00', MANAGER_EMAIL, 'Bank holiday weekend EDT alerts for north: 2 clocks'],
    ]);
    // C-1001 was alerted three times and is one line: breached Saturday 16:30 BST, and at
    // Tuesday 09:00 BST 64.5 hours late (2 days). C-1003 was alerted once and met at 09:00.
    // Nobody acknowledged, and nobody is on call at tier 2: 30 minutes after the first alert
    // of each phase (04:30 before the breach, 16:30 the breach) the duty inbox was told.
    const lines = (digests[0]?.body ?? '').split('\n').filter((l) => l.startsWith('- '));
    expect(lines).toEqual([
      '- C-1001: LADO notification — BREACHED, 2 days late and not yet met. EDT alerted: due soon, Saturday 23 May 2026, 04:30 (BST); due soon, Saturday 23 May 2026, 10:30 (BST); BREACHED, Saturday 23 May 2026, 16:30 (BST). The duty inbox was told on Saturday 23 May 2026, 05:00 (BST) and Saturday 23 May 2026, 17:00 (BST), because nobody had acknowledged. Nobody has acknowledged it. https://cases.example.gov.uk/cases/C-1001',
      '- C-1003: LADO notification — met on time (Saturday 23 May 2026, 09:00 (BST)). EDT alerted: due soon, Saturday 23 May 2026, 04:30 (BST). The duty inbox was told on Saturday 23 May 2026, 05:00 (BST), because nobody had acknowledged. Nobody has acknowledged it. https://cases.example.gov.uk/cases/C-1003',
    ]);
  });

  it('repeats the breach of this safeguarding clock at the first working day’s opening', async () => {
    // Assess: Tuesday 09:00 BST, in hours: the LADO by email.
    const repeats = (await stack.outbox()).filter(
      (m) => m.caseId === 'C-1001' && m.reminderId.includes('.br1.'),
    );
    expect(repeats.map((m) => [m.sentAt.slice(0, 16), m.to, m.subject])).toEqual([
      [
        '2026-05-26T08:00',
        'lado.one@example.gov.uk',
        'URGENT: C-1001: LADO notification BREACHED, 2 days late — Saturday 23 May 2026, 16:30 (BST)',
      ],
    ]);
  });

  it('sends nothing to anyone about C-1002, whose LADO was notified in time', async () => {
    expect((await stack.outbox()).filter((m) => m.caseId === 'C-1002')).toEqual([]);
  });

  it('never names anyone in a message: case reference and link only', async () => {
    for (const message of await stack.outbox()) {
      expect(message.body).not.toMatch(/Professional P-/);
    }
  });
});

describe('local mode over HTTP: a LADO concern that arrives 30 hours late, on a Saturday', () => {
  let stack: Stack;
  let answers: { status: number; raw: string; body: Record<string, unknown> }[];
  let arrival: Date;

  beforeAll(async () => {
    // Prepare: EDT on call all weekend; the clock at Saturday 23 May 2026 16:00 BST.
    stack = await localStack('2026-05-23T15:00:00Z');
    await stack.person('P-0002', MANAGER_EMAIL);
    await stack.person('P-0004', 'lado.one@example.gov.uk', '+447700900004');
    await stack.person('P-0005', EDT_EMAIL, EDT_PHONE);
    await stack.send('rota.shift', '2026-05-22T14:00:00Z', null, {
      personId: 'P-0005',
      from: '2026-05-22T16:00:00Z',
      to: '2026-05-26T08:00:00Z',
    });
    await stack.send('case.opened', '2026-05-20T09:00:00Z', 'C-3001', {
      team: 'north',
      workers: WORKERS,
    });
    // Act: raised Friday 10:00 BST (due Saturday 10:00 BST), delivered three times 30 hours
    // later — the sender retrying.
    const late = stack.event('lado.concern-raised', '2026-05-22T09:00:00Z', 'C-3001', {
      allegationId: 'A-7',
    });
    arrival = stack.now();
    answers = [];
    for (let i = 0; i < 3; i++) answers.push(await stack.deliver(late));
    await stack.moveClock(new Date(arrival.getTime() + 60_000).toISOString());
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('answers every delivery 202 with the same bytes', () => {
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202]);
    expect(new Set(answers.map((a) => a.raw)).size).toBe(1);
    expect(answers[0]?.body).toEqual({
      caseId: 'C-3001',
      eventId: answers[0]?.body.eventId,
      status: 'accepted',
      warnings: [],
    });
  });

  it('tells the EDT manager on shift BREACHED within a minute, by SMS and email, once', async () => {
    // Assess: nothing else about this clock (its 50%, 75% and due steps passed before it existed).
    const sent = (await stack.outbox()).filter((m) => m.caseId === 'C-3001');
    expect(sent.map((m) => [m.to, m.channel])).toEqual([
      [EDT_PHONE, 'sms'],
      [EDT_EMAIL, 'email'],
    ]);
    for (const m of sent) {
      expect(new Date(m.sentAt).getTime() - arrival.getTime()).toBeLessThanOrEqual(60_000);
      expect(m.reminderId).toMatch(/^lado-notification\.A-7\.breach\./);
    }
    expect(sent[0]?.body).toMatch(/URGENT: C-3001 LADO notification BREACHED, 6 hours late\./);
    expect(sent[1]?.subject).toBe(
      'URGENT: C-3001: LADO notification BREACHED, 6 hours late — Saturday 23 May 2026, 10:00 (BST)',
    );
  });

  it('records breached-on-arrival in the audit and shows each step’s real state', async () => {
    // Act
    const audit = (await stack.get('/v1/cases/C-3001/audit')).body as {
      entries: { kind: string; detail: { lateMs?: number } }[];
    };
    const reminders = ReminderList.parse((await stack.get('/v1/cases/C-3001/reminders')).body);
    // Assess: 6 hours late on arrival; the steps it never had a chance to send are skipped.
    const onArrival = audit.entries.find((e) => e.kind === 'breached-on-arrival');
    expect(onArrival?.detail.lateMs).toBeGreaterThanOrEqual(6 * 3_600_000);
    expect(onArrival?.detail.lateMs).toBeLessThan(6 * 3_600_000 + 60_000);
    expect(reminders.reminders.map((r) => [r.step, r.status])).toEqual([
      ['p50', 'skipped'],
      ['p75', 'skipped'],
      ['due', 'skipped'],
      ['breach', 'sent'],
      ['br1', 'planned'],
    ]);
  });
});

describe('local mode over HTTP: no LADO worker and nobody on the EDT rota', () => {
  let stack: Stack;
  let raised: { status: number; body: Record<string, unknown> };

  beforeAll(async () => {
    // Prepare: Wednesday 27 May 2026 14:00 BST; the case names its team manager only, and
    // the EDT rota is empty.
    stack = await localStack('2026-05-27T13:00:00Z');
    await stack.person('P-0002', MANAGER_EMAIL);
    await stack.send('case.opened', '2026-05-27T12:00:00Z', 'C-4001', {
      team: 'north',
      workers: [{ personId: 'P-0002', role: 'team-manager' }],
    });
    // Act: a concern raised at 14:00 BST: 50% at Thursday 02:00 BST, out of hours.
    raised = await stack.send('lado.concern-raised', '2026-05-27T13:00:00Z', 'C-4001', {
      allegationId: 'A-9',
    });
    await stack.moveClock('2026-05-28T01:30:00Z');
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('answers 202 with a no-worker-in-role warning naming the role and the fix', () => {
    expect(raised.status).toBe(202);
    expect(raised.body.warnings).toEqual([
      {
        code: 'no-worker-in-role',
        detail:
          'no worker holds role lado, which the reminders of lado-notification.A-9 go to; send case.updated with a worker in role lado',
      },
    ]);
  });

  it('emails the duty inbox at the first step, saying what is missing and whom to ask to fix it', async () => {
    // Assess
    const sent = (await stack.outbox()).filter((m) => m.caseId === 'C-4001');
    expect(sent.map((m) => [m.sentAt.slice(0, 16), m.to, m.channel])).toEqual([
      ['2026-05-28T01:00', DUTY_INBOX, 'email'],
    ]);
    expect(sent[0]?.subject).toBe(
      'UNROUTED: URGENT: C-4001: LADO notification due soon — Thursday 28 May 2026, 14:00 (BST)',
    );
    expect(sent[0]?.body).toContain(
      '- Nobody is recorded as the case’s LADO. Ask the case system to record the case’s LADO.',
    );
    expect(sent[0]?.body).toContain(
      '- Nobody on the EDT rota on Thursday 28 May 2026, 02:00 (BST). Ask the EDT to add a shift covering Thursday 28 May 2026, 02:00 (BST) to the rota.',
    );
  });

  it('lists the reminder in GET /v1/reminders/unrouted, and as unrouted in the case’s reminders', async () => {
    // Act
    const unrouted = UnroutedList.parse(
      (await stack.get('/v1/reminders/unrouted?team=north')).body,
    );
    const all = UnroutedList.parse((await stack.get('/v1/reminders/unrouted')).body);
    const reminders = ReminderList.parse((await stack.get('/v1/cases/C-4001/reminders')).body);
    // Assess
    expect(unrouted.reminders).toEqual([
      {
        at: '2026-05-28T01:00:00.000Z',
        team: 'north',
        caseId: 'C-4001',
        deadlineId: 'lado-notification.A-9',
        rule: 'lado-notification',
        step: 'p50',
        reminderId: expect.stringMatching(/^lado-notification\.A-9\.p50\./),
        missing: [{ reason: 'no-worker-in-role', role: 'lado' }, { reason: 'no-edt-on-call' }],
        fix: [
          'Ask the case system to record the case’s LADO',
          'Ask the EDT to add a shift covering Thursday 28 May 2026, 02:00 (BST) to the rota',
        ],
        fallback: 'sent',
      },
    ]);
    expect(all.reminders).toEqual(unrouted.reminders);
    const p50 = reminders.reminders.find((r) => r.step === 'p50');
    expect(p50?.status).toBe('unrouted');
    expect(p50?.recipients).toEqual([
      { personId: '@fallback', via: 'fallback', forPersonId: '@fallback' },
    ]);
    expect(JSON.stringify(unrouted)).not.toContain('@example.gov.uk');
  });
});
