/**
 * The data of each case event: the facts of a case and its workers, and what each step of a
 * statutory clock (LADO, disagreements, supervision, Working Together 2023, looked-after
 * children, care proceedings) carries. `events.ts` wraps them in the envelope.
 */
import { DIVISIONS } from '#kernel/calendar/types.js';
import { Id, PersonId } from './event-fields.js';
import * as z from './zod.js';

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

export type Division = z.infer<typeof Division>;
export type WorkerRole = z.infer<typeof WorkerRole>;
export type Worker = z.infer<typeof Worker>;
export type SupervisionKind = z.infer<typeof SupervisionKind>;
export type ConferenceKind = z.infer<typeof ConferenceKind>;
export type VisitKind = z.infer<typeof VisitKind>;
export type ReferralOutcome = z.infer<typeof ReferralOutcome>;
export type PlacementBasis = z.infer<typeof PlacementBasis>;
