import { describe, expect, it } from 'vitest';
import { digestTimer } from '#functions/fire/fire-digest.js';
import { fireTimer } from '#functions/fire/fire-timer.js';
import type { Deadline } from '#kernel/model.js';
import type { DigestEntry } from '#kernel/records.js';
import { fireSetup, fireStep } from '#test/support/firing.js';
import { at, caseAggregate, deadline, directoryOf, people } from '#test/support/reminders.js';

/** A LADO notification clock, due Saturday 23 May 2026 10:00 BST, breached (version 2). */
const breachedLado = deadline({
  id: 'lado-notification.A-1',
  rule: 'lado-notification',
  urgent: true,
  safeguarding: true,
  status: 'breached',
  version: 2,
  startedAt: at('2026-05-22T09:00:00Z'),
  dueAt: at('2026-05-23T09:00:00Z'),
  closedAt: at('2026-05-23T09:00:00Z'),
});
const ladoCase = (d: Deadline) =>
  caseAggregate({
    workers: [
      { personId: 'P-0004', role: 'lado' },
      { personId: 'P-0002', role: 'team-manager' },
    ],
    deadlines: [d],
  });
/** The LADO with a manager (P-0002, whose manager is the head P-0003). */
const withLadoManager = () =>
  directoryOf(
    [],
    [],
    people.map((p) => (p.personId === 'P-0004' ? { ...p, managerId: 'P-0002' } : p)),
  );

describe('the breach’s daily repeat, fired', () => {
  it('tells the LADO, their manager and the head of service BREACHED at opening, and schedules the next day', async () => {
    // Prepare: Tuesday 26 May 2026 09:00 BST, the first working day after the Saturday breach.
    const t = fireSetup(ladoCase(breachedLado), '2026-05-26T08:00:00Z', {
      directory: withLadoManager(),
    });
    // Act
    const outcome = await fireStep(breachedLado, 'br1', t.deps);
    // Assess: in hours, by email, to the three of them; the next link Wed 27 09:00 BST.
    expect(outcome).toMatchObject({ status: 'reminded', sent: 3, failed: 0 });
    expect(t.email.sent.map((m) => m.to)).toEqual([
      'lado.one@example.gov.uk',
      'manager.one@example.gov.uk',
      'head.one@example.gov.uk',
    ]);
    expect(t.email.sent[0]?.subject).toBe(
      'URGENT: C-1001: LADO notification BREACHED, 2 days late — Saturday 23 May 2026, 10:00 (BST)',
    );
    expect(t.scheduled.map((s) => [s.payload.step, s.payload.version, s.fireAt])).toEqual([
      ['br2', 2, at('2026-05-27T08:00:00Z')],
    ]);
    expect(t.audit.entries.filter((e) => e.kind === 'reminder-planned')).toHaveLength(1);
  });

  it('a redelivered link sends nothing twice and schedules the same next timer again', async () => {
    // Prepare
    const t = fireSetup(ladoCase(breachedLado), '2026-05-26T08:00:00Z', {
      directory: withLadoManager(),
    });
    // Act
    await fireStep(breachedLado, 'br1', t.deps);
    t.clock.current = at('2026-05-26T08:01:00Z');
    const again = await fireStep(breachedLado, 'br1', t.deps);
    // Assess
    expect(again).toMatchObject({ sent: 0, duplicates: 3 });
    expect(t.email.sent).toHaveLength(3);
    expect(new Set(t.scheduled.map((s) => s.name)).size).toBe(1);
  });

  it('stops when the clock is met late: the next link is stale', async () => {
    // Prepare: the LADO notification recorded Tuesday 10:00 (met late, version 3).
    const met: Deadline = { ...breachedLado, version: 3, metAt: at('2026-05-26T09:00:00Z') };
    const t = fireSetup(ladoCase(met), '2026-05-27T08:00:00Z');
    // Act
    const outcome = await fireStep({ ...breachedLado, version: 2 }, 'br2', t.deps);
    // Assess
    expect(outcome).toEqual({ status: 'ignored', reason: 'stale-version' });
    expect(t.email.sent).toEqual([]);
  });
});

describe('a routine clock breached on arrival', () => {
  it('holds the breach to the recipient’s next working hour', async () => {
    // Prepare: a co-working review due Fri 22 May 17:00 BST that reached us on Saturday.
    const review = deadline({
      rule: 'co-working-review',
      status: 'breached',
      version: 2,
      startedAt: at('2026-04-24T16:00:00Z'),
      dueAt: at('2026-05-22T16:00:00Z'),
      arrivedAt: at('2026-05-23T10:00:00Z'),
    });
    const agg = caseAggregate({
      workers: [{ personId: 'P-0001', role: 'allocated-worker' }],
      deadlines: [review],
    });
    const t = fireSetup(agg, '2026-05-23T10:00:00Z');
    // Act
    const outcome = await fireStep(review, 'breach', t.deps);
    // Assess: nothing on Saturday; held to Tuesday 09:00 BST (Monday is a bank holiday).
    expect(outcome).toMatchObject({ sent: 0, deferred: 1 });
    expect(t.scheduled.map((s) => [s.payload.step, s.fireAt])).toEqual([
      ['breach', at('2026-05-26T08:00:00Z')],
    ]);
  });
});

