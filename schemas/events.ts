/**
 * The event API's envelope and the data of each event type: the single source of truth for
 * validation, the TypeScript types the domain uses, and the OpenAPI document.
 */
// zod/mini with English messages (see ./zod.ts); a namespace import lets esbuild drop zod's
// unused parts.
import { FIRST_YEAR, LAST_YEAR } from '#kernel/calendar/generated/uk-bank-holidays.js';
import { localDate } from '#kernel/calendar/london.js';
import { DIVISIONS } from '#kernel/calendar/types.js';
import * as z from './zod.js';

/** An instant: ISO-8601 with an explicit offset (`Z` or `±hh:mm`); impossible dates are refused. */
export const Instant = z.iso
  .datetime({ offset: true })
  .check(z.describe('ISO-8601 instant with an offset'));

/** The years the calendar covers: every instant in an event must fall in them (UK time). */
export const CALENDAR_RANGE = { first: `${FIRST_YEAR}-01-01`, last: `${LAST_YEAR}-12-31` };

/**
 * The same range as instants: London keeps GMT through January and December, so a UK date
 * from the first to the last is exactly an instant from the first's midnight UTC to (not
 * including) the midnight UTC after the last.
 */
export const INSTANT_RANGE = {
  minimum: `${FIRST_YEAR}-01-01T00:00:00Z`,
  exclusiveMaximum: `${LAST_YEAR + 1}-01-01T00:00:00Z`,
};

/** A pattern for a year from `first` to `last` (four digits each), one alternative a decade. */
export function yearsPattern(first: number, last: number): string {
  const decades: string[] = [];
  for (let decade = Math.floor(first / 10); decade <= Math.floor(last / 10); decade++) {
    const low = Math.max(first, decade * 10) % 10;
    const high = Math.min(last, decade * 10 + 9) % 10;
    decades.push(
      `${decade}${low === high ? low : low === 0 && high === 9 ? '\\d' : `[${low}-${high}]`}`,
    );
  }
  return `^(?:${decades.join('|')})-`;
}

/** The written year of an instant in the calendar's years (what JSON Schema can check). */
const WRITTEN_YEAR = yearsPattern(FIRST_YEAR, LAST_YEAR);
const WRITTEN_YEAR_RE = new RegExp(WRITTEN_YEAR);

const OUTSIDE_CALENDAR = 'outside-calendar';
const IN_CALENDAR = `on a UK date from ${CALENDAR_RANGE.first} to ${CALENDAR_RANGE.last}, the years the calendar covers, and written with a year from ${FIRST_YEAR} to ${LAST_YEAR} (otherwise 422)`;

/**
 * Every instant an event carries: an `Instant` on a UK date the calendar covers, its year
 * written in those years too (so the written-year pattern in the OpenAPI document is one the
 * server holds to). A clock started outside those years could never be computed or routed; it
 * is refused at the door (422, naming the field and the range) rather than stored.
 */
export const EventInstant = Instant.check(
  z.refine(
    (text) => {
      const at = Date.parse(text);
      // Not an instant at all: the format check above says so.
      if (Number.isNaN(at)) return true;
      const day = localDate(new Date(at));
      return (
        WRITTEN_YEAR_RE.test(text) && day >= CALENDAR_RANGE.first && day <= CALENDAR_RANGE.last
      );
    },
    {
      message: `must fall between ${CALENDAR_RANGE.first} and ${CALENDAR_RANGE.last} (UK dates): the years the calendar covers`,
      params: { reason: OUTSIDE_CALENDAR },
    },
  ),
  z.describe(`ISO-8601 instant with an offset, ${IN_CALENDAR}`),
  // JSON Schema compares no instants: the written year as a pattern (beside the format's
  // own), the exact range as an extension.
  z.meta({ allOf: [{ pattern: WRITTEN_YEAR }], 'x-instant-range': INSTANT_RANGE }),
);

/** Whether a validation issue is an instant outside the calendar's years (a 422, not a 400). */
export function isOutsideCalendarIssue(issue: z.core.$ZodIssue): boolean {
  return (
    issue.code === 'custom' &&
    (issue.params as { reason?: unknown } | undefined)?.reason === OUTSIDE_CALENDAR
  );
}

/**
 * A rule across two fields of one object, which JSON Schema cannot state: `field` is refused
 * (400, the issue at its path) unless it stands in `rule` to `other`. The OpenAPI document
 * lists an object's rules as `x-cross-field`, each without `holds`.
 */
export interface CrossField<T> {
  field: keyof T & string;
  rule: 'after' | 'not-equal' | 'at-most-days-after';
  other: keyof T & string;
  days?: number;
  message: string;
  holds(value: T): boolean;
}

