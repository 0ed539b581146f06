/**
 * The case aggregate: the facts of one case plus every deadline on it. The engine
 * (`./engine/index.ts`) derives a new aggregate from the old one and an event; the store
 * writes the result in one transaction. Instants are `Date` here; `CaseAggregateSchema`
 * revives the JSON form (ISO strings) the store keeps.
 */
import {
  Division,
  PlacementBasis,
  RiskLevel,
  SupervisionKind,
  Worker,
  WorkerRole,
} from '#schemas/events.js';
import * as z from '#schemas/zod.js';

/** Lifecycle of a deadline; only `open` deadlines have timers. */
export const DeadlineStatus = z.enum(['open', 'met', 'breached', 'cancelled']);
export type DeadlineStatus = z.infer<typeof DeadlineStatus>;

const Instant = z.coerce.date();

/**
 * One clock on a case. `version` increases whenever `dueAt`, `stage` or `status` changes;
 * timers carry it so a stale timer does nothing.
 */
export const DeadlineSchema = z.object({
  /** Deterministic, unique within the case, ≤ 40 chars of `[0-9a-zA-Z-_.]`, e.g. `lado-notification.A-1`. */
  id: z.string().check(z.regex(/^[0-9a-zA-Z._-]{1,40}$/)),
  caseId: z.string(),
  /** The rule id, e.g. `joint-supervision`. */
  rule: z.string(),
  /** The allegation or disagreement the clock is about, when the rule has one. */
  subjectId: z.optional(z.string()),
  /** 1, 2, … for recurring rules (the n-th supervision clock of the case). */
  sequence: z.optional(z.number().check(z.int(), z.positive())),
  status: DeadlineStatus,
  /** When the clock started (the start event's `occurredAt`, or the anchor supervision). */
  startedAt: Instant,
  /** The working target: close of business on the limit's date, or the working day before it. */
  dueAt: Instant,
  /**
   * The statutory limit: met by then is on time, and the clock breaches only when it passes.
   * For a clock counted in working days, weeks or months the end of its date in London (the
   * next local midnight); for one counted in hours `dueAt` itself. Absent on deadlines stored
   * before it existed: read it with `limitOf`.
   */
  limitAt: z.optional(Instant),
  /** Stage ladders only: 1-based stage, its name, its start and who is told at this stage. */
  stage: z.optional(z.number().check(z.int(), z.positive())),
  stageName: z.optional(z.string()),
  stageStartedAt: z.optional(Instant),
  escalateTo: z.optional(WorkerRole),
  /** The owning team of the case (manager lists filter on it). */
  team: z.string(),
  /** Team whose working hours the clock uses (`building-bridges`), when not office hours. */
  hoursTeam: z.optional(z.string()),
  urgent: z.boolean(),
  safeguarding: z.boolean(),
  ruleVersion: z.string(),
  calendarVersion: z.string(),
  version: z.number().check(z.int(), z.positive()),
  /** The calendar's explanation of `dueAt`, line by line, for auditors. */
  explain: z.array(z.string()),
  /** When it stopped being open: met at the stop event, breached at `limitAt`, cancelled at the event. */
  closedAt: z.optional(Instant),
  /** Why a cancelled clock is no longer owed, in words a manager reads. */
  closedReason: z.optional(z.string()),
  /** Care proceedings: the weeks of extension granted (Children Act 1989 s32(5)), in total. */
  extensionWeeks: z.optional(z.number().check(z.int(), z.positive())),
  /**
   * A clock the report counts as the DfE does (`measure: dfe-working-days`): working days from
   * the start's date to the stop's date, and the most the clock allows.
   */
  measure: z.optional(
    z.object({
      workingDays: z.number().check(z.int(), z.nonnegative()),
      within: z.number().check(z.int(), z.positive()),
    }),
  ),
  /** A stop event that arrived after the breach: when the work was actually done. */
  metAt: z.optional(Instant),
  /** With `metAt`: how late, in whole units of the clock's kind (`domain/reports/lateness.ts`). */
  lateness: z.optional(
    z.object({
      amount: z.number().check(z.int(), z.positive()),
      unit: z.enum(['hours', 'working-hours', 'working-days']),
    }),
  ),
  /**
   * When the event that started the clock reached us, when that was after the clock's start
   * (events arrive late): reminder steps that fell before it are skipped, and a clock already
   * due by then is announced as breached on arrival.
   */
  arrivedAt: z.optional(Instant),
  startEventId: z.optional(z.string()),
  stopEventId: z.optional(z.string()),
});
export type Deadline = z.infer<typeof DeadlineSchema>;

