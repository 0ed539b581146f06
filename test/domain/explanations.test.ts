/**
 * "How the due time was worked out": London time with its zone, units in words (singular and
 * plural right for every unit), and the rule's source named.
 */
import { describe, expect, it } from 'vitest';
import { humanInstant, quantity, UNIT_WORDS, type UnitName } from '#kernel/calendar/explain.js';
import { addClock } from '#kernel/engine/clock.js';
import { loadRuleSet } from '#kernel/rules/index.js';
import { calendar, deadline, ev, opened, play } from './helpers.js';

describe('units in words', () => {
  const expected: Record<UnitName, [string, string]> = {
    hours: ['1 hour', '2 hours'],
    'working-hours': ['1 working hour', '2 working hours'],
    'working-days': ['1 working day', '2 working days'],
    days: ['1 day', '2 days'],
    weeks: ['1 week', '2 weeks'],
    months: ['1 month', '2 months'],
  };

  it.each(Object.keys(UNIT_WORDS) as UnitName[])('%s: one and many', (unit) => {
    expect([quantity(1, unit), quantity(2, unit)]).toEqual(expected[unit]);
  });

  it.each(['hours', 'working-hours', 'working-days', 'weeks', 'months'] as const)(
    'a clock of 1 and of 3 %s explains itself without a raw unit or a wrong plural',
    (unit) => {
      for (const amount of [1, 3]) {
        const { explain } = addClock(calendar, new Date('2026-05-20T09:30:00Z'), {
          unit,
          amount,
        });
        const text = explain.join(' ');
        expect(text).not.toMatch(
          /working-days|working-hours|\b1 (hours|weeks|months|working days|working hours)\b/,
        );
        expect(text).toContain(quantity(amount, unit));
      }
    },
  );
});

describe('weeks beginning with the start’s day', () => {
  it('1 week ends, 2 weeks end: issued Tuesday 3 March 2026, the last days are the Mondays after', () => {
    // Act
    const from = new Date('2026-03-03T10:00:00Z');
    const one = addClock(calendar, from, { unit: 'weeks', amount: 1, beginningWith: true });
    const two = addClock(calendar, from, { unit: 'weeks', amount: 2, beginningWith: true });

    // Assess
    expect(one.explain[0]).toBe(
      '1 week beginning with Tuesday 3 March 2026 ends on Monday 9 March 2026.',
    );
    expect(two.explain[0]).toBe(
      '2 weeks beginning with Tuesday 3 March 2026 end on Monday 16 March 2026.',
    );
  });
});

describe('London time with its zone', () => {
  it('writes an instant as “Friday 24 May 2030, 17:30 (BST)”, and GMT in winter', () => {
    expect(humanInstant(Date.parse('2030-05-24T16:30:00Z'))).toBe(
      'Friday 24 May 2030, 17:30 (BST)',
    );
    expect(humanInstant(Date.parse('2030-01-04T09:05:00Z'))).toBe(
      'Friday 4 January 2030, 09:05 (GMT)',
    );
  });
});

describe('a deadline’s explanation', () => {
  it('names the clock in words, the start in London time, the source, the target and the limit', () => {
    // Act: a referral on Friday 22 August 2025 at 15:30 BST.
    const { aggregate } = play([
      opened('2025-08-22T08:00:00Z'),
      ev('referral.received', '2025-08-22T14:30:00Z', { referralId: 'R-1' }),
    ]);

    // Assess
    expect(deadline(aggregate, 'referral-decision.R-1').explain).toEqual([
      'Decide on next steps within one working day of a referral: 1 working day from Friday 22 August 2025, 15:30 (BST).',
      'Source (statutory guidance): Working Together to Safeguard Children 2023, chapter 3, assessment of children in need: a decision on next steps within one working day of a referral (as reproduced; paragraph not verified).',
      'Counted 1 working day after Friday 22 August 2025, the day it started.',
      'Skipped the weekend of Saturday 23 and Sunday 24 August 2025.',
      'Skipped Monday 25 August 2025: Summer bank holiday, a bank holiday in England and Wales.',
      'Due at close of business on Tuesday 26 August 2025, 17:00 (BST): the working target reminders are planned around.',
      'Limit: the end of Tuesday 26 August 2025; met by then is on time.',
    ]);
  });

  it('names a regulation with its page on legislation.gov.uk, and the placement basis’s own paragraph', () => {
    // Act
    const { aggregate } = play([
      opened('2026-03-02T08:00:00Z'),
      ev('placement.started', '2026-03-02T10:00:00Z', {
        placementId: 'PL-1',
        basis: 'connected-person-temporary',
      }),
    ]);

    // Assess
    const [first, source] = deadline(aggregate, 'cla-visit.1').explain;
    expect(first).toBe(
      'Visit to a looked-after child in their placement: 1 week from the placement’s start, Monday 2 March 2026, 10:00 (GMT).',
    );
    expect(source).toMatch(
      /^Source \(regulation\): .*regulation 28\(4\).* — https:\/\/www\.legislation\.gov\.uk\/uksi\/2010\/959\/regulation\/28\.$/,
    );
  });

  it('every clock of every rule names its source on its second line', () => {
    // Act: one event that starts each rule's clock, in England and in Wales.
    const starts = [
      opened('2026-03-02T08:00:00Z', { jointWithMentalHealth: true }),
      ev('lado.concern-raised', '2026-03-02T09:00:00Z', { allegationId: 'A-1' }),
      ev('lado.notified', '2026-03-02T10:00:00Z', { allegationId: 'A-1' }),
      ev('disagreement.raised', '2026-03-02T10:00:00Z', { disagreementId: 'D-1' }),
      ev('building-bridges.started', '2026-03-02T10:00:00Z', { personId: 'P-0006' }),
      ev('coworking.started', '2026-03-02T10:00:00Z', { reviewEveryWeeks: 4 }),
      ev('referral.received', '2026-03-02T10:00:00Z', { referralId: 'R-1' }),
      ev('strategy-discussion.held', '2026-03-02T10:00:00Z', { enquiryId: 'E-1' }),
      ev('cp-plan.started', '2026-03-02T10:00:00Z', {}),
      ev('placement.started', '2026-03-02T10:00:00Z', { placementId: 'PL-1' }),
      ev('looked-after.started', '2026-03-02T10:00:00Z', {}),
      ev('proceedings.issued', '2026-03-02T10:00:00Z', { proceedingsId: 'PR-1' }),
    ];
    for (const rules of [loadRuleSet(), loadRuleSet('norfolk', { nation: 'wales' })]) {
      const { aggregate } = play(starts, rules);

      // Assess
      expect(new Set(aggregate.deadlines.map((d) => d.rule))).toEqual(
        new Set(rules.rules.map((r) => r.id)),
      );
      for (const d of aggregate.deadlines) {
        expect(d.explain[1], d.id).toMatch(
          /^Source \((statute|regulation|statutory guidance|local practice)\): /,
        );
        expect(d.explain[0], d.id).toMatch(/, \d\d:\d\d \((GMT|BST)\)[,.]/);
      }
    }
  });
});