/** The checks that enforce the rules, and the metadata that documents them. */
export function crossFields<T>(...rules: CrossField<T>[]) {
  return {
    checks: rules.map((rule) =>
      z.refine<T>((value) => rule.holds(value), { message: rule.message, path: [rule.field] }),
    ),
    meta: z.meta({ 'x-cross-field': rules.map(({ holds: _, ...doc }) => doc) }),
  };
}

/** `from` strictly before `to` (an away period, a rota shift, the rota's window). */
export const fromBeforeTo = {
  field: 'to',
  rule: 'after',
  other: 'from',
  message: '"from" must be before "to"',
  holds: (d: { from: string; to: string }) => Date.parse(d.from) < Date.parse(d.to),
} as const satisfies CrossField<{ from: string; to: string }>;

/** Ids we mint or receive: synthetic references, never names. */
const Id = z
  .string()
  .check(
    z.minLength(1),
    z.maxLength(64),
    z.regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'letters, digits and . _ : - only'),
  );

export const CaseId = Id.check(z.describe('case reference, e.g. C-1001'));
export const PersonId = Id.check(z.describe('professional id in the directory, e.g. P-0001'));

export const Division = z.enum(DIVISIONS);
export const RiskLevel = z.enum(['standard', 'high']);
export const SupervisionKind = z.enum(['joint', 'building-bridges', 'co-working']);
/** Child protection conferences (Working Together 2023): the initial one, then reviews. */
export const ConferenceKind = z.enum(['initial', 'review']);
/** Statutory visits: to a child on a child protection plan, to a looked-after child. */
export const VisitKind = z.enum(['cp', 'cla']);
/**
 * What a referral's decision on next steps was: an assessment, a strategy discussion (section
 * 47), early help, or no further action. The last two owe no assessment: they cancel its clock.
 */
export const ReferralOutcome = z.enum([
  'assessment',
  'strategy-discussion',
  'early-help',
  'no-further-action',
]);
/**
 * Which visiting schedule of the Care Planning, Placement and Case Review (England)
 * Regulations 2010 a placement follows: regulation 28(2) (`standard`; `until-18` when the
 * placement is intended to last until the child is 18), 28(3) (`with-parent-before-assessment`,
 * regulation 19), 28(4) (`connected-person-temporary`, regulation 24; `interim-care-order-at-home`),
 * 28(5) (`care-order-at-home`) or regulation 48 (`short-breaks`).
 */
export const PlacementBasis = z.enum([
  'standard',
  'until-18',
  'with-parent-before-assessment',
  'connected-person-temporary',
  'interim-care-order-at-home',
  'care-order-at-home',
  'short-breaks',
]);

/** Known roles; the routing of reminders uses them. */
export const WorkerRole = z.enum([
  'allocated-worker',
  'co-worker',
  'team-manager',
  'supervisor',
  'mh-worker',
  'mh-supervisor',
  'building-bridges-worker',
  'lado',
  'head-of-service',
]);

export const Worker = z.strictObject({ personId: PersonId, role: WorkerRole });

const CaseFacts = {
  team: Id.check(z.describe('owning team, e.g. north-assessment')),
  division: z.optional(Division),
  riskLevel: z.optional(RiskLevel),
  jointWithMentalHealth: z.optional(z.boolean()),
  jointSupervisionEveryMonths: z.optional(z.number().check(z.int(), z.gte(1), z.lte(6))),
  workers: z.optional(z.array(Worker).check(z.maxLength(50))),
};

export const CaseOpenedData = z.strictObject(CaseFacts);
export const CaseUpdatedData = z
  .strictObject({ ...CaseFacts, team: z.optional(CaseFacts.team) })
  .check(
    z.refine((d) => Object.keys(d).length > 0, { message: 'must change at least one field' }),
    z.meta({ minProperties: 1, description: 'the facts that changed: at least one' }),
  );
export const EmptyData = z.strictObject({});
export const AllegationData = z.strictObject({ allegationId: Id });
export const DisagreementData = z.strictObject({ disagreementId: Id });
export const SupervisionHeldData = z.strictObject({ kind: SupervisionKind });
export const CoworkingStartedData = z.strictObject({
  reviewEveryWeeks: z.number().check(z.int(), z.gte(1), z.lte(52)),
});
export const BuildingBridgesStartedData = z.strictObject({ personId: PersonId });
export const ReferralData = z.strictObject({
  referralId: Id.check(z.describe('the referral, e.g. R-1001')),
});
export const ReferralDecidedData = z.strictObject({
  referralId: ReferralData.shape.referralId,
  outcome: z.optional(
    ReferralOutcome.check(
      z.describe(
        'the decision: early-help and no-further-action owe no assessment (its clock is cancelled); absent: the assessment clock runs on and the answer warns outcome-missing',
      ),
    ),
  ),
});
export const EnquiryData = z.strictObject({
  enquiryId: Id.check(z.describe('the section 47 enquiry, e.g. E-1001')),
});
export const ConferenceHeldData = z
  .strictObject({
    kind: ConferenceKind,
    enquiryId: z.optional(EnquiryData.shape.enquiryId),
  })
  .check(
    z.refine((d) => d.kind !== 'initial' || d.enquiryId !== undefined, {
      message: 'an initial conference names the enquiryId whose strategy discussion started it',
      path: ['enquiryId'],
    }),
    z.meta({
      if: { properties: { kind: { const: 'initial' } }, required: ['kind'] },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then, metadata never awaited
      then: { required: ['enquiryId'] },
      description: 'an initial conference names the enquiryId whose strategy discussion started it',
    }),
  );
