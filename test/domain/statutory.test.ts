/**
 * Clocks as the law counts them: outcomes that cancel clocks no longer owed, the statutory
 * limit beside the working target, and care proceedings (the looked-after child's visits and
 * reviews and the Wales child protection visits are in statutory-looked-after.test.ts). Every expected instant was worked by hand
 * from the sources cited in docs/domain.md (bank holidays of England and Wales; BST from the
 * last Sunday of March to the last Sunday of October).
 */
import { describe, expect, it } from 'vitest';
import { advance, UnknownSubjectError } from '#kernel/engine/index.js';
import { at, ctxAt, deadline, ev, opened, play } from './helpers.js';

describe('outcomes cancel the clocks no longer owed', () => {
  it('a referral decided no further action cancels its assessment, with the reason', () => {
    // Act
    const { aggregate, audit } = play([
      opened('2025-08-22T08:00:00Z'),
      ev('referral.received', '2025-08-22T14:30:00Z', { referralId: 'R-1' }),
      ev('referral.decided', '2025-08-26T09:00:00Z', {
        referralId: 'R-1',
        outcome: 'no-further-action',
      }),
    ]);

    // Assess
    expect(deadline(aggregate, 'referral-decision.R-1').status).toBe('met');
    const assessment = deadline(aggregate, 'assessment.R-1');
    expect(assessment.status).toBe('cancelled');
    expect(assessment.closedReason).toBe(
      'Referral R-1 was decided: no further action. No assessment is owed.',
    );
    expect(audit.at(-1)).toMatchObject({ kind: 'cancelled', deadlineId: 'assessment.R-1' });
  });

  it('early help cancels it too; an assessment or strategy discussion outcome, or none, leaves it running', () => {
    const decided = (outcome?: 'early-help' | 'assessment' | 'strategy-discussion') =>
      play([
        opened('2025-08-22T08:00:00Z'),
        ev('referral.received', '2025-08-22T14:30:00Z', { referralId: 'R-1' }),
        ev('referral.decided', '2025-08-26T09:00:00Z', {
          referralId: 'R-1',
          ...(outcome === undefined ? {} : { outcome }),
        }),
      ]).aggregate;

    expect(deadline(decided('early-help'), 'assessment.R-1').status).toBe('cancelled');
    expect(deadline(decided('assessment'), 'assessment.R-1').status).toBe('open');
    expect(deadline(decided('strategy-discussion'), 'assessment.R-1').status).toBe('open');
    expect(deadline(decided(), 'assessment.R-1').status).toBe('open');
  });

  it('an outcome delivered before its referral is kept and applied when the referral arrives', () => {
    // Act
    const { aggregate } = play([
      opened('2025-08-22T08:00:00Z'),
      ev('referral.decided', '2025-08-26T09:00:00Z', { referralId: 'R-1', outcome: 'early-help' }),
      ev('referral.received', '2025-08-22T14:30:00Z', { referralId: 'R-1' }),
    ]);

    // Assess
    expect(deadline(aggregate, 'referral-decision.R-1').status).toBe('met');
    expect(deadline(aggregate, 'assessment.R-1')).toMatchObject({
      status: 'cancelled',
      closedReason: 'Referral R-1 was decided: early help. No assessment is owed.',
    });
    expect(aggregate.earlyStops).toEqual([]);
  });

  it('an enquiry concluded with no conference cancels its initial-conference clock', () => {
    // Act
    const { aggregate } = play([
      opened('2026-08-13T08:00:00Z'),
      ev('strategy-discussion.held', '2026-08-13T09:00:00Z', { enquiryId: 'E-1' }),
      ev('strategy-discussion.held', '2026-08-13T09:00:00Z', { enquiryId: 'E-2' }),
      ev('enquiry.concluded', '2026-08-20T09:00:00Z', { enquiryId: 'E-1', conference: false }),
      ev('enquiry.concluded', '2026-08-20T09:00:00Z', { enquiryId: 'E-2', conference: true }),
    ]);

    // Assess
    expect(deadline(aggregate, 'initial-conference.E-1')).toMatchObject({
      status: 'cancelled',
      closedReason:
        'Section 47 enquiry E-1 concluded that no initial child protection conference is needed.',
    });
    expect(deadline(aggregate, 'initial-conference.E-2').status).toBe('open');
  });

  it('an outcome after the breach turns the breach into a cancellation (no repeats for a clock not owed)', () => {
    // Prepare: E-1's limit is the end of Fri 4 Sep 2026; breached by Mon 7 Sep.
    const started = play([
      opened('2026-08-13T08:00:00Z'),
      ev('strategy-discussion.held', '2026-08-13T09:00:00Z', { enquiryId: 'E-1' }),
    ]).aggregate;
    const breached = advance(started, ctxAt('2026-09-07T08:00:00Z')).aggregate;
    expect(deadline(breached, 'initial-conference.E-1').status).toBe('breached');

    // Act
    const { aggregate, audit } = play(
      [ev('enquiry.concluded', '2026-09-07T09:00:00Z', { enquiryId: 'E-1', conference: false })],
      undefined,
      breached,
    );

    // Assess
    expect(deadline(aggregate, 'initial-conference.E-1').status).toBe('cancelled');
    expect(audit.at(-1)).toMatchObject({
      kind: 'corrected',
      detail: { from: 'breached', to: 'cancelled' },
    });
  });

  it('enquiry.concluded for an enquiry the case does not know is refused, naming data.enquiryId', () => {
    // Act
    const act = () =>
      play([
        opened('2026-08-13T08:00:00Z'),
        ev('enquiry.concluded', '2026-08-20T09:00:00Z', { enquiryId: 'E-9', conference: false }),
      ]);

    // Assess
    expect(act).toThrow(UnknownSubjectError);
    try {
      act();
    } catch (error) {
      expect((error as UnknownSubjectError).field).toBe('data.enquiryId');
    }
  });
});