/**
 * A stop, cancel or extension seen before its start event (out-of-order delivery), kept until
 * the start arrives. `action` absent: a stop.
 */
export const EarlyStopSchema = z.object({
  rule: z.string(),
  subjectId: z.string(),
  at: Instant,
  eventId: z.string(),
  action: z.optional(z.enum(['stop', 'cancel', 'extend'])),
  /** A cancel's reason, in words a manager reads. */
  reason: z.optional(z.string()),
  /** An extension's weeks. */
  weeks: z.optional(z.number().check(z.int(), z.positive())),
});
export type EarlyStop = z.infer<typeof EarlyStopSchema>;

/** The case facts and its deadlines. */
export const CaseAggregateSchema = z.object({
  caseId: z.string(),
  status: z.enum(['open', 'closed']),
  /** True while only non-`case.opened` events have been seen: facts are placeholders. */
  provisional: z.optional(z.boolean()),
  team: z.string(),
  division: z.optional(Division),
  riskLevel: RiskLevel,
  jointWithMentalHealth: z.boolean(),
  jointSupervisionEveryMonths: z.optional(z.number().check(z.int(), z.positive())),
  /** When the current period of joint working with mental-health services began. */
  jointSince: z.optional(Instant),
  workers: z.array(Worker),
  coworking: z.optional(
    z.object({ startedAt: Instant, reviewEveryWeeks: z.number().check(z.int(), z.positive()) }),
  ),
  buildingBridges: z.optional(z.object({ personId: z.string(), startedAt: Instant })),
  /** The child protection plan in force (from `cp-plan.started` to `cp-plan.ended`). */
  cpPlan: z.optional(z.object({ startedAt: Instant })),
  /**
   * The looked-after child's current placement (a new `placement.started` replaces it): its
   * visiting basis (older records carry `permanent` instead: `basisOf`), and for short breaks
   * the visiting interval agreed with the IRO.
   */
  placement: z.optional(
    z.object({
      placementId: z.string(),
      startedAt: Instant,
      basis: z.optional(PlacementBasis),
      permanent: z.optional(z.boolean()),
      visitEveryWeeks: z.optional(z.number().check(z.int(), z.positive())),
    }),
  ),
  /**
   * The period the child is looked after (`looked-after.started` to `looked-after.ended`) and
   * the first review of the child's case in it (`cla-review.held`).
   */
  lookedAfter: z.optional(z.object({ startedAt: Instant, firstReviewAt: z.optional(Instant) })),
  /** The latest supervision held, per kind. */
  lastSupervision: z.partialRecord(SupervisionKind, Instant),
  /**
   * The latest other meeting or visit held, per meeting key (`core-group.held`,
   * `conference.held:review`, `visit.made:cla`, …: see `meetingKey`).
   */
  lastHeld: z.optional(z.record(z.string(), Instant)),
  openedAt: Instant,
  closedAt: z.optional(Instant),
  /** Bumped on every change the engine makes; the store uses it for optimistic locking. */
  version: z.number().check(z.int(), z.nonnegative()),
  deadlines: z.array(DeadlineSchema),
  earlyStops: z.optional(z.array(EarlyStopSchema)),
  /** The last few event ids applied: makes the engine safe on redelivery on its own. */
  recentEventIds: z.optional(z.array(z.string())),
});
export type CaseAggregate = z.infer<typeof CaseAggregateSchema>;