export const EnquiryConcludedData = z.strictObject({
  enquiryId: EnquiryData.shape.enquiryId,
  conference: z
    .boolean()
    .check(
      z.describe(
        'whether an initial child protection conference is to be held: false cancels the enquiry’s initial-conference clock',
      ),
    ),
});
export const VisitMadeData = z.strictObject({
  kind: VisitKind,
  seenAlone: z.optional(z.boolean().check(z.describe('the child was seen alone'))),
  atHome: z.optional(z.boolean().check(z.describe('the child was seen at home'))),
});
export const PlacementStartedData = z
  .strictObject({
    placementId: Id.check(z.describe('the placement, e.g. PL-1001')),
    basis: z.optional(
      PlacementBasis.check(
        z.describe(
          'the visiting schedule the placement follows (default standard): regulation 28(2)–(5) or 48 of the 2010 Regulations',
        ),
      ),
    ),
    permanent: z.optional(
      z
        .boolean()
        .check(
          z.describe(
            'older form of basis until-18: true means the placement is intended to last until the child is 18',
          ),
        ),
    ),
    visitEveryWeeks: z.optional(
      z
        .number()
        .check(
          z.int(),
          z.gte(1),
          z.lte(52),
          z.describe(
            'short-breaks only (required there): the visiting interval agreed with the IRO, in weeks',
          ),
        ),
    ),
  })
  .check(
    z.refine((d) => d.basis !== 'short-breaks' || d.visitEveryWeeks !== undefined, {
      message: 'a short-breaks placement names the visiting interval agreed with the IRO',
      path: ['visitEveryWeeks'],
    }),
    z.refine((d) => d.visitEveryWeeks === undefined || d.basis === 'short-breaks', {
      message: 'only a short-breaks placement sets visitEveryWeeks',
      path: ['visitEveryWeeks'],
    }),
    z.refine((d) => d.permanent !== true || d.basis === undefined || d.basis === 'until-18', {
      message: 'permanent: true means basis until-18',
      path: ['permanent'],
    }),
    z.meta({
      if: { properties: { basis: { const: 'short-breaks' } }, required: ['basis'] },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then, metadata never awaited
      then: { required: ['visitEveryWeeks'] },
    }),
  );
export const PlacementEndedData = z.strictObject({
  placementId: PlacementStartedData.shape.placementId,
});
export const ProceedingsData = z.strictObject({
  proceedingsId: Id.check(z.describe('the care proceedings, e.g. PR-1001')),
});
export const ProceedingsExtendedData = z.strictObject({
  proceedingsId: ProceedingsData.shape.proceedingsId,
  weeks: z
    .number()
    .check(
      z.int(),
      z.gte(1),
      z.lte(8),
      z.describe('the extension granted under Children Act 1989 s32(5): 1 to 8 weeks'),
    ),
});

export const PersonUpsertedData = z.strictObject({
  personId: PersonId,
  name: z.string().check(z.minLength(1), z.maxLength(200)),
  email: z.email(),
  phone: z.optional(
    z.string().check(z.regex(/^\+[1-9][0-9]{7,14}$/, 'E.164 format, e.g. +447700900123')),
  ),
  team: z.optional(Id),
  managerId: z.optional(PersonId),
});
const awayRules = crossFields<{ personId: string; from: string; to: string; delegateId: string }>(
  fromBeforeTo,
  {
    field: 'delegateId',
    rule: 'not-equal',
    other: 'personId',
    message: 'a person cannot delegate to themselves',
    holds: (d) => d.personId !== d.delegateId,
  },
);
export const PersonAwayData = z
  .strictObject({
    personId: PersonId,
    from: EventInstant,
    to: EventInstant.check(z.describe(`after \`from\`; ${IN_CALENDAR}`)),
    delegateId: PersonId.check(z.describe('who stands in: another person, never `personId`')),
  })
  .check(...awayRules.checks, awayRules.meta);