describe('routing gaps go to the fallback contact', () => {
  const open = deadline({
    id: 'lado-notification.A-1',
    rule: 'lado-notification',
    urgent: true,
    safeguarding: true,
    startedAt: at('2026-05-27T13:00:00Z'),
    dueAt: at('2026-05-28T13:00:00Z'),
  });

  it('emails and texts the duty inbox at once when nobody it was meant for can be reached, and keeps the record', async () => {
    // Prepare: no LADO on the case, in office hours (Wed 27 May 15:00 BST).
    const agg = caseAggregate({
      workers: [{ personId: 'P-0002', role: 'team-manager' }],
      deadlines: [open],
    });
    const t = fireSetup(agg, '2026-05-27T14:00:00Z');
    // Act
    const outcome = await fireStep(open, 'p50', t.deps);
    // Assess: urgent, so SMS too (the fallback has a phone); the message says whom to ask.
    expect(outcome).toMatchObject({ sent: 2, failed: 1 });
    expect(t.sms.sent.map((m) => [m.to, m.meta.personId])).toEqual([
      ['+447700900099', '@fallback'],
    ]);
    expect(t.sms.sent[0]?.text).toContain("Ask the case system to record the case's LADO.");
    expect(t.sms.sent[0]?.text.length).toBeLessThanOrEqual(160);
    expect(t.email.sent[0]?.subject).toMatch(/^UNROUTED: URGENT: C-1001: LADO notification/);
    expect(t.email.sent[0]?.text).toContain(
      'Nobody is recorded as the case’s LADO. Ask the case system to record the case’s LADO.',
    );
    expect([...t.audit.unrouted.values()]).toEqual([
      {
        team: 'north',
        caseId: 'C-1001',
        deadlineId: 'lado-notification.A-1',
        rule: 'lado-notification',
        step: 'p50',
        reminderId: expect.stringMatching(/^lado-notification\.A-1\.p50\./),
        at: at('2026-05-28T01:00:00Z'),
        missing: [{ reason: 'no-worker-in-role', role: 'lado' }],
        fix: ['Ask the case system to record the case’s LADO'],
        fallback: 'sent',
      },
    ]);
    expect(t.audit.entries.map((e) => e.kind)).toContain('reminder-unrouted');
  });

  it('tells the fallback, as well as the people named, when nobody is on the EDT rota out of hours', async () => {
    // Prepare: the LADO is on the case; Thursday 02:00 BST and the rota is empty.
    const agg = caseAggregate({
      workers: [{ personId: 'P-0004', role: 'lado' }],
      deadlines: [open],
    });
    const t = fireSetup(agg, '2026-05-28T01:00:00Z');
    // Act
    await fireStep(open, 'p50', t.deps);
    // Assess: the LADO by SMS and email at once, and the duty inbox told of the rota gap.
    expect(t.sms.sent.map((m) => m.to)).toEqual(['+447700900004', '+447700900099']);
    expect(t.email.sent.map((m) => m.to)).toEqual([
      'lado.one@example.gov.uk',
      'duty.inbox@example.gov.uk',
    ]);
    expect([...t.audit.unrouted.values()][0]?.fix).toEqual([
      'Ask the EDT to add a shift covering Thursday 28 May 2026, 02:00 (BST) to the rota',
    ]);
  });

  it('does not bother the fallback when someone it was meant for is reached', async () => {
    // Prepare: a joint supervision with one of its four roles missing, in hours.
    const js = deadline({
      rule: 'joint-supervision',
      startedAt: at('2025-11-26T17:00:00Z'),
      dueAt: at('2026-05-26T16:00:00Z'),
    });
    const agg = caseAggregate({
      workers: [
        { personId: 'P-0001', role: 'supervisor' },
        { personId: 'P-0004', role: 'mh-supervisor' },
        { personId: 'P-0007', role: 'allocated-worker' },
      ],
      deadlines: [js],
    });
    const t = fireSetup(agg, '2026-05-21T08:00:00Z');
    // Act
    await fireStep(js, 'b2wd', t.deps);
    // Assess
    expect(t.email.sent.map((m) => m.to)).not.toContain('duty.inbox@example.gov.uk');
    expect(t.audit.unrouted.size).toBe(0);
    expect(t.audit.entries.find((e) => e.kind === 'reminder-failed')?.detail).toMatchObject({
      reason: 'no-worker-in-role',
      role: 'mh-worker',
    });
  });

  it('without a fallback contact, records the gap as unrouted and says nobody was told', async () => {
    // Prepare
    const agg = caseAggregate({ workers: [], deadlines: [open] });
    const t = fireSetup(agg, '2026-05-27T14:00:00Z', { fallback: undefined });
    // Act
    await fireStep(open, 'p50', t.deps);
    // Assess
    expect(t.email.sent).toEqual([]);
    expect([...t.audit.unrouted.values()][0]?.fallback).toBe('none');
  });
});

