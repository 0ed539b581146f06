/**
 * Reminders of the Working Together clocks: the default plans, an authority's plan overrides and
 * Building Bridges reminders in Building Bridges hours (a case's own calendar is in
 * working-together-calendar.test.ts). Expected instants are worked by hand from
 * docs/reminders.md and the GOV.UK calendar.
 */
import { describe, expect, it } from 'vitest';
import { makeCaseEngine } from '#kernel/engine/bound.js';
import {
  breachOf,
  DEFAULT_BREACH,
  DEFAULT_REMINDER_PLANS,
  listPlannedReminders,
  loadReminderPlans,
  type ReminderPlan,
} from '#kernel/reminders/index.js';
import { RuleValidationError } from '#kernel/rules/index.js';
import { AUTHORITY, caseAfter, ev, reminders, WORKERS } from './working-together-support.js';

describe('the default plans of the Working Together clocks', () => {
  it('core groups and visits: 2 working days before and on the day; conferences 10 and 5 before', () => {
    // Prepare: a plan started Thu 20 Aug 2026 12:00 BST and a strategy discussion Wed 19 Aug
    // 14:00 BST (docs/domain.md G1, V1, I2's second discussion).
    const engine = makeCaseEngine(AUTHORITY);
    const aggregate = caseAfter(engine, [
      ev('case.opened', '2026-08-19T08:00:00Z', { team: 'north', workers: WORKERS }),
      ev('strategy-discussion.held', '2026-08-19T13:00:00Z', { enquiryId: 'E-1' }),
      ev('cp-plan.started', '2026-08-20T11:00:00Z', {}),
    ]);

    // Act
    const planned = reminders(engine.planTimers(aggregate, new Date('2026-08-20T11:00:00Z')));

    // Assess (09:00 BST = 08:00Z):
    // - core group due Fri 4 Sep: 2 working days before is Wed 2 Sep; on the day Fri 4;
    // - CP visit (10 working days from Thu 20 Aug) due Fri 4 Sep: the same days;
    // - initial conference due Thu 10 Sep 2026: 10 working days before, counting back over the
    //   Summer bank holiday (Mon 31 Aug), is Wed 26 Aug; 5 before is Thu 3 Sep;
    // - review conference due Fri 20 Nov 2026 (3 months, GMT): 10 before is Fri 6 Nov, 5 before
    //   Fri 13 Nov, on the day Fri 20 Nov at 09:00 GMT.
    expect(planned).toEqual([
      'initial-conference.E-1 b10wd@2026-08-26T08:00:00.000Z',
      'core-group.1 b2wd@2026-09-02T08:00:00.000Z',
      'cp-visit.1 b2wd@2026-09-02T08:00:00.000Z',
      'initial-conference.E-1 b5wd@2026-09-03T08:00:00.000Z',
      'core-group.1 day@2026-09-04T08:00:00.000Z',
      'cp-visit.1 day@2026-09-04T08:00:00.000Z',
      'initial-conference.E-1 day@2026-09-10T08:00:00.000Z',
      'review-conference.1 b10wd@2026-11-06T09:00:00.000Z',
      'review-conference.1 b5wd@2026-11-13T09:00:00.000Z',
      'review-conference.1 day@2026-11-20T09:00:00.000Z',
    ]);
  });

  it('referral decision: at 50 % of the working time and at due, to the team manager', () => {
    // Prepare: received Fri 22 Aug 2025 15:30 BST, due Tue 26 Aug 17:00 (docs/domain.md R1).
    const engine = makeCaseEngine(AUTHORITY);
    const aggregate = caseAfter(engine, [
      ev('case.opened', '2025-08-22T08:00:00Z', { team: 'north', workers: WORKERS }),
      ev('referral.received', '2025-08-22T14:30:00Z', { referralId: 'R-1' }),
    ]);

    // Act
    const view = listPlannedReminders(aggregate, engine.calendar, engine.plans).filter(
      (r) => r.rule === 'referral-decision',
    );

    // Assess: 1 h 30 on Friday + 8 h on Tuesday = 9 h 30; half is 4 h 45: Friday's 1 h 30, then
    // 3 h 15 from 09:00 on Tuesday → 12:15 BST. The limit is the end of Tuesday (midnight BST),
    // out of hours, and the clock is not urgent: the default breach step of a safeguarding
    // clock is told at Wednesday's opening (27 Aug 09:00 BST) — the first working day after the
    // limit's date, so to the team manager, their manager and the head of service — and
    // repeated at Thursday's opening.
    const manager = { role: 'team-manager', escalate: 0 };
    const everyone = [manager, { ...manager, escalate: 1 }, { ...manager, escalate: 2 }];
    expect(view.map((r) => [r.step, r.fireAt, r.to])).toEqual([
      ['p50', '2025-08-26T11:15:00.000Z', [manager]],
      ['due', '2025-08-26T16:00:00.000Z', [manager]],
      ['breach', '2025-08-27T08:00:00.000Z', everyone],
      ['br2', '2025-08-28T08:00:00.000Z', everyone],
    ]);
  });

  it('every rule of the default rule set (England or Wales) has a plan, and every plan a rule', () => {
    // Act
    const england = makeCaseEngine(AUTHORITY);
    const wales = makeCaseEngine({ ...AUTHORITY, rules: { nation: 'wales' } });

    // Assess
    const rules = new Set([...england.rules.rules, ...wales.rules.rules].map((r) => r.id));
    expect(Object.keys(DEFAULT_REMINDER_PLANS).sort()).toEqual([...rules].sort());
  });
});

