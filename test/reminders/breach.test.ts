/**
 * The breach: late arrivals (breached on arrival, passed steps skipped), the breach step every
 * plan ends with (data with a default, overridable per plan), its escalation and daily repeat
 * for safeguarding clocks. Times worked by hand from DOMAIN.md; Spring bank holiday 25 May 2026.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatLocal, localDate } from '#kernel/calendar/index.js';
import { applyEvent } from '#kernel/engine/index.js';
import {
  DEFAULT_BREACH,
  DEFAULT_REMINDER_PLANS,
  findStep,
  nextBreachRepeat,
  planReminders,
  planSteps,
  type ReminderPlan,
  reminderPlans,
} from '#kernel/reminders/index.js';
import { ctxAt, ev, opened } from '#test/domain/helpers.js';
import { at, calendar, deadline } from '#test/support/reminders.js';

const local = (d: Date) => formatLocal(d);
const lado = DEFAULT_REMINDER_PLANS['lado-notification'];

/** A LADO notification clock raised Friday 22 May 2026 10:00 BST, due Saturday 10:00 BST. */
const ladoClock = (more: Parameters<typeof deadline>[0] extends infer T ? Partial<T> : never) =>
  deadline({
    id: 'lado-notification.A-1',
    rule: 'lado-notification',
    urgent: true,
    safeguarding: true,
    startedAt: at('2026-05-22T09:00:00Z'),
    dueAt: at('2026-05-23T09:00:00Z'),
    ...more,
  });

describe('a clock that reaches us late', () => {
  it('is breached on arrival when its start event comes after its due time, with how late', () => {
    // Prepare: raised Fri 22 May 10:00 BST, delivered Sat 23 May 16:00 BST (30 hours later).
    const now = '2026-05-23T15:00:00Z';
    const first = applyEvent(undefined, opened('2026-05-20T09:00:00Z'), ctxAt(now)).aggregate;
    // Act
    const { aggregate, audit } = applyEvent(
      first,
      ev('lado.concern-raised', '2026-05-22T09:00:00Z', { allegationId: 'A-1' }),
      ctxAt(now),
    );
    // Assess: due Sat 10:00 BST; 6 hours late when it arrived.
    const d = aggregate.deadlines[0];
    expect(d).toMatchObject({ status: 'breached', arrivedAt: at(now), version: 2 });
    expect(audit.map((a) => [a.kind, a.at.toISOString()])).toEqual([
      ['started', '2026-05-22T09:00:00.000Z'],
      ['breached', '2026-05-23T09:00:00.000Z'],
      ['breached-on-arrival', '2026-05-23T15:00:00.000Z'],
    ]);
    expect(audit[2]?.detail).toMatchObject({ lateMs: 6 * 3_600_000 });
  });

  it('is not breached on arrival when it arrives in time, and a later breach is a plain one', () => {
    // Prepare
    const first = applyEvent(
      undefined,
      opened('2026-05-20T09:00:00Z'),
      ctxAt('2026-05-22T09:00:00Z'),
    ).aggregate;
    const raised = applyEvent(
      first,
      ev('lado.concern-raised', '2026-05-22T09:00:00Z', { allegationId: 'A-1' }),
      ctxAt('2026-05-22T09:05:00Z'),
    );
    // Act: a later event finds it due.
    const later = applyEvent(
      raised.aggregate,
      ev('case.updated', '2026-05-23T12:00:00Z', { riskLevel: 'high' }),
      ctxAt('2026-05-23T12:00:00Z'),
    );
    // Assess
    expect(raised.aggregate.deadlines[0]?.status).toBe('open');
    expect(later.audit.map((a) => a.kind)).toContain('breached');
    expect(later.audit.map((a) => a.kind)).not.toContain('breached-on-arrival');
  });

  it('sends only the breach, at once, when breached on arrival: its earlier steps are skipped', () => {
    // Prepare: breached, arrived Sat 16:00 BST.
    const d = ladoClock({ status: 'breached', version: 2, arrivedAt: at('2026-05-23T15:00:00Z') });
    // Act
    const steps = planSteps(d, calendar, lado);
    // Assess: the breach at arrival; the daily repeat from Tue 26 May 09:00 (Mon is a holiday).
    expect(steps.map((s) => [s.step.key, local(s.fireAt), s.state])).toEqual([
      ['p50', '2026-05-22T22:00:00+01:00', 'skipped'],
      ['p75', '2026-05-23T04:00:00+01:00', 'skipped'],
      ['due', '2026-05-23T10:00:00+01:00', 'skipped'],
      ['breach', '2026-05-23T16:00:00+01:00', 'fires'],
      ['br1', '2026-05-26T09:00:00+01:00', 'fires'],
    ]);
    expect(planReminders(d, calendar, lado).map((p) => p.step.key)).toEqual(['breach', 'br1']);
  });

  it('sends the last passed step once, when it arrived, and skips the ones before it', () => {
    // Prepare: raised Fri 10:00 BST, arrived Sat 06:00 BST, 20 hours later.
    const d = ladoClock({ arrivedAt: at('2026-05-23T05:00:00Z') });
    // Act
    const steps = planSteps(d, calendar, lado);
    // Assess: 50% (22:00) skipped; 75% (04:00) goes at arrival (06:00 BST); due as planned.
    expect(steps.map((s) => [s.step.key, local(s.fireAt), s.state, s.late])).toEqual([
      ['p50', '2026-05-22T22:00:00+01:00', 'skipped', true],
      ['p75', '2026-05-23T06:00:00+01:00', 'fires', true],
      ['due', '2026-05-23T10:00:00+01:00', 'fires', false],
      ['breach', '2026-05-23T10:00:00+01:00', 'on-breach', false],
      ['br1', '2026-05-26T09:00:00+01:00', 'on-breach', false],
    ]);
  });
});

