/**
 * The rules of DOMAIN.md as data, and the authority presets built from them. Each entry
 * cites its seed; every number here is a default an authority may override.
 */
import type { Reminder, RuleInput, Stage } from './schema.js';

/** Supervisions: 10 and 2 working days before, on the day, 1 working day overdue */
const SUPERVISION_REMINDERS: Reminder[] = [
  { at: 'before', amount: 10, unit: 'working-days' },
  { at: 'before', amount: 2, unit: 'working-days' },
  { at: 'due' },
  { at: 'after', amount: 1, unit: 'working-days', to: 'team-manager' },
];

/** LADO clocks: at 50% and 75% of the time and at due */
const LADO_REMINDERS: Reminder[] = [
  { at: 'fraction', fraction: 0.5 },
  { at: 'fraction', fraction: 0.75 },
  { at: 'due' },
];

/** Disagreement stages: at each stage's start and due time */
const DISAGREEMENT_REMINDERS: Reminder[] = [{ at: 'start' }, { at: 'due' }];

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
 * 2 working days (DOMAIN.md: the ladder's clock is a default).
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

/** Every timescale in DOMAIN.md, Southampton flavour (the default). */
export const DEFAULT_RULES: RuleInput[] = [
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
    reminders: LADO_REMINDERS,
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
    reminders: LADO_REMINDERS,
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
    reminders: DISAGREEMENT_REMINDERS,
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
    reminders: SUPERVISION_REMINDERS,
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
    reminders: SUPERVISION_REMINDERS,
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
    reminders: SUPERVISION_REMINDERS,
  },
];

/** Named presets: a function of the default rules, so a preset states only what differs. */
export const PRESETS = {
  southampton: (rules: RuleInput[]): RuleInput[] => rules,
  norfolk: (rules: RuleInput[]): RuleInput[] =>
    rules.map((r) => (r.id === 'disagreement' ? { ...r, stages: NORFOLK_STAGES } : r)),
} as const;
export type PresetName = keyof typeof PRESETS;
