/**
 * The shape of a rule: every timescale is data, validated here, so an authority changes a
 * timescale, interval or stage ladder by configuration and never by code.
 */

import { ConferenceKind, SupervisionKind, VisitKind, WorkerRole } from '#schemas/events.js';
import * as z from '#schemas/zod.js';
import { DIVISIONS } from '../calendar/types.js';

/** A whole number above zero. */
const positiveInt = () => z.number().check(z.int(), z.positive());

/** Clock units, each mapped to one calendar function (see docs/domain.md "Exact semantics"). */
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

/** The `kind`s each event type carries, so a matcher's `kind` can be checked against its type. */
const KINDS_OF: Readonly<Record<string, readonly string[]>> = {
  'supervision.held': SupervisionKind.options,
  'conference.held': ConferenceKind.options,
  'visit.made': VisitKind.options,
};

/** Which events a rule reacts to; `kind` narrows `supervision.held`, `conference.held` and `visit.made`. */
export const EventMatcher = z
  .strictObject({
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
      'referral.received',
      'referral.decided',
      'assessment.completed',
      'strategy-discussion.held',
      'conference.held',
      'cp-plan.started',
      'cp-plan.ended',
      'core-group.held',
      'visit.made',
      'placement.started',
      'placement.ended',
    ]),
    kind: z.optional(
      z.enum([...SupervisionKind.options, ...ConferenceKind.options, ...VisitKind.options]),
    ),
  })
  .check(
    z.superRefine((m, ctx) => {
      if (m.kind === undefined) return;
      const kinds = KINDS_OF[m.type];
      if (kinds?.includes(m.kind)) return;
      ctx.addIssue({
        code: 'custom',
        path: ['kind'],
        message:
          kinds === undefined
            ? `${m.type} carries no kind`
            : `${m.type} kinds are ${kinds.join(', ')}`,
      });
    }),
  );
export type EventMatcher = z.infer<typeof EventMatcher>;

/** One rung of an escalation ladder; `clock` defaults to the rule's clock. */
export const Stage = z.strictObject({
  name: z.string().check(z.minLength(1, 'stage name must not be empty')),
  clock: z.optional(Clock),
  /** The role told when the case reaches this stage. */
  escalateTo: WorkerRole,
});
export type Stage = z.infer<typeof Stage>;

/** A case condition a recurring clock depends on: it runs while the condition holds. */
export const CaseCondition = z.enum([
  'jointWithMentalHealth',
  'coworking',
  'buildingBridges',
  'cpPlan',
  'placement',
]);
export type CaseCondition = z.infer<typeof CaseCondition>;

/** The ids a subject rule keys its clocks by (a field of its start and stop events' data). */
export const RuleSubject = z.enum(['allegationId', 'disagreementId', 'referralId', 'enquiryId']);
export type RuleSubject = z.infer<typeof RuleSubject>;

/**
 * A rule. Two families, told apart by `subject` and `while`:
 * - subject rules (`subject` set): one clock per allegation, disagreement, referral or enquiry,
 *   started by a `start` event and met by a `stop` event carrying the same id;
 * - recurring rules (`while` set, `recurring: true`): one open clock at a time while the case
 *   condition holds, anchored at the condition's start (`first` clock) or at the last meeting
 *   of the kind that meets it (`clock`, then `later` once the period is old enough).
 *
 * Reminder steps are not part of a rule: they are the rule's reminder plan
 * (`functions/kernel/reminders/plans.ts`, overridden under `reminderPlans`).
 */
export const Rule = z
  .strictObject({
    id: z
      .string()
      .check(z.regex(/^[a-z][a-z0-9-]{1,29}$/, 'lower-case letters, digits and - (≤ 30)')),
    version: positiveInt(),
    title: z.string().check(z.minLength(1)),
    enabled: z._default(z.boolean(), true),
    subject: z.optional(RuleSubject),
    /**
     * A later start event for the same subject restarts its open clock from that event (the
     * initial conference runs from the LAST strategy discussion of the enquiry). Off: a second
     * start is a duplicate and the first clock stands.
     */
    restart: z.optional(z.boolean()),
    /**
     * Where the rule is on by default (the authority's GOV.UK division); elsewhere it is off
     * unless the configuration sets `enabled: true`. Absent: everywhere.
     */
    divisions: z.optional(z.array(z.enum(DIVISIONS)).check(z.minLength(1))),
    while: z.optional(CaseCondition),
    start: z.array(EventMatcher).check(z.minLength(1, 'a rule needs at least one start event')),
    stop: z.array(EventMatcher).check(z.minLength(1, 'a rule needs at least one stop event')),
    cancel: z._default(z.array(EventMatcher), []),
    clock: Clock,
    /** Recurring rules: the clock from the start of the case condition, before any meeting. */
    first: z.optional(Clock),
    /**
     * Recurring rules: the clock a meeting starts once the period is `afterMonths` old (on or
     * after that anniversary's date), when the case fact `when` holds (`permanent`: the
     * placement is intended to last until the child is 18).
     */
    later: z.optional(
      z.strictObject({
        afterMonths: positiveInt(),
        clock: Clock,
        when: z.optional(z.enum(['permanent'])),
      }),
    ),
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
      if (rule.while && !MEETINGS.includes(rule.stop[0]?.type ?? '')) {
        ctx.addIssue({
          code: 'custom',
          path: ['stop'],
          message: `a recurring rule is met by a meeting or visit (${MEETINGS.join(', ')})`,
        });
      }
      if (rule.while && rule.stop[0]?.type === 'supervision.held' && !rule.stop[0].kind) {
        ctx.addIssue({
          code: 'custom',
          path: ['stop', 0, 'kind'],
          message: 'a supervision.held that meets a recurring rule names its kind',
        });
      }
      for (const field of ['first', 'later'] as const) {
        if (rule[field] !== undefined && !rule.while) {
          ctx.addIssue({
            code: 'custom',
            path: [field],
            message: `only a recurring rule ("while") has a ${field} clock`,
          });
        }
      }
      if (rule.restart && !rule.subject) {
        ctx.addIssue({
          code: 'custom',
          path: ['restart'],
          message: 'only a subject rule restarts on a later start event',
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

/** The events that are meetings or visits: each meets a recurring rule and anchors its next clock. */
export const MEETINGS: readonly string[] = [
  'supervision.held',
  'conference.held',
  'core-group.held',
  'visit.made',
];

/**
 * The key of a meeting: its type and kind (`visit.made:cla`), or its type alone
 * (`core-group.held`). The aggregate keeps the last meeting of each key (`lastHeld`).
 */
export function meetingKey(m: { type: string; kind?: string | undefined }): string {
  return m.kind === undefined ? m.type : `${m.type}:${m.kind}`;
}

/** The supervision kind whose `supervision.held` meets a recurring rule. */
export function supervisionKindOf(rule: Pick<Rule, 'stop'>): SupervisionKind | undefined {
  const m = rule.stop.find((x) => x.type === 'supervision.held' && x.kind);
  return m?.kind as SupervisionKind | undefined;
}
