import { describe, expect, it } from 'vitest';
import { advance } from '#kernel/engine/index.js';
import { loadRuleSet } from '#kernel/rules/index.js';
import { ctxAt, deadline, due, ev, opened, play } from './helpers.js';

const D1 = 'disagreement.D-1';

/** Raised Thu 19 Nov 2026 10:00 GMT on C-1001. */
const raisedThursday = () =>
  play([
    opened('2026-11-18T09:00:00Z'),
    ev('disagreement.raised', '2026-11-19T10:00:00Z', { disagreementId: 'D-1' }),
  ]);

describe('disagreement (Southampton: 5 stages × 2 working days)', () => {
  it('stage 1 is due 2 working days after the raise: Thu 10:00 → Mon 17:00', () => {
    // Prepare / Act: working days strictly after Thu 19 Nov: Fri 20 (1), Mon 23 (2) → 17:00 GMT.
    const { aggregate } = raisedThursday();

    // Assess
    expect(deadline(aggregate, D1)).toMatchObject({
      status: 'open',
      stage: 1,
      stageName: 'Discussion with line manager/safeguarding lead',
      escalateTo: 'supervisor',
    });
    expect(due(aggregate, D1)).toBe('2026-11-23T17:00:00.000Z');
  });

  it('raised on a Saturday → Tuesday 17:00', () => {
    // Prepare: Sat 21 Nov 2026; working days after: Mon 23 (1), Tue 24 (2).
    const events = [
      opened('2026-11-18T09:00:00Z'),
      ev('disagreement.raised', '2026-11-21T10:00:00Z', { disagreementId: 'D-1' }),
    ];

    // Act
    const { aggregate } = play(events);

    // Assess
    expect(due(aggregate, D1)).toBe('2026-11-24T17:00:00.000Z');
  });

  it('over Easter: Thu 2 Apr 2026 → Wed 8 Apr 17:00 BST', () => {
    // Prepare: after Thu 2 Apr: Fri 3 (Good Friday), Mon 6 (Easter Monday) skipped;
    // Tue 7 (1), Wed 8 (2) → 17:00 BST = 16:00Z.
    const events = [
      opened('2026-04-01T09:00:00Z'),
      ev('disagreement.raised', '2026-04-02T09:00:00Z', { disagreementId: 'D-1' }),
    ];

    // Act
    const { aggregate } = play(events);

    // Assess
    expect(due(aggregate, D1)).toBe('2026-04-08T16:00:00.000Z');
  });

  it('across the spring DST change: Fri 27 Mar 2026 → Tue 31 Mar 17:00 BST', () => {
    // Prepare: clocks go forward Sun 29 Mar; Mon 30 (1), Tue 31 (2) → 17:00 BST = 16:00Z.
    const events = [
      opened('2026-03-26T09:00:00Z'),
      ev('disagreement.raised', '2026-03-27T10:00:00Z', { disagreementId: 'D-1' }),
    ];

    // Act
    const { aggregate } = play(events);

    // Assess
    expect(due(aggregate, D1)).toBe('2026-03-31T16:00:00.000Z');
  });

  it('escalates stage by stage through advance(), then breaches', () => {
    // Prepare: each stage starts at the previous stage's due instant and runs 2 working days:
    // 1: → Mon 23 Nov 17:00; 2: Tue 24, Wed 25 → Wed 25 17:00; 3: Thu 26, Fri 27 → Fri 27 17:00;
    // 4: Mon 30, Tue 1 Dec → Tue 1 Dec 17:00; 5: Wed 2, Thu 3 → Thu 3 Dec 17:00 (all GMT).
    let agg = raisedThursday().aggregate;
    const expected = [
      [2, '2026-11-25T17:00:00.000Z', 'allocated-worker'],
      [3, '2026-11-27T17:00:00.000Z', 'team-manager'],
      [4, '2026-12-01T17:00:00.000Z', 'head-of-service'],
      [5, '2026-12-03T17:00:00.000Z', 'head-of-service'],
    ] as const;
    const seen: unknown[] = [];

    // Act: a due timer fires at each stage's due instant.
    for (let i = 0; i < expected.length; i++) {
      const r = advance(agg, ctxAt(deadline(agg, D1).dueAt.toISOString()));
      agg = r.aggregate;
      const d = deadline(agg, D1);
      seen.push([d.stage, d.dueAt.toISOString(), d.escalateTo]);
      expect(r.audit.map((a) => a.kind)).toEqual(['escalated']);
      // The stage starts at the previous due instant.
      expect(r.audit[0]?.at.toISOString()).toBe(d.stageStartedAt?.toISOString());
    }
    // The last stage's target passes at 17:00 on Thursday 3 December; its limit is the end of
    // that day (midnight GMT): not breached before then.
    const atTarget = advance(agg, ctxAt('2026-12-03T17:00:00Z'));
    const beforeLimit = advance(agg, ctxAt('2026-12-03T23:59:59Z'));
    const last = advance(agg, ctxAt('2026-12-04T00:00:00Z'));

    // Assess
    expect(atTarget.audit).toEqual([]);
    expect(beforeLimit.audit).toEqual([]);
    expect(deadline(agg, D1).limitAt?.toISOString()).toBe('2026-12-04T00:00:00.000Z');
    expect(seen).toEqual(expected);
    expect(deadline(last.aggregate, D1)).toMatchObject({
      status: 'breached',
      stage: 5,
      version: 6,
    });
    expect(last.audit.map((a) => a.kind)).toEqual(['breached']);
  });

  it('a late advance climbs every stage that has passed in one call', () => {
    // Prepare
    const { aggregate } = raisedThursday();

    // Act: now = Mon 30 Nov 09:00, inside stage 4 (Fri 27 17:00 → Tue 1 Dec 17:00).
    const r = advance(aggregate, ctxAt('2026-11-30T09:00:00Z'));

    // Assess
    expect(deadline(r.aggregate, D1)).toMatchObject({ status: 'open', stage: 4 });
    expect(r.audit.map((a) => a.kind)).toEqual(['escalated', 'escalated', 'escalated']);
  });

  it('is met at the stage it was resolved in', () => {
    // Prepare: advance into stage 3 (after Wed 25 Nov 17:00), resolve Thu 26 Nov 10:00.
    const staged = advance(raisedThursday().aggregate, ctxAt('2026-11-26T09:00:00Z')).aggregate;

    // Act
    const { aggregate } = play(
      [ev('disagreement.resolved', '2026-11-26T10:00:00Z', { disagreementId: 'D-1' })],
      undefined,
      staged,
    );

    // Assess
    expect(deadline(aggregate, D1)).toMatchObject({ status: 'met', stage: 3 });
  });

  it('a resolution delivered late counts at the stage it happened in', () => {
    // Prepare: resolved Tue 24 Nov 12:00 (stage 2) but no advance ran in between.
    const { aggregate: raised } = raisedThursday();

    // Act
    const { aggregate } = play(
      [ev('disagreement.resolved', '2026-11-24T12:00:00Z', { disagreementId: 'D-1' })],
      undefined,
      raised,
    );

    // Assess
    expect(deadline(aggregate, D1)).toMatchObject({ status: 'met', stage: 2 });
  });

  it('advance is idempotent', () => {
    // Prepare
    const { aggregate } = raisedThursday();
    const ctx = ctxAt('2026-11-26T09:00:00Z');

    // Act
    const once = advance(aggregate, ctx);
    const twice = advance(once.aggregate, ctx);

    // Assess
    expect(twice.aggregate).toBe(once.aggregate);
    expect(twice.audit).toEqual([]);
  });
});

describe('disagreement (Norfolk preset)', () => {
  it('has the 4 stages of seed 002, 2 working days each', () => {
    // Prepare
    const norfolk = loadRuleSet('norfolk');
    const events = [
      opened('2026-11-18T09:00:00Z'),
      ev('disagreement.raised', '2026-11-19T10:00:00Z', { disagreementId: 'D-1' }),
    ];

    // Act: far past the 4th stage's due (Tue 1 Dec 17:00, as in Southampton's stage 4).
    const { aggregate } = play(events, norfolk);
    const r = advance(aggregate, { ...ctxAt('2026-12-10T09:00:00Z', norfolk) });

    // Assess
    expect(norfolk.get('disagreement')?.stages).toHaveLength(4);
    expect(deadline(aggregate, D1).stageName).toBe(
      'Direct Professional to Professional Discussion',
    );
    expect(deadline(r.aggregate, D1)).toMatchObject({ status: 'breached', stage: 4 });
    expect(due(r.aggregate, D1)).toBe('2026-12-01T17:00:00.000Z');
  });
});
