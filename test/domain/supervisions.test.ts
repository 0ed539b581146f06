import { describe, expect, it } from 'vitest';
import { advance } from '#kernel/engine/index.js';
import { ctxAt, deadline, due, ev, opened, play } from './helpers.js';

describe('joint-supervision (calendar months, preceding working day)', () => {
  it('6 months from opening, clamped to the month end: 31 Mar → 30 Sep 17:00 BST', () => {
    // Prepare: opened Tue 31 Mar 2026 with joint MH working, standard risk, no interval.
    // 31 Sep does not exist → 30 Sep 2026 (Wed, a working day) at close → 17:00 BST = 16:00Z.
    const events = [opened('2026-03-31T09:00:00Z', { jointWithMentalHealth: true })];

    // Act
    const { aggregate } = play(events);

    // Assess
    expect(due(aggregate, 'joint-supervision.1')).toBe('2026-09-30T16:00:00.000Z');
    expect(deadline(aggregate, 'joint-supervision.1')).toMatchObject({
      sequence: 1,
      status: 'open',
    });
  });

  it('falls back to the preceding working day: 31 Aug 2026 → Fri 26 Feb 2027', () => {
    // Prepare: opened Mon 31 Aug 2026 (itself the summer bank holiday); +6 months → 31 Feb →
    // clamped to Sun 28 Feb 2027 → preceding working day Fri 26 Feb at 17:00 GMT.
    const events = [opened('2026-08-31T09:00:00Z', { jointWithMentalHealth: true })];

    // Act
    const { aggregate } = play(events);

    // Assess
    expect(due(aggregate, 'joint-supervision.1')).toBe('2027-02-26T17:00:00.000Z');
  });

  it('high risk with no interval uses the 3-month default', () => {
    // Prepare: opened Thu 15 Jan 2026; +3 months → Wed 15 Apr 2026, 17:00 BST = 16:00Z.
    const events = [
      opened('2026-01-15T10:00:00Z', { jointWithMentalHealth: true, riskLevel: 'high' }),
    ];

    // Act
    const { aggregate } = play(events);

    // Assess
    expect(due(aggregate, 'joint-supervision.1')).toBe('2026-04-15T16:00:00.000Z');
  });

  it('an agreed interval wins: 2 months from 15 Jan → Sun 15 Mar → Fri 13 Mar 17:00', () => {
    // Prepare
    const events = [
      opened('2026-01-15T10:00:00Z', {
        jointWithMentalHealth: true,
        riskLevel: 'high',
        jointSupervisionEveryMonths: 2,
      }),
    ];

    // Act
    const { aggregate } = play(events);

    // Assess
    expect(due(aggregate, 'joint-supervision.1')).toBe('2026-03-13T17:00:00.000Z');
  });

  it('recomputes when the risk level changes (version++, audit old/new)', () => {
    // Prepare: standard → 15 Jul 2026 (Wed) 16:00Z; high → 3 months → 15 Apr 2026 16:00Z.
    const base = play([opened('2026-01-15T10:00:00Z', { jointWithMentalHealth: true })]);
    expect(due(base.aggregate, 'joint-supervision.1')).toBe('2026-07-15T16:00:00.000Z');

    // Act
    const { aggregate, audit } = play(
      [ev('case.updated', '2026-01-20T10:00:00Z', { riskLevel: 'high' })],
      undefined,
      base.aggregate,
    );

    // Assess
    expect(deadline(aggregate, 'joint-supervision.1')).toMatchObject({ version: 2 });
    expect(due(aggregate, 'joint-supervision.1')).toBe('2026-04-15T16:00:00.000Z');
    const line = audit.find((a) => a.kind === 'recomputed');
    expect(line?.detail).toMatchObject({
      oldDueAt: '2026-07-15T16:00:00.000Z',
      newDueAt: '2026-04-15T16:00:00.000Z',
    });
  });

  it('a joint supervision meets the current clock and starts the next from its date', () => {
    // Prepare: high risk, opened Thu 15 Jan 2026; joint supervision Tue 10 Feb 14:00Z.
    // Next: 10 May 2026 is a Sunday → Fri 8 May 17:00 BST = 16:00Z.
    const events = [
      opened('2026-01-15T10:00:00Z', { jointWithMentalHealth: true, riskLevel: 'high' }),
      ev('supervision.held', '2026-02-10T14:00:00Z', { kind: 'joint' }),
    ];

    // Act
    const { aggregate } = play(events);

    // Assess
    expect(deadline(aggregate, 'joint-supervision.1').status).toBe('met');
    expect(deadline(aggregate, 'joint-supervision.2').startedAt.toISOString()).toBe(
      '2026-02-10T14:00:00.000Z',
    );
    expect(due(aggregate, 'joint-supervision.2')).toBe('2026-05-08T16:00:00.000Z');
  });

  it('a redelivered supervision.held does not meet the next clock', () => {
    // Prepare
    const held = ev('supervision.held', '2026-02-10T14:00:00Z', { kind: 'joint' });
    const events = [
      opened('2026-01-15T10:00:00Z', { jointWithMentalHealth: true, riskLevel: 'high' }),
      held,
    ];
    const first = play(events);

    // Act
    const again = play([held], undefined, first.aggregate);

    // Assess
    expect(again.aggregate).toBe(first.aggregate);
    expect(deadline(again.aggregate, 'joint-supervision.2').status).toBe('open');
  });

  it('a breached supervision stays breached; the late supervision restarts the cycle once', () => {
    // Prepare: high risk from Thu 15 Jan 2026 → due Wed 15 Apr 16:00Z; breached on advance.
    const base = play([
      opened('2026-01-15T10:00:00Z', { jointWithMentalHealth: true, riskLevel: 'high' }),
    ]);
    const breached = advance(base.aggregate, ctxAt('2026-04-16T09:00:00Z')).aggregate;
    // Another event meanwhile must not start a second clock for the same missed supervision.
    const other = play(
      [ev('lado.concern-raised', '2026-04-17T09:00:00Z', { allegationId: 'A-1' })],
      undefined,
      breached,
    ).aggregate;

    // Act: held late on Mon 20 Apr 10:00 BST → next due Mon 20 Jul 17:00 BST = 16:00Z.
    const { aggregate } = play(
      [ev('supervision.held', '2026-04-20T09:00:00Z', { kind: 'joint' })],
      undefined,
      other,
    );

    // Assess
    expect(other.deadlines.filter((d) => d.rule === 'joint-supervision')).toHaveLength(1);
    expect(deadline(aggregate, 'joint-supervision.1')).toMatchObject({ status: 'breached' });
    expect(deadline(aggregate, 'joint-supervision.1').metAt?.toISOString()).toBe(
      '2026-04-20T09:00:00.000Z',
    );
    expect(due(aggregate, 'joint-supervision.2')).toBe('2026-07-20T16:00:00.000Z');
  });

  it('turning joint working off cancels the clock; on again starts a new one', () => {
    // Prepare
    const events = [
      opened('2026-01-15T10:00:00Z', { jointWithMentalHealth: true }),
      ev('case.updated', '2026-02-02T10:00:00Z', { jointWithMentalHealth: false }),
      ev('case.updated', '2026-03-02T10:00:00Z', { jointWithMentalHealth: true }),
    ];

    // Act
    const { aggregate } = play(events);

    // Assess: 2 Mar + 6 months → Wed 2 Sep 2026 17:00 BST = 16:00Z.
    expect(deadline(aggregate, 'joint-supervision.1').status).toBe('cancelled');
    expect(due(aggregate, 'joint-supervision.2')).toBe('2026-09-02T16:00:00.000Z');
  });
});