describe('Building Bridges reminders in Building Bridges hours', () => {
  it('with no team hours configured, the reminders open at 08:30 like the clock', () => {
    // Prepare: an authority that configured no teamHours; a supervision due Fri 28 Aug 2026
    // 16:30 BST (docs/domain.md S9).
    const engine = makeCaseEngine(AUTHORITY);
    const aggregate = caseAfter(engine, [
      ev('case.opened', '2026-07-24T08:00:00Z', { team: 'north' }),
      ev('building-bridges.started', '2026-07-24T09:00:00Z', { personId: 'P-0006' }),
    ]);

    // Act
    const planned = reminders(engine.planTimers(aggregate, new Date('2026-07-24T09:00:00Z')));

    // Assess: 08:30 BST = 07:30Z. 10 working days before Fri 28 Aug is Fri 14 Aug; 2 before is
    // Wed 26 Aug; on the day Fri 28; overdue: the 1st working day after is Tue 1 Sep (Mon 31 Aug
    // is the Summer bank holiday), the 2nd Wed 2 Sep.
    expect(planned).toEqual([
      'building-bridges-supervision.1 b10wd@2026-08-14T07:30:00.000Z',
      'building-bridges-supervision.1 b2wd@2026-08-26T07:30:00.000Z',
      'building-bridges-supervision.1 day@2026-08-28T07:30:00.000Z',
      'building-bridges-supervision.1 o1wd@2026-09-01T07:30:00.000Z',
      'building-bridges-supervision.1 o2wd@2026-09-02T07:30:00.000Z',
    ]);
    expect(
      listPlannedReminders(aggregate, engine.calendar, engine.plans).map((r) => r.fireAt)[0],
    ).toBe('2026-08-14T07:30:00.000Z');
  });

  it('an authority’s own Building Bridges hours win over the rule’s', () => {
    // Prepare: Building Bridges opening at 08:00 every weekday, closing 17:00.
    const hours = { open: '08:00', close: '17:00' };
    const engine = makeCaseEngine({
      ...AUTHORITY,
      teamHours: { 'building-bridges': { 1: hours, 2: hours, 3: hours, 4: hours, 5: hours } },
    });
    const aggregate = caseAfter(engine, [
      ev('case.opened', '2026-07-24T07:00:00Z', { team: 'north' }),
      ev('building-bridges.started', '2026-07-24T09:00:00Z', { personId: 'P-0006' }),
    ]);

    // Act
    const planned = reminders(engine.planTimers(aggregate, new Date('2026-07-24T09:00:00Z')));

    // Assess: due Fri 28 Aug at 17:00 this time; reminders at 08:00 BST (07:00Z).
    expect(aggregate.deadlines[0]?.dueAt.toISOString()).toBe('2026-08-28T16:00:00.000Z');
    expect(planned[0]).toBe('building-bridges-supervision.1 b10wd@2026-08-14T07:00:00.000Z');
  });
});

