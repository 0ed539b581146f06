/**
 * The Working Together 2023 clocks in the engine: what the worked examples of docs/domain.md do
 * not show — restarts delivered late, placements that end or change, plans that end (a case's
 * division and where the rules are on are in working-together-division.test.ts). Expected due times are worked by hand from docs/domain.md.
 */
import { describe, expect, it } from 'vitest';
import { makeCaseEngine } from '#kernel/engine/bound.js';
import { loadRuleSet } from '#kernel/rules/index.js';
import { deadline, ev, opened, play } from './helpers.js';
import { AUTHORITY, deliver } from './working-together-support.js';

describe('initial conference: the first strategy discussion of the enquiry', () => {
  it('a later discussion of the same enquiry does not move the clock', () => {
    // Act
    const { aggregate, audit } = play([
      opened('2026-08-13T08:00:00Z'),
      ev('strategy-discussion.held', '2026-08-13T09:00:00Z', { enquiryId: 'E-1' }),
      ev('strategy-discussion.held', '2026-08-19T13:00:00Z', { enquiryId: 'E-1' }),
    ]);

    // Assess: I1 of docs/domain.md — 15 working days after Thu 13 Aug 2026 (the Summer bank
    // holiday, Mon 31 Aug, skipped) is Fri 4 Sep: target 17:00 BST, limit the end of that day.
    const d = deadline(aggregate, 'initial-conference.E-1');
    expect(d.startedAt.toISOString()).toBe('2026-08-13T09:00:00.000Z');
    expect(d.dueAt.toISOString()).toBe('2026-09-04T16:00:00.000Z');
    expect(d.limitAt?.toISOString()).toBe('2026-09-04T23:00:00.000Z');
    expect(d.version).toBe(1);
    expect(audit.at(-1)).toMatchObject({ kind: 'duplicate' });
  });

  it('an earlier discussion delivered late moves the clock back to it', () => {
    // Act: the discussion of Wed 19 Aug reaches us first, the one of Thu 13 Aug the next day.
    const engine = makeCaseEngine(AUTHORITY);
    const { aggregate, audit } = deliver(engine, [
      { event: opened('2026-08-13T08:00:00Z') },
      { event: ev('strategy-discussion.held', '2026-08-19T13:00:00Z', { enquiryId: 'E-1' }) },
      {
        event: ev('strategy-discussion.held', '2026-08-13T09:00:00Z', { enquiryId: 'E-1' }),
        now: '2026-08-20T09:00:00Z',
      },
    ]);

    // Assess: from 19 Aug the clock was due Thu 10 Sep (I2's old figure); from 13 Aug, Fri 4 Sep.
    const d = deadline(aggregate, 'initial-conference.E-1');
    expect(d.startedAt.toISOString()).toBe('2026-08-13T09:00:00.000Z');
    expect(d.dueAt.toISOString()).toBe('2026-09-04T16:00:00.000Z');
    expect(audit.find((a) => a.kind === 'recomputed')?.detail).toMatchObject({
      oldDueAt: '2026-09-10T16:00:00.000Z',
      newDueAt: '2026-09-04T16:00:00.000Z',
      oldLimitAt: '2026-09-10T23:00:00.000Z',
      newLimitAt: '2026-09-04T23:00:00.000Z',
    });
  });

  it('with restart on, a discussion held by the limit but delivered after the breach reopens the clock', () => {
    // Prepare: an authority counting from the latest discussion. 13 Aug 2026 → limit the end of
    // Fri 4 Sep (23:00 UTC); not breached at the 17:00 target, breached after midnight.
    const engine = makeCaseEngine({
      ...AUTHORITY,
      rules: { rules: { 'initial-conference': { restart: true } } },
    });
    const first = deliver(engine, [
      { event: opened('2026-08-13T08:00:00Z') },
      {
        event: ev('strategy-discussion.held', '2026-08-13T09:00:00Z', { enquiryId: 'E-1' }),
      },
    ]);
    const atTarget = engine.advance(first.aggregate, new Date('2026-09-04T16:00:00Z'));
    expect(deadline(atTarget.aggregate, 'initial-conference.E-1').status).toBe('open');
    const breached = engine.advance(first.aggregate, new Date('2026-09-05T08:00:00Z'));
    expect(deadline(breached.aggregate, 'initial-conference.E-1').status).toBe('breached');

    // Act: a discussion of Wed 2 Sep 10:00 BST reaches us on Mon 7 Sep.
    const late = engine.applyEvent(
      breached.aggregate,
      ev('strategy-discussion.held', '2026-09-02T09:00:00Z', { enquiryId: 'E-1' }),
      new Date('2026-09-07T08:00:00Z'),
    );

    // Assess: open again, 15 working days after Wed 2 Sep: 3, 4, 7–11, 14–18, 21, 22, 23 →
    // Wed 23 Sep 17:00 BST; audited as a correction with the old and new times.
    const d = deadline(late.aggregate, 'initial-conference.E-1');
    expect(d.status).toBe('open');
    expect(d.closedAt).toBeUndefined();
    expect(d.startedAt.toISOString()).toBe('2026-09-02T09:00:00.000Z');
    expect(d.dueAt.toISOString()).toBe('2026-09-23T16:00:00.000Z');
    expect(late.audit.find((a) => a.kind === 'corrected')?.detail).toMatchObject({
      from: 'breached',
      to: 'open',
      oldDueAt: '2026-09-04T16:00:00.000Z',
      newDueAt: '2026-09-23T16:00:00.000Z',
    });
  });

  it('with restart on, a later discussion is audited as recomputed and bumps the version', () => {
    // Act
    const { aggregate, audit } = play(
      [
        opened('2026-08-13T08:00:00Z'),
        ev('strategy-discussion.held', '2026-08-13T09:00:00Z', { enquiryId: 'E-1' }),
        ev('strategy-discussion.held', '2026-08-19T13:00:00Z', { enquiryId: 'E-1' }),
      ],
      loadRuleSet('southampton', { rules: { 'initial-conference': { restart: true } } }),
    );

    // Assess: 15 working days after Wed 19 Aug: Thu 10 Sep 2026 17:00 BST.
    const d = deadline(aggregate, 'initial-conference.E-1');
    expect(d.version).toBe(2);
    expect(d.dueAt.toISOString()).toBe('2026-09-10T16:00:00.000Z');
    expect(audit.find((a) => a.kind === 'recomputed')?.detail).toMatchObject({
      reason: 'restarted by a later start event',
      oldStartedAt: '2026-08-13T09:00:00.000Z',
      newStartedAt: '2026-08-19T13:00:00.000Z',
    });
  });

  it('an initial conference before its discussion (out of order) meets the clock when it starts', () => {
    // Act
    const { aggregate } = play([
      opened('2026-08-13T08:00:00Z'),
      ev('conference.held', '2026-08-20T09:00:00Z', { kind: 'initial', enquiryId: 'E-1' }),
      ev('strategy-discussion.held', '2026-08-13T09:00:00Z', { enquiryId: 'E-1' }),
    ]);

    // Assess
    expect(deadline(aggregate, 'initial-conference.E-1').status).toBe('met');
  });
});