describe('the breach step', () => {
  it('tells a safeguarding clock’s LADO and their manager at once, and adds the head of service from the next working day', () => {
    // Prepare: breached at its due time, Sat 23 May 10:00 BST.
    const d = ladoClock({ status: 'breached', version: 2 });
    // Act
    const [breach, repeat] = planReminders(d, calendar, lado);
    // Assess
    expect(breach?.step).toMatchObject({
      key: 'breach',
      to: [{ role: 'lado' }, { role: 'lado', escalate: 1 }],
    });
    expect(local(breach?.fireAt as Date)).toBe('2026-05-23T10:00:00+01:00');
    expect(repeat?.step).toMatchObject({
      key: 'br1',
      to: [{ role: 'lado' }, { role: 'lado', escalate: 1 }, { role: 'lado', escalate: 2 }],
    });
  });

  it('tells a routine clock’s people once, with no escalation or repeat of its own', () => {
    // Prepare: a co-working review due Fri 22 May 2026 17:00 BST, its limit the end of that
    // Friday, breached at midnight.
    const d = deadline({
      rule: 'co-working-review',
      status: 'breached',
      version: 2,
      startedAt: at('2026-04-24T16:00:00Z'),
      dueAt: at('2026-05-22T16:00:00Z'),
      limitAt: at('2026-05-22T23:00:00Z'),
    });
    // Act
    const plan = DEFAULT_REMINDER_PLANS['co-working-review'];
    const keys = planReminders(d, calendar, plan).map((p) => [p.step.key, local(p.fireAt)]);
    // Assess: the limit passed out of hours, so the breach is told at the next opening, Tue 26
    // May (Mon 25 the Spring bank holiday) — first, then the overdue steps still escalate.
    expect(keys).toEqual([
      ['breach', '2026-05-26T09:00:00+01:00'],
      ['o1wd', '2026-05-26T09:00:00+01:00'],
      ['o2wd', '2026-05-27T09:00:00+01:00'],
    ]);
    expect(findStep(d, calendar, plan, 'breach')?.step.to).toEqual(plan.steps[2]?.to);
    expect(findStep(d, calendar, plan, 'br1')).toBeUndefined();
  });

  it('is data: a plan overrides the default field by field', () => {
    // Prepare: a plan that repeats its routine breach daily and tells the team manager.
    const plans = reminderPlans({
      'co-working-review': {
        ...DEFAULT_REMINDER_PLANS['co-working-review'],
        breach: {
          to: [{ role: 'team-manager' }],
          routine: { escalation: [], repeatDaily: true },
        },
      },
    });
    const d = deadline({
      rule: 'co-working-review',
      status: 'breached',
      version: 2,
      startedAt: at('2026-04-24T16:00:00Z'),
      dueAt: at('2026-05-22T16:00:00Z'),
      limitAt: at('2026-05-22T23:00:00Z'),
    });
    // Act
    const planned = planReminders(d, calendar, plans['co-working-review']);
    // Assess: the override's recipients and repeat; the default's safeguarding part kept. The
    // breach is told at Tue 26 May's opening, the first working day after the limit's date,
    // so the first repeat is the second working day's (br2, Wed 27 May).
    expect(planned.map((p) => [p.step.key, p.step.to])).toEqual([
      ['breach', [{ role: 'team-manager' }]],
      ['o1wd', DEFAULT_REMINDER_PLANS['co-working-review'].steps[3]?.to],
      ['br2', [{ role: 'team-manager' }]],
      ['o2wd', DEFAULT_REMINDER_PLANS['co-working-review'].steps[4]?.to],
    ]);
    expect(DEFAULT_BREACH.safeguarding.repeatDaily).toBe(true);
  });

  it('without a repeat, escalates on its own day to the newly escalated only', () => {
    // Prepare: a safeguarding plan that escalates but does not repeat.
    const plan: ReminderPlan = {
      ...lado,
      breach: { safeguarding: { ...DEFAULT_BREACH.safeguarding, repeatDaily: false } },
    };
    const d = ladoClock({ status: 'breached', version: 2 });
    // Act
    const planned = planReminders(d, calendar, plan);
    // Assess: the head of service on Tue 26 May 09:00 (the next working day after Sat).
    expect(planned.map((p) => [p.step.key, local(p.fireAt), p.step.to])).toEqual([
      ['breach', '2026-05-23T10:00:00+01:00', [{ role: 'lado' }, { role: 'lado', escalate: 1 }]],
      ['be1', '2026-05-26T09:00:00+01:00', [{ role: 'lado', escalate: 2 }]],
    ]);
  });

  it('stops repeating once met late, and plans nothing once met', () => {
    // Prepare
    const metLate = ladoClock({
      status: 'breached',
      version: 3,
      metAt: at('2026-05-26T10:00:00Z'),
    });
    // Act & Assess
    expect(planReminders(metLate, calendar, lado)).toEqual([]);
    expect(nextBreachRepeat(metLate, calendar, lado, at('2026-05-26T10:00:00Z'))).toBeUndefined();
    expect(findStep(metLate, calendar, lado, 'br2')).toBeUndefined();
  });

  it('a met-late stop bumps the deadline version, so the chain’s pending timers go stale', () => {
    // Prepare: breached on arrival, then notified on Tuesday.
    const now = '2026-05-23T15:00:00Z';
    const first = applyEvent(undefined, opened('2026-05-20T09:00:00Z'), ctxAt(now)).aggregate;
    const raised = applyEvent(
      first,
      ev('lado.concern-raised', '2026-05-22T09:00:00Z', { allegationId: 'A-1' }),
      ctxAt(now),
    ).aggregate;
    // Act
    const notified = applyEvent(
      raised,
      ev('lado.notified', '2026-05-26T09:00:00Z', { allegationId: 'A-1' }),
      ctxAt('2026-05-26T09:00:00Z'),
    ).aggregate;
    // Assess
    expect(raised.deadlines[0]?.version).toBe(2);
    expect(notified.deadlines[0]).toMatchObject({ status: 'breached', version: 3 });
  });
});