describe('an authority’s reminder plans', () => {
  const ids = makeCaseEngine(AUTHORITY).rules.rules.map((r) => r.id);

  it('an override merges into the default plan; steps replace the default steps', () => {
    // Act
    const plans = loadReminderPlans(
      {
        'cp-visit': {
          title: 'Statutory visit',
          steps: [
            {
              key: 'b1wd',
              at: { kind: 'before', workingDays: 1 },
              to: [{ role: 'allocated-worker' }],
            },
          ],
        },
      },
      ids,
    );

    // Assess
    expect(plans['cp-visit']).toEqual({
      ...DEFAULT_REMINDER_PLANS['cp-visit'],
      title: 'Statutory visit',
      steps: [
        { key: 'b1wd', at: { kind: 'before', workingDays: 1 }, to: [{ role: 'allocated-worker' }] },
      ],
    });
    expect(plans['core-group']).toBe(DEFAULT_REMINDER_PLANS['core-group']);
  });

  it('reach the engine from the authority configuration: its timers follow the override', () => {
    // Prepare
    const engine = makeCaseEngine({
      ...AUTHORITY,
      reminderPlans: {
        'cp-visit': {
          steps: [
            {
              key: 'b1wd',
              at: { kind: 'before', workingDays: 1 },
              to: [{ role: 'allocated-worker' }],
            },
          ],
        },
      },
    });
    const aggregate = caseAfter(engine, [
      ev('case.opened', '2026-08-19T08:00:00Z', { team: 'north', workers: WORKERS }),
      ev('cp-plan.started', '2026-08-19T14:00:00Z', {}),
    ]);

    // Act
    const planned = reminders(engine.planTimers(aggregate, new Date('2026-08-19T14:00:00Z')));

    // Assess: the visit due Thu 3 Sep 2026 (docs/domain.md V1): 1 working day before is Wed 2 Sep.
    expect(planned.filter((p) => p.startsWith('cp-visit'))).toEqual([
      'cp-visit.1 b1wd@2026-09-02T08:00:00.000Z',
    ]);
    expect(engine.plans['cp-visit']?.steps).toHaveLength(1);
  });

  it('a breach override merges field by field over the default breach step', () => {
    // Act
    const plans = loadReminderPlans(
      {
        'core-group': {
          breach: {
            to: [{ role: 'team-manager' }],
            routine: { escalation: [{ level: 1, afterWorkingDays: 0 }], repeatDaily: true },
          },
        },
      },
      ids,
    );

    // Assess
    const breach = breachOf(plans['core-group'] as ReminderPlan);
    expect(breach.to).toEqual([{ role: 'team-manager' }]);
    expect(breach.routine).toEqual({
      escalation: [{ level: 1, afterWorkingDays: 0 }],
      repeatDaily: true,
    });
    expect(breach.safeguarding).toEqual(DEFAULT_BREACH.safeguarding);
  });

  it('the Working Together plans get the default breach step: a missed visit is announced', () => {
    // Prepare: a CP visit due Thu 3 Sep 2026 17:00 BST (docs/domain.md V1), its limit the end
    // of that Thursday: still open at 17:00, breached at midnight.
    const engine = makeCaseEngine(AUTHORITY);
    const open = caseAfter(engine, [
      ev('case.opened', '2026-08-19T08:00:00Z', { team: 'north', workers: WORKERS }),
      ev('cp-plan.started', '2026-08-19T14:00:00Z', {}),
    ]);
    const atTarget = engine.advance(open, new Date('2026-09-03T16:00:00Z')).aggregate;
    expect(atTarget.deadlines.find((d) => d.id === 'cp-visit.1')?.status).toBe('open');
    const breached = engine.advance(open, new Date('2026-09-03T23:00:00Z')).aggregate;

    // Act
    const planned = reminders(engine.planTimers(breached, new Date('2026-09-03T23:00:00Z')));

    // Assess: the limit passed out of hours and the clock is not urgent: the breach is told at
    // Friday 4 Sep's opening (09:00 BST), then — a safeguarding clock — repeated at the next
    // working day's, Mon 7 Sep.
    expect(planned.filter((p) => p.startsWith('cp-visit'))).toEqual([
      'cp-visit.1 breach@2026-09-04T08:00:00.000Z',
      'cp-visit.1 br2@2026-09-07T08:00:00.000Z',
    ]);
  });

  it.each([
    [
      {
        'cp-visit': {
          breach: {
            safeguarding: { escalation: [{ level: 3, afterWorkingDays: 0 }], repeatDaily: true },
          },
        },
      },
      /reminderPlans "cp-visit" breach\.safeguarding\.escalation\.0\.level/,
    ],
    [
      { 'cp-visit': { breach: { routine: { repeatDaily: true } } } },
      /reminderPlans "cp-visit" breach\.routine\.escalation/,
    ],
    [
      { 'cp-visit': { breach: { to: [{ role: 'chair' }] } } },
      /reminderPlans "cp-visit" breach\.to\.0\.role/,
    ],
    [{ 'cp-vist': {} }, /reminderPlans "cp-vist": no rule "cp-vist"/],
    [
      { 'cp-visit': { steps: [{ key: 'B 1', at: { kind: 'due' }, to: [] }] } },
      /reminderPlans "cp-visit" steps\.0\.key: lower-case letters/,
    ],
    [
      { 'cp-visit': { steps: [{ key: 'b1', at: { kind: 'before' }, to: [] }] } },
      /reminderPlans "cp-visit" steps\.0\.at: a "before" step names either workingDays or workingHours/,
    ],
    [
      { 'cp-visit': { steps: [{ key: 'b1', at: { kind: 'due' }, to: [{ role: 'nobody' }] }] } },
      /reminderPlans "cp-visit" steps\.0\.to\.0\.role/,
    ],
    [
      {
        'cp-visit': {
          steps: [
            { key: 'd', at: { kind: 'due' }, to: [] },
            { key: 'd', at: { kind: 'on-day' }, to: [] },
          ],
        },
      },
      /reminderPlans "cp-visit" steps\.1\.key: "d" is already the key of another step/,
    ],
    [{ 'cp-visit': { rule: 'core-group' } }, /reminderPlans "cp-visit" rule: must be "cp-visit"/],
    [{ 'cp-visit': { clock: 'wall' } }, /reminderPlans "cp-visit" clock/],
    [['cp-visit'], /reminderPlans: must be an object keyed by rule id/],
  ])('a bad override is refused, naming the rule and the field (%#)', (overrides, message) => {
    // Act / Assess
    expect(() => loadReminderPlans(overrides, ids)).toThrow(RuleValidationError);
    expect(() => loadReminderPlans(overrides, ids)).toThrow(message);
  });

  it('a bad override fails the engine’s construction (a Lambda’s cold start)', () => {
    // Act / Assess
    expect(() =>
      makeCaseEngine({ ...AUTHORITY, reminderPlans: { assessment: { title: '' } } }),
    ).toThrow(/reminderPlans "assessment" title: must not be empty/);
    expect(() =>
      makeCaseEngine({ ...AUTHORITY, rules: { rules: { 'cp-visit': { clock: { amount: 0 } } } } }),
    ).toThrow(/rule "cp-visit" clock\.amount: amount must be positive/);
  });
});
