/**
 * Reminders of a case in another division: a case's own calendar in planning, routing and the
 * read view. Expected instants are worked by hand from docs/reminders.md and the GOV.UK calendar.
 */
import { describe, expect, it } from 'vitest';
import { type FireTimerDeps, fireTimer } from '#functions/fire/fire-timer.js';
import { getCaseReminders } from '#functions/read/read-queries.js';
import { createCalendar } from '#kernel/calendar/index.js';
import { makeCaseEngine } from '#kernel/engine/bound.js';
import { DEFAULT_REMINDER_PLANS, reminderTimers } from '#kernel/reminders/index.js';
import { fireSetup } from '#test/support/firing.js';
import { MemoryCaseStore } from '#test/support/memory-store.js';
import { at, directoryOf } from '#test/support/reminders.js';
import { AUTHORITY, caseAfter, ev, reminders, WORKERS } from './working-together-support.js';

describe("a case's own calendar in planning, routing and the read view", () => {
  /** A Scottish referral received Fri 22 Aug 2025 15:30 BST: due Mon 25 Aug 17:00 (R2). */
  function scottishReferral() {
    const engine = makeCaseEngine(AUTHORITY);
    const aggregate = caseAfter(engine, [
      ev('case.opened', '2025-08-22T08:00:00Z', {
        team: 'north',
        division: 'scotland',
        workers: WORKERS,
      }),
      ev('referral.received', '2025-08-22T14:30:00Z', { referralId: 'R-1' }),
    ]);
    return { engine, aggregate };
  }

  it('plans the reminders on the case’s calendar', () => {
    // Act
    const { engine, aggregate } = scottishReferral();
    const planned = reminders(engine.planTimers(aggregate, new Date('2025-08-22T14:30:00Z')));

    // Assess: 1 h 30 on Friday + 8 h on Monday 25 (a working day in Scotland); half is 4 h 45 →
    // Monday 12:15 BST. On England's calendar it would have been Friday 16:15.
    expect(planned.filter((p) => p.startsWith('referral-decision'))).toEqual([
      'referral-decision.R-1 p50@2025-08-25T11:15:00.000Z',
      'referral-decision.R-1 due@2025-08-25T16:00:00.000Z',
    ]);
  });

  it('the read view lists them on the case’s calendar, with or without the authority’s wiring', async () => {
    // Prepare
    const { engine, aggregate } = scottishReferral();
    const store = new MemoryCaseStore();
    store.seed(aggregate, 3);

    // Act
    const wired = await getCaseReminders('C-1001', {
      store,
      reminders: {
        calendar: engine.calendar,
        calendarFor: (division) => engine.calendarFor(division),
        plans: engine.plans,
        directory: directoryOf(),
      },
    });
    const bare = await getCaseReminders('C-1001', { store });

    // Assess: the limit is the end of Mon 25 Aug; the breach is told at the next Scottish
    // working day's opening, Tue 26 Aug 09:00 BST, and repeated on Wed 27 Aug.
    for (const list of [wired, bare]) {
      expect(
        list.reminders
          .filter((r) => r.rule === 'referral-decision')
          .map((r) => `${r.step}@${r.fireAt}`),
      ).toEqual([
        'p50@2025-08-25T11:15:00.000Z',
        'due@2025-08-25T16:00:00.000Z',
        'breach@2025-08-26T08:00:00.000Z',
        'br2@2025-08-27T08:00:00.000Z',
      ]);
    }
  });

  it('fires a Scottish case’s reminder at once on a day England keeps as a bank holiday', async () => {
    // Prepare: Mon 25 Aug 2025 12:15 BST, the 50 % step, to the team manager (P-0002).
    const { engine, aggregate } = scottishReferral();
    const run = async (calendarFor: FireTimerDeps['reminder']['calendarFor']) => {
      const t = fireSetup(aggregate, '2025-08-25T11:15:00Z', {
        version: 3,
        calendar: engine.calendar,
        calendarFor,
        plans: engine.plans,
        fallback: undefined,
      });
      const deadline = aggregate.deadlines.find((d) => d.rule === 'referral-decision');
      const outcome = await fireTimer(
        {
          caseId: 'C-1001',
          deadlineId: deadline?.id as string,
          kind: 'reminder',
          version: deadline?.version as number,
          step: 'p50',
        },
        t.deps,
      );
      return { ...t, outcome };
    };

    // Act
    const scottish = await run((division) => engine.calendarFor(division));
    const english = await run(undefined);

    // Assess: in hours in Scotland, sent now; on England's calendar it would wait for Tuesday.
    expect(scottish.outcome).toMatchObject({ status: 'reminded', sent: 1, deferred: 0 });
    expect(scottish.email.sent.map((m) => m.to)).toEqual(['manager.one@example.gov.uk']);
    expect(english.outcome).toMatchObject({ status: 'reminded', sent: 0, deferred: 1 });
    expect(english.scheduled[0]?.fireAt).toEqual(at('2025-08-26T08:00:00Z'));
  });

  it('reminderTimers on a bare calendar keep office hours (the engine’s calendars carry the team hours)', () => {
    // Act: a Building Bridges deadline on a calendar with no team hours at all.
    const timers = reminderTimers(
      {
        id: 'building-bridges-supervision.1',
        caseId: 'C-1001',
        rule: 'building-bridges-supervision',
        status: 'open',
        startedAt: at('2026-07-24T09:00:00Z'),
        dueAt: at('2026-08-28T15:30:00Z'),
        team: 'north',
        hoursTeam: 'building-bridges',
        urgent: false,
        safeguarding: false,
        version: 1,
      },
      createCalendar({ division: 'england-and-wales' }),
      DEFAULT_REMINDER_PLANS['building-bridges-supervision'],
    );

    // Assess: 09:00 BST.
    expect(timers[0]?.fireAt).toEqual(at('2026-08-14T08:00:00Z'));
  });
});
