import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { localClock } from '#kernel/calendar/london.js';
import { advance, applyEvent, nextChangeAt, UnknownSubjectError } from '#kernel/engine/index.js';
import { type CaseAggregate, limitOf } from '#kernel/model.js';
import { loadRuleSet, type RuleSet } from '#kernel/rules/index.js';
import { planTimers } from '#kernel/timers.js';
import type { CaseEvent } from '#schemas/events.js';
import { ctxAt, southampton } from './helpers.js';

/** Every preset and variant: the properties hold whatever the configuration. */
const ruleSets = fc.constantFrom(
  southampton,
  loadRuleSet('norfolk'),
  loadRuleSet('southampton', { ladoNotification: 'one-working-day' }),
  loadRuleSet('southampton', { nation: 'wales' }),
);

const START = Date.parse('2026-01-01T00:00:00Z');
const SPAN = 2 * 365 * 86_400_000;

/** One case event's type and data, with an allegation or disagreement from a small pool. */
const step = fc.oneof(
  fc
    .constantFrom('A-1', 'A-2')
    .chain((allegationId) =>
      fc.constantFrom(
        { type: 'lado.concern-raised', data: { allegationId } },
        { type: 'lado.notified', data: { allegationId } },
        { type: 'lado.responded', data: { allegationId } },
      ),
    ),
  fc
    .constantFrom('D-1', 'D-2')
    .chain((disagreementId) =>
      fc.constantFrom(
        { type: 'disagreement.raised', data: { disagreementId } },
        { type: 'disagreement.resolved', data: { disagreementId } },
      ),
    ),
  fc.constantFrom('joint', 'building-bridges', 'co-working').map((kind) => ({
    type: 'supervision.held',
    data: { kind },
  })),
  fc.integer({ min: 1, max: 12 }).map((reviewEveryWeeks) => ({
    type: 'coworking.started',
    data: { reviewEveryWeeks },
  })),
  fc.constant({ type: 'coworking.ended', data: {} }),
  fc.constant({ type: 'building-bridges.started', data: { personId: 'P-0001' } }),
  fc.constant({ type: 'building-bridges.ended', data: {} }),
  fc
    .record({
      riskLevel: fc.constantFrom('standard', 'high'),
      jointWithMentalHealth: fc.boolean(),
    })
    .map((data) => ({ type: 'case.updated', data })),
  // Working Together: referrals, enquiries, plans and placements with their meetings.
  fc.constantFrom(
    { type: 'referral.received', data: { referralId: 'R-1' } },
    { type: 'referral.decided', data: { referralId: 'R-1' } },
    { type: 'referral.decided', data: { referralId: 'R-1', outcome: 'no-further-action' } },
    { type: 'enquiry.concluded', data: { enquiryId: 'E-1', conference: false } },
    { type: 'assessment.completed', data: { referralId: 'R-1' } },
    { type: 'strategy-discussion.held', data: { enquiryId: 'E-1' } },
    { type: 'conference.held', data: { kind: 'initial', enquiryId: 'E-1' } },
    { type: 'cp-plan.started', data: {} },
    { type: 'cp-plan.ended', data: {} },
    { type: 'conference.held', data: { kind: 'review' } },
    { type: 'core-group.held', data: {} },
    { type: 'visit.made', data: { kind: 'cp' } },
    { type: 'visit.made', data: { kind: 'cp', seenAlone: true, atHome: true } },
    { type: 'visit.made', data: { kind: 'cla' } },
    { type: 'placement.started', data: { placementId: 'PL-1', permanent: true } },
    { type: 'placement.ended', data: { placementId: 'PL-1' } },
  ),
  // The looked-after child's placements by basis, reviews and care proceedings.
  fc.constantFrom(
    {
      type: 'placement.started',
      data: { placementId: 'PL-2', basis: 'connected-person-temporary' },
    },
    {
      type: 'placement.started',
      data: { placementId: 'PL-3', basis: 'short-breaks', visitEveryWeeks: 3 },
    },
    { type: 'looked-after.started', data: {} },
    { type: 'looked-after.ended', data: {} },
    { type: 'cla-review.held', data: {} },
    { type: 'proceedings.issued', data: { proceedingsId: 'PR-1' } },
    { type: 'proceedings.extended', data: { proceedingsId: 'PR-1', weeks: 8 } },
    { type: 'proceedings.concluded', data: { proceedingsId: 'PR-1' } },
  ),
);

/** A case history: case.opened then steps at increasing instants (minutes to days apart). */
const history = fc
  .record({
    start: fc.integer({ min: 0, max: SPAN }),
    joint: fc.boolean(),
    risk: fc.constantFrom('standard', 'high'),
    steps: fc.array(fc.tuple(fc.integer({ min: 1, max: 7 * 24 * 60 }), step), { maxLength: 12 }),
  })
  .map(({ start, joint, risk, steps }) => {
    let t = START + start - (start % 60_000);
    const events: CaseEvent[] = [
      {
        id: 'E-0',
        type: 'case.opened',
        caseId: 'C-1001',
        occurredAt: new Date(t).toISOString(),
        data: { team: 'north-assessment', jointWithMentalHealth: joint, riskLevel: risk },
      } as CaseEvent,
    ];
    steps.forEach(([minutes, s], i) => {
      t += minutes * 60_000;
      events.push({
        id: `E-${i + 1}`,
        caseId: 'C-1001',
        occurredAt: new Date(t).toISOString(),
        ...s,
      } as CaseEvent);
    });
    return { events, last: t };
  });