describe('child protection plans and placements', () => {
  it('cp-plan.ended cancels the review, core group and visit clocks; a second start changes nothing', () => {
    // Act
    const { aggregate } = play([
      opened('2026-08-20T08:00:00Z'),
      ev('cp-plan.started', '2026-08-20T11:00:00Z', {}),
      ev('cp-plan.started', '2026-08-25T11:00:00Z', {}),
      ev('cp-plan.ended', '2026-08-27T11:00:00Z', {}),
    ]);

    // Assess: one clock each, all cancelled; the plan is over.
    const ids = aggregate.deadlines.map((d) => `${d.id} ${d.status}`);
    expect(ids).toEqual([
      'review-conference.1 cancelled',
      'core-group.1 cancelled',
      'cp-visit.1 cancelled',
    ]);
    expect(aggregate.cpPlan).toBeUndefined();
  });

  it('the end of another placement is ignored; the current one’s end cancels its clock', () => {
    // Act
    const { aggregate, audit } = play([
      opened('2025-08-18T08:00:00Z'),
      ev('placement.started', '2025-08-18T13:00:00Z', { placementId: 'PL-1' }),
      ev('placement.ended', '2025-08-19T13:00:00Z', { placementId: 'PL-0' }),
    ]);
    expect(deadline(aggregate, 'cla-visit.1').status).toBe('open');
    expect(audit.at(-1)).toMatchObject({
      kind: 'ignored',
      detail: { reason: 'not the current placement' },
    });

    const ended = play(
      [ev('placement.ended', '2025-08-20T13:00:00Z', { placementId: 'PL-1' })],
      undefined,
      aggregate,
    );
    expect(deadline(ended.aggregate, 'cla-visit.1').status).toBe('cancelled');
    expect(ended.aggregate.placement).toBeUndefined();
  });

  it('a placement made permanent after the first year recomputes the running clock to 3 months', () => {
    // Prepare: L6 of docs/domain.md — the visit of Tue 25 Aug 2026 starts a 6-week clock.
    const steps = [
      opened('2025-08-18T08:00:00Z'),
      ev('placement.started', '2025-08-18T13:00:00Z', { placementId: 'PL-1' }),
      ev('visit.made', '2026-08-25T09:00:00Z', { kind: 'cla' }),
    ];
    const before = play(steps).aggregate;
    expect(deadline(before, 'cla-visit.2').dueAt.toISOString()).toBe('2026-10-06T16:00:00.000Z');

    // Act: the same placement, now intended to last until 18.
    const { aggregate } = play(
      [
        ev('placement.started', '2026-09-01T09:00:00Z', {
          placementId: 'PL-1',
          permanent: true,
        }),
      ],
      undefined,
      before,
    );

    // Assess: 3 months from Tue 25 Aug 2026 → Wed 25 Nov 2026 17:00 GMT; the start is unchanged.
    expect(aggregate.placement?.startedAt.toISOString()).toBe('2025-08-18T13:00:00.000Z');
    expect(deadline(aggregate, 'cla-visit.2').dueAt.toISOString()).toBe('2026-11-25T17:00:00.000Z');
  });

  it('a visit at or before the running clock’s start does not meet it', () => {
    // Act
    const { aggregate, audit } = play([
      opened('2026-08-19T08:00:00Z'),
      ev('cp-plan.started', '2026-08-19T14:00:00Z', {}),
      ev('visit.made', '2026-08-19T13:00:00Z', { kind: 'cp' }),
    ]);

    // Assess
    expect(deadline(aggregate, 'cp-visit.1').status).toBe('open');
    expect(audit.at(-1)?.kind).toBe('ignored');
  });

  it('a visit of the other kind meets nothing', () => {
    // Act
    const { aggregate } = play([
      opened('2026-08-19T08:00:00Z'),
      ev('cp-plan.started', '2026-08-19T14:00:00Z', {}),
      ev('visit.made', '2026-08-20T13:00:00Z', { kind: 'cla' }),
    ]);

    // Assess
    expect(deadline(aggregate, 'cp-visit.1').status).toBe('open');
  });
});
