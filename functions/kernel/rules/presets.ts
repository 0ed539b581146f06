/**
 * The rules of docs/domain.md as data, and the authority presets built from them. Each entry
 * cites its seed; every number here is a default an authority may override.
 */
import type { PlacementBasis } from '#schemas/events.js';
import type { BasisSchedule, RuleInput, Source, Stage } from './schema.js';
import { SOURCES } from './sources.js';

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

/**
 * England's statutory guidance and its LADO role: on by default for an authority in England and
 * Wales, off in Scotland and Northern Ireland (their own guidance, no LADO).
 */
const ENGLAND_AND_WALES = ['england-and-wales'] as const;

/** Every timescale in docs/domain.md, Southampton flavour (the default). */
export const SEED_RULES: RuleInput[] = [
  {
    id: 'lado-notification',
    version: 2,
    title: 'Notify the LADO within 24 hours of an allegation',
    source: SOURCES.ladoNotification,
    subject: 'allegationId',
    divisions: [...ENGLAND_AND_WALES],
    start: [{ type: 'lado.concern-raised' }],
    stop: [{ type: 'lado.notified' }],
    cancel: [CLOSED],
    clock: { unit: 'hours', amount: 24 },
    urgent: true,
    safeguarding: true,
  },
  {
    id: 'lado-response',
    version: 2,
    title: 'LADO responds within 24 working hours of a notification',
    source: SOURCES.ladoResponse,
    subject: 'allegationId',
    divisions: [...ENGLAND_AND_WALES],
    start: [{ type: 'lado.notified' }],
    stop: [{ type: 'lado.responded' }],
    cancel: [CLOSED],
    clock: { unit: 'working-hours', amount: 24 },
    urgent: true,
    safeguarding: true,
  },
  {
    id: 'disagreement',
    version: 2,
    title: 'Resolve a professional disagreement, escalating stage by stage',
    source: SOURCES.disagreement,
    subject: 'disagreementId',
    start: [{ type: 'disagreement.raised' }],
    stop: [{ type: 'disagreement.resolved' }],
    cancel: [CLOSED],
    clock: TWO_WORKING_DAYS,
    stages: SOUTHAMPTON_STAGES,
    // Office work whose ladder is itself the escalation: a child in immediate danger goes to
    // the police or the front door, not up the ladder. An authority may still set it.
    safeguarding: false,
  },
  {
    id: 'joint-supervision',
    version: 2,
    title: 'Joint supervision with mental-health services',
    source: SOURCES.jointSupervision,
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
    version: 2,
    title: 'Five-weekly Building Bridges supervision',
    source: SOURCES.buildingBridges,
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
    version: 2,
    title: 'Co-working review in joint case supervision',
    source: SOURCES.coworking,
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
const WORKING_TOGETHER = ENGLAND_AND_WALES;
const WEEK = { unit: 'weeks', amount: 1 } as const;

/** Regulation 28(2)–(5) and 48 of the 2010 Regulations: each placement basis's visits. */
const PLACEMENT_BASES = (
  sources: {
    [K in 'until18' | 'withParent' | 'connected' | 'careOrderAtHome' | 'shortBreaks']: Source;
  },
): Record<PlacementBasis, BasisSchedule> => ({
  standard: {},
  'until-18': {
    later: { afterMonths: 12, clock: { unit: 'months', amount: 3 } },
    source: sources.until18,
  },
  'with-parent-before-assessment': {
    untilReview: WEEK,
    clock: { unit: 'weeks', amount: 6 },
    source: sources.withParent,
  },
  'connected-person-temporary': {
    untilReview: WEEK,
    clock: { unit: 'weeks', amount: 4 },
    source: sources.connected,
  },
  'interim-care-order-at-home': {
    untilReview: WEEK,
    clock: { unit: 'weeks', amount: 4 },
    source: sources.connected,
  },
  'care-order-at-home': { source: sources.careOrderAtHome },
  'short-breaks': { fromPlacement: 'visitEveryWeeks', source: sources.shortBreaks },
});

/**
 * The clocks of Working Together to Safeguard Children 2023 and the Care Planning, Placement
 * and Case Review (England) Regulations 2010: on by default for authorities in England and
 * Wales (Wales: the same clocks, `nation: 'wales'` for its assessment timescale). Sources,
 * semantics and worked examples: docs/domain.md.
 */
export const WORKING_TOGETHER_RULES: RuleInput[] = [
  {
    id: 'referral-decision',
    version: 2,
    title: 'Decide on next steps within one working day of a referral',
    source: SOURCES.referralDecision,
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
    version: 2,
    title: 'Complete the assessment within 45 working days of the referral',
    source: SOURCES.assessment,
    subject: 'referralId',
    divisions: [...WORKING_TOGETHER],
    start: [{ type: 'referral.received' }],
    stop: [{ type: 'assessment.completed' }],
    // A referral decided early help or no further action owes no assessment.
    cancel: [{ type: 'referral.decided', outcome: ['early-help', 'no-further-action'] }, CLOSED],
    clock: { unit: 'working-days', amount: 45 },
    measure: 'dfe-working-days',
  },
  {
    id: 'initial-conference',
    version: 2,
    title: 'Initial child protection conference within 15 working days of the strategy discussion',
    source: SOURCES.initialConference,
    subject: 'enquiryId',
    // From the strategy discussion at which the section 47 enquiry was initiated (the FIRST of
    // the enquiry): a later discussion of the same enquiry is a duplicate start.
    divisions: [...WORKING_TOGETHER],
    start: [{ type: 'strategy-discussion.held' }],
    stop: [{ type: 'conference.held', kind: 'initial' }],
    cancel: [{ type: 'enquiry.concluded', conference: false }, CLOSED],
    clock: { unit: 'working-days', amount: 15 },
    measure: 'dfe-working-days',
    safeguarding: true,
  },
  {
    id: 'review-conference',
    version: 2,
    title: 'Review child protection conference',
    source: SOURCES.reviewConference,
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
    version: 2,
    title: 'Core group meeting',
    source: SOURCES.coreGroup,
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
    version: 2,
    title: 'Visit to a child on a child protection plan',
    source: SOURCES.cpVisit,
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
    version: 2,
    title: 'Visit to a looked-after child in their placement',
    source: SOURCES.claVisit,
    while: 'placement',
    recurring: true,
    divisions: [...WORKING_TOGETHER],
    start: [{ type: 'placement.started' }, { type: 'visit.made', kind: 'cla' }],
    stop: [{ type: 'visit.made', kind: 'cla' }],
    cancel: [{ type: 'placement.ended' }, CLOSED],
    first: WEEK,
    clock: { unit: 'weeks', amount: 6 },
    bases: PLACEMENT_BASES(SOURCES.claVisitBases),
    safeguarding: true,
  },
  {
    id: 'cla-review',
    version: 1,
    title: 'Review of a looked-after child’s case',
    source: SOURCES.claReview,
    while: 'lookedAfter',
    recurring: true,
    divisions: [...WORKING_TOGETHER],
    start: [{ type: 'looked-after.started' }, { type: 'cla-review.held' }],
    stop: [{ type: 'cla-review.held' }],
    cancel: [{ type: 'looked-after.ended' }, CLOSED],
    first: { unit: 'working-days', amount: 20 },
    second: { unit: 'months', amount: 3 },
    clock: { unit: 'months', amount: 6 },
  },
  {
    id: 'care-proceedings',
    version: 1,
    title: 'Care proceedings disposed of within 26 weeks of issue',
    source: SOURCES.careProceedings,
    subject: 'proceedingsId',
    divisions: [...WORKING_TOGETHER],
    start: [{ type: 'proceedings.issued' }],
    stop: [{ type: 'proceedings.concluded' }],
    extend: [{ type: 'proceedings.extended' }],
    cancel: [CLOSED],
    clock: { unit: 'weeks', amount: 26, beginningWith: true },
  },
];

/**
 * What an authority in Wales (`nation: 'wales'`) runs instead: the 42-working-day assessment,
 * the Wales Safeguarding Procedures' two child protection visit clocks (seen alone every 10
 * working days; seen at home every 4 weeks), and the 2015 Wales Regulations' numbering.
 */
export function walesVariant(rules: RuleInput[]): RuleInput[] {
  const out = rules.map((r): RuleInput => {
    switch (r.id) {
      case 'assessment':
        return {
          ...r,
          title: 'Complete the assessment within 42 working days of the referral (Wales)',
          source: SOURCES.walesAssessment,
          clock: { unit: 'working-days', amount: 42 },
        };
      case 'cp-visit':
        return {
          ...r,
          title: 'Child on a child protection plan seen alone (Wales)',
          source: SOURCES.walesSeenAlone,
          start: [{ type: 'cp-plan.started' }, { type: 'visit.made', kind: 'cp', seenAlone: true }],
          stop: [{ type: 'visit.made', kind: 'cp', seenAlone: true }],
        };
      case 'cla-visit':
        return { ...r, source: SOURCES.walesClaVisit, bases: PLACEMENT_BASES(SOURCES.walesBases) };
      case 'cla-review':
        return { ...r, source: SOURCES.walesClaReview };
      default:
        return r;
    }
  });
  const at = out.findIndex((r) => r.id === 'cp-visit');
  out.splice(at + 1, 0, {
    id: 'cp-home-visit',
    version: 1,
    title: 'Child on a child protection plan seen at home (Wales)',
    source: SOURCES.walesSeenAtHome,
    while: 'cpPlan',
    recurring: true,
    divisions: [...WORKING_TOGETHER],
    start: [{ type: 'cp-plan.started' }, { type: 'visit.made', kind: 'cp', atHome: true }],
    stop: [{ type: 'visit.made', kind: 'cp', atHome: true }],
    cancel: [PLAN_ENDED, CLOSED],
    clock: { unit: 'weeks', amount: 4 },
    safeguarding: true,
  });
  return out;
}

/** Every rule a preset starts from: the seeds' and Working Together's (and the regulations'). */
export const DEFAULT_RULES: RuleInput[] = [...SEED_RULES, ...WORKING_TOGETHER_RULES];

/** Named presets: a function of the default rules, so a preset states only what differs. */
export const PRESETS = {
  southampton: (rules: RuleInput[]): RuleInput[] => rules,
  norfolk: (rules: RuleInput[]): RuleInput[] =>
    rules.map((r) =>
      r.id === 'disagreement'
        ? { ...r, stages: NORFOLK_STAGES, source: SOURCES.disagreementNorfolk }
        : r,
    ),
} as const;
export type PresetName = keyof typeof PRESETS;
