/**
 * The event API's envelope and the data of each event type: the single source of truth for
 * validation, the TypeScript types the domain uses, and the OpenAPI document.
 */
// The shared field types, the case events' data and the directory events' data live in their
// own modules; this one assembles the envelope and re-exports them, so importers need only it.
import {
  AllegationData,
  BuildingBridgesStartedData,
  CaseOpenedData,
  CaseUpdatedData,
  ConferenceHeldData,
  CoworkingStartedData,
  DisagreementData,
  EmptyData,
  EnquiryConcludedData,
  EnquiryData,
  PlacementEndedData,
  PlacementStartedData,
  ProceedingsData,
  ProceedingsExtendedData,
  ReferralData,
  ReferralDecidedData,
  SupervisionHeldData,
  VisitMadeData,
} from './case-events.js';
import { PersonAwayData, PersonUpsertedData, RotaShiftData } from './directory-events.js';
import { CaseId, EventInstant, Id, IN_CALENDAR } from './event-fields.js';
import * as z from './zod.js';

export {
  AllegationData,
  BuildingBridgesStartedData,
  CaseOpenedData,
  CaseUpdatedData,
  ConferenceHeldData,
  ConferenceKind,
  CoworkingStartedData,
  DisagreementData,
  Division,
  EmptyData,
  EnquiryConcludedData,
  EnquiryData,
  PlacementBasis,
  PlacementEndedData,
  PlacementStartedData,
  ProceedingsData,
  ProceedingsExtendedData,
  ReferralData,
  ReferralDecidedData,
  ReferralOutcome,
  RiskLevel,
  SupervisionHeldData,
  SupervisionKind,
  VisitKind,
  VisitMadeData,
  Worker,
  WorkerRole,
} from './case-events.js';
export { PersonAwayData, PersonUpsertedData, RotaShiftData, RotaTier } from './directory-events.js';
export {
  CALENDAR_RANGE,
  CaseId,
  type CrossField,
  crossFields,
  EventInstant,
  fromBeforeTo,
  INSTANT_RANGE,
  Instant,
  isOutsideCalendarIssue,
  PersonId,
  yearsPattern,
} from './event-fields.js';

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

/** Every event type `POST /v1/events` accepts (the import offers the CSV shapes of these). */
export const EVENT_TYPES: ReadonlySet<string> = new Set(
  EventEnvelope.def.options.flatMap((option) => option.shape.type.def.values.map(String)),
);