describe('the morning digest goes to the day team’s manager', () => {
  const entry = (caseId: string, step: string, alertedAt: string, recipientIds: string[]) =>
    ({
      team: 'north',
      date: '2026-05-26',
      caseId,
      reminderId: `lado-notification.A-1.${step}.x`,
      deadlineId: 'lado-notification.A-1',
      step,
      rule: 'lado-notification',
      dueAt: at('2026-05-23T09:00:00Z'),
      alertedAt: at(alertedAt),
      recipientIds,
    }) satisfies DigestEntry;

  const digestSetup = async (
    entries: DigestEntry[],
    options: Parameters<typeof fireSetup>[2] = {},
  ) => {
    const t = fireSetup(ladoCase(breachedLado), '2026-05-26T08:00:00Z', options);
    t.cases.seed(
      caseAggregate({ caseId: 'C-1002', deadlines: [{ ...breachedLado, caseId: 'C-1002' }] }),
      3,
    );
    for (const e of entries) await t.digests.add(e);
    const outcome = await fireTimer(
      digestTimer('north', '2026-05-26', at('2026-05-26T08:00:00Z')).payload,
      t.deps,
    );
    return { ...t, outcome };
  };

  it('sends the case’s team manager one line per clock, however many alerts it had', async () => {
    // Act
    const t = await digestSetup([
      entry('C-1001', 'p50', '2026-05-22T21:00:00Z', ['P-0002']),
      entry('C-1001', 'p75', '2026-05-23T03:00:00Z', ['P-0002']),
      entry('C-1001', 'breach', '2026-05-23T09:00:00Z', ['P-0002']),
    ]);
    // Assess
    expect(t.email.sent.map((m) => [m.to, m.subject])).toEqual([
      ['manager.one@example.gov.uk', 'Bank holiday weekend EDT alerts for north: 1 clock'],
    ]);
    expect(t.email.sent[0]?.text.split('\n').filter((l) => l.startsWith('- '))).toHaveLength(1);
    expect(t.email.sent[0]?.text).toContain('BREACHED, 2 days late and not yet met');
  });

  it('goes to the team’s manager in the directory when the case names none, else to the fallback', async () => {
    // Prepare: P-0001 (team north) names P-0002 as manager.
    const named = await digestSetup([entry('C-1002', 'p50', '2026-05-22T21:00:00Z', [])]);
    const nobody = await digestSetup([entry('C-1002', 'p50', '2026-05-22T21:00:00Z', [])], {
      directory: directoryOf(
        [],
        [],
        people.map(({ managerId: _m, ...p }) => p),
      ),
    });
    // Assess
    expect(named.email.sent.map((m) => m.to)).toEqual(['manager.one@example.gov.uk']);
    expect(nobody.email.sent.map((m) => [m.to, m.meta.personId])).toEqual([
      ['duty.inbox@example.gov.uk', '@fallback'],
    ]);
  });
});

describe('a day-counted clock’s breach, fired', () => {
  it('is told at the opening after its midnight limit, and says how late from the limit', async () => {
    // Prepare: a CP visit due Tue 1 Sep 2026 17:00 BST, its limit the end of that Tuesday
    // (23:00 UTC); breached then. Not urgent: the breach is told at Wednesday's opening.
    const visit = deadline({
      id: 'cp-visit.1',
      rule: 'cp-visit',
      safeguarding: true,
      status: 'breached',
      version: 2,
      startedAt: at('2026-08-18T08:00:00Z'),
      dueAt: at('2026-09-01T16:00:00Z'),
      limitAt: at('2026-09-01T23:00:00Z'),
      closedAt: at('2026-09-01T23:00:00Z'),
    });
    const t = fireSetup(
      caseAggregate({
        workers: [
          { personId: 'P-0001', role: 'allocated-worker' },
          { personId: 'P-0002', role: 'team-manager' },
        ],
        deadlines: [visit],
      }),
      '2026-09-02T08:00:00Z',
    );

    // Act
    const outcome = await fireStep(visit, 'breach', t.deps);

    // Assess: 09:00 BST Wednesday is 9 hours after the limit (16 after the 17:00 target).
    expect(outcome).toMatchObject({ status: 'reminded' });
    expect(t.email.sent[0]?.subject).toMatch(/BREACHED, 9 hours late/);
  });
});
