/**
 * Properties of the Working Together clocks over random case histories: referrals, strategy
 * discussions and conferences, child protection plans with core groups and visits, placements
 * with their visits — delivered in order of arrival, some of them late (their `occurredAt`
 * before events already delivered), on a case in any of the three divisions, through the engine
 * bound as the Lambdas bind it, advanced before each event as its due timers would.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeCaseEngine } from '#kernel/engine/bound.js';
import type { CaseAggregate, Deadline } from '#kernel/model.js';
import { CANCEL_INVITE_STEP } from '#kernel/reminders/planning.js';
import { listPlannedReminders } from '#kernel/reminders/view.js';
import type { CaseEvent } from '#schemas/events.js';

const engine = makeCaseEngine({
  authority: 'Example Council',
  division: 'england-and-wales',
  preset: 'southampton',
  links: { caseUrlTemplate: 'https://cases.example.gov.uk/{caseId}' },
});

const RECURRING = ['review-conference', 'core-group', 'cp-visit', 'cla-visit'];

/** One event's type and data, from small pools of ids so clocks meet their stops. */
const step = fc.oneof(
  { weight: 2, arbitrary: fc.constant({ type: 'cp-plan.started', data: {} }) },
  { weight: 1, arbitrary: fc.constant({ type: 'cp-plan.ended', data: {} }) },
  { weight: 4, arbitrary: fc.constant({ type: 'core-group.held', data: {} }) },
  {
    weight: 6,
    arbitrary: fc.constantFrom('cp', 'cla').map((kind) => ({ type: 'visit.made', data: { kind } })),
  },
  {
    weight: 3,
    arbitrary: fc.constant({ type: 'conference.held', data: { kind: 'review' } }),
  },
  {
    weight: 2,
    arbitrary: fc
      .record({ placementId: fc.constantFrom('PL-1', 'PL-2'), permanent: fc.boolean() })
      .map((data) => ({ type: 'placement.started', data })),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('PL-1', 'PL-2')
      .map((placementId) => ({ type: 'placement.ended', data: { placementId } })),
  },
  {
    weight: 3,
    arbitrary: fc
      .constantFrom('E-1', 'E-2')
      .chain((enquiryId) =>
        fc.constantFrom(
          { type: 'strategy-discussion.held', data: { enquiryId } },
          { type: 'conference.held', data: { kind: 'initial', enquiryId } },
        ),
      ),
  },
  {
    weight: 3,
    arbitrary: fc
      .constantFrom('R-1', 'R-2')
      .chain((referralId) =>
        fc.constantFrom(
          { type: 'referral.received', data: { referralId } },
          { type: 'referral.decided', data: { referralId } },
          { type: 'assessment.completed', data: { referralId } },
        ),
      ),
  },
);

const START = Date.parse('2025-01-06T09:00:00Z');
const DAY = 86_400_000;

/**
 * A history: `case.opened` in a division, then steps. Each arrives some minutes to 40 days after
 * the one before; one in five happened up to 3 days before it arrived.
 */
const history = fc
  .record({
    division: fc.constantFrom('england-and-wales', 'scotland', 'northern-ireland'),
    steps: fc.array(
      fc.record({
        gapMinutes: fc.integer({ min: 1, max: 40 * 24 * 60 }),
        lateMinutes: fc.oneof(
          { weight: 4, arbitrary: fc.constant(0) },
          { weight: 1, arbitrary: fc.integer({ min: 1, max: 3 * 24 * 60 }) },
        ),
        step,
      }),
      { minLength: 1, maxLength: 25 },
    ),
  })
  .map(({ division, steps }) => {
    let arrival = START;
    const deliveries: { event: CaseEvent; now: Date }[] = [
      {
        event: {
          id: 'E-0',
          type: 'case.opened',
          caseId: 'C-1001',
          occurredAt: new Date(START).toISOString(),
          data: { team: 'north-assessment', division },
        } as CaseEvent,
        now: new Date(START),
      },
    ];
    steps.forEach(({ gapMinutes, lateMinutes, step: s }, i) => {
      arrival += gapMinutes * 60_000;
      deliveries.push({
        event: {
          id: `E-${i + 1}`,
          caseId: 'C-1001',
          occurredAt: new Date(arrival - lateMinutes * 60_000).toISOString(),
          ...s,
        } as CaseEvent,
        now: new Date(arrival),
      });
    });
    return deliveries;
  });

/** The aggregate after each delivery (advanced to the delivery's instant first). */
function replay(deliveries: { event: CaseEvent; now: Date }[]): CaseAggregate[] {
  const states: CaseAggregate[] = [];
  let aggregate: CaseAggregate | undefined;
  for (const { event, now } of deliveries) {
    if (aggregate) aggregate = engine.advance(aggregate, now).aggregate;
    aggregate = engine.applyEvent(aggregate, event, now).aggregate;
    states.push(aggregate);
  }
  return states;
}

