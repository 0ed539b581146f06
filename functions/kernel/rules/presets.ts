/**
 * The rules of docs/domain.md as data, and the authority presets built from them. Each entry
 * cites its seed; every number here is a default an authority may override.
 */
import type { RuleInput, Stage } from './schema.js';

const TWO_WORKING_DAYS = { unit: 'working-days', amount: 2 } as const;

/** Seed 004 (Southampton), "Stages of resolving professional differences": 2 working days each. */
export const SOUTHAMPTON_STAGES: Stage[] = [
  { name: 'Discussion with line manager/safeguarding lead', escalateTo: 'supervisor' },
  { name: 'Inter-agency discussion', escalateTo: 'allocated-worker' },
  { name: 'Line manager/safeguarding lead inter-agency discussion', escalateTo: 'team-manager' },
  { name: 'Head/Director of Service inter-agency discussion', escalateTo: 'head-of-service' },
  { name: 'Partnership Member discussion', escalateTo: 'head-of-service' },
];

/**
 * Seed 002 (Norfolk) names 4 stages but gives no timescale; we give each the Southampton
 * 2 working days (docs/domain.md: the ladder's clock is a default).
 */
export const NORFOLK_STAGES: Stage[] = [
  { name: 'Direct Professional to Professional Discussion', escalateTo: 'allocated-worker' },
  { name: 'Direct First Line Manager to First Line Manager', escalateTo: 'team-manager' },
  { name: 'Senior Manager to Senior Manager', escalateTo: 'head-of-service' },
  {
    name: 'Norfolk Safeguarding Children Partnership (NSCP) Resolution Panel',
    escalateTo: 'head-of-service',
  },
];

/** Seed 004: Building Bridges workers work 08:30–17:00 Mon–Thu, 08:30–16:30 Fri. */
export const BUILDING_BRIDGES_HOURS = {
  '1': { open: '08:30', close: '17:00' },
  '2': { open: '08:30', close: '17:00' },
  '3': { open: '08:30', close: '17:00' },
  '4': { open: '08:30', close: '17:00' },
  '5': { open: '08:30', close: '16:30' },
} as const;

const CLOSED = { type: 'case.closed' } as const;

/** Every timescale in docs/domain.md, Southampton flavour (the default). */
export const SEED_RULES: RuleInput[] = [
  {
    id: 'lado-notification',
    version: 1,
    title: 'Notify the LADO within 24 hours of an allegation',
    subject: 'allegationId',
    start: [{ type: 'lado.concern-raised' }],
    stop: [{ type: 'lado.notified' }],
    cancel: [CLOSED],
    clock: { unit: 'hours', amount: 24 },
    urgent: true,
    safeguarding: true,
  },
  {
    id: 'lado-response',
    version: 1,
    title: 'LADO responds within 24 working hours of a notification',
    subject: 'allegationId',
    start: [{ type: 'lado.notified' }],
    stop: [{ type: 'lado.responded' }],
    cancel: [CLOSED],
    clock: { unit: 'working-hours', amount: 24 },
    urgent: true,
    safeguarding: true,
  },
  {
    id: 'disagreement',
    version: 1,
    title: 'Resolve a professional disagreement, escalating stage by stage',
    subject: 'disagreementId',
    start: [{ type: 'disagreement.raised' }],
    stop: [{ type: 'disagreement.resolved' }],
    cancel: [CLOSED],
    clock: TWO_WORKING_DAYS,
    stages: SOUTHAMPTON_STAGES,
    safeguarding: true,
  },
  {
    id: 'joint-supervision',
    version: 1,
    title: 'Joint supervision with mental-health services',
    while: 'jointWithMentalHealth',
    recurring: true,
    start: [
      { type: 'case.opened' },
      { type: 'case.updated' },
      { type: 'supervision.held', kind: 'joint' },
    ],
    stop: [{ type: 'supervision.held', kind: 'joint' }],
    cancel: [CLOSED],
    clock: { unit: 'months', amount: 6 },
    // Seed 001: at least every 6 months, sooner for high risk; 3 months is our high-risk default.
    interval: { fromCase: 'jointSupervisionEveryMonths', highRisk: 3, max: 6 },
  },
  {
    id: 'building-bridges-supervision',
    version: 1,
    title: 'Five-weekly Building Bridges supervision',
    while: 'buildingBridges',
    recurring: true,
    start: [
      { type: 'building-bridges.started' },
      { type: 'supervision.held', kind: 'building-bridges' },
    ],
    stop: [{ type: 'supervision.held', kind: 'building-bridges' }],
    cancel: [{ type: 'building-bridges.ended' }, CLOSED],
    clock: { unit: 'weeks', amount: 5 },
    hoursTeam: 'building-bridges',
    defaultHours: BUILDING_BRIDGES_HOURS,
  },
  {
    id: 'co-working-review',
    version: 1,
    title: 'Co-working review in joint case supervision',
    while: 'coworking',
    recurring: true,
    start: [{ type: 'coworking.started' }, { type: 'supervision.held', kind: 'co-working' }],
    stop: [{ type: 'supervision.held', kind: 'co-working' }],
    cancel: [{ type: 'coworking.ended' }, CLOSED],
    // coworking.started always carries reviewEveryWeeks; 4 weeks is only a fallback.
    clock: { unit: 'weeks', amount: 4 },
    interval: { fromCase: 'coworkingReviewEveryWeeks' },
  },
];

