/**
 * One invitation per supervision occurrence, fired on the in-memory ports: one UID for every
 * step that sends it, its SEQUENCE the deadline's version (rising when the due time moves),
 * CANCEL when withdrawn, and never an invitation to a slot already past.
 */
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { invitationUid } from '#kernel/ids.js';
import type { Deadline } from '#kernel/model.js';
import { fireSetup, fireStep, planner } from '#test/support/firing.js';
import { at, calendar, caseAggregate, deadline, directoryOf } from '#test/support/reminders.js';

describe('one invitation per supervision occurrence', () => {
  const js = deadline({
    id: 'joint-supervision.2',
    rule: 'joint-supervision',
    startedAt: at('2025-11-26T17:00:00Z'),
    dueAt: at('2026-05-26T16:00:00Z'),
    version: 3,
  });
  const agg = (d: Deadline, status: 'open' | 'closed' = 'open') =>
    caseAggregate({
      status,
      workers: [{ personId: 'P-0001', role: 'supervisor' }],
      deadlines: [d],
    });
  const event = (ics: string | undefined) => {
    const component = new ICAL.Component(ICAL.parse(ics ?? ''));
    const vevent = component.getFirstSubcomponent('vevent') as ICAL.Component;
    return {
      method: component.getFirstPropertyValue('method'),
      uid: vevent.getFirstPropertyValue('uid'),
      sequence: vevent.getFirstPropertyValue('sequence'),
      status: vevent.getFirstPropertyValue('status'),
      start: (vevent.getFirstPropertyValue('dtstart') as ICAL.Time).toJSDate(),
    };
  };

  it('sends every step’s invitation under one UID, SEQUENCE the deadline’s version, rising when the time moves', async () => {
    // Prepare
    const t = fireSetup(agg(js), '2026-05-11T08:00:00Z');
    // Act: 10 working days before, then 2 (the same occurrence); then the due time moves.
    await fireStep(js, 'b10wd', t.deps);
    t.clock.current = at('2026-05-21T08:00:00Z');
    await fireStep(js, 'b2wd', t.deps);
    const moved: Deadline = { ...js, version: 4, dueAt: at('2026-05-27T16:00:00Z') };
    t.cases.seed(agg(moved), 6);
    await fireStep(moved, 'b2wd', t.deps);
    // Assess: parsed with ical.js.
    const invites = t.email.sent.map((m) => event(m.ics));
    expect(invites.map((i) => [i.method, i.uid, i.sequence])).toEqual([
      ['REQUEST', invitationUid(js), 3],
      ['REQUEST', invitationUid(js), 3],
      ['REQUEST', invitationUid(js), 4],
    ]);
    expect(invites[2]?.start).toEqual(at('2026-05-27T15:00:00Z'));
  });

  it('attaches no invitation to an overdue step or the breach: the slot is past', async () => {
    // Prepare: breached at Tue 26 May 17:00 BST; the next day's overdue step.
    const breached: Deadline = { ...js, status: 'breached', version: 4, closedAt: js.dueAt };
    const t = fireSetup(agg(breached), '2026-05-27T08:00:00Z', {
      directory: directoryOf(),
    });
    // Act
    await fireStep(breached, 'o1wd', t.deps);
    await fireStep(breached, 'breach', t.deps);
    // Assess
    expect(t.email.sent.length).toBeGreaterThan(0);
    expect(t.email.sent.every((m) => m.ics === undefined)).toBe(true);
  });

  it.each([
    ['met', 'open' as const, { status: 'met' as const }],
    ['cancelled by the case closing', 'closed' as const, { status: 'cancelled' as const }],
  ])('withdraws the invitation with METHOD:CANCEL when %s', async (_, caseStatus, change) => {
    // Prepare: invited on 11 May; the supervision held (or the case closed) on 20 May.
    const stopped: Deadline = {
      ...js,
      ...change,
      version: 4,
      closedAt: at('2026-05-20T10:00:00Z'),
    };
    const timers = planner(stopped, agg(stopped, caseStatus), { calendar });
    const t = fireSetup(agg(stopped, caseStatus), '2026-05-20T10:00:00Z');
    // Act
    const outcome = await fireStep(stopped, 'xinv', t.deps);
    // Assess: the plan holds exactly the withdrawal; same UID, a higher SEQUENCE.
    expect(timers.map((x) => [x.payload.step, x.fireAt])).toEqual([
      ['xinv', at('2026-05-20T10:00:00Z')],
    ]);
    expect(outcome).toMatchObject({ sent: 1 });
    expect(event(t.email.sent[0]?.ics)).toMatchObject({
      method: 'CANCEL',
      uid: invitationUid(js),
      sequence: 4,
      status: 'CANCELLED',
    });
    expect(t.email.sent[0]?.subject).toBe(
      'C-1001: Joint supervision: invitation withdrawn — Tuesday 26 May 2026, 17:00 (BST)',
    );
  });

  it('withdraws nothing when no invitation had gone out', () => {
    // Prepare: met on 5 May, before the first reminder (11 May).
    const early: Deadline = {
      ...js,
      status: 'met',
      version: 4,
      closedAt: at('2026-05-05T10:00:00Z'),
    };
    // Act & Assess
    expect(planner(early, agg(early), { calendar })).toEqual([]);
  });
});
