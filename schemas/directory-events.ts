/**
 * The data of each directory event: who the professionals are, when they are away and who
 * stands in, and who is on call out of hours. They name no case; `events.ts` wraps them in the
 * envelope.
 */
import {
  crossFields,
  EventInstant,
  fromBeforeTo,
  Id,
  IN_CALENDAR,
  PersonId,
} from './event-fields.js';
import * as z from './zod.js';

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