describe('building-bridges-supervision (5 weeks, Building Bridges hours)', () => {
  it('closes at 16:30 on a Friday, across the autumn DST change', () => {
    // Prepare: started Fri 2 Oct 2026 (BST); +35 days → Fri 6 Nov 2026 (GMT); Building Bridges
    // Friday close is 16:30 → 16:30Z.
    const events = [
      opened('2026-10-01T09:00:00Z'),
      ev('building-bridges.started', '2026-10-02T09:00:00Z', { personId: 'P-0001' }),
    ];

    // Act
    const { aggregate } = play(events);

    // Assess
    expect(due(aggregate, 'building-bridges-supervision.1')).toBe('2026-11-06T16:30:00.000Z');
    expect(deadline(aggregate, 'building-bridges-supervision.1').hoursTeam).toBe(
      'building-bridges',
    );
  });

  it('moves back from Easter Monday past Good Friday to Thursday', () => {
    // Prepare: started Mon 2 Mar 2026; +5 weeks → Mon 6 Apr (Easter Monday) → Fri 3 Apr (Good
    // Friday) → Thu 2 Apr, Building Bridges close 17:00 BST = 16:00Z.
    const events = [
      opened('2026-03-01T09:00:00Z'),
      ev('building-bridges.started', '2026-03-02T09:00:00Z', { personId: 'P-0001' }),
    ];

    // Act
    const { aggregate } = play(events);

    // Assess
    expect(due(aggregate, 'building-bridges-supervision.1')).toBe('2026-04-02T16:00:00.000Z');
  });

  it('restarts from each supervision and stops when the intervention ends', () => {
    // Prepare: supervision Thu 26 Mar 2026 10:00Z → +5 weeks Thu 30 Apr 17:00 BST = 16:00Z.
    const events = [
      opened('2026-03-01T09:00:00Z'),
      ev('building-bridges.started', '2026-03-02T09:00:00Z', { personId: 'P-0001' }),
      ev('supervision.held', '2026-03-26T10:00:00Z', { kind: 'building-bridges' }),
    ];
    const mid = play(events);

    // Act
    const { aggregate } = play(
      [ev('building-bridges.ended', '2026-04-10T09:00:00Z', {})],
      undefined,
      mid.aggregate,
    );

    // Assess
    expect(due(mid.aggregate, 'building-bridges-supervision.2')).toBe('2026-04-30T16:00:00.000Z');
    expect(deadline(aggregate, 'building-bridges-supervision.2').status).toBe('cancelled');
    expect(aggregate.buildingBridges).toBeUndefined();
  });
});

