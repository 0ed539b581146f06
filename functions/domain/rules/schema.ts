/**
 * The shape of a rule: every timescale is data, validated here, so an authority changes a
 * timescale, interval or stage ladder by configuration and never by code.
 */
import { SupervisionKind, WorkerRole } from '#schemas/events.js';
import * as z from '#schemas/zod.js';

/** A whole number above zero. */
const positiveInt = () => z.number().check(z.int(), z.positive());

/** Clock units, each mapped to one calendar function (see DOMAIN.md "Exact semantics"). */
export const ClockUnit = z.enum(['hours', 'working-hours', 'working-days', 'weeks', 'months']);
export type ClockUnit = z.infer<typeof ClockUnit>;

/** How long a clock runs. */
export const Clock = z.strictObject({
  unit: ClockUnit,
  amount: z
    .number()
    .check(z.int('amount must be a whole number'), z.positive('amount must be positive')),
});
export type Clock = z.infer<typeof Clock>;

/** Which events a rule reacts to; `kind` narrows `supervision.held`. */
export const EventMatcher = z.strictObject({
  type: z.enum([
    'case.opened',
    'case.updated',
    'case.closed',
    'lado.concern-raised',
    'lado.notified',
    'lado.responded',
    'disagreement.raised',
    'disagreement.resolved',
    'supervision.held',
    'coworking.started',
    'coworking.ended',
    'building-bridges.started',
    'building-bridges.ended',
  ]),
  kind: z.optional(SupervisionKind),
});
export type EventMatcher = z.infer<typeof EventMatcher>;

/** One rung of an escalation ladder; `clock` defaults to the rule's clock. */
export const Stage = z.strictObject({
  name: z.string().check(z.minLength(1, 'stage name must not be empty')),
  clock: z.optional(Clock),
  /** The role told when the case reaches this stage. */
  escalateTo: WorkerRole,
});
export type Stage = z.infer<typeof Stage>;

const Offset = {
  amount: positiveInt(),
  unit: z.enum(['working-days', 'working-hours', 'hours']),
  to: z.optional(WorkerRole),
};

/**
 * One reminder of a plan. Loose: the reminder plans in `functions/domain/reminders/plans.ts` are what is sent;
 * `start` (at the clock's or stage's start) is an addition for disagreement stages.
 */
export const Reminder = z.discriminatedUnion('at', [
  z.strictObject({ at: z.literal('before'), ...Offset }),
  z.strictObject({
    at: z.literal('fraction'),
    fraction: z.number().check(z.gt(0, 'fraction must be > 0'), z.lt(1, 'fraction must be < 1')),
    to: z.optional(WorkerRole),
  }),
  z.strictObject({ at: z.literal('start'), to: z.optional(WorkerRole) }),
  z.strictObject({ at: z.literal('due'), to: z.optional(WorkerRole) }),
  z.strictObject({ at: z.literal('after'), ...Offset }),
]);
export type Reminder = z.infer<typeof Reminder>;

/** A case condition a recurring clock depends on: it runs while the condition holds. */
export const CaseCondition = z.enum(['jointWithMentalHealth', 'coworking', 'buildingBridges']);
export type CaseCondition = z.infer<typeof CaseCondition>;

/**
 * A rule. Two families, told apart by `subject` and `while`:
 * - subject rules (`subject` set): one clock per allegation or disagreement, started by a
 *   `start` event and met by a `stop` event carrying the same id;
 * - recurring rules (`while` set, `recurring: true`): one open clock at a time while the case
 *   condition holds, anchored at the condition's start or the last supervision held.
 */
export const Rule = z
  .strictObject({
    id: z
      .string()
      .check(z.regex(/^[a-z][a-z0-9-]{1,29}$/, 'lower-case letters, digits and - (≤ 30)')),
    version: positiveInt(),
    title: z.string().check(z.minLength(1)),
    enabled: z._default(z.boolean(), true),
    subject: z.optional(z.enum(['allegationId', 'disagreementId'])),
    while: z.optional(CaseCondition),
    start: z.array(EventMatcher).check(z.minLength(1, 'a rule needs at least one start event')),
    stop: z.array(EventMatcher).check(z.minLength(1, 'a rule needs at least one stop event')),
    cancel: z._default(z.array(EventMatcher), []),
    clock: Clock,
    /** Where the case sets the interval (overrides `clock.amount`), with the high-risk default and a ceiling. */
    interval: z.optional(
      z.strictObject({
        fromCase: z.optional(z.enum(['jointSupervisionEveryMonths', 'coworkingReviewEveryWeeks'])),
        highRisk: z.optional(positiveInt()),
        max: z.optional(positiveInt()),
      }),
    ),
    stages: z.optional(
      z.array(Stage).check(z.minLength(1, 'a stage ladder needs at least one stage')),
    ),
    /** A team whose hours the clock uses; `defaultHours` apply when the calendar has none for it. */
    hoursTeam: z.optional(z.string()),
    defaultHours: z.optional(
      z.partialRecord(
        z.enum(['1', '2', '3', '4', '5', '6', '7']),
        z.strictObject({
          open: z.string().check(z.regex(/^\d\d:\d\d$/)),
          close: z.string().check(z.regex(/^\d\d:\d\d$/)),
        }),
      ),
    ),
    urgent: z._default(z.boolean(), false),
    safeguarding: z._default(z.boolean(), false),
    recurring: z._default(z.boolean(), false),
    reminders: z.array(Reminder),
  })
  .check(
    z.superRefine((rule, ctx) => {
      if (rule.recurring && !rule.while) {
        ctx.addIssue({
          code: 'custom',
          path: ['while'],
          message: 'a recurring rule needs the case condition it runs while ("while")',
        });
      }
      if (!rule.subject && !rule.while) {
        ctx.addIssue({
          code: 'custom',
          path: ['subject'],
          message: 'a rule needs either a "subject" (allegationId, disagreementId) or "while"',
        });
      }
      if (rule.interval?.max !== undefined && rule.clock.amount > rule.interval.max) {
        ctx.addIssue({
          code: 'custom',
          path: ['clock', 'amount'],
          message: `must not exceed interval.max (${rule.interval.max})`,
        });
      }
      if (rule.while && !supervisionKindOf(rule)) {
        ctx.addIssue({
          code: 'custom',
          path: ['stop'],
          message: 'a recurring rule is met by a supervision.held event with a kind',
        });
      }
    }),
  );
export type Rule = z.infer<typeof Rule>;
export type RuleInput = z.input<typeof Rule>;

/** Rule-set-wide settings. */
export const RuleSettings = z.strictObject({
  /** Warn when a case with joint working closes without a joint supervision in this many weeks. */
  closureWarningWeeks: z._default(positiveInt(), 4),
});
export type RuleSettings = z.infer<typeof RuleSettings>;

/** The supervision kind whose `supervision.held` meets a recurring rule. */
export function supervisionKindOf(rule: Pick<Rule, 'stop'>): SupervisionKind | undefined {
  return rule.stop.find((m) => m.type === 'supervision.held' && m.kind)?.kind;
}
