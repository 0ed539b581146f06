/**
 * The looked-after child's visits and reviews (regulations 28 and 33 of the 2010 Regulations)
 * and the Wales child protection visits. Every expected instant was worked by hand from the
 * sources cited in docs/domain.md (bank holidays of England and Wales; BST from the last Sunday
 * of March to the last Sunday of October).
 */
import { describe, expect, it } from 'vitest';
import { loadRuleSet } from '#kernel/rules/index.js';
import { at, deadline, ev, opened, play } from './helpers.js';

describe('looked-after children (regulations 28 and 33 of the 2010 Regulations)', () => {
  it('reviews: the first within 20 working days, the second within 3 months, then 6 months', () => {
    // Act: looked after from Thu 13 Aug 2026 (Mon 31 Aug the Summer bank holiday).
    const first = play([
      opened('2026-08-13T08:00:00Z'),
      ev('looked-after.started', '2026-08-13T09:00:00Z', {}),
    ]).aggregate;
    const second = play(
      [ev('cla-review.held', '2026-09-09T09:00:00Z', {})],
      undefined,
      first,
    ).aggregate;
    const third = play(
      [ev('cla-review.held', '2026-12-07T10:00:00Z', {})],
      undefined,
      second,
    ).aggregate;

    // Assess: 20 working days → Fri 11 Sep 2026; 3 months after Wed 9 Sep → Wed 9 Dec (GMT);
    // 6 months after Mon 7 Dec → Mon 7 Jun 2027 (BST).
    expect(at(first, 'cla-review.1')).toEqual({
      due: '2026-09-11T16:00:00.000Z',
      limit: '2026-09-11T23:00:00.000Z',
      status: 'open',
    });
    expect(at(second, 'cla-review.2')).toEqual({
      due: '2026-12-09T17:00:00.000Z',
      limit: '2026-12-10T00:00:00.000Z',
      status: 'open',
    });
    expect(at(third, 'cla-review.3')).toEqual({
      due: '2027-06-07T16:00:00.000Z',
      limit: '2027-06-07T23:00:00.000Z',
      status: 'open',
    });
    const ended = play([ev('looked-after.ended', '2027-01-04T10:00:00Z', {})], undefined, third);
    expect(deadline(ended.aggregate, 'cla-review.3')).toMatchObject({
      status: 'cancelled',
      closedReason: 'The child stopped being looked after.',
    });
  });

  it('28(4): weekly until the first review, then every 4 weeks counted from the last visit', () => {
    // Act: placed with a connected person on temporary approval, Mon 2 Mar 2026 (GMT).
    const weekly = play([
      opened('2026-03-02T08:00:00Z'),
      ev('placement.started', '2026-03-02T10:00:00Z', {
        placementId: 'PL-1',
        basis: 'connected-person-temporary',
      }),
      ev('visit.made', '2026-03-06T10:00:00Z', { kind: 'cla' }),
      ev('visit.made', '2026-03-13T10:00:00Z', { kind: 'cla' }),
    ]).aggregate;
    const reviewed = play(
      [ev('cla-review.held', '2026-03-18T10:00:00Z', {})],
      undefined,
      weekly,
    ).aggregate;

    // Assess: the first clock 1 week from Mon 2 Mar; from the visit of Fri 13 Mar, 1 week
    // (Fri 20 Mar); after the review of Wed 18 Mar, 4 weeks from that visit: Fri 10 Apr 2026
    // (after Easter; BST).
    expect(at(weekly, 'cla-visit.1').due).toBe('2026-03-09T17:00:00.000Z');
    expect(at(weekly, 'cla-visit.3')).toEqual({
      due: '2026-03-20T17:00:00.000Z',
      limit: '2026-03-21T00:00:00.000Z',
      status: 'open',
    });
    expect(at(reviewed, 'cla-visit.3')).toEqual({
      due: '2026-04-10T16:00:00.000Z',
      limit: '2026-04-10T23:00:00.000Z',
      status: 'open',
    });
  });

  it('28(3): placed with a parent before assessment, 6 weeks after the first review', () => {
    // Act
    const { aggregate } = play([
      opened('2026-03-02T08:00:00Z'),
      ev('placement.started', '2026-03-02T10:00:00Z', {
        placementId: 'PL-1',
        basis: 'with-parent-before-assessment',
      }),
      ev('visit.made', '2026-03-13T10:00:00Z', { kind: 'cla' }),
      ev('cla-review.held', '2026-03-18T10:00:00Z', {}),
    ]);

    // Assess: 6 weeks after the visit of Fri 13 Mar 2026 → Fri 24 Apr 2026 (BST).
    expect(at(aggregate, 'cla-visit.2').due).toBe('2026-04-24T16:00:00.000Z');
  });

  it('28(5): a care order at home, within 1 week of the order, then 6 weeks', () => {
    // Act
    const { aggregate } = play([
      opened('2026-11-03T08:00:00Z'),
      ev('placement.started', '2026-11-03T10:00:00Z', {
        placementId: 'PL-1',
        basis: 'care-order-at-home',
      }),
      ev('visit.made', '2026-11-09T10:00:00Z', { kind: 'cla' }),
    ]);

    // Assess: Tue 10 Nov 2026, then 6 weeks after Mon 9 Nov: Mon 21 Dec (GMT).
    expect(at(aggregate, 'cla-visit.1').due).toBe('2026-11-10T17:00:00.000Z');
    expect(at(aggregate, 'cla-visit.2').due).toBe('2026-12-21T17:00:00.000Z');
  });

  it('regulation 48: short breaks at the interval agreed with the IRO', () => {
    // Act: every 8 weeks from Mon 6 Jul 2026 → Mon 31 Aug, the Summer bank holiday.
    const { aggregate } = play([
      opened('2026-07-06T08:00:00Z'),
      ev('placement.started', '2026-07-06T10:00:00Z', {
        placementId: 'PL-1',
        basis: 'short-breaks',
        visitEveryWeeks: 8,
      }),
    ]);

    // Assess: the target rolls back to Fri 28 Aug; the limit stays the end of Mon 31 Aug.
    expect(at(aggregate, 'cla-visit.1')).toEqual({
      due: '2026-08-28T16:00:00.000Z',
      limit: '2026-08-31T23:00:00.000Z',
      status: 'open',
    });
  });
});