describe('limit and target', () => {
  it('a 45-working-day assessment completed at 19:00 on day 45 is on time', () => {
    // Act: A1 of docs/domain.md — referral Fri 22 Aug 2025, day 45 is Mon 27 Oct 2025 (GMT
    // since Sunday 26 Oct): target 17:00, limit midnight; completed at 19:00.
    const { aggregate } = play([
      opened('2025-08-22T08:00:00Z'),
      ev('referral.received', '2025-08-22T14:30:00Z', { referralId: 'R-1' }),
      ev('assessment.completed', '2025-10-27T19:00:00Z', { referralId: 'R-1' }),
    ]);

    // Assess
    const d = deadline(aggregate, 'assessment.R-1');
    expect(d.dueAt.toISOString()).toBe('2025-10-27T17:00:00.000Z');
    expect(d.limitAt?.toISOString()).toBe('2025-10-28T00:00:00.000Z');
    expect(d.status).toBe('met');
    expect(d.measure).toEqual({ workingDays: 45, within: 45 });
  });

  it('completed on the Saturday after day 45: late by the limit, 45 working days by the DfE', () => {
    // Act: referral Thu 21 Aug 2025; 45 working days after it (25 Aug the Summer bank
    // holiday) end on Fri 24 Oct 2025 (BST): limit 23:00 UTC. Completed Sat 25 Oct 11:00 BST.
    const { aggregate } = play([
      opened('2025-08-21T08:00:00Z'),
      ev('referral.received', '2025-08-21T09:00:00Z', { referralId: 'R-1' }),
      ev('assessment.completed', '2025-10-25T10:00:00Z', { referralId: 'R-1' }),
    ]);

    // Assess: breached at the limit, met late by 1 working day (Monday 27 October); the DfE
    // counts working days by date, and Saturday is not one: 45.
    const d = deadline(aggregate, 'assessment.R-1');
    expect(d.limitAt?.toISOString()).toBe('2025-10-24T23:00:00.000Z');
    expect(d.status).toBe('breached');
    expect(d.closedAt?.toISOString()).toBe('2025-10-24T23:00:00.000Z');
    expect(d.lateness).toEqual({ amount: 1, unit: 'working-days' });
    expect(d.measure).toEqual({ workingDays: 45, within: 45 });
  });

  it('a 6-week visit due on a Saturday met that Saturday is on time', () => {
    // Act: placed Sat 4 Apr 2026; visited Sat 11 Apr (1 week: on time at the limit, the end of
    // that Saturday); the next is due 6 weeks on, Sat 23 May: target Fri 22 May 17:00 BST.
    const steps = [
      opened('2026-04-04T08:00:00Z'),
      ev('placement.started', '2026-04-04T09:00:00Z', { placementId: 'PL-1' }),
      ev('visit.made', '2026-04-11T10:00:00Z', { kind: 'cla' }),
    ];
    const placed = play(steps).aggregate;
    const friday = advance(placed, ctxAt('2026-05-22T18:00:00Z')).aggregate;
    const { aggregate } = play(
      [ev('visit.made', '2026-05-23T10:00:00Z', { kind: 'cla' })],
      undefined,
      friday,
    );

    // Assess
    expect(at(placed, 'cla-visit.1')).toEqual({
      due: '2026-04-10T16:00:00.000Z',
      limit: '2026-04-11T23:00:00.000Z',
      status: 'met',
    });
    expect(at(friday, 'cla-visit.2')).toEqual({
      due: '2026-05-22T16:00:00.000Z',
      limit: '2026-05-23T23:00:00.000Z',
      status: 'open',
    });
    expect(deadline(aggregate, 'cla-visit.2').status).toBe('met');
  });
});