/** When the meeting that met a clock was held: on time (`closedAt`) or late (`metAt`). */
const metBy = (d: Deadline): Date | undefined =>
  d.status === 'met' ? d.closedAt : d.status === 'breached' ? d.metAt : undefined;

describe('Working Together clocks: properties', () => {
  it('a met clock never fires: no reminder, no breach, and nothing later changes it', () => {
    fc.assert(
      fc.property(history, fc.integer({ min: 0, max: 400 * DAY }), (deliveries, after) => {
        // Act
        const states = replay(deliveries);
        const last = states.at(-1) as CaseAggregate;
        const future = new Date((deliveries.at(-1)?.now.getTime() ?? START) + after);
        const advanced = engine.advance(last, future).aggregate;

        // Assess: once met, a clock stays met, due and closed at the same instants; the case's
        // timer plan and reminder view never name it — but for withdrawing a meeting's
        // invitation once the meeting is recorded (`xinv`, an iCalendar CANCEL, no reminder).
        states.forEach((state, i) => {
          for (const d of state.deadlines.filter((x) => x.status === 'met')) {
            for (const later of [...states.slice(i + 1), advanced]) {
              const same = later.deadlines.find((x) => x.id === d.id);
              expect(same?.status, `${d.id} after delivery ${i}`).toBe('met');
              expect(same?.dueAt).toEqual(d.dueAt);
              expect(same?.closedAt).toEqual(d.closedAt);
            }
          }
        });
        const met = new Set(advanced.deadlines.filter((d) => d.status === 'met').map((d) => d.id));
        for (const timer of engine.planTimers(advanced, future)) {
          if (timer.payload.step === CANCEL_INVITE_STEP) continue;
          expect(met.has(timer.payload.deadlineId), timer.name).toBe(false);
        }
        const view = listPlannedReminders(
          advanced,
          engine.calendarFor(advanced.division),
          engine.plans,
        );
        for (const reminder of view) {
          if (reminder.step === CANCEL_INVITE_STEP) continue;
          expect(met.has(reminder.deadlineId), `${reminder.deadlineId} ${reminder.step}`).toBe(
            false,
          );
        }
      }),
      { numRuns: 150 },
    );
  });

  it('the next recurring clock always starts at the meeting that met the last', () => {
    fc.assert(
      fc.property(history, (deliveries) => {
        // Act
        const states = replay(deliveries);
        const last = states.at(-1) as CaseAggregate;

        // Assess: for each recurring rule, consecutive clocks of one period (a plan, a
        // placement); a clock met on time or late hands over at its meeting. A clock that
        // starts a new period starts at the period's start instead.
        const periodStarts = new Set(
          states.flatMap((s) =>
            [s.cpPlan?.startedAt, s.placement?.startedAt].flatMap((d) =>
              d === undefined ? [] : [d.getTime()],
            ),
          ),
        );
        for (const rule of RECURRING) {
          const clocks = last.deadlines
            .filter((d) => d.rule === rule)
            .sort((a, b) => (a.sequence ?? 0) - (b.sequence ?? 0));
          clocks.slice(0, -1).forEach((d, i) => {
            const next = clocks[i + 1] as Deadline;
            const meeting = metBy(d);
            if (meeting !== undefined && meeting.getTime() === next.startedAt.getTime()) return;
            expect(periodStarts.has(next.startedAt.getTime()), `${next.id} starts a period`).toBe(
              true,
            );
            // (A late-delivered start of a new period may share the old period's instant.)
            expect(next.startedAt.getTime()).toBeGreaterThanOrEqual(d.startedAt.getTime());
            if (meeting !== undefined)
              expect(next.startedAt.getTime()).toBeGreaterThanOrEqual(meeting.getTime());
          });
          // Only one clock of a rule runs at a time.
          expect(clocks.filter((d) => d.status === 'open').length).toBeLessThanOrEqual(1);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('every clock is due after it started, at a whole minute, in its case’s calendar version', () => {
    fc.assert(
      fc.property(history, (deliveries) => {
        // Act
        const last = replay(deliveries).at(-1) as CaseAggregate;

        // Assess
        const version = engine.calendarFor(last.division).version;
        for (const d of last.deadlines) {
          expect(d.dueAt.getTime()).toBeGreaterThan(d.startedAt.getTime());
          expect(d.dueAt.getTime() % 60_000).toBe(0);
          if (d.status === 'open') expect(d.calendarVersion).toBe(version);
        }
        expect(engine.isStale(last)).toBe(false);
      }),
      { numRuns: 100 },
    );
  });
});
