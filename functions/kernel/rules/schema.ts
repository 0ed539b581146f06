/**
 * The shape of a rule: every timescale is data, validated here, so an authority changes a
 * timescale, interval or stage ladder by configuration and never by code.
 */

import { PlacementBasis, type SupervisionKind, WorkerRole } from '#schemas/events.js';
import * as z from '#schemas/zod.js';
import { DIVISIONS } from '../calendar/types.js';
import { EventMatcher } from './matcher.js';

export { EventMatcher } from './matcher.js';

/** A whole number above zero. */
const positiveInt = () => z.number().check(z.int(), z.positive());

/** Clock units, each mapped to one calendar function (see docs/domain.md "Exact semantics"). */
export const ClockUnit = z.enum(['hours', 'working-hours', 'working-days', 'weeks', 'months']);
export type ClockUnit = z.infer<typeof ClockUnit>;

/**
 * How long a clock runs. `beginningWith` (weeks only): the period begins with the start's own
 * day, so it ends the day before the same weekday (Children Act 1989 s32(1)(a)(ii): "within
 * twenty-six weeks beginning with the day on which the application was issued").
 */
export const Clock = z
  .strictObject({
    unit: ClockUnit,
    amount: z
      .number()
      .check(z.int('amount must be a whole number'), z.positive('amount must be positive')),
    beginningWith: z.optional(z.boolean()),
  })
  .check(
    z.refine((c) => c.beginningWith !== true || c.unit === 'weeks', {
      message: 'only a clock in weeks begins with its start day',
      path: ['beginningWith'],
    }),
  );
export type Clock = z.infer<typeof Clock>;

/** What kind of text a rule comes from: what a safeguarding manager weighs first. */
export const SourceKind = z.enum(['statute', 'regulation', 'statutory-guidance', 'local-practice']);
export type SourceKind = z.infer<typeof SourceKind>;
/** A source's kind in words, as explanations and `npx timescales rules` name it. */
export const SOURCE_KIND_WORDS: Record<SourceKind, string> = {
  statute: 'statute',
  regulation: 'regulation',
  'statutory-guidance': 'statutory guidance',
  'local-practice': 'local practice',
};

/** Where a rule's timescale comes from: its kind, the citation, and where to read it. */
export const Source = z.strictObject({
  kind: SourceKind,
  citation: z.string().check(z.minLength(1, 'a source names what it cites')),
  url: z.optional(z.string().check(z.regex(/^https:\/\//, 'an https address'))),
});
export type Source = z.infer<typeof Source>;

/** The source of a rule an authority adds by configuration without naming one. */
export const CONFIGURED_SOURCE: Source = {
  kind: 'local-practice',
  citation: 'the authority’s own configuration',
};

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
  'lookedAfter',
]);
export type CaseCondition = z.infer<typeof CaseCondition>;

/** The ids a subject rule keys its clocks by (a field of its start and stop events' data). */
export const RuleSubject = z.enum([
  'allegationId',
  'disagreementId',
  'referralId',
  'enquiryId',
  'proceedingsId',
]);

/**
 * One placement basis's visiting schedule (regulation 28(2)–(5), 48): what it changes of the
 * rule's own clocks. `untilReview`: the interval from each visit until the first review of the
 * child's case after the placement began (28(3), (4): weekly); `fromPlacement`: the interval is
 * the placement's own (`visitEveryWeeks`, agreed with the IRO for short breaks).
 */
export const BasisSchedule = z.strictObject({
  first: z.optional(Clock),
  clock: z.optional(Clock),
  untilReview: z.optional(Clock),
  later: z.optional(z.strictObject({ afterMonths: positiveInt(), clock: Clock })),
  fromPlacement: z.optional(z.enum(['visitEveryWeeks'])),
  source: z.optional(Source),
});
export type BasisSchedule = z.infer<typeof BasisSchedule>;
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
    /** The statute, regulation, statutory guidance or local practice the timescale comes from. */
    source: z._default(Source, CONFIGURED_SOURCE),
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
     * Recurring rules while looked after: the clock the period's first meeting starts (the
     * second review "not more than three months after the first").
     */
    second: z.optional(Clock),
    /** Recurring rules while placed: each placement basis's own schedule over the rule's clocks. */
    bases: z.optional(z.partialRecord(PlacementBasis, BasisSchedule)),
    /**
     * Subject rules: events that extend the clock by the weeks they carry (care proceedings
     * extended under Children Act 1989 s32(5)).
     */
    extend: z.optional(z.array(EventMatcher)),
    /**
     * How the compliance report counts a met clock: `dfe-working-days` as the DfE's children
     * in need statistics do — working days (England and Wales bank holidays) from the start's
     * date to the stop's date, on time when at most the clock's amount.
     */
    measure: z.optional(z.enum(['dfe-working-days'])),
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
      if (rule.second !== undefined && rule.while !== 'lookedAfter') {
        ctx.addIssue({
          code: 'custom',
          path: ['second'],
          message: 'only a rule that runs while looked after ("lookedAfter") has a second clock',
        });
      }
      if (rule.bases !== undefined && rule.while !== 'placement') {
        ctx.addIssue({
          code: 'custom',
          path: ['bases'],
          message: 'only a rule that runs while placed ("placement") has placement bases',
        });
      }
      if (rule.extend !== undefined && !rule.subject) {
        ctx.addIssue({
          code: 'custom',
          path: ['extend'],
          message: 'only a subject rule is extended by an event',
        });
      }
      if (rule.measure !== undefined && rule.clock.unit !== 'working-days') {
        ctx.addIssue({
          code: 'custom',
          path: ['measure'],
          message: 'the DfE measure counts working days: the clock must be in working-days',
        });
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
  'cla-review.held',
];

/**
 * The key of a meeting: its type and kind (`visit.made:cla`), or its type alone
 * (`core-group.held`), with what the visit was (`visit.made:cp+seenAlone`). The aggregate keeps
 * the last meeting of each key (`lastHeld`).
 */
export function meetingKey(m: {
  type: string;
  kind?: string | undefined;
  seenAlone?: boolean | undefined;
  atHome?: boolean | undefined;
}): string {
  const base = m.kind === undefined ? m.type : `${m.type}:${m.kind}`;
  return `${base}${m.seenAlone ? '+seenAlone' : ''}${m.atHome ? '+atHome' : ''}`;
}

/** The supervision kind whose `supervision.held` meets a recurring rule. */
export function supervisionKindOf(rule: Pick<Rule, 'stop'>): SupervisionKind | undefined {
  const m = rule.stop.find((x) => x.type === 'supervision.held' && x.kind);
  return m?.kind as SupervisionKind | undefined;
}