describe('care proceedings (Children Act 1989 s32)', () => {
  const issued = [
    opened('2025-11-25T08:00:00Z'),
    ev('proceedings.issued', '2025-11-25T10:00:00Z', { proceedingsId: 'PR-1' }),
  ];

  it('issued on a Tuesday: the last day is the Monday 26 weeks on, a bank holiday across the clock change', () => {
    // Act: issued Tue 25 Nov 2025 (GMT); 26 weeks beginning with that day end on Mon 25 May
    // 2026, the Spring bank holiday (BST): the target rolls back to Fri 22 May 17:00 BST.
    const { aggregate } = play(issued);

    // Assess
    expect(at(aggregate, 'care-proceedings.PR-1')).toEqual({
      due: '2026-05-22T16:00:00.000Z',
      limit: '2026-05-25T23:00:00.000Z',
      status: 'open',
    });
    // Concluded on the bank holiday itself: on time.
    const concluded = play(
      [ev('proceedings.concluded', '2026-05-25T14:00:00Z', { proceedingsId: 'PR-1' })],
      undefined,
      advance(aggregate, ctxAt('2026-05-23T09:00:00Z')).aggregate,
    ).aggregate;
    expect(deadline(concluded, 'care-proceedings.PR-1').status).toBe('met');
  });

  it('an 8-week extension moves the limit 8 weeks on, to Monday 20 July 2026', () => {
    // Act
    const { aggregate, audit } = play([
      ...issued,
      ev('proceedings.extended', '2026-05-01T10:00:00Z', { proceedingsId: 'PR-1', weeks: 8 }),
    ]);

    // Assess
    const d = deadline(aggregate, 'care-proceedings.PR-1');
    expect(d.extensionWeeks).toBe(8);
    expect(at(aggregate, 'care-proceedings.PR-1')).toEqual({
      due: '2026-07-20T16:00:00.000Z',
      limit: '2026-07-20T23:00:00.000Z',
      status: 'open',
    });
    expect(audit.at(-1)).toMatchObject({
      kind: 'recomputed',
      detail: { reason: 'extended by 8 weeks', newLimitAt: '2026-07-20T23:00:00.000Z' },
    });
    expect(d.explain[0]).toBe(
      'Care proceedings disposed of within 26 weeks of issue: 34 weeks beginning with Tuesday 25 November 2025, 10:00 (GMT), 26 weeks and 8 weeks by extension.',
    );
  });

  it('an extension granted after the limit passed leaves the breach standing', () => {
    // Prepare
    const breached = advance(play(issued).aggregate, ctxAt('2026-05-26T08:00:00Z')).aggregate;

    // Act
    const { aggregate, audit } = play(
      [ev('proceedings.extended', '2026-05-27T10:00:00Z', { proceedingsId: 'PR-1', weeks: 4 })],
      undefined,
      breached,
    );

    // Assess
    expect(deadline(aggregate, 'care-proceedings.PR-1').status).toBe('breached');
    expect(audit.at(-1)).toMatchObject({ kind: 'ignored' });
  });
});