describe('co-working-review (every reviewEveryWeeks weeks)', () => {
  it('starts at co-allocation, restarts at each co-working supervision, ends with co-working', () => {
    // Prepare: started Wed 4 Mar 2026 10:00Z, every 4 weeks → Wed 1 Apr 17:00 BST = 16:00Z.
    // Supervision Tue 31 Mar 09:00Z → next Tue 28 Apr 17:00 BST = 16:00Z.
    const started = play([
      opened('2026-03-01T09:00:00Z'),
      ev('coworking.started', '2026-03-04T10:00:00Z', { reviewEveryWeeks: 4 }),
    ]);
    const supervised = play(
      [ev('supervision.held', '2026-03-31T09:00:00Z', { kind: 'co-working' })],
      undefined,
      started.aggregate,
    );

    // Act
    const ended = play(
      [ev('coworking.ended', '2026-04-02T09:00:00Z', {})],
      undefined,
      supervised.aggregate,
    );

    // Assess
    expect(due(started.aggregate, 'co-working-review.1')).toBe('2026-04-01T16:00:00.000Z');
    expect(deadline(supervised.aggregate, 'co-working-review.1').status).toBe('met');
    expect(due(supervised.aggregate, 'co-working-review.2')).toBe('2026-04-28T16:00:00.000Z');
    expect(deadline(ended.aggregate, 'co-working-review.2').status).toBe('cancelled');
  });

  it('a new interval recomputes the running review', () => {
    // Prepare: 4 weeks → 1 Apr; changed to 2 weeks → Wed 18 Mar 17:00 GMT.
    const started = play([
      opened('2026-03-01T09:00:00Z'),
      ev('coworking.started', '2026-03-04T10:00:00Z', { reviewEveryWeeks: 4 }),
    ]);

    // Act
    const { aggregate } = play(
      [ev('coworking.started', '2026-03-05T10:00:00Z', { reviewEveryWeeks: 2 })],
      undefined,
      started.aggregate,
    );

    // Assess
    expect(deadline(aggregate, 'co-working-review.1').version).toBe(2);
    expect(due(aggregate, 'co-working-review.1')).toBe('2026-03-18T17:00:00.000Z');
  });
});
