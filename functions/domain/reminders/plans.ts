/**
 * Reminder plans (data) and `planReminderTimers`, which turns a deadline and its plan into
 * the timers that must fire. Pure: the calendar is an argument, the wall clock is never read.
 */
import {
  addWorkingDays,
  atWorkingFraction,
  type Calendar,
  localDate,
  nextOpening,
  type WeeklyHours,
  workingDaysBefore,
  workingMsBetween,
} from '#calendar/index.js';
import type {
  RecipientSpec,
  ReminderAt,
  ReminderDeadline,
  ReminderPlan,
  ReminderPlans,
  ReminderStep,
  ReminderTimer,
} from './types.js';

/** The timer payload `kind` of a reminder (the engine's own timers use `due`). */
export const REMINDER_KIND = 'reminder' as const;

const supervisionSteps = (to: readonly RecipientSpec[]): ReminderStep[] => [
  { key: 'b10wd', at: { kind: 'before', workingDays: 10 }, to },
  { key: 'b2wd', at: { kind: 'before', workingDays: 2 }, to },
  { key: 'day', at: { kind: 'on-day' }, to },
  // Overdue: first the recipient's manager, a day later the head of service.
  { key: 'o1wd', at: { kind: 'after', workingDays: 1 }, to: escalated(to, 1) },
  { key: 'o2wd', at: { kind: 'after', workingDays: 2 }, to: escalated(to, 2) },
];

function escalated(to: readonly RecipientSpec[], level: 1 | 2): RecipientSpec[] {
  // Escalating several recipients would tell the same manager several times: the first one leads.
  const lead = to[0];
  return lead === undefined ? [] : [{ role: lead.role, escalate: level }];
}

const ladoSteps: ReminderStep[] = [
  { key: 'p50', at: { kind: 'fraction', fraction: 0.5 }, to: [{ role: 'lado' }] },
  { key: 'p75', at: { kind: 'fraction', fraction: 0.75 }, to: [{ role: 'lado' }] },
  { key: 'due', at: { kind: 'due' }, to: [{ role: 'lado' }] },
];

/**
 * The default plans (issue 4): supervisions 10 and 2 working days before, on the day, and
 * overdue; LADO clocks at 50%, 75% and at due (urgent); each disagreement stage at its start
 * and at its due time, to that stage's level (an escalation starts the next stage, whose start
 * reminder tells the next level).
 */
export type DefaultPlanRule =
  | 'lado-notification'
  | 'lado-response'
  | 'disagreement'
  | 'joint-supervision'
  | 'building-bridges-supervision'
  | 'co-working-review';

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
};

/** A plan per rule: the defaults with an authority's replacements (whole plans, by rule id). */
export function reminderPlans(
  overrides: Partial<Record<string, ReminderPlan>> = {},
): ReminderPlans {
  const plans: Record<string, ReminderPlan> = { ...DEFAULT_REMINDER_PLANS };
  for (const [rule, plan] of Object.entries(overrides)) if (plan !== undefined) plans[rule] = plan;
  return plans;
}

/**
 * The reminder id, the unit of exactly-once sending: the deadline, the step and the due time
 * it counts towards (minutes, base 36). It survives a version change that keeps the due time
 * (a breach), so a reminder re-planned under the new version is not sent again; a moved due
 * time (a new stage, a supervision held) makes new reminders.
 */
export function reminderId(deadline: Pick<ReminderDeadline, 'id' | 'dueAt'>, key: string): string {
  return `${deadline.id}.${key}.${Math.floor(deadline.dueAt.getTime() / 60_000).toString(36)}`;
}

/**
 * A deterministic schedule name (≤ 64 chars of `[0-9a-zA-Z-_.]`): a readable prefix of the
 * case reference, a hash of case and deadline ids (ids may be long or hold `:`), the version
 * and the step key. Scheduling the same timer twice therefore creates one schedule.
 */
export function reminderTimerName(
  deadline: Pick<ReminderDeadline, 'caseId' | 'id' | 'version'>,
  key: string,
  suffix = '',
): string {
  const readable = deadline.caseId.replace(/[^0-9A-Za-z-_]/g, '_').slice(0, 14);
  const hash = fnv1a64(`${deadline.caseId}|${deadline.id}`);
  const name = `r.${readable}.${hash}.v${deadline.version}.${key}${suffix}`;
  return name.slice(0, 64);
}

const utf8 = new TextEncoder();

/**
 * FNV-1a, 64 bits, as 16 hex digits: stable across runtimes, no crypto import. Computed in
 * four 16-bit limbs (every intermediate stays below 2^31): BigInt arithmetic per byte made
 * this the hottest function of event ingestion (bench:ingest). Same digits as the BigInt form.
 */