describe('Wales child protection visits (nation: wales)', () => {
  it('seen alone every 10 working days and at home every 4 weeks; a visit meets the clock it satisfies', () => {
    // Prepare
    const wales = loadRuleSet('southampton', { nation: 'wales' });

    // Act: a plan from Wed 19 Aug 2026; seen alone (not at home) Tue 1 Sep; at home Mon 14 Sep.
    const { aggregate } = play(
      [
        opened('2026-08-19T08:00:00Z'),
        ev('cp-plan.started', '2026-08-19T14:00:00Z', {}),
        ev('visit.made', '2026-09-01T10:00:00Z', { kind: 'cp', seenAlone: true, atHome: false }),
        ev('visit.made', '2026-09-14T10:00:00Z', { kind: 'cp', atHome: true }),
      ],
      wales,
    );

    // Assess: seen alone — Thu 3 Sep (met 1 Sep), then 10 working days after Tue 1 Sep: Tue 15
    // Sep; at home — 4 weeks after Wed 19 Aug: Wed 16 Sep (met 14 Sep), then Mon 12 Oct.
    expect(at(aggregate, 'cp-visit.1')).toMatchObject({ status: 'met' });
    expect(at(aggregate, 'cp-visit.2')).toEqual({
      due: '2026-09-15T16:00:00.000Z',
      limit: '2026-09-15T23:00:00.000Z',
      status: 'open',
    });
    expect(at(aggregate, 'cp-home-visit.1')).toMatchObject({
      due: '2026-09-16T16:00:00.000Z',
      status: 'met',
    });
    expect(at(aggregate, 'cp-home-visit.2')).toEqual({
      due: '2026-10-12T16:00:00.000Z',
      limit: '2026-10-12T23:00:00.000Z',
      status: 'open',
    });
  });
});