describe('the breach’s daily repeat (a chain of timers)', () => {
  it('schedules the next working day’s opening after the link that fired, skipping a redelivered link’s missed days', () => {
    // Prepare: breached Sat 23 May 10:00 BST.
    const d = ladoClock({ status: 'breached', version: 2 });
    // Act: br1 fired at Tue 26 09:00; a redelivery of it on Thu 28 at 11:00.
    const after1 = nextBreachRepeat(d, calendar, lado, at('2026-05-26T08:00:00Z'));
    const afterLate = nextBreachRepeat(d, calendar, lado, at('2026-05-28T10:00:00Z'));
    // Assess: br2 Wed 27 09:00; from Thu 11:00 the next is br4, Fri 29 09:00.
    expect([after1?.step.key, local(after1?.fireAt as Date)]).toEqual([
      'br2',
      '2026-05-27T09:00:00+01:00',
    ]);
    expect([afterLate?.step.key, local(afterLate?.fireAt as Date)]).toEqual([
      'br4',
      '2026-05-29T09:00:00+01:00',
    ]);
  });

  it('fires once per working day at opening, on successive working days, whenever it breached', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2027-12-31T00:00:00Z') }),
        fc.integer({ min: 1, max: 15 }),
        (due, links) => {
          fc.pre(!Number.isNaN(due.getTime()));
          const d = ladoClock({
            status: 'breached',
            version: 2,
            startedAt: new Date(due.getTime() - 86_400_000),
            dueAt: due,
          });
          let now = due;
          let previous: Date | undefined;
          for (let i = 0; i < links; i++) {
            const next = nextBreachRepeat(d, calendar, lado, now);
            if (next === undefined) throw new Error('the chain stopped');
            const day = localDate(next.fireAt);
            // Opening time of a working day, strictly after the previous link's day.
            expect(calendar.isWorkingDay(day)).toBe(true);
            expect(local(next.fireAt).slice(11, 16)).toBe('09:00');
            expect(next.fireAt.getTime()).toBeGreaterThan(now.getTime());
            if (previous !== undefined) {
              expect(day > localDate(previous)).toBe(true);
              // No working day between two links is missed.
              for (
                let t = new Date(previous.getTime() + 86_400_000);
                localDate(t) < day;
                t = new Date(t.getTime() + 86_400_000)
              ) {
                expect(calendar.isWorkingDay(localDate(t))).toBe(false);
              }
            }
            previous = next.fireAt;
            now = next.fireAt;
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
