/**
 * Reminder plans as data: who is told, and when, for each rule's clock — the one source of
 * reminder steps (a rule carries none). An authority changes a plan by configuration
 * (`reminderPlans` in timescales.config.json, validated by `loadReminderPlans`).
 */
import type {
  BreachPlan,
  RecipientSpec,
  ReminderPlan,
  ReminderPlans,
  ReminderStep,
} from './types.js';

/**
 * The breach step of every plan that does not set its own: the people the plan was telling
 * hear that the clock BREACHED; a safeguarding clock's breach also goes to the lead
 * recipient's manager at once and to the head of service from the next working day, and is
 * repeated at every working day's opening until the clock is met or the case closes.
 */
export const DEFAULT_BREACH: BreachPlan = {
  to: 'plan',
  safeguarding: {
    escalation: [
      { level: 1, afterWorkingDays: 0 },
      { level: 2, afterWorkingDays: 1 },
    ],
    repeatDaily: true,
  },
  routine: { escalation: [], repeatDaily: false },
};

/** A plan's breach step: its own fields over `DEFAULT_BREACH`. */
export function breachOf(plan: Pick<ReminderPlan, 'breach'>): BreachPlan {
  return plan.breach === undefined ? DEFAULT_BREACH : { ...DEFAULT_BREACH, ...plan.breach };
}

const supervisionSteps = (to: readonly RecipientSpec[]): ReminderStep[] => [
  { key: 'b10wd', at: { kind: 'before', workingDays: 10 }, to },
  { key: 'b2wd', at: { kind: 'before', workingDays: 2 }, to },
  { key: 'day', at: { kind: 'on-day' }, to },
  // Overdue: first the recipient's manager, a day later the head of service.
  { key: 'o1wd', at: { kind: 'after', workingDays: 1 }, to: escalated(to, 1) },
  { key: 'o2wd', at: { kind: 'after', workingDays: 2 }, to: escalated(to, 2) },
];

/** The lead recipient's manager (level 1) or head of service (level 2). */
export function escalated(to: readonly RecipientSpec[], level: 1 | 2): RecipientSpec[] {
  // Escalating several recipients would tell the same manager several times: the first one leads.
  const lead = to[0];
  return lead === undefined ? [] : [{ role: lead.role, escalate: level }];
}

const ladoSteps: ReminderStep[] = [
  { key: 'p50', at: { kind: 'fraction', fraction: 0.5 }, to: [{ role: 'lado' }] },
  { key: 'p75', at: { kind: 'fraction', fraction: 0.75 }, to: [{ role: 'lado' }] },
  { key: 'due', at: { kind: 'due' }, to: [{ role: 'lado' }] },
];

/** Visits and core groups: 2 working days before and on the day. */
const visitSteps = (to: readonly RecipientSpec[]): ReminderStep[] => [
  { key: 'b2wd', at: { kind: 'before', workingDays: 2 }, to },
  { key: 'day', at: { kind: 'on-day' }, to },
];

/** Conferences (and the assessment): 10 and 5 working days before and on the day. */
const conferenceSteps = (to: readonly RecipientSpec[]): ReminderStep[] => [
  { key: 'b10wd', at: { kind: 'before', workingDays: 10 }, to },
  { key: 'b5wd', at: { kind: 'before', workingDays: 5 }, to },
  { key: 'day', at: { kind: 'on-day' }, to },
];

const SOCIAL_WORKER_AND_MANAGER: readonly RecipientSpec[] = [
  { role: 'allocated-worker' },
  { role: 'team-manager' },
];

/**
 * The default plans: supervisions 10 and 2 working days before, on the day, and
 * overdue; LADO clocks at 50%, 75% and at due (urgent); each disagreement stage at its start
 * and at its due time, to that stage's level (an escalation starts the next stage, whose start
 * reminder tells the next level); Working Together's referral decision at 50% and at due,
 * conferences and the assessment 10 and 5 working days before and on the day, core groups
 * and visits 2 working days before and on the day.
 */
export type DefaultPlanRule =
  | 'lado-notification'
  | 'lado-response'
  | 'disagreement'
  | 'joint-supervision'
  | 'building-bridges-supervision'
  | 'co-working-review'
  | 'referral-decision'
  | 'assessment'
  | 'initial-conference'
  | 'review-conference'
  | 'core-group'
  | 'cp-visit'
  | 'cp-home-visit'
  | 'cla-visit'
  | 'cla-review'
  | 'care-proceedings';