const PLAN_ENDED = { type: 'cp-plan.ended' } as const;
const WORKING_TOGETHER = ['england-and-wales'] as const;

/**
 * The clocks of Working Together to Safeguard Children 2023 and the Care Planning, Placement
 * and Case Review (England) Regulations 2010: on by default for authorities in England and
 * Wales (Wales: the same clocks, `nation: 'wales'` for its assessment timescale). Sources,
 * semantics and worked examples: docs/domain.md.
 */
export const WORKING_TOGETHER_RULES: RuleInput[] = [
  {
    id: 'referral-decision',
    version: 1,
    title: 'Decide on next steps within one working day of a referral',
    subject: 'referralId',
    divisions: [...WORKING_TOGETHER],
    start: [{ type: 'referral.received' }],
    stop: [{ type: 'referral.decided' }],
    cancel: [CLOSED],
    clock: { unit: 'working-days', amount: 1 },
    safeguarding: true,
  },
  {
    id: 'assessment',
    version: 1,
    title: 'Complete the assessment within 45 working days of the referral',
    subject: 'referralId',
    divisions: [...WORKING_TOGETHER],
    start: [{ type: 'referral.received' }],
    stop: [{ type: 'assessment.completed' }],
    cancel: [CLOSED],
    clock: { unit: 'working-days', amount: 45 },
  },
  {
    id: 'initial-conference',
    version: 1,
    title: 'Initial child protection conference within 15 working days of the strategy discussion',
    subject: 'enquiryId',
    // "…or the last strategy discussion if more than one has been held".
    restart: true,
    divisions: [...WORKING_TOGETHER],
    start: [{ type: 'strategy-discussion.held' }],
    stop: [{ type: 'conference.held', kind: 'initial' }],
    cancel: [CLOSED],
    clock: { unit: 'working-days', amount: 15 },
    safeguarding: true,
  },
  {
    id: 'review-conference',
    version: 1,
    title: 'Review child protection conference',
    while: 'cpPlan',
    recurring: true,
    divisions: [...WORKING_TOGETHER],
    start: [{ type: 'cp-plan.started' }, { type: 'conference.held', kind: 'review' }],
    stop: [{ type: 'conference.held', kind: 'review' }],
    cancel: [PLAN_ENDED, CLOSED],
    first: { unit: 'months', amount: 3 },
    clock: { unit: 'months', amount: 6 },
  },
  {
    id: 'core-group',
    version: 1,
    title: 'Core group meeting',
    while: 'cpPlan',
    recurring: true,
    divisions: [...WORKING_TOGETHER],
    start: [{ type: 'cp-plan.started' }, { type: 'core-group.held' }],
    stop: [{ type: 'core-group.held' }],
    cancel: [PLAN_ENDED, CLOSED],
    first: { unit: 'working-days', amount: 10 },
    // "thereafter no less than every 6 weeks"; councils set 4 weeks by configuration.
    clock: { unit: 'weeks', amount: 6 },
  },
  {
    id: 'cp-visit',
    version: 1,
    title: 'Visit to a child on a child protection plan',
    while: 'cpPlan',
    recurring: true,
    divisions: [...WORKING_TOGETHER],
    start: [{ type: 'cp-plan.started' }, { type: 'visit.made', kind: 'cp' }],
    stop: [{ type: 'visit.made', kind: 'cp' }],
    cancel: [PLAN_ENDED, CLOSED],
    // No national timescale: the common local one (e.g. Liverpool); councils set 2 or 4 weeks.
    clock: { unit: 'working-days', amount: 10 },
    safeguarding: true,
  },
  {
    id: 'cla-visit',
    version: 1,
    title: 'Visit to a looked-after child in their placement',
    while: 'placement',
    recurring: true,
    divisions: [...WORKING_TOGETHER],
    start: [{ type: 'placement.started' }, { type: 'visit.made', kind: 'cla' }],
    stop: [{ type: 'visit.made', kind: 'cla' }],
    cancel: [{ type: 'placement.ended' }, CLOSED],
    first: { unit: 'weeks', amount: 1 },
    clock: { unit: 'weeks', amount: 6 },
    later: { afterMonths: 12, clock: { unit: 'months', amount: 3 }, when: 'permanent' },
    safeguarding: true,
  },
];

/** Every rule a preset starts from: the seeds' and Working Together's. */
export const DEFAULT_RULES: RuleInput[] = [...SEED_RULES, ...WORKING_TOGETHER_RULES];

/** Named presets: a function of the default rules, so a preset states only what differs. */
export const PRESETS = {
  southampton: (rules: RuleInput[]): RuleInput[] => rules,
  norfolk: (rules: RuleInput[]): RuleInput[] =>
    rules.map((r) => (r.id === 'disagreement' ? { ...r, stages: NORFOLK_STAGES } : r)),
} as const;
export type PresetName = keyof typeof PRESETS;