/** Kinds of audit entries the engine writes. */
export type AuditKind =
  | 'case-opened'
  | 'case-updated'
  | 'case-closed'
  | 'started'
  | 'met'
  | 'met-late'
  | 'corrected'
  | 'breached'
  | 'breached-on-arrival'
  | 'escalated'
  | 'cancelled'
  | 'recomputed'
  | 'supervision-recorded'
  | 'early-stop'
  | 'duplicate'
  | 'ignored'
  | 'warning';

/** One append-only line of a case's audit trail. `detail` is JSON-friendly (ISO strings). */
export interface AuditEntry {
  caseId: string;
  /** The instant the change takes effect (event `occurredAt`, or `limitAt` for breaches). */
  at: Date;
  kind: AuditKind;
  eventId?: string;
  deadlineId?: string;
  detail: Record<string, unknown>;
}

/** The statutory limit of a deadline: `limitAt`, or `dueAt` on one stored before limits. */
export function limitOf(d: Pick<Deadline, 'dueAt' | 'limitAt'>): Date {
  return d.limitAt ?? d.dueAt;
}

/** The visiting basis of a placement; older records say `permanent` (regulation 28(2)(c)(i)). */
export function basisOf(p: {
  basis?: PlacementBasis | undefined;
  permanent?: boolean | undefined;
}): PlacementBasis {
  return p.basis ?? (p.permanent ? 'until-18' : 'standard');
}

/**
 * Revives a stored aggregate (dates as ISO strings) into the in-code form.
 * @throws ZodError when the stored shape is not an aggregate.
 */
export function parseAggregate(json: unknown): CaseAggregate {
  return CaseAggregateSchema.parse(json);
}

type Json = Record<string, unknown>;

const toDate = (value: unknown): unknown =>
  typeof value === 'string' || typeof value === 'number' ? new Date(value) : value;

function reviveFields(target: Json, fields: readonly string[]): void {
  for (const field of fields)
    if (target[field] !== undefined) target[field] = toDate(target[field]);
}

const CASE_INSTANTS = ['jointSince', 'openedAt', 'closedAt'] as const;
const DEADLINE_INSTANTS = [
  'startedAt',
  'dueAt',
  'limitAt',
  'stageStartedAt',
  'closedAt',
  'metAt',
  'arrivedAt',
] as const;

/**
 * Revives the store's own JSON of an aggregate (the output of `JSON.stringify` on one) by
 * turning its ISO instants back into `Date`s in place, without validating the rest: a case is
 * read on every event and every timer, and `parseAggregate` cost as much as the engine. For
 * text from anywhere else use `parseAggregate`. A test walks `CaseAggregateSchema` for every
 * instant field, so a field added there and not here fails it.
 */
export function reviveStoredAggregate(json: unknown): CaseAggregate {
  const agg = json as Json;
  if (typeof agg !== 'object' || agg === null || !Array.isArray(agg.deadlines)) {
    // Not our shape after all: let the schema say what is wrong.
    return parseAggregate(json);
  }
  reviveFields(agg, CASE_INSTANTS);
  if (agg.coworking !== undefined) reviveFields(agg.coworking as Json, ['startedAt']);
  if (agg.buildingBridges !== undefined) reviveFields(agg.buildingBridges as Json, ['startedAt']);
  if (agg.cpPlan !== undefined) reviveFields(agg.cpPlan as Json, ['startedAt']);
  if (agg.placement !== undefined) reviveFields(agg.placement as Json, ['startedAt']);
  if (agg.lookedAfter !== undefined)
    reviveFields(agg.lookedAfter as Json, ['startedAt', 'firstReviewAt']);
  for (const field of ['lastSupervision', 'lastHeld']) {
    const last = agg[field] as Json | undefined;
    if (last !== undefined) reviveFields(last, Object.keys(last));
  }
  for (const d of agg.deadlines as Json[]) reviveFields(d, DEADLINE_INSTANTS);
  for (const e of (agg.earlyStops as Json[] | undefined) ?? []) reviveFields(e, ['at']);
  return agg as unknown as CaseAggregate;
}