export function fnv1a64(text: string): string {
  // ASCII (every id we mint) is hashed from its char codes; anything else from its UTF-8 bytes.
  let ascii = true;
  for (let i = 0; i < text.length && ascii; i++) ascii = text.charCodeAt(i) < 0x80;
  const bytes = ascii ? undefined : utf8.encode(text);
  const length = bytes === undefined ? text.length : bytes.length;
  // The offset basis 0xcbf29ce484222325, low limb first.
  let h0 = 0x2325;
  let h1 = 0x8422;
  let h2 = 0x9ce4;
  let h3 = 0xcbf2;
  for (let i = 0; i < length; i++) {
    h0 ^= bytes === undefined ? text.charCodeAt(i) : (bytes[i] as number);
    // hash × 0x100000001b3 mod 2^64 = hash × 0x1b3 + (hash << 40).
    const t0 = h0 * 0x1b3;
    let t1 = h1 * 0x1b3;
    let t2 = h2 * 0x1b3 + (h0 << 8);
    const t3 = h3 * 0x1b3 + (h1 << 8);
    t1 += t0 >>> 16;
    t2 += t1 >>> 16;
    h0 = t0 & 0xffff;
    h1 = t1 & 0xffff;
    h2 = t2 & 0xffff;
    h3 = (t3 + (t2 >>> 16)) & 0xffff;
  }
  return hex4(h3) + hex4(h2) + hex4(h1) + hex4(h0);
}

function hex4(limb: number): string {
  return limb.toString(16).padStart(4, '0');
}

/** A step's planned time, before the "already passed" rule is applied. */
export interface PlannedReminder {
  step: ReminderStep;
  /** The time the plan asks for. */
  plannedAt: Date;
  /** When it fires: `plannedAt`, or the clock's start when that had already passed. */
  fireAt: Date;
  /** True when the planned time was before the clock started: sent once, at once. */
  late: boolean;
}

/**
 * The reminders a deadline needs, in firing order. A step whose time falls before the clock
 * started ("2 days before" on a 1-day clock) fires once at the start; when several have passed,
 * only the last of them (the closest to due) is kept, so the recipient is told once.
 * Deterministic: planning again gives the same list, so nothing is repeated.
 */
export function planReminders(
  deadline: ReminderDeadline,
  calendar: Calendar,
  plan: ReminderPlan | undefined,
): PlannedReminder[] {
  if (plan === undefined) return [];
  if (deadline.status !== 'open' && deadline.status !== 'breached') return [];
  const hours = calendar.hoursFor(deadline.hoursTeam);
  const start = deadline.stageStartedAt ?? deadline.startedAt;
  const planned = plan.steps
    // A breached deadline keeps its at-due and overdue steps (the breach bumps the version).
    .filter(
      (step) => deadline.status === 'open' || step.at.kind === 'after' || step.at.kind === 'due',
    )
    .map((step) => ({ step, plannedAt: stepTime(step.at, deadline, plan, calendar, hours) }))
    .sort((a, b) => a.plannedAt.getTime() - b.plannedAt.getTime());
  const passed = planned.filter((p) => p.plannedAt.getTime() < start.getTime());
  const lastPassed = passed.at(-1);
  const result: PlannedReminder[] = [];
  for (const p of planned) {
    if (p.plannedAt.getTime() >= start.getTime()) {
      result.push({ ...p, fireAt: p.plannedAt, late: false });
    } else if (p === lastPassed) {
      result.push({ ...p, fireAt: start, late: true });
    }
  }
  return result.sort((a, b) => a.fireAt.getTime() - b.fireAt.getTime());
}

/**
 * The timers for a deadline's reminders. `aggregate` is accepted for the `planTimers` call
 * shape; the plan needs only the deadline.
 */
export function planReminderTimers(
  _aggregate: unknown,
  deadline: ReminderDeadline,
  calendar: Calendar,
  plan: ReminderPlan | undefined,
): ReminderTimer<typeof REMINDER_KIND>[] {
  return planReminders(deadline, calendar, plan).map((p) => ({
    name: reminderTimerName(deadline, p.step.key),
    fireAt: p.fireAt,
    payload: {
      caseId: deadline.caseId,
      deadlineId: deadline.id,
      kind: REMINDER_KIND,
      version: deadline.version,
      reminderId: p.step.key,
    },
  }));
}

/**
 * A `TimerPlanner` (see `functions/domain/timers.ts`) for reminders: add it to the planners
 * `planTimers` runs, beside the engine's `dueTimer`.
 */
export function reminderTimerPlanner(plans: ReminderPlans = DEFAULT_REMINDER_PLANS) {
  return (
    deadline: ReminderDeadline,
    aggregate: unknown,
    ctx: { calendar: Calendar },
  ): ReminderTimer<typeof REMINDER_KIND>[] =>
    planReminderTimers(aggregate, deadline, ctx.calendar, plans[deadline.rule]);
}

/** One planned reminder as `GET /v1/cases/{caseId}/reminders` shows it. */
export interface PlannedReminderView {
  deadlineId: string;
  rule: string;
  reminderId: string;
  step: string;
  fireAt: string;
  late: boolean;
  urgent: boolean;
  /** Roles (and escalation level) the step goes to; routing picks the people at fire time. */
  to: { role: string; escalate: 0 | 1 | 2 }[];
}