/** Plays the events; one the engine refuses (an enquiry it does not know) changes nothing. */
function run(events: CaseEvent[], rules: RuleSet = southampton): CaseAggregate {
  let agg: CaseAggregate | undefined;
  for (const e of events) {
    try {
      agg = applyEvent(agg, e, ctxAt(e.occurredAt, rules)).aggregate;
    } catch (error) {
      if (!(error instanceof UnknownSubjectError)) throw error;
    }
  }
  return agg!;
}

const later = fc.integer({ min: 0, max: 400 * 86_400_000 });

describe('engine properties', () => {
  it('advance is idempotent', () => {
    fc.assert(
      fc.property(history, later, ruleSets, ({ events, last }, dt, rules) => {
        // Prepare
        const ctx = ctxAt(new Date(last + dt).toISOString(), rules);
        const once = advance(run(events, rules), ctx);

        // Act
        const twice = advance(once.aggregate, ctx);

        // Assess
        expect(twice.aggregate).toBe(once.aggregate);
        expect(twice.audit).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it('advancing in two steps gives the same deadlines as advancing once', () => {
    fc.assert(
      fc.property(history, later, later, ruleSets, ({ events, last }, a, b, rules) => {
        // Prepare
        const agg = run(events, rules);
        const t1 = ctxAt(new Date(last + Math.min(a, b)).toISOString(), rules);
        const t2 = ctxAt(new Date(last + Math.max(a, b)).toISOString(), rules);

        // Act
        const stepwise = advance(advance(agg, t1).aggregate, t2).aggregate;
        const direct = advance(agg, t2).aggregate;

        // Assess
        expect(stepwise.deadlines).toEqual(direct.deadlines);
      }),
      { numRuns: 100 },
    );
  });

  it('after advance, nothing open has passed its next change; every deadline is due after it started', () => {
    fc.assert(
      fc.property(history, later, ruleSets, ({ events, last }, dt, rules) => {
        // Act
        const now = new Date(last + dt);
        const { aggregate } = advance(run(events, rules), ctxAt(now.toISOString(), rules));

        // Assess
        for (const d of aggregate.deadlines) {
          expect(d.dueAt.getTime()).toBeGreaterThan((d.stageStartedAt ?? d.startedAt).getTime());
          if (d.status === 'open')
            expect(nextChangeAt(rules.get(d.rule), d).getTime()).toBeGreaterThan(now.getTime());
          expect(d.id).toMatch(/^[0-9a-zA-Z._-]{1,40}$/);
        }
        for (const t of planTimers(aggregate, ctxAt(now.toISOString()))) {
          expect(t.name).toMatch(/^[0-9a-zA-Z._-]{1,64}$/);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('limit and target: limitAt ≥ dueAt; a day-counted limit is a London midnight; no breach before the limit', () => {
    fc.assert(
      fc.property(history, later, ruleSets, ({ events, last }, dt, rules) => {
        // Act
        const now = new Date(last + dt);
        const { aggregate } = advance(run(events, rules), ctxAt(now.toISOString(), rules));

        // Assess
        for (const d of aggregate.deadlines) {
          const limit = d.limitAt as Date;
          expect(limit).toBeInstanceOf(Date);
          expect(limit.getTime()).toBeGreaterThanOrEqual(d.dueAt.getTime());
          const unit = rules.get(d.rule)?.clock.unit;
          if (unit === 'hours' || unit === 'working-hours') {
            expect(limit.getTime()).toBe(d.dueAt.getTime());
          } else {
            // The end of a London date: local midnight, after the target on the same or an
            // earlier day, and never more than the weekend and holidays after it.
            expect(localClock(limit.getTime())).toBe('00:00');
            expect(limit.getTime()).toBeGreaterThan(d.dueAt.getTime());
            expect(limit.getTime() - d.dueAt.getTime()).toBeLessThan(12 * 86_400_000);
          }
          if (d.status === 'breached') {
            expect(d.closedAt?.getTime()).toBe(limitOf(d).getTime());
            expect(limit.getTime()).toBeLessThanOrEqual(now.getTime());
          }
          if (d.status === 'met')
            expect(d.closedAt?.getTime()).toBeLessThanOrEqual(limit.getTime());
          if (d.metAt !== undefined) expect(d.metAt.getTime()).toBeGreaterThan(limit.getTime());
        }
      }),
      { numRuns: 150 },
    );
  });

  it('case.closed leaves no open deadline and no timer', () => {
    fc.assert(
      fc.property(history, fc.integer({ min: 1, max: 90 * 86_400_000 }), ({ events, last }, dt) => {
        // Prepare
        const at = new Date(last + dt).toISOString();
        const close = {
          id: 'E-close',
          type: 'case.closed',
          caseId: 'C-1001',
          occurredAt: at,
          data: {},
        } as CaseEvent;

        // Act
        const { aggregate } = applyEvent(run(events), close, ctxAt(at));

        // Assess
        expect(aggregate.status).toBe('closed');
        expect(aggregate.deadlines.filter((d) => d.status === 'open')).toEqual([]);
        expect(planTimers(aggregate, ctxAt(at))).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it('redelivering every event changes nothing', () => {
    fc.assert(
      fc.property(history, ({ events }) => {
        // Act
        const doubled = run(events.flatMap((e) => [e, e]));

        // Assess
        expect(doubled).toEqual(run(events));
      }),
      { numRuns: 100 },
    );
  });
});
