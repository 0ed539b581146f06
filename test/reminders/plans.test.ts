import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatLocal } from '#kernel/calendar/index.js';
import { reminderId, reminderTimerName } from '#kernel/ids.js';
import {
  DEFAULT_REMINDER_PLANS,
  planReminders,
  reminderTimerPlanner,
  reminderTimers,
} from '#kernel/reminders/index.js';
import { at, calendar, deadline } from '#test/support/reminders.js';

const local = (d: Date) => formatLocal(d);

describe('reminder plans', () => {
  it('plans a supervision 10 and 2 working days before, on the day and overdue, around a bank holiday', () => {
    // Prepare: due Tuesday 26 May 2026 17:00 BST; Monday 25 May is the Spring bank holiday.
    const d = deadline({
      rule: 'joint-supervision',
      startedAt: at('2025-11-26T17:00:00Z'),
      dueAt: at('2026-05-26T16:00:00Z'),
    });
    // Act
    const planned = planReminders(d, calendar, DEFAULT_REMINDER_PLANS['joint-supervision']);
    // Assess: 10 working days before the 26th (skipping the 25th) is Mon 11 May, opening time.
    expect(planned.map((p) => [p.step.key, local(p.fireAt), p.late])).toEqual([
      ['b10wd', '2026-05-11T09:00:00+01:00', false],
      ['b2wd', '2026-05-21T09:00:00+01:00', false],
      ['day', '2026-05-26T09:00:00+01:00', false],
      ['o1wd', '2026-05-27T09:00:00+01:00', false],
      ['o2wd', '2026-05-28T09:00:00+01:00', false],
    ]);
  });

  it('plans LADO notification reminders at 50%, 75% and due on elapsed time', () => {
    // Prepare: raised Friday 22 May 2026 16:30 BST; due 24 elapsed hours later.
    const d = deadline({
      rule: 'lado-notification',
      startedAt: at('2026-05-22T15:30:00Z'),
      dueAt: at('2026-05-23T15:30:00Z'),
    });
    // Act
    const planned = planReminders(d, calendar, DEFAULT_REMINDER_PLANS['lado-notification']);
    // Assess
    expect(planned.map((p) => [p.step.key, local(p.fireAt)])).toEqual([
      ['p50', '2026-05-23T04:30:00+01:00'],
      ['p75', '2026-05-23T10:30:00+01:00'],
      ['due', '2026-05-23T16:30:00+01:00'],
    ]);
  });

  it('plans LADO response fractions on working time', () => {
    // Prepare: clock Tue 26 May 09:00 → Thu 28 May 17:00 BST (24 working hours).
    const d = deadline({
      rule: 'lado-response',
      startedAt: at('2026-05-26T08:00:00Z'),
      dueAt: at('2026-05-28T16:00:00Z'),
    });
    // Act
    const planned = planReminders(d, calendar, DEFAULT_REMINDER_PLANS['lado-response']);
    // Assess: 12 h in = Tue 8 h + Wed 4 h; 18 h in = Tue 8 + Wed 8 + Thu 2.
    expect(planned.map((p) => local(p.fireAt))).toEqual([
      '2026-05-27T13:00:00+01:00',
      '2026-05-28T11:00:00+01:00',
      '2026-05-28T17:00:00+01:00',
    ]);
  });

  it('sends a reminder whose time had passed once, at the start, and drops the earlier ones', () => {
    // Prepare: a co-working review started Wed 20 May 10:00, due Fri 22 May 17:00.
    const d = deadline({
      rule: 'co-working-review',
      startedAt: at('2026-05-20T09:00:00Z'),
      dueAt: at('2026-05-22T16:00:00Z'),
    });
    // Act
    const planned = planReminders(d, calendar, DEFAULT_REMINDER_PLANS['co-working-review']);
    // Assess: "10 days before" and "2 days before" (Wed 09:00) both passed: only the latter, at 10:00.
    expect(planned.map((p) => [p.step.key, local(p.fireAt), p.late])).toEqual([
      ['b2wd', '2026-05-20T10:00:00+01:00', true],
      ['day', '2026-05-22T09:00:00+01:00', false],
      ['o1wd', '2026-05-26T09:00:00+01:00', false],
      ['o2wd', '2026-05-27T09:00:00+01:00', false],
    ]);
    expect(planReminders(d, calendar, DEFAULT_REMINDER_PLANS['co-working-review'])).toEqual(
      planned,
    );
  });

  it("uses the clock's team hours (Building Bridges opens at 08:30)", () => {
    // Prepare
    const d = deadline({
      rule: 'building-bridges-supervision',
      hoursTeam: 'building-bridges',
      startedAt: at('2026-04-17T07:30:00Z'),
      dueAt: at('2026-05-22T15:30:00Z'),
    });
    // Act
    const planned = planReminders(
      d,
      calendar,
      DEFAULT_REMINDER_PLANS['building-bridges-supervision'],
    );
    // Assess
    expect(planned.map((p) => local(p.fireAt))).toEqual([
      '2026-05-08T08:30:00+01:00',
      '2026-05-20T08:30:00+01:00',
      '2026-05-22T08:30:00+01:00',
      '2026-05-26T08:30:00+01:00',
      '2026-05-27T08:30:00+01:00',
    ]);
  });

  it('keeps only at-due and overdue reminders once a deadline breached, and none once met', () => {
    // Prepare
    const base = {
      rule: 'joint-supervision',
      startedAt: at('2025-11-26T17:00:00Z'),
      dueAt: at('2026-05-26T16:00:00Z'),
    };
    const plan = DEFAULT_REMINDER_PLANS['joint-supervision'];
    // Act
    const breached = planReminders(deadline({ ...base, status: 'breached' }), calendar, plan);
    const met = planReminders(deadline({ ...base, status: 'met' }), calendar, plan);
    // Assess: the breach step (at the due time, 17:00 on the 26th) comes before the overdue ones.
    expect(breached.map((p) => p.step.key)).toEqual(['breach', 'o1wd', 'o2wd']);
    expect(met).toEqual([]);
  });

  it('makes timers with deterministic names that carry the version', () => {
    // Prepare
    const d = deadline({
      rule: 'lado-notification',
      version: 7,
      startedAt: at('2026-05-22T15:30:00Z'),
      dueAt: at('2026-05-23T15:30:00Z'),
    });
    // Act
    const timers = reminderTimers(d, calendar, DEFAULT_REMINDER_PLANS['lado-notification']);
    const viaPlanner = reminderTimerPlanner()(d, {}, { calendar });
    // Assess
    expect(timers[0]).toEqual({
      name: reminderTimerName(d, 'p50'),
      fireAt: at('2026-05-23T03:30:00Z'),
      payload: {
        caseId: 'C-1001',
        deadlineId: 'lado-notification.1',
        kind: 'reminder',
        version: 7,
        step: 'p50',
      },
    });
    expect(timers[0]?.name).toMatch(/^r\.C-1001\.[0-9a-f]{16}\.v7\.p50$/);
    expect(viaPlanner).toEqual(timers);
  });

  it('keeps every name within 64 chars of [0-9a-zA-Z-_.], unique per case, deadline, version and step', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 64 }),
        fc.string({ minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        (caseId, id, version) => {
          const name = reminderTimerName({ caseId, id, version }, 'o2wd', '.h1abcdef');
          expect(name.length).toBeLessThanOrEqual(64);
          expect(name).toMatch(/^[0-9a-zA-Z\-_.]+$/);
          expect(name).toContain(`.v${version}.`);
        },
      ),
    );
    expect(reminderTimerName({ caseId: 'C-1', id: 'a', version: 1 }, 'k')).not.toBe(
      reminderTimerName({ caseId: 'C-1', id: 'b', version: 1 }, 'k'),
    );
  });

  it('gives a reminder id that survives a version change but not a moved due time', () => {
    // Prepare
    const dueAt = at('2026-05-23T15:30:00Z');
    // Act
    const v1 = reminderId({ id: 'lado-notification.A-1', dueAt }, 'due');
    const v2 = reminderId({ id: 'lado-notification.A-1', dueAt }, 'due');
    const moved = reminderId(
      { id: 'lado-notification.A-1', dueAt: at('2026-05-24T15:30:00Z') },
      'due',
    );
    // Assess
    expect(v1).toBe(v2);
    expect(moved).not.toBe(v1);
  });

  it('tells each disagreement stage its own level at its start and due time', () => {
    // Prepare: stage 2 of a disagreement, started Thursday 10:00, due Monday 17:00.
    const d = deadline({
      rule: 'disagreement',
      stage: 2,
      stageStartedAt: at('2026-06-04T09:00:00Z'),
      startedAt: at('2026-06-01T09:00:00Z'),
      dueAt: at('2026-06-08T16:00:00Z'),
    });
    // Act
    const planned = planReminders(d, calendar, DEFAULT_REMINDER_PLANS.disagreement);
    // Assess
    expect(planned.map((p) => [p.step.key, local(p.fireAt)])).toEqual([
      ['start', '2026-06-04T10:00:00+01:00'],
      ['due', '2026-06-08T17:00:00+01:00'],
    ]);
  });
});