/** The planned reminders of a case's open (and breached) deadlines, in firing order. */
export function listPlannedReminders(
  aggregate: { status: string; deadlines: readonly ReminderDeadline[] },
  calendar: Calendar,
  plans: ReminderPlans = DEFAULT_REMINDER_PLANS,
): PlannedReminderView[] {
  if (aggregate.status === 'closed') return [];
  return aggregate.deadlines
    .flatMap((d) => {
      const plan = plans[d.rule];
      if (plan === undefined) return [];
      return planReminders(d, calendar, plan).map((p) => ({
        deadlineId: d.id,
        rule: d.rule,
        reminderId: reminderId(d, p.step.key),
        step: p.step.key,
        fireAt: p.fireAt.toISOString(),
        late: p.late,
        urgent: isUrgent(p.step, plan, d),
        to: stepRecipients(p.step, plan, d).map((r) => ({
          role: r.role,
          escalate: r.escalate ?? 0,
        })),
      }));
    })
    .sort((a, b) => (a.fireAt < b.fireAt ? -1 : a.fireAt > b.fireAt ? 1 : 0));
}

/** The recipients of a step for the deadline's stage. */
export function stepRecipients(
  step: ReminderStep,
  plan: ReminderPlan,
  deadline: Pick<ReminderDeadline, 'stage' | 'escalateTo'>,
): readonly RecipientSpec[] {
  if (step.to !== 'stage' && step.to !== 'next-stage') return step.to;
  // The rule's own ladder names who is told at this stage; the plan's ladder is the fallback.
  if (step.to === 'stage' && deadline.escalateTo !== undefined)
    return [{ role: deadline.escalateTo }];
  const ladder = plan.stageRecipients ?? [];
  const stage = (deadline.stage ?? 1) + (step.to === 'next-stage' ? 1 : 0);
  return ladder[Math.min(stage, ladder.length) - 1] ?? [];
}

/**
 * Whether a step is urgent: the step's own flag; else an urgent clock (LADO); else, on a
 * safeguarding clock, its breach (at due and overdue).
 */
export function isUrgent(
  step: ReminderStep,
  plan: ReminderPlan,
  deadline: Pick<ReminderDeadline, 'urgent' | 'safeguarding'> = {},
): boolean {
  if (step.urgent !== undefined) return step.urgent;
  if (deadline.urgent === true || plan.urgent === true) return true;
  const breach = step.at.kind === 'due' || step.at.kind === 'after';
  return breach && deadline.safeguarding === true;
}

const HOUR = 3_600_000;

function stepTime(
  at: ReminderAt,
  deadline: ReminderDeadline,
  plan: ReminderPlan,
  calendar: Calendar,
  hours: WeeklyHours,
): Date {
  const due = deadline.dueAt;
  const start = deadline.stageStartedAt ?? deadline.startedAt;
  switch (at.kind) {
    case 'start':
      return start;
    case 'due':
      return due;
    case 'before':
      if ('workingDays' in at) return workingDaysBefore(calendar, due, at.workingDays, hours);
      return workingHoursBefore(calendar, due, at.workingHours, hours);
    case 'fraction':
      if (plan.clock === 'elapsed') {
        return new Date(start.getTime() + at.fraction * (due.getTime() - start.getTime()));
      }
      return atWorkingFraction(calendar, start, due, at.fraction, hours);
    case 'on-day':
      return openingOn(calendar, localDate(due), hours);
    case 'after': {
      const day = localDate(addWorkingDays(calendar, due, at.workingDays, hours).due);
      return openingOn(calendar, day, hours);
    }
  }
}

/** The opening time on a local date (the next opening from its first hour). */
function openingOn(calendar: Calendar, date: string, hours: WeeklyHours): Date {
  // UTC midnight is 00:00 or 01:00 in London: before any opening on that date.
  return nextOpening(calendar, new Date(`${date}T00:00:00Z`), hours);
}

/**
 * The latest instant from which `n` hours of office time remain until `due`. The calendar
 * counts forwards only, so step back whole days until enough time is covered, then bisect
 * to the second.
 */
export function workingHoursBefore(
  calendar: Calendar,
  due: Date,
  n: number,
  hours: WeeklyHours,
): Date {
  const target = n * HOUR;
  let lo = due.getTime() - n * HOUR;
  for (let i = 0; i < 3660 && workingMsBetween(calendar, new Date(lo), due, hours) < target; i++) {
    lo -= 24 * HOUR;
  }
  let hi = due.getTime();
  while (hi - lo > 1000) {
    const mid = Math.floor((lo + hi) / 2);
    if (workingMsBetween(calendar, new Date(mid), due, hours) >= target) lo = mid;
    else hi = mid;
  }
  return new Date(Math.floor(lo / 1000) * 1000);
}