export const DEFAULT_REMINDER_PLANS: Readonly<Record<DefaultPlanRule, ReminderPlan>> &
  ReminderPlans = {
  'lado-notification': {
    rule: 'lado-notification',
    title: 'LADO notification',
    action: 'Notify the LADO of the allegation and record the notification.',
    clock: 'elapsed',
    urgent: true,
    steps: ladoSteps,
  },
  'lado-response': {
    rule: 'lado-response',
    title: 'LADO response',
    action: 'Send the LADO response and record it.',
    clock: 'working',
    urgent: true,
    steps: ladoSteps,
  },
  disagreement: {
    rule: 'disagreement',
    title: 'Professional disagreement',
    action: 'Resolve the disagreement at this stage or record its resolution.',
    clock: 'working',
    steps: [
      { key: 'start', at: { kind: 'start' }, to: 'stage' },
      { key: 'due', at: { kind: 'due' }, to: 'stage' },
    ],
    stageRecipients: [
      [{ role: 'allocated-worker' }],
      [{ role: 'team-manager' }],
      [{ role: 'team-manager', escalate: 1 }],
      [{ role: 'head-of-service' }],
      [{ role: 'head-of-service', escalate: 1 }],
    ],
  },
  'joint-supervision': {
    rule: 'joint-supervision',
    title: 'Joint supervision',
    action: 'Hold the joint supervision (both supervisors and both workers) and record it.',
    clock: 'working',
    invite: true,
    steps: supervisionSteps([
      { role: 'supervisor' },
      { role: 'mh-supervisor' },
      { role: 'allocated-worker' },
      { role: 'mh-worker' },
    ]),
  },
  'building-bridges-supervision': {
    rule: 'building-bridges-supervision',
    title: 'Building Bridges supervision',
    action: 'Hold the Building Bridges supervision and record it.',
    clock: 'working',
    invite: true,
    steps: supervisionSteps([{ role: 'building-bridges-worker' }, { role: 'supervisor' }]),
  },
  'co-working-review': {
    rule: 'co-working-review',
    title: 'Co-working review',
    action: 'Review the co-working plan in joint case supervision and record it.',
    clock: 'working',
    invite: true,
    steps: supervisionSteps([
      { role: 'team-manager' },
      { role: 'allocated-worker' },
      { role: 'co-worker' },
    ]),
  },
  'referral-decision': {
    rule: 'referral-decision',
    title: 'Referral decision',
    action: 'Decide on the next steps for the referral and record the decision.',
    clock: 'working',
    steps: [
      { key: 'p50', at: { kind: 'fraction', fraction: 0.5 }, to: [{ role: 'team-manager' }] },
      { key: 'due', at: { kind: 'due' }, to: [{ role: 'team-manager' }] },
    ],
  },
  assessment: {
    rule: 'assessment',
    title: 'Assessment',
    action: 'Complete the assessment and record it.',
    clock: 'working',
    steps: conferenceSteps(SOCIAL_WORKER_AND_MANAGER),
  },
  'initial-conference': {
    rule: 'initial-conference',
    title: 'Initial child protection conference',
    action: 'Hold the initial child protection conference and record it.',
    clock: 'working',
    invite: true,
    steps: conferenceSteps(SOCIAL_WORKER_AND_MANAGER),
  },
  'review-conference': {
    rule: 'review-conference',
    title: 'Review child protection conference',
    action: 'Hold the review child protection conference and record it.',
    clock: 'working',
    invite: true,
    steps: conferenceSteps(SOCIAL_WORKER_AND_MANAGER),
  },
  'core-group': {
    rule: 'core-group',
    title: 'Core group meeting',
    action: 'Hold the core group meeting and record it.',
    clock: 'working',
    invite: true,
    steps: visitSteps(SOCIAL_WORKER_AND_MANAGER),
  },
  'cp-visit': {
    rule: 'cp-visit',
    title: 'Child protection visit',
    action: 'Visit the child and record the visit.',
    clock: 'working',
    steps: visitSteps([{ role: 'allocated-worker' }]),
  },
  'cla-visit': {
    rule: 'cla-visit',
    title: 'Looked-after child visit',
    action: 'Visit the child in their placement and record the visit.',
    clock: 'working',
    steps: visitSteps([{ role: 'allocated-worker' }]),
  },
  'cp-home-visit': {
    rule: 'cp-home-visit',
    title: 'Child protection home visit',
    action: 'See the child at home and record the visit.',
    clock: 'working',
    steps: visitSteps([{ role: 'allocated-worker' }]),
  },
  'cla-review': {
    rule: 'cla-review',
    title: 'Looked-after child review',
    action: 'Hold the review of the child’s case and record it.',
    clock: 'working',
    invite: true,
    steps: conferenceSteps(SOCIAL_WORKER_AND_MANAGER),
  },
  'care-proceedings': {
    rule: 'care-proceedings',
    title: 'Care proceedings',
    action: 'Conclude the proceedings, or record the extension the court granted.',
    clock: 'working',
    steps: conferenceSteps(SOCIAL_WORKER_AND_MANAGER),
  },
};

/** A plan per rule: the defaults with an authority's replacements (whole plans, by rule id). */
export function reminderPlans(
  overrides: Partial<Record<string, ReminderPlan>> = {},
): ReminderPlans {
  const plans: Record<string, ReminderPlan> = { ...DEFAULT_REMINDER_PLANS };
  for (const [rule, plan] of Object.entries(overrides)) if (plan !== undefined) plans[rule] = plan;
  return plans;
}