describe('listPlannedReminders', () => {
  it('lists a case’s reminders in firing order with their roles, and none once closed', async () => {
    // Prepare
    const { listPlannedReminders } = await import('#kernel/reminders/index.js');
    const lado = deadline({
      rule: 'lado-notification',
      urgent: true,
      startedAt: at('2026-05-22T15:30:00Z'),
      dueAt: at('2026-05-23T15:30:00Z'),
    });
    // Act
    const open = listPlannedReminders({ status: 'open', deadlines: [lado] }, calendar);
    const closed = listPlannedReminders({ status: 'closed', deadlines: [lado] }, calendar);
    // Assess
    // Assess: an open clock lists its breach step too, as it would fire if it breaches.
    expect(open.map((r) => [r.step, r.fireAt, r.urgent, r.to, r.state])).toEqual([
      ['p50', '2026-05-23T03:30:00.000Z', true, [{ role: 'lado', escalate: 0 }], 'fires'],
      ['p75', '2026-05-23T09:30:00.000Z', true, [{ role: 'lado', escalate: 0 }], 'fires'],
      ['due', '2026-05-23T15:30:00.000Z', true, [{ role: 'lado', escalate: 0 }], 'fires'],
      ['breach', '2026-05-23T15:30:00.000Z', true, [{ role: 'lado', escalate: 0 }], 'on-breach'],
    ]);
    expect(closed).toEqual([]);
  });
});