/** The on-call tier a rota shift covers: 1 the EDT manager (the default), 2 the senior manager above them. */
export const RotaTier = z
  .union([z.literal(1), z.literal(2)])
  .check(
    z.describe(
      '1: the EDT manager on call (the default); 2: the senior manager on call, who hears of an out-of-hours alert nobody acknowledged',
    ),
  );
export type RotaTier = z.infer<typeof RotaTier>;

const shiftRules = crossFields<{ from: string; to: string }>(fromBeforeTo);
export const RotaShiftData = z
  .strictObject({
    personId: PersonId,
    from: EventInstant,
    to: EventInstant.check(z.describe(`after \`from\`; ${IN_CALENDAR}`)),
    tier: z.optional(RotaTier),
  })
  .check(...shiftRules.checks, shiftRules.meta);

const envelope = {
  id: Id.check(z.describe("the sender's event id; a redelivery with the same id is applied once")),
  occurredAt: EventInstant.check(
    z.describe(`when it happened in the sender’s system (clocks start here), ${IN_CALENDAR}`),
  ),
};

const caseEvent = <T extends string, D extends z.ZodMiniType>(type: T, data: D) =>
  z.strictObject({ ...envelope, type: z.literal(type), caseId: CaseId, data });
const directoryEvent = <T extends string, D extends z.ZodMiniType>(type: T, data: D) =>
  z.strictObject({ ...envelope, type: z.literal(type), caseId: z.optional(z.null()), data });

export const CaseEvent = z.discriminatedUnion('type', [
  caseEvent('case.opened', CaseOpenedData),
  caseEvent('case.updated', CaseUpdatedData),
  caseEvent('case.closed', EmptyData),
  caseEvent('lado.concern-raised', AllegationData),
  caseEvent('lado.notified', AllegationData),
  caseEvent('lado.responded', AllegationData),
  caseEvent('disagreement.raised', DisagreementData),
  caseEvent('disagreement.resolved', DisagreementData),
  caseEvent('supervision.held', SupervisionHeldData),
  caseEvent('coworking.started', CoworkingStartedData),
  caseEvent('coworking.ended', EmptyData),
  caseEvent('building-bridges.started', BuildingBridgesStartedData),
  caseEvent('building-bridges.ended', EmptyData),
  caseEvent('referral.received', ReferralData),
  caseEvent('referral.decided', ReferralDecidedData),
  caseEvent('assessment.completed', ReferralData),
  caseEvent('strategy-discussion.held', EnquiryData),
  caseEvent('enquiry.concluded', EnquiryConcludedData),
  caseEvent('conference.held', ConferenceHeldData),
  caseEvent('cp-plan.started', EmptyData),
  caseEvent('cp-plan.ended', EmptyData),
  caseEvent('core-group.held', EmptyData),
  caseEvent('visit.made', VisitMadeData),
  caseEvent('placement.started', PlacementStartedData),
  caseEvent('placement.ended', PlacementEndedData),
  caseEvent('looked-after.started', EmptyData),
  caseEvent('looked-after.ended', EmptyData),
  caseEvent('cla-review.held', EmptyData),
  caseEvent('proceedings.issued', ProceedingsData),
  caseEvent('proceedings.extended', ProceedingsExtendedData),
  caseEvent('proceedings.concluded', ProceedingsData),
]);

export const DirectoryEvent = z.discriminatedUnion('type', [
  directoryEvent('person.upserted', PersonUpsertedData),
  directoryEvent('person.away', PersonAwayData),
  directoryEvent('rota.shift', RotaShiftData),
]);

/** Everything `POST /v1/events` accepts; one discriminated union so errors name the field. */
export const EventEnvelope = z.discriminatedUnion('type', [
  ...CaseEvent.def.options,
  ...DirectoryEvent.def.options,
]);

export type CaseEvent = z.infer<typeof CaseEvent>;
export type DirectoryEvent = z.infer<typeof DirectoryEvent>;
export type EventEnvelope = z.infer<typeof EventEnvelope>;
export type CaseEventType = CaseEvent['type'];
export type Division = z.infer<typeof Division>;
export type WorkerRole = z.infer<typeof WorkerRole>;
export type Worker = z.infer<typeof Worker>;
export type SupervisionKind = z.infer<typeof SupervisionKind>;
export type ConferenceKind = z.infer<typeof ConferenceKind>;
export type VisitKind = z.infer<typeof VisitKind>;
export type ReferralOutcome = z.infer<typeof ReferralOutcome>;
export type PlacementBasis = z.infer<typeof PlacementBasis>;

/** Every event type `POST /v1/events` accepts (the import offers the CSV shapes of these). */
export const EVENT_TYPES: ReadonlySet<string> = new Set(
  EventEnvelope.def.options.flatMap((option) => option.shape.type.def.values.map(String)),
);
